// STIX Meta Objects: marking-definition (common/marking-definition.json, which
// stands alone: no core.json, no properties.json), language-content and
// extension-definition.
#include "atio/core/json.h"
#include "atio/cti/stix/validate_check.h"

namespace atio::stix::check {

namespace {

using SV = std::string_view;

bool is_identity(SV t) { return t == "identity"; }
bool is_marking(SV t) { return t == "marking-definition"; }
bool not_bundle_or_language(SV t) { return t != "bundle" && t != "language-content"; }

constexpr RefRule kIdentity{nullptr, is_identity, "an identity"};
constexpr RefRule kMarking{is_marking, nullptr, "a marking-definition"};
constexpr RefRule kTranslatable{not_bundle_or_language, nullptr,
                                "an object other than a bundle or a language-content"};

constexpr SV kSpecVersions[] = {"2.0", "2.1"};
const Vocab kSpecVersionEnum{"spec versions", kSpecVersions, true};

// marking-definition "extensions": extension-definition ids only.
void marking_extensions(const bj::value& v, const Path& at, Ctx& ctx) {
  if (!v.is_object()) {
    ctx.error(at, "schema.type", "extensions must be an object");
    return;
  }
  const auto& o = v.get_object();
  if (o.empty()) ctx.error(at, "schema.min-properties", "extensions must not be empty");
  for (const auto& kv : o) {
    if (extension_definition_id(kv.key())) {
      extension_object(kv.value(), at / kv.key(), ctx);
    } else {
      ctx.error(at / kv.key(), "schema.extension-name",
                "a marking-definition extension must be named by an extension-definition id");
    }
  }
}

constexpr Prop kMarkingProps[] = {
    {"type", any},
    {"spec_version", vocab<&kSpecVersionEnum>},
    {"id", any},  // depends on the branch: see marking_extra
    {"created_by_ref", id_ref<&kIdentity>},
    {"created", timestamp},
    {"external_references", external_references},
    {"object_marking_refs", id_refs<&kMarking>},
    {"granular_markings", granular_markings},
    {"extensions", marking_extensions},
    {"name", string},
    {"definition_type", any},
    {"definition", any},
};

struct Tlp {
  SV id, name, level;
};
constexpr Tlp kTlp[] = {
    {"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", "TLP:WHITE", "white"},
    {"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "TLP:GREEN", "green"},
    {"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", "TLP:AMBER", "amber"},
    {"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", "TLP:RED", "red"},
};

void require(const bj::object& o, std::initializer_list<SV> names, const Path& at, Ctx& ctx) {
  for (SV n : names) {
    if (!o.contains(n))
      ctx.error(at, "schema.required", cat({"required property '", n, "' is missing"}));
  }
}

// The TLP branch: exactly the four marking-definitions of the spec (7.2.1.4).
void tlp_marking(const bj::object& o, const Path& at, Ctx& ctx) {
  static constexpr SV kAllowed[] = {"type",    "id",         "spec_version",   "name",
                                    "created", "definition", "definition_type"};
  for (const auto& kv : o) {
    bool allowed = false;
    for (SV a : kAllowed) allowed = allowed || kv.key() == a;
    if (!allowed) {
      ctx.error(at / kv.key(), "schema.additional-property",
                cat({"a TLP marking-definition has no property '", kv.key(), "'"}));
    }
  }
  require(o, {"id", "spec_version", "created", "name", "definition"}, at, ctx);
  const auto* sv = json::get_string(o, "spec_version");
  if (sv && *sv != "2.1") ctx.error(at / "spec_version", "schema.enum", "must be 2.1");
  const auto* created = json::get_string(o, "created");
  if (created && *created != "2017-01-20T00:00:00.000Z") {
    ctx.error(at / "created", "schema.tlp", "TLP markings were created 2017-01-20T00:00:00.000Z");
  }
  const auto* id = json::get_string(o, "id");
  const auto* name = json::get_string(o, "name");
  const auto def = o.find("definition");
  if (def != o.end() && !def->value().is_object()) {
    ctx.error(at / "definition", "schema.type", "definition must be an object");
  }
  if (o.contains("id") && !id) ctx.error(at / "id", "schema.type", "value must be a string");
  if (o.contains("name") && !name) ctx.error(at / "name", "schema.type", "value must be a string");
  if (!id || !name) return;
  const bj::string* level = nullptr;
  bool level_present = false;
  if (def != o.end() && def->value().is_object()) {
    level_present = def->value().get_object().contains("tlp");
    level = json::get_string(def->value().get_object(), "tlp");
  }
  for (const Tlp& t : kTlp) {
    if (*id == t.id && *name == t.name && (!level_present || (level && *level == t.level))) {
      return;
    }
  }
  ctx.error(at, "schema.tlp", "not one of the four TLP marking-definitions of the spec");
}

void marking_extra(const bj::object& o, const Path& at, Ctx& ctx) {
  const auto dt = o.find("definition_type");
  if (dt != o.end() && dt->value().is_string() && dt->value().get_string() == "tlp") {
    tlp_marking(o, at, ctx);
    return;
  }
  require(o, {"id", "spec_version", "created"}, at, ctx);
  if (const auto id = o.find("id"); id != o.end()) {
    SV type;
    if (!id->value().is_string()) {
      ctx.error(at / "id", "schema.type", "identifier must be a string");
    } else if (!parse_identifier(id->value().get_string(), &type)) {
      ctx.error(at / "id", "schema.identifier", "not a STIX identifier (type--UUID)");
    } else if (type != "marking-definition") {
      ctx.error(at / "id", "schema.id-type", "id must start with marking-definition--");
    }
  }
  const auto def = o.find("definition");
  if (dt != o.end()) {
    if (!dt->value().is_string()) {
      ctx.error(at / "definition_type", "schema.type", "value must be a string");
    } else if (const SV s = dt->value().get_string(); s == "statement") {
      const bj::string* statement = nullptr;
      if (def != o.end() && def->value().is_object()) {
        statement = json::get_string(def->value().get_object(), "statement");
      }
      if (statement == nullptr) {
        ctx.error(def != o.end() ? at / "definition" : at, "schema.statement",
                  "a statement marking needs a definition with a 'statement' string");
      }
    } else if (starts_with(s, "statement") || ends_with(s, "tlp")) {
      ctx.error(at / "definition_type", "schema.definition-type",
                cat({"definition_type '", s, "' is not allowed"}));
    } else if (def != o.end() && !def->value().is_object()) {
      ctx.error(at / "definition", "schema.type", "definition must be an object");
    }
  } else if (def != o.end() && !def->value().is_object()) {
    ctx.error(at / "definition", "schema.type", "definition must be an object");
  }
  if (!o.contains("extensions")) require(o, {"definition", "definition_type"}, at, ctx);
}

constexpr Prop kLanguageContent[] = {
    {"object_ref", id_ref<&kTranslatable>, kRequired},
    {"object_modified", timestamp},
    {"contents", dictionary, kRequired},
};

constexpr Prop kExtensionDefinition[] = {
    {"name", string, kRequired},
    {"description", string},
    {"schema", string, kRequired},
    {"version", string, kRequired},
    {"extension_types", vocab_list<&kExtensionTypeEnum>, kRequired},
    {"extension_properties", string_list_min1},
};

void extension_definition_extra(const bj::object& o, const Path& at, Ctx& ctx) {
  bool toplevel = false;
  if (const auto* types = json::get_array(o, "extension_types")) {
    for (const auto& t : *types) {
      toplevel = toplevel || (t.is_string() && t.get_string() == "toplevel-property-extension");
    }
  }
  if (!toplevel && o.contains("extension_properties")) {
    ctx.error(at / "extension_properties", "schema.extension-properties",
              "extension_properties is only for toplevel-property-extension definitions");
  }
  if (!o.contains("created_by_ref")) {
    ctx.error(at, "spec.required", "an extension-definition needs created_by_ref (spec 7.3)");
  }
}

const TypeRules kRules[] = {
    {"marking-definition", Base::kOwn, kMarkingProps, marking_extra},
    {"language-content", Base::kCore, kLanguageContent, nullptr},
    {"extension-definition", Base::kCore, kExtensionDefinition, extension_definition_extra},
};

}  // namespace

const TypeRules* find_meta_rules(std::string_view type) {
  for (const auto& r : kRules) {
    if (r.type == type) return &r;
  }
  return nullptr;
}

}  // namespace atio::stix::check
