// One STIX object: dispatch on its type, the common properties (core.json,
// cyber-observable-core.json), custom properties and reserved names.
#include <array>
#include <memory>
#include <unordered_map>

#include "atio/core/json.h"
#include "atio/cti/stix/validate_check.h"

namespace atio::stix::check {

namespace {

using SV = std::string_view;

bool is_identity(SV t) { return t == "identity"; }
bool is_marking(SV t) { return t == "marking-definition"; }
constexpr RefRule kCreatedBy{nullptr, is_identity, "an identity"};
constexpr RefRule kMarking{nullptr, is_marking, "a marking-definition"};

constexpr SV kSpecVersions[] = {"2.0", "2.1"};
const Vocab kSpecVersionEnum{"the STIX versions 2.0 and 2.1", kSpecVersions, true};

void spec_version(const bj::value& v, const Path& at, Ctx& ctx) {
  check_vocab(v, at, ctx, kSpecVersionEnum);
  if (v.is_string() && v.get_string() == "2.0") {
    ctx.warning(at, "spec.spec-version", "a STIX 2.1 object has spec_version 2.1");
  }
}

// The id: an identifier whose type part is the object's type.
void id_property(const bj::value& v, const Path& at, Ctx& ctx) {
  SV type;
  if (!v.is_string()) {
    ctx.error(at, "schema.type", "identifier must be a string");
  } else if (!parse_identifier(v.get_string(), &type)) {
    ctx.error(at, "schema.identifier",
              cat({"'", v.get_string(), "' is not a STIX identifier (type--UUID)"}));
  } else if (type != ctx.type) {
    ctx.error(at, ctx.custom ? "spec.id-type" : "schema.id-type",
              cat({"id must start with '", ctx.type, "--'"}));
  }
}

constexpr Prop kCore[] = {
    {"type", any, kRequired},
    {"spec_version", spec_version, kRequired},
    {"id", id_property, kRequired},
    {"created_by_ref", id_ref<&kCreatedBy>},
    {"labels", string_list_min1},
    {"created", timestamp_ms, kRequired},
    {"modified", timestamp_ms, kRequired},
    {"revoked", boolean},
    {"confidence", integer_in<0, 100>},
    {"lang", string},
    {"external_references", external_references},
    {"object_marking_refs", id_refs<&kMarking>},
    {"granular_markings", granular_markings},
    {"extensions", extensions},
};

constexpr Prop kObservable[] = {
    {"type", any, kRequired},
    {"spec_version", spec_version},
    {"id", id_property, kRequired},
    {"object_marking_refs", id_refs<&kMarking>},
    {"granular_markings", granular_markings},
    {"defanged", boolean},
    {"extensions", extensions},
};

// Custom types: the common properties of either kind; only type and id are
// known to be required.
constexpr Prop kCustom[] = {
    {"type", any, kRequired},
    {"spec_version", spec_version},
    {"id", id_property, kRequired},
    {"created_by_ref", id_ref<&kCreatedBy>},
    {"labels", string_list_min1},
    {"created", timestamp_ms},
    {"modified", timestamp_ms},
    {"revoked", boolean},
    {"confidence", integer_in<0, 100>},
    {"lang", string},
    {"external_references", external_references},
    {"object_marking_refs", id_refs<&kMarking>},
    {"granular_markings", granular_markings},
    {"defanged", boolean},
    {"extensions", extensions},
};

bool reserved(SV key) {
  return key == "severity" || key == "action" || key == "username" || key == "phone_numbers";
}

void require(std::span<const Prop> props, std::uint64_t seen, const Path& at, Ctx& ctx) {
  for (std::size_t i = 0; i < props.size(); ++i) {
    if ((props[i].flags & kRequired) && !(seen & (std::uint64_t{1} << i))) {
      ctx.error(at, "schema.required", cat({"required property '", props[i].name, "' is missing"}));
    }
  }
}

// Where each property name of an object type's two tables (its own and the
// common ones) is: one hashed probe per member instead of a scan of both
// tables, since objects are validated on every converter's hot path. A name
// in both tables is found in its own table, as a scan of own then common
// would find it.
class PropIndex {
 public:
  struct Hit {
    int table = -1;  // 0: own, 1: common, -1: in neither
    int index = -1;
  };

  PropIndex(std::span<const Prop> own, std::span<const Prop> common) : own_(own), common_(common) {
    slots_.fill(kEmpty);
    add(own, 0);
    add(common, 1);
  }

  Hit find(SV key) const {
    if (key.empty()) return {};
    for (std::size_t h = hash(key);; h = (h + 1) & kMask) {
      const std::uint16_t slot = slots_[h];
      if (slot == kEmpty) return {};
      const int table = slot >> 8, index = slot & 0xFF;
      if ((table == 0 ? own_ : common_)[static_cast<std::size_t>(index)].name == key) {
        return {table, index};
      }
    }
  }

 private:
  static constexpr std::size_t kSize = 256, kMask = kSize - 1;
  static constexpr std::uint16_t kEmpty = 0xFFFF;

