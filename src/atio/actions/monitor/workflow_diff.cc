#include "atio/actions/monitor/workflow_diff.h"

#include <sodium.h>

#include <map>

#include "atio/audit/export.h"
#include "atio/audit/json_diff.h"
#include "atio/cti/stix/jcs.h"

namespace atio::actions {

namespace {

std::string hex_sha256(const std::string& data) {
  unsigned char d[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(d, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * sizeof d, '0');
  for (std::size_t i = 0; i < sizeof d; ++i) {
    out[2 * i] = kDigits[d[i] >> 4];
    out[2 * i + 1] = kDigits[d[i] & 15];
  }
  return out;
}

std::string text(const bj::object& o, const char* key) {
  const bj::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::int64_t number(const bj::object& o, const char* key) {
  const bj::value* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
  if (v->is_double()) return static_cast<std::int64_t>(v->as_double());
  return 0;
}

bj::object event(const std::string& kind, const std::string& id, const std::string& name,
                 const std::string& actor, std::int64_t time_ms, std::int64_t now_ms) {
  return bj::object{{"kind", kind},
                    {"id", id},
                    {"name", name},
                    {"actor", actor.empty() ? "unknown" : actor},
                    {"time", audit::rfc3339_ms(time_ms)},
                    {"time_ms", time_ms},
                    {"detected_at", audit::rfc3339_ms(now_ms)}};
}

}  // namespace

bj::object workflow_content(const bj::object& w) {
  bj::object c;
  for (const char* key : {"name", "description", "actions", "branches", "workflow_variables",
                          "configuration"}) {
    if (const bj::value* v = w.if_contains(key); v && !v->is_null()) c[key] = *v;
  }
  if (const bj::value* t = w.if_contains("triggers"); t && t->is_array()) {
    bj::array triggers;
    for (const auto& trig : t->as_array()) {
      if (!trig.is_object()) {
        triggers.push_back(trig);
        continue;
      }
      bj::object copy = trig.as_object();
      copy.erase("status");
      triggers.push_back(std::move(copy));
    }
    c["triggers"] = std::move(triggers);
  }
  return c;
}

std::string workflow_hash(const bj::object& workflow) {
  return hex_sha256(stix::canonicalize(bj::value(workflow_content(workflow))));
}

WorkflowComparison compare_workflows(const bj::array* previous, const bj::array& workflows,
                                     std::int64_t now_ms) {
  WorkflowComparison out;
  const bool baseline = previous == nullptr;
  std::map<std::string, const bj::object*> before;
  static const bj::array kNone;
  const bj::array& prev = previous ? *previous : kNone;
  for (const auto& p : prev) {
    if (p.is_object()) before[text(p.as_object(), "id")] = &p.as_object();
  }
  std::map<std::string, bool> seen;
  for (const auto& wv : workflows) {
    if (!wv.is_object()) continue;
    const bj::object& w = wv.as_object();
    const std::string id = text(w, "id");
    if (id.empty() || seen.count(id)) continue;
    seen[id] = true;
    const std::string name = text(w, "name");
    const std::string updated_by = text(w, "updated_by");
    const std::int64_t edited = number(w, "edited");
    bj::object content = workflow_content(w);
    const std::string hash = workflow_hash(w);
    const std::int64_t edited_ms = edited > 0 ? edited * 1000 : now_ms;
    auto it = before.find(id);
    if (it == before.end()) {
      if (!baseline) {
        bj::object e = event("creation", id, name, updated_by, edited_ms, now_ms);
        e["hash_after"] = hash;
        out.created.push_back(std::move(e));
      }
    } else if (text(*it->second, "hash") != hash) {
      bj::object e = event("modification", id, name, updated_by, edited_ms, now_ms);
      e["hash_before"] = text(*it->second, "hash");
      e["hash_after"] = hash;
      const bj::value* old = it->second->if_contains("content");
      e["changes"] = audit::json_diff(old ? *old : bj::value(bj::object()), bj::value(content),
                                      audit::DiffLimits{1000, 4096});
      out.modified.push_back(std::move(e));
    }
    bj::object data{{"id", id}, {"name", name}, {"hash", hash}, {"edited", edited},
                    {"updated_by", updated_by}};
    out.workflow_data.push_back(data);
    data["content"] = std::move(content);
    out.state.push_back(std::move(data));
  }
  for (const auto& [id, p] : before) {
    if (seen.count(id)) continue;
    bj::object e = event("deletion", id, text(*p, "name"), "", now_ms, now_ms);
    e["hash_before"] = text(*p, "hash");
    out.deleted.push_back(std::move(e));
  }
  return out;
}

bj::object workflow_notification(const WorkflowComparison& c) {
  return bj::object{{"notification", bj::object{{"CreationEvents", c.created},
                                                {"ModificationEvents", c.modified},
                                                {"DeletionEvents", c.deleted}}},
                    {"workflow_data", c.workflow_data}};
}

}  // namespace atio::actions
