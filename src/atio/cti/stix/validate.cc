// Documents: a bundle, a single object, or a bare list of objects, and the
// checks that look across the objects of one document.
#include "atio/cti/stix/validate.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "atio/core/json.h"
#include "atio/cti/stix/validate_check.h"

namespace atio::stix {

namespace {

using namespace check;
using SV = std::string_view;

// Finds ids among the objects of a document: collected once, sorted only
// for big documents.
class IdIndex {
 public:
  explicit IdIndex(const bj::array& objects) {
    ids_.reserve(objects.size());
    for (const auto& o : objects) ids_.push_back(id_of(o));
    if (ids_.size() > 64) std::sort(ids_.begin(), ids_.end());
  }

  bool contains(SV id) const {
    if (ids_.size() <= 64) return std::find(ids_.begin(), ids_.end(), id) != ids_.end();
    return std::binary_search(ids_.begin(), ids_.end(), id);
  }

 private:
  static SV id_of(const bj::value& v) {
    if (!v.is_object()) return {};
    const auto* id = json::get_string(v.get_object(), "id");
    return id ? SV(*id) : SV();
  }
  std::vector<SV> ids_;
};

// An observation travels with what was observed: observed-data object_refs
// should resolve inside the document.
void check_across(const bj::array& objects, SV base, Validation* out) {
  std::optional<IdIndex> index;  // only when there is observed-data
  for (std::size_t i = 0; i < objects.size(); ++i) {
    if (!objects[i].is_object()) continue;
    const auto& o = objects[i].get_object();
    const auto* type = json::get_string(o, "type");
    if (type == nullptr || *type != "observed-data") continue;
    const auto* refs = json::get_array(o, "object_refs");
    if (refs == nullptr) continue;
    for (std::size_t j = 0; j < refs->size(); ++j) {
      if (!index) index.emplace(objects);
      if (!(*refs)[j].is_string() || index->contains((*refs)[j].get_string())) continue;
      Ctx ctx(out, base);
      ctx.warning(Path() / i / "object_refs" / j, "spec.observed-ref",
                  "observed-data object_refs entry is not in the bundle");
    }
  }
}

void validate_objects(const bj::array& objects, SV base, Validation* out) {
  const Path top;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    if (objects[i].is_object()) {
      validate_object_at(objects[i].get_object(), base, top / i, out);
    } else {
      Ctx(out, base).error(top / i, "schema.type", "a STIX object must be a JSON object");
    }
  }
  check_across(objects, base, out);
}

void identifier_of_bundle(const bj::value& v, const Path& at, Ctx& ctx) {
  SV type;
  if (!v.is_string()) {
    ctx.error(at, "schema.type", "identifier must be a string");
  } else if (!parse_identifier(v.get_string(), &type)) {
    ctx.error(at, "schema.identifier", "not a STIX identifier (type--UUID)");
  } else if (type != "bundle") {
    ctx.error(at, "schema.id-type", "a bundle id starts with bundle--");
  }
}

void bundle_objects(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_array()) {
    ctx.error(at, "schema.type", "objects must be a list");
  } else if (v.get_array().empty()) {
    ctx.error(at, "schema.min-items", "objects must not be empty");
  }
}

constexpr Prop kBundle[] = {
    {"type", any, kRequired},
    {"id", identifier_of_bundle, kRequired},
    {"objects", bundle_objects},
};

}  // namespace

std::size_t Validation::errors() const {
  return static_cast<std::size_t>(
      std::count_if(problems.begin(), problems.end(),
                    [](const auto& p) { return p.severity == Problem::Severity::kError; }));
}

std::size_t Validation::warnings() const { return problems.size() - errors(); }

Validation validate(const bj::value& document) {
  Validation out;
  if (document.is_array()) {
    validate_objects(document.get_array(), "", &out);
  } else if (document.is_object()) {
    const auto& o = document.get_object();
    const auto* type = json::get_string(o, "type");
    if (type != nullptr && *type == "bundle") {
      Ctx ctx(&out, "");
      check_members(o, kBundle, Path(), ctx);
      if (const auto* objects = json::get_array(o, "objects")) {
        validate_objects(*objects, "/objects", &out);
      }
    } else {
      validate_object(o, "", &out);
    }
  } else {
    out.problems.push_back({Problem::Severity::kError, "",
                            "a STIX document is a bundle, an object or a list of objects",
                            "schema.type"});
  }
  return out;
}

Validation validate_json(std::string_view text) {
  json::ParseLimits limits;
  limits.max_bytes = std::max(limits.max_bytes, text.size());
  auto parsed = json::parse(text, limits);
  if (!parsed.is_ok()) {
    Validation out;
    out.problems.push_back(
        {Problem::Severity::kError, "", parsed.status().to_string(), "json.syntax"});
    return out;
  }
  return validate(*parsed);
}

}  // namespace atio::stix