  static std::size_t hash(SV k) {
    const auto at = [&](std::size_t i) { return static_cast<std::size_t>(static_cast<unsigned char>(k[i])); };
    return (k.size() * 31 + at(0) * 7 + at(k.size() / 2) * 17 + at(k.size() - 1) * 131) & kMask;
  }

  void add(std::span<const Prop> props, int table) {
    for (std::size_t i = 0; i < props.size(); ++i) {
      if (find(props[i].name).table >= 0) continue;  // the first one wins
      std::size_t h = hash(props[i].name);
      while (slots_[h] != kEmpty) h = (h + 1) & kMask;
      slots_[h] = static_cast<std::uint16_t>((table << 8) | static_cast<int>(i));
    }
  }

  std::span<const Prop> own_, common_;
  std::array<std::uint16_t, kSize> slots_;
};

// The index of a type's tables (`rules` nullptr: custom types), built on a
// thread's first object of that type.
const PropIndex& index_for(const TypeRules* rules, std::span<const Prop> own,
                           std::span<const Prop> common) {
  thread_local std::unordered_map<const TypeRules*, std::unique_ptr<PropIndex>> indexes;
  auto& slot = indexes[rules];
  if (!slot) slot = std::make_unique<PropIndex>(own, common);
  return *slot;
}

}  // namespace

std::span<const Prop> core_props() { return kCore; }
std::span<const Prop> observable_props() { return kObservable; }

void check_object_body(const bj::object& o, const TypeRules* rules, const Path& at, Ctx& ctx) {
  std::span<const Prop> own;
  std::span<const Prop> common = kCustom;
  bool schema_props = true;  // properties.json applies
  if (rules != nullptr) {
    own = rules->props;
    switch (rules->base) {
      case Base::kCore:
        common = kCore;
        break;
      case Base::kObservable:
        common = kObservable;
        break;
      case Base::kOwn:
        common = {};
        schema_props = false;
        break;
    }
  }
  std::uint64_t seen_own = 0, seen_common = 0;
  int toplevel_extension = -1;  // unknown until a custom property needs it
  const bj::value* created = nullptr;
  const bj::value* modified = nullptr;
  const PropIndex& index = index_for(rules, own, common);
  for (const auto& kv : o) {
    const SV key = kv.key();
    const Path child = at / key;
    const PropIndex::Hit hit = index.find(key);
    const int i = hit.table == 0 ? hit.index : -1;
    const int j = hit.table == 1 ? hit.index : -1;
    if (i >= 0) seen_own |= std::uint64_t{1} << i;
    if (j >= 0) seen_common |= std::uint64_t{1} << j;
    if (key == "created") created = &kv.value();
    if (key == "modified") modified = &kv.value();
    // Without properties.json (marking-definition) null and [] are the
    // text's rules, and the property's own schema still judges the value.
    if (!check_present_value(kv.value(), child, ctx, schema_props) && schema_props) continue;
    if (i >= 0) {
      own[i].check(kv.value(), child, ctx);
      continue;
    }
    if (j >= 0) {
      common[j].check(kv.value(), child, ctx);
      continue;
    }
    if (reserved(key)) {
      ctx.error(child, schema_props ? "schema.reserved" : "spec.reserved",
                cat({"'", key, "' is a reserved property name"}));
      continue;
    }
    check_custom_member(key, kv.value(), child, ctx, schema_props);
    if (rules != nullptr && !ctx.embedded && !starts_with(key, "x_")) {
      if (toplevel_extension < 0) toplevel_extension = has_toplevel_property_extension(o);
      if (!toplevel_extension) {
        ctx.warning(child, "spec.custom-prefix",
                    cat({"custom property '", key, "' should start with x_"}));
      }
    }
  }
  require(own, seen_own, at, ctx);
  require(common, seen_common, at, ctx);
  if (created != nullptr && modified != nullptr) {
    check_order(*created, *modified, "created", "modified", false, at, ctx);
  }
  if (rules != nullptr && rules->extra != nullptr) rules->extra(o, at, ctx);
}

}  // namespace atio::stix::check

namespace atio::stix {

namespace check {

void validate_object_at(const bj::object& object, std::string_view base, const Path& root,
                        Validation* out) {
  Ctx ctx(out, base);
  const TypeRules* rules = nullptr;
  const auto t = object.find("type");
  if (t != object.end() && t->value().is_string()) {
    const SV type = t->value().get_string();
    ctx.type = type;
    rules = find_sdo_rules(type);
    if (rules == nullptr) rules = find_sco_rules(type);
    if (rules == nullptr) rules = find_meta_rules(type);
    if (type == "bundle") {
      ctx.error(root / "type", "spec.nested-bundle", "a bundle cannot be an object of a bundle");
    } else if (rules == nullptr) {
      check_type_name(type, root / "type", ctx);
    }
  } else if (t != object.end()) {
    ctx.error(root / "type", "schema.type", "type must be a string");
  }
  ctx.custom = rules == nullptr;
  check_object_body(object, rules, root, ctx);
}

}  // namespace check

void validate_object(const boost::json::object& object, std::string_view pointer, Validation* out) {
  check::validate_object_at(object, pointer, check::Path(), out);
}

}  // namespace atio::stix
