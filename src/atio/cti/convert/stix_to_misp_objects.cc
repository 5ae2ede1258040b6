// STIX -> MISP objects: the file, ip-port, network-connection, domain-ip,
// url and vulnerability objects misp_to_stix_objects.cc maps, read back from
// their SCOs (or SDO) and x_misp_<relation> properties. Attribute uuids come
// from SCO ids where an SCO stands for one attribute, and are otherwise
// derived (UUIDv5) from the object uuid, relation and value, so reading the
// same STIX twice gives the same MISP uuids.
#include "atio/core/json.h"
#include "atio/cti/convert/misp_categories.h"
#include "atio/cti/convert/misp_types.h"
#include "atio/cti/convert/stix_misp_reader.h"
#include "atio/cti/convert/stix_pattern_reader.h"
#include "atio/cti/stix/ids.h"

namespace atio::convert::misp {

namespace {

// The attribute type of a relation in the templates atio maps (misp-objects
// definitions); relations not listed are "text".
std::string_view relation_type(std::string_view object, std::string_view relation) {
  struct Row {
    std::string_view object, relation, type;
  };
  static constexpr Row kRows[] = {
      {"*", "domain", "domain"},           {"*", "hostname", "hostname"},
      {"*", "host", "hostname"},           {"*", "ip", "ip-dst"},
      {"*", "port", "port"},               {"*", "src-port", "port"},
      {"*", "dst-port", "port"},           {"*", "ip-src", "ip-src"},
      {"*", "ip-dst", "ip-dst"},           {"*", "hostname-src", "hostname"},
      {"*", "hostname-dst", "hostname"},   {"*", "first-seen", "datetime"},
      {"*", "last-seen", "datetime"},      {"*", "url", "url"},
      {"*", "entropy", "float"},           {"*", "mimetype", "mime-type"},
      {"*", "size-in-bytes", "size-in-bytes"}, {"*", "filename", "filename"},
      {"*", "fullpath", "text"},           {"*", "malware-sample", "malware-sample"},
      {"*", "attachment", "attachment"},   {"*", "creation-time", "datetime"},
      {"*", "modification-time", "datetime"}, {"*", "access-time", "datetime"},
      {"*", "pattern-in-file", "pattern-in-file"}, {"*", "authentihash", "authentihash"},
      {"vulnerability", "id", "vulnerability"}, {"vulnerability", "cvss-score", "float"},
      {"vulnerability", "references", "link"}, {"vulnerability", "created", "datetime"},
      {"vulnerability", "published", "datetime"}, {"vulnerability", "modified", "datetime"},
      {"url", "credential", "text"},       {"url", "query_string", "text"},
      {"ip-port", "src-port", "port"},     {"domain-ip", "registration-date", "datetime"},
  };
  for (const Row& r : kRows) {
    if ((r.object == object || r.object == "*") && r.relation == relation) return r.type;
  }
  if (!hash_key(relation).empty()) return relation;  // md5, sha256, ssdeep, ...
  return "text";
}

// x_misp_hostname_dst -> hostname-dst
std::string relation_of(std::string_view key) {
  std::string r(key.substr(7));
  for (char& c : r) c = c == '_' ? '-' : c;
  return r;
}

class ObjectBuilder {
 public:
  ObjectBuilder(std::string_view name, std::string uuid, std::set<std::string> pattern_values)
      : name_(name), uuid_(std::move(uuid)), pattern_values_(std::move(pattern_values)) {}

  // `stix_id`: the SCO that stands for this one attribute, if any.
  void add(std::string relation, std::string value, std::string_view stix_id = {},
           std::string type = {}, std::string data = {}) {
    if (value.empty()) return;
    if (type.empty()) type = std::string(relation_type(name_, relation));
    bj::object a;
    a["uuid"] = stix_id.empty()
                    ? stix::uuid_v5(kMispNamespace, uuid_ + "|" + relation + "|" + value)
                    : std::string(id_uuid(stix_id));
    a["object_relation"] = relation;
    a["type"] = type;
    a["category"] = std::string(default_category(type));
    a["to_ids"] = pattern_values_.count(value) > 0;
    a["value"] = std::move(value);
    if (!data.empty()) a["data"] = std::move(data);
    attributes_.emplace_back(std::move(a));
  }
  // Every x_misp_<relation> property of `o` (strings, lists, {value, data}).
  void customs(const bj::object& o) {
    for (const auto& kv : o) {
      if (kv.key().substr(0, 7) != "x_misp_") continue;
      const std::string relation = relation_of(kv.key());
      const bj::array values = kv.value().is_array() ? kv.value().get_array()
                                                     : bj::array{kv.value()};
      for (const auto& v : values) {
        if (v.is_string()) add(relation, std::string(v.get_string()));
        if (v.is_object()) {
          add(relation, text(v.get_object(), "value"), {}, {}, text(v.get_object(), "data"));
        }
      }
    }
  }
  bj::array take() { return std::move(attributes_); }

