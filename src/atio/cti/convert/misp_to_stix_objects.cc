// MISP objects -> STIX. The templates misp-stix maps and atio needs most
// (file, ip-port, network-connection, domain-ip, url) become observed-data
// with SCOs (plus an indicator of the to_ids attributes, as misp-stix does);
// vulnerability becomes a vulnerability SDO. Object attributes without a
// STIX property are kept as x_misp_<relation> properties. Every other
// template is kept whole as an x-misp-object.
#include <map>

#include "atio/core/json.h"
#include "atio/cti/convert/misp_stix_writer.h"
#include "atio/cti/convert/misp_types.h"
#include "atio/cti/stix/ids.h"

namespace atio::convert::misp {

namespace {

struct Attr {
  const bj::object* misp;
  std::string relation, type, value, uuid;
  bool to_ids;
};

std::vector<Attr> attributes_of(const bj::object& o) {
  std::vector<Attr> out;
  if (const bj::array* attrs = json::get_array(o, "Attribute")) {
    for (const auto& v : *attrs) {
      if (!v.is_object()) continue;
      const bj::object& a = v.get_object();
      out.push_back({&a, text(a, "object_relation"), text(a, "type"), text(a, "value"),
                     attribute_uuid(a), flag(a, "to_ids", default_to_ids(text(a, "type")))});
    }
  }
  return out;
}

std::string custom_key(std::string_view relation) {
  std::string k = "x_misp_";
  for (char c : relation) k += (c == '-' || c == ' ' || c == '.') ? '_' : c;
  return k;
}

// Adds `value` under x_misp_<relation>; a second value makes it a list.
void put_custom(bj::object* o, const Attr& a, bj::value value) {
  bj::value& slot = (*o)[custom_key(a.relation)];
  if (slot.is_null()) {
    slot = std::move(value);
  } else if (slot.is_array() && !value.is_object()) {
    slot.get_array().emplace_back(std::move(value));
  } else {
    slot = bj::array{slot, std::move(value)};
  }
}

bj::object sco(std::string_view type, std::string_view uuid) {
  bj::object o;
  o["type"] = type;
  o["spec_version"] = "2.1";
  o["id"] = std::string(type) + "--" + std::string(uuid);
  return o;
}

std::string ip_type(std::string_view ip) {
  return ip.find(':') != std::string_view::npos ? "ipv6-addr" : "ipv4-addr";
}

std::string cmp(std::string_view path, std::string_view value) {
  return std::string(path) + " = '" + quote(value) + "'";
}

bool number(std::string_view s, std::int64_t* out) {
  if (s.empty() || s.size() > 18) return false;
  std::int64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  *out = n;
  return true;
}

struct Built {
  std::vector<bj::object> scos;  // the main SCO first
  std::vector<std::string> pattern;
};

bool is_datetime(const Attr& a) { return a.type == "datetime"; }

bj::value custom_value(const Attr& a) {
  if (is_datetime(a)) return bj::string(datetime_value(a.value));
  return bj::string(a.value);
}

// network-traffic of ip-port and network-connection objects.
bool network_traffic(const std::string& uuid, const std::vector<Attr>& attrs, bool connection,
                     Built* b) {
  bj::object nt = sco("network-traffic", uuid);
  std::vector<bj::object> ips;
  bj::array protocols;
  auto& pat = b->pattern;
  for (const Attr& a : attrs) {
    std::int64_t port;
    const std::string& r = a.relation;
    std::string side;
    if (r == "ip-src" || r == "src-ip") side = "src";
    if (r == "ip-dst" || r == "dst-ip" || r == "ip") side = "dst";
    if (!side.empty() && !nt.contains(side + "_ref")) {
      bj::object ip = sco(ip_type(a.value), a.uuid);
      ip["value"] = a.value;
      nt[side + "_ref"] = ip.at("id");
      ips.push_back(std::move(ip));
      if (a.to_ids) {
        pat.push_back("(" + cmp("network-traffic:" + side + "_ref.type", ip_type(a.value)) +
                      " AND " + cmp("network-traffic:" + side + "_ref.value", a.value) + ")");
      }
    } else if ((r == "src-port" || r == "dst-port") && number(a.value, &port) &&
               !nt.contains(r.substr(0, 3) + "_port")) {
      nt[r.substr(0, 3) + "_port"] = port;
      if (a.to_ids) pat.push_back(cmp("network-traffic:" + r.substr(0, 3) + "_port", a.value));
    } else if (!connection && (r == "first-seen" || r == "last-seen")) {
      nt[r == "first-seen" ? "start" : "end"] = datetime_value(a.value);
    } else if ((connection && r.size() > 9 && r.substr(r.size() - 9) == "-protocol") ||
               (!connection && r == "protocol")) {
      std::string p;
      for (char c : a.value) p += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      protocols.emplace_back(p);
      if (a.to_ids) pat.push_back(cmp("network-traffic:protocols[*]", p));
    } else {
      put_custom(&nt, a, custom_value(a));
      const bool host = r == "domain" || r == "hostname" || r == "hostname-dst" ||
                        r == "hostname-src";
      if (a.to_ids && host) {
        const std::string s = r == "hostname-src" ? "src" : "dst";
        pat.push_back("(" + cmp("network-traffic:" + s + "_ref.type", "domain-name") + " AND " +
                      cmp("network-traffic:" + s + "_ref.value", a.value) + ")");
      } else if (a.to_ids) {
        pat.push_back(cmp("network-traffic:" + custom_key(r), a.value));
      }
    }
  }
  if (protocols.empty()) {
    // misp-stix: ip-port names the IP version, network-connection assumes tcp.
    if (connection || ips.empty()) {
      protocols.emplace_back("tcp");
    } else {
      protocols.emplace_back(ips.front().at("type").as_string() == "ipv6-addr" ? "ipv6" : "ipv4");
    }
  }
  nt["protocols"] = std::move(protocols);
  b->scos.push_back(std::move(nt));
  for (auto& ip : ips) b->scos.push_back(std::move(ip));
  return true;
}

bool file_object(const std::string& uuid, const std::vector<Attr>& attrs, Built* b) {
  bj::object f = sco("file", uuid), hashes;
  std::vector<std::string> hash_pat, other_pat, content_pat;
  bj::object dir, art;
  for (const Attr& a : attrs) {
    const std::string& r = a.relation;
    std::string_view key = hash_key(r);
    std::int64_t size;
    if (!key.empty() && !hashes.contains(key) && valid_hash(key, a.value)) {
      hashes[key] = a.value;
      if (a.to_ids) hash_pat.push_back(cmp("file:hashes." + hash_path(key), a.value));
    } else if (r == "filename" && !f.contains("name")) {
      f["name"] = a.value;
      if (a.to_ids) other_pat.push_back(cmp("file:name", a.value));
    } else if (r == "size-in-bytes" && number(a.value, &size) && !f.contains("size")) {
      f["size"] = size;
      if (a.to_ids) other_pat.push_back(cmp("file:size", a.value));
    } else if (r == "file-encoding" && !f.contains("name_enc")) {
      f["name_enc"] = a.value;
    } else if (r == "mimetype" && !f.contains("mime_type")) {
      f["mime_type"] = a.value;
    } else if ((r == "creation-time" || r == "modification-time" || r == "access-time") &&
               !f.contains(std::string(1, r[0]) + "time")) {
      f[std::string(1, r[0]) + "time"] = datetime_value(a.value);  // ctime, mtime, atime
    } else if (r == "path" && dir.empty()) {
      dir = sco("directory", a.uuid);
      dir["path"] = a.value;
      f["parent_directory_ref"] = dir.at("id");
      if (a.to_ids) other_pat.push_back(cmp("file:parent_directory_ref.path", a.value));
    } else if (r == "malware-sample" && art.empty() && !text(*a.misp, "data").empty()) {
      const std::string data = text(*a.misp, "data");
      std::string name, md5;
      art = sco("artifact", a.uuid);
      art["mime_type"] = "application/zip";
      art["payload_bin"] = data;
      content_pat.push_back(cmp("file:content_ref.payload_bin", data));
      if (split_composite(a.value, &name, &md5)) {
        art["hashes"] = bj::object{{"MD5", md5}};
        art["x_misp_filename"] = name;
        content_pat.push_back(cmp("file:content_ref.x_misp_filename", name));
        content_pat.push_back(cmp("file:content_ref.hashes.MD5", md5));
      } else {
        art["x_misp_filename"] = a.value;
      }
      art["encryption_algorithm"] = "mime-type-indicated";
      art["decryption_key"] = "infected";
      content_pat.push_back(cmp("file:content_ref.mime_type", "application/zip"));
      content_pat.push_back(cmp("file:content_ref.encryption_algorithm", "mime-type-indicated"));
      content_pat.push_back(cmp("file:content_ref.decryption_key", "infected"));
      f["content_ref"] = art.at("id");
      if (!a.to_ids) content_pat.clear();
    } else if (r == "attachment" && !text(*a.misp, "data").empty()) {
      put_custom(&f, a, bj::object{{"value", a.value}, {"data", text(*a.misp, "data")}});
    } else {
      put_custom(&f, a, custom_value(a));
      if (a.to_ids) other_pat.push_back(cmp("file:" + custom_key(r), a.value));
    }
  }
  if (!hashes.empty()) f["hashes"] = std::move(hashes);
  b->pattern = hash_pat;
  b->pattern.insert(b->pattern.end(), other_pat.begin(), other_pat.end());
  if (!content_pat.empty()) {
    std::string group = "(";
    for (std::size_t i = 0; i < content_pat.size(); ++i) {
      group += (i > 0 ? " AND " : "") + content_pat[i];
    }
    b->pattern.push_back(group + ")");
  }
  b->scos.push_back(std::move(f));
  if (!dir.empty()) b->scos.push_back(std::move(dir));
  if (!art.empty()) b->scos.push_back(std::move(art));
  return true;
}

// A domain-ip object with several domains: misp-stix gives each domain its
// own domain-name (id from the attribute), resolving to every IP.
bool domains_ips(const std::vector<Attr>& attrs, Built* b) {
  std::vector<bj::object> ips, domains;
  bj::array resolves;
  std::vector<std::string> ip_pat, domain_pat;
  for (const Attr& a : attrs) {
    if (a.relation != "ip") continue;
    bj::object ip = sco(ip_type(a.value), a.uuid);
    ip["value"] = a.value;
    resolves.emplace_back(ip.at("id"));
    ips.push_back(std::move(ip));
    if (a.to_ids) ip_pat.push_back(cmp("domain-name:resolves_to_refs[*].value", a.value));
  }
  for (const Attr& a : attrs) {
    if (a.relation != "domain") continue;
    bj::object d = sco("domain-name", a.uuid);
    d["value"] = a.value;
    if (!resolves.empty()) d["resolves_to_refs"] = resolves;
    domains.push_back(std::move(d));
    if (a.to_ids) domain_pat.push_back(cmp("domain-name:value", a.value));
  }
  for (const Attr& a : attrs) {  // the caller saw more than one domain
    if (a.relation != "domain" && a.relation != "ip") {
      put_custom(&domains.front(), a, custom_value(a));
    }
  }
  // One domain-name has one value: any of the domains, resolving to any IP.
  for (const auto* group : {&domain_pat, &ip_pat}) {
    if (group->empty()) continue;
    std::string any;
    for (const auto& c : *group) any += (any.empty() ? "" : " OR ") + c;
    b->pattern.push_back(group->size() > 1 ? "(" + any + ")" : any);
  }
  for (auto& ip : ips) b->scos.push_back(std::move(ip));
  for (auto& d : domains) b->scos.push_back(std::move(d));
  return true;
}

bool domain_ip_object(const std::string& uuid, const std::vector<Attr>& attrs, Built* b) {
  int domains = 0;
  for (const Attr& a : attrs) domains += a.relation == "domain" ? 1 : 0;
  if (domains > 1) return domains_ips(attrs, b);
  bj::object d = sco("domain-name", uuid);
  bj::array resolves;
  std::vector<bj::object> ips;
  std::vector<std::string> ip_pat;
  for (const Attr& a : attrs) {
    if ((a.relation == "domain" || a.relation == "hostname") && !d.contains("value")) {
      d["value"] = a.value;
      if (a.to_ids) b->pattern.push_back(cmp("domain-name:value", a.value));
    } else if (a.relation == "ip") {
      bj::object ip = sco(ip_type(a.value), a.uuid);
      ip["value"] = a.value;
      resolves.emplace_back(ip.at("id"));
      ips.push_back(std::move(ip));
      if (a.to_ids) ip_pat.push_back(cmp("domain-name:resolves_to_refs[*].value", a.value));
    } else {
      put_custom(&d, a, custom_value(a));
      if (a.to_ids) b->pattern.push_back(cmp("domain-name:" + custom_key(a.relation), a.value));
    }
  }
  if (!d.contains("value")) return false;
  if (!resolves.empty()) d["resolves_to_refs"] = std::move(resolves);
  b->pattern.insert(b->pattern.end(), ip_pat.begin(), ip_pat.end());
  b->scos.push_back(std::move(d));
  for (auto& ip : ips) b->scos.push_back(std::move(ip));
  return true;
}

bool url_object(const std::string& uuid, const std::vector<Attr>& attrs, Built* b) {
  bj::object u = sco("url", uuid);
  for (const Attr& a : attrs) {
    if (a.relation == "url" && !u.contains("value")) {
      u["value"] = a.value;
      if (a.to_ids) b->pattern.push_back(cmp("url:value", a.value));
    } else {
      put_custom(&u, a, custom_value(a));
      if (a.to_ids) b->pattern.push_back(cmp("url:" + custom_key(a.relation), a.value));
    }
  }
  if (!u.contains("value")) return false;
  b->scos.push_back(std::move(u));
  return true;
}

bj::array object_labels(const bj::object& o) {
  std::string name = text(o, "name");
  for (char& c : name) c = c == '|' ? '-' : c;
  return bj::array{"misp:name=\"" + name + "\"",
                   "misp:meta-category=\"" + text(o, "meta-category") + "\""};
}

std::string object_uuid(const bj::object& o) {
  std::string uuid = text(o, "uuid");
  if (!uuid.empty()) return uuid;
  std::string seed = text(o, "name");
  for (const Attr& a : attributes_of(o)) seed += "|" + a.relation + "=" + a.value;
  return stix::uuid_v5(kMispNamespace, seed);
}

}  // namespace

void StixWriter::custom_object(const bj::object& o) {
  bj::object c = sdo("x-misp-object", object_uuid(o), timestamp_of(o));
  c["labels"] = object_labels(o);
  c["x_misp_name"] = text(o, "name");
  if (std::string m = text(o, "meta-category"); !m.empty()) c["x_misp_meta_category"] = m;
  if (std::string m = text(o, "comment"); !m.empty()) c["x_misp_comment"] = m;
  bj::array attrs;
  for (const Attr& a : attributes_of(o)) {
    // The value as MISP wrote it (some templates hold booleans or numbers).
    bj::object x{{"type", a.type}, {"object_relation", a.relation},
                 {"value", a.misp->contains("value") ? a.misp->at("value") : bj::value("")},
                 {"uuid", a.uuid}, {"to_ids", a.to_ids}};
    for (std::string_view key : {"category", "comment", "data"}) {
      if (std::string v = text(*a.misp, key); !v.empty()) x[key] = v;
    }
    attrs.emplace_back(std::move(x));
  }
  c["x_misp_attributes"] = std::move(attrs);
  std::set<std::string> galaxy_tags;
  for (const Attr& a : attributes_of(o)) apply_tags(*a.misp, &c, galaxy_tags);
  const std::string id(c.at("id").as_string());
  add(std::move(c));
  for (const Attr& a : attributes_of(o)) {
    note_ids(*a.misp, {id});
    if (const bj::array* s = json::get_array(*a.misp, "Sighting")) sightings(*s, {id});
  }
}

void StixWriter::object(const bj::object& o) {
  const std::string name = text(o, "name"), uuid = object_uuid(o);
  const std::vector<Attr> attrs = attributes_of(o);
  const bj::array labels = object_labels(o);
  std::vector<std::string> ids;

  if (name == "vulnerability") {
    bj::object v = sdo("vulnerability", uuid, timestamp_of(o));
    bj::array refs;
    for (const Attr& a : attrs) {
      if (a.relation == "id" && !v.contains("name")) {
        v["name"] = a.value;
        refs.emplace_back(bj::object{{"source_name", "cve"}, {"external_id", a.value}});
      } else if ((a.relation == "summary" || a.relation == "description") &&
                 !v.contains("description")) {
        v["description"] = a.value;
      } else if (a.relation == "references") {
        refs.emplace_back(bj::object{{"source_name", "url"}, {"url", a.value}});
      } else {
        put_custom(&v, a, custom_value(a));
      }
    }
    if (!v.contains("name")) v["name"] = text(o, "comment").empty() ? uuid : text(o, "comment");
    v["labels"] = labels;
    if (!refs.empty()) v["external_references"] = std::move(refs);
    std::set<std::string> galaxy_tags;
    for (const Attr& a : attrs) apply_tags(*a.misp, &v, galaxy_tags);
    ids.emplace_back(v.at("id").as_string());
    add(std::move(v));
  } else {
    Built b;
    bool ok = false;
    if (name == "file") ok = file_object(uuid, attrs, &b);
    if (name == "ip-port") ok = network_traffic(uuid, attrs, false, &b);
    if (name == "network-connection") ok = network_traffic(uuid, attrs, true, &b);
    if (name == "domain-ip") ok = domain_ip_object(uuid, attrs, &b);
    if (name == "url") ok = url_object(uuid, attrs, &b);
    if (!ok) return custom_object(o);

    std::vector<std::string> refs;
    for (const auto& s : b.scos) refs.emplace_back(s.at("id").as_string());
    bj::object misp_like = o;  // observed_data/indicator read uuid and timestamp
    misp_like["uuid"] = uuid;
    bj::object od = observed_data(misp_like, labels, refs);
    std::set<std::string> galaxy_tags;
    for (const Attr& a : attrs) apply_tags(*a.misp, &od, galaxy_tags);
    ids.emplace_back(od.at("id").as_string());
    const bool to_ids = !b.pattern.empty();
    bj::object ind, rel;
    if (to_ids) {
      std::string p = "[";
      for (std::size_t i = 0; i < b.pattern.size(); ++i) p += (i ? " AND " : "") + b.pattern[i];
      misp_like.erase("first_seen");
      ind = indicator(misp_like, labels, p + "]", "stix", text(o, "meta-category"));
      for (const Attr& a : attrs) apply_tags(*a.misp, &ind, galaxy_tags);
      ids.emplace_back(ind.at("id").as_string());
      rel = based_on(ind, od);
    }
    add(std::move(od));
    for (auto& s : b.scos) add(std::move(s));
    if (to_ids) {
      add(std::move(ind));
      add(std::move(rel));
    }
  }
  for (const Attr& a : attrs) {
    note_ids(*a.misp, ids);
    if (const bj::array* s = json::get_array(*a.misp, "Sighting")) sightings(*s, ids);
  }
}

}  // namespace atio::convert::misp