 private:
  std::string name_, uuid_;
  std::set<std::string> pattern_values_;
  bj::array attributes_;
};

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

void EventReader::labelled_object(std::string_view name, const bj::object& base,
                                  const bj::object* observed, const bj::object* indicator) {
  std::set<std::string> pattern_values;
  if (indicator != nullptr) {
    if (auto cmps = read_simple_pattern(text(*indicator, "pattern"))) {
      for (const auto& c : *cmps) pattern_values.insert(c.value);
    }
  }
  const std::string uuid(id_uuid(text(base, "id")));
  ObjectBuilder b(name, uuid, pattern_values);
  const auto scos = observed != nullptr ? scos_of(*observed) : std::vector<const bj::object*>{};
  auto sco = [&](std::string_view id) -> const bj::object* { return get(id); };

  if (name == "vulnerability") {
    b.add("id", text(base, "name"));
    if (std::string d = text(base, "description"); !d.empty()) b.add("summary", d);
    if (const bj::array* refs = json::get_array(base, "external_references")) {
      for (const auto& r : *refs) {
        if (r.is_object() && !text(r.get_object(), "url").empty()) {
          b.add("references", text(r.get_object(), "url"));
        }
      }
    }
    b.customs(base);
  }
  for (const bj::object* s : scos) {
    const std::string type = text(*s, "type"), id = text(*s, "id");
    if (id_uuid(id) != uuid) continue;  // per-attribute SCOs are read through their parent
    if (type == "file") {
      if (const bj::object* h = json::get_object(*s, "hashes")) {
        for (const auto& kv : *h) {
          std::string ht(hash_type(kv.key()));
          if (!ht.empty()) b.add(ht, text(*h, kv.key()));
        }
      }
      b.add("filename", text(*s, "name"));
      b.add("size-in-bytes", text(*s, "size"));
      b.add("file-encoding", text(*s, "name_enc"));
      b.add("mimetype", text(*s, "mime_type"));
      b.add("creation-time", text(*s, "ctime"));
      b.add("modification-time", text(*s, "mtime"));
      b.add("access-time", text(*s, "atime"));
      if (const bj::object* dir = sco(text(*s, "parent_directory_ref"))) {
        b.add("path", text(*dir, "path"), text(*dir, "id"));
      }
      if (const bj::object* art = sco(text(*s, "content_ref"))) {
        std::string md5;
        if (const bj::object* h = json::get_object(*art, "hashes")) md5 = text(*h, "MD5");
        std::string value = text(*art, "x_misp_filename");
        if (!md5.empty()) value += "|" + md5;
        b.add("malware-sample", value, text(*art, "id"), "malware-sample",
              text(*art, "payload_bin"));
      }
    } else if (type == "network-traffic") {
      const bool connection = name == "network-connection";
      for (std::string side : {"src", "dst"}) {
        if (const bj::object* ip = sco(text(*s, side + "_ref"))) {
          const std::string rel = connection || side == "src" ? "ip-" + side : "ip";
          b.add(rel, text(*ip, "value"), text(*ip, "id"), "ip-" + side);
        }
        b.add(side + "-port", text(*s, side + "_port"));
      }
      b.add("first-seen", text(*s, "start"));
      b.add("last-seen", text(*s, "end"));
      if (const bj::array* protocols = json::get_array(*s, "protocols")) {
        for (const auto& p : *protocols) {
          if (!p.is_string()) continue;
          const std::string v(p.get_string());
          // The protocol misp-stix adds when the object names none.
          if (protocols->size() == 1 && (connection ? v == "tcp" : v == "ipv4" || v == "ipv6")) {
            continue;
          }
          if (!connection) {
            b.add("protocol", upper(v));
            continue;
          }
          const bool l3 = v == "ip" || v == "ipv4" || v == "ipv6" || v == "icmp" || v == "arp";
          const bool l4 = v == "tcp" || v == "udp" || v == "sctp";
          b.add(l3 ? "layer3-protocol" : l4 ? "layer4-protocol" : "layer7-protocol", upper(v));
        }
      }
    } else if (type == "domain-name") {
      b.add("domain", text(*s, "value"));
    } else if (type == "url") {
      b.add("url", text(*s, "value"));
    }
    if (type == "domain-name" || type == "url" || type == "file" || type == "network-traffic") {
      b.customs(*s);
    }
  }
  // domain-ip: the IPs a domain resolves to; several domains each have their own SCO.
  if (name == "domain-ip") {
    std::set<std::string> ips;
    for (const bj::object* s : scos) {
      const std::string type = text(*s, "type");
      if (type == "domain-name" && id_uuid(text(*s, "id")) != uuid) {
        b.add("domain", text(*s, "value"), text(*s, "id"));
        b.customs(*s);
      }
      if (type == "ipv4-addr" || type == "ipv6-addr") {
        b.add("ip", text(*s, "value"), text(*s, "id"));
      }
    }
  }
  bj::object m;
  m["uuid"] = uuid;
  m["name"] = std::string(name);
  m["meta-category"] = label_value(base, "misp:meta-category");
  m["comment"] = indicator != nullptr ? text(*indicator, "description") : "";
  m["timestamp"] = epoch_text(text(base, "modified"));
  bj::array attrs = b.take();
  for (const auto& a : attrs) attribute_of_[text(base, "id")] = text(a.get_object(), "uuid");
  if (indicator != nullptr && !attrs.empty()) {
    attribute_of_[text(*indicator, "id")] = text(attrs.front().get_object(), "uuid");
  }
  m["Attribute"] = std::move(attrs);
  misp_objects_.emplace_back(std::move(m));
}

}  // namespace atio::convert::misp
