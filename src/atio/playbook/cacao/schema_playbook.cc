// playbook.json, data-markings/*.json, data-types/signature.json,
// data-types/playbook-processing-summary.json, extension-definition/*.json.
#include <algorithm>
#include <string>

#include "atio/playbook/cacao/parse.h"
#include "atio/playbook/cacao/schema_checker.h"

namespace atio::cacao {

namespace schema {

namespace {

void check_marking(Checker& c, std::string_view type, const bj::value& v, const std::string& ptr) {
  const bj::object* o = c.object(v, ptr);
  if (o == nullptr) return;
  // data-marking.json, the base of all three kinds.
  c.required(*o, ptr, {"type", "id", "created_by", "created"}, "a data marking");
  c.member(*o, ptr, "type", [&](const bj::value& m, const std::string& p) {
    if (c.string(m, p) && m.get_string() != type) {
      c.fail(p, "must be '" + std::string(type) + "' for a data marking whose id starts with '" +
                    std::string(type) + "--'");
    }
  });
  for (std::string_view k : {"id", "created_by"}) {
    c.member(*o, ptr, k, [&](const bj::value& m, const std::string& p) { c.identifier(m, p); });
  }
  for (std::string_view k : {"created", "valid_from", "valid_until"}) {
    c.member(*o, ptr, k, [&](const bj::value& m, const std::string& p) { c.timestamp(m, p); });
  }
  for (std::string_view k : {"name", "description"}) {
    c.member(*o, ptr, k, [&](const bj::value& m, const std::string& p) { c.string(m, p); });
  }
  c.member(*o, ptr, "revoked", [&](const bj::value& m, const std::string& p) { c.boolean(m, p); });
  c.member(*o, ptr, "labels", [&](const bj::value& m, const std::string& p) { c.string_list(m, p, 1); });
  c.member(*o, ptr, "external_references",
           [&](const bj::value& m, const std::string& p) { c.external_references(m, p, 1); });
  c.member(*o, ptr, "marking_extensions", [&](const bj::value& m, const std::string& p) { c.extensions(m, p); });

  if (type == "marking-tlp") {
    c.required(*o, ptr, {"tlpv2_level"}, "a TLP marking");
    c.member(*o, ptr, "tlpv2_level", [&](const bj::value& m, const std::string& p) {
      c.one_of(m, p, {"TLP:RED", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:GREEN", "TLP:CLEAR"});
    });
  } else if (type == "marking-statement") {
    c.required(*o, ptr, {"statement"}, "a statement marking");
    c.member(*o, ptr, "statement", [&](const bj::value& m, const std::string& p) { c.string(m, p); });
  } else if (type == "marking-iep") {
    c.required(*o, ptr,
               {"name", "description", "tlp", "iep_version", "start_date", "end_date",
                "encrypt_in_transit", "permitted_actions", "affected_party_notifications",
                "attribution", "unmodified_resale", "external_references"},
               "an IEP marking");
    for (std::string_view k : {"tlp", "encrypt_in_transit", "permitted_actions",
                               "affected_party_notifications", "attribution", "unmodified_resale"}) {
      c.member(*o, ptr, k, [&](const bj::value& m, const std::string& p) { c.string(m, p); });
    }
    c.member(*o, ptr, "iep_version", [&](const bj::value& m, const std::string& p) { c.integer(m, p); });
    c.member(*o, ptr, "start_date", [&](const bj::value& m, const std::string& p) { c.timestamp(m, p); });
    c.member(*o, ptr, "end_date", [&](const bj::value& m, const std::string& p) {
      if (!m.is_null()) c.timestamp(m, p);
    });
    // marking-iep.json redefines external_references as a list of strings
    // while data-marking.json requires external-reference objects; a document
    // must satisfy both, which no non-empty list does.
    c.member(*o, ptr, "external_references", [&](const bj::value& m, const std::string& p) {
      const bj::array* a = m.if_array();
      if (a == nullptr) return;  // already reported
      for (std::size_t i = 0; i < a->size(); ++i) {
        if ((*a)[i].is_object()) {
          c.fail(json::pointer_join(p, i),
                 "must be a string for an IEP marking (and an external-reference object for a "
                 "data marking: the two schemas contradict each other)");
        }
      }
    });
  }
}

void check_processing_summary(Checker& c, const bj::value& v, const std::string& ptr) {
  const bj::object* o = c.object(v, ptr);
  if (o == nullptr) return;
  for (std::string_view k :
       {"manual_playbook", "external_playbooks", "parallel_processing", "if_logic", "while_logic",
        "switch_logic", "temporal_logic", "data_markings", "digital_signatures",
        "countersigned_signatures", "extensions"}) {
    c.member(*o, ptr, k, [&](const bj::value& m, const std::string& p) { c.boolean(m, p); });
  }
}

}  // namespace

void check_data_markings(Checker& c, const bj::value& defs, const std::string& ptr) {
  const bj::object* o = c.object(defs, ptr);
  if (o == nullptr) return;
  for (const auto& kv : *o) {
    for (std::string_view type : {"marking-tlp", "marking-iep", "marking-statement"}) {
      if (is_keyed_id(type, kv.key())) {
        check_marking(c, type, kv.value(), json::pointer_join(ptr, kv.key()));
        break;
      }
    }
  }
}

void check_signature(Checker& c, const bj::value& v, const std::string& ptr) {
  const bj::object* o = c.object(v, ptr);
  if (o == nullptr) return;
  c.required(*o, ptr,
             {"type", "id", "created", "modified", "signee", "related_to", "related_version",
              "hash_algorithm", "algorithm", "value"},
             "a signature");
  c.member(*o, ptr, "type", [&](const bj::value& m, const std::string& p) { c.one_of(m, p, {"jss"}); });
  for (std::string_view k : {"id", "created_by", "related_to"}) {
    c.member(*o, ptr, k, [&](const bj::value& m, const std::string& p) { c.identifier(m, p); });
  }
  for (std::string_view k : {"created", "modified", "valid_from", "valid_until", "related_version"}) {
    c.member(*o, ptr, k, [&](const bj::value& m, const std::string& p) { c.timestamp(m, p); });
  }
  for (std::string_view k :
       {"signee", "hash_algorithm", "algorithm", "public_key", "cert_url", "thumbprint", "value"}) {
    c.member(*o, ptr, k, [&](const bj::value& m, const std::string& p) { c.string(m, p); });
  }
  c.member(*o, ptr, "revoked", [&](const bj::value& m, const std::string& p) { c.boolean(m, p); });
  c.member(*o, ptr, "public_cert_chain",
           [&](const bj::value& m, const std::string& p) { c.string_list(m, p, 1); });
  c.member(*o, ptr, "signature", [&](const bj::value& m, const std::string& p) { check_signature(c, m, p); });
  int keys = 0;
  for (std::string_view k : {"public_key", "public_cert_chain", "cert_url", "thumbprint"}) {
    keys += o->contains(k) ? 1 : 0;
  }
  if (keys != 1) {
    c.fail(ptr, "must have exactly one of public_key, public_cert_chain, cert_url, thumbprint");
  }
}

void check_extension_definitions(Checker& c, const bj::value& defs, const std::string& ptr) {
  const bj::object* o = c.object(defs, ptr);
  if (o == nullptr) return;
  for (const auto& kv : *o) {
    if (!is_keyed_id("extension-definition", kv.key())) continue;
    const std::string p = json::pointer_join(ptr, kv.key());
    const bj::object* def = c.object(kv.value(), p);
    if (def == nullptr) continue;
    c.required(*def, p, {"type", "name", "created_by", "schema", "version"}, "an extension definition");
    c.member(*def, p, "type",
             [&](const bj::value& m, const std::string& mp) { c.one_of(m, mp, {"extension-definition"}); });
    for (std::string_view k : {"name", "description", "schema", "version"}) {
      c.member(*def, p, k, [&](const bj::value& m, const std::string& mp) { c.string(m, mp); });
    }
    c.member(*def, p, "created_by", [&](const bj::value& m, const std::string& mp) { c.identifier(m, mp); });
    c.member(*def, p, "external_references",
             [&](const bj::value& m, const std::string& mp) { c.external_references(m, mp, 0); });
  }
}

}  // namespace schema

json::FieldErrors check_schema(const bj::value& doc) {
  json::FieldErrors errors;
  schema::Checker c(&errors);
  const bj::object* o = doc.if_object();
  if (o == nullptr) {
    c.fail("", "must be a JSON object (a CACAO playbook)");
    return errors;
  }
  const std::string root;
  auto on = [&](std::string_view key, auto&& fn) { c.member(*o, root, key, fn); };
  using V = const bj::value&;
  using P = const std::string&;

  c.required(*o, root,
             {"type", "spec_version", "id", "name", "created_by", "created", "modified",
              "workflow_start", "workflow"},
             "a playbook");
  on("type", [&](V m, P p) { c.one_of(m, p, {"playbook"}); });
  on("spec_version", [&](V m, P p) { c.one_of(m, p, {"cacao-2.0"}); });
  for (std::string_view k : {"id", "created_by", "workflow_start", "workflow_exception"}) {
    on(k, [&](V m, P p) { c.identifier(m, p); });
  }
  for (std::string_view k : {"name", "description"}) on(k, [&](V m, P p) { c.string(m, p); });
  for (std::string_view k : {"created", "modified", "valid_from", "valid_until"}) {
    on(k, [&](V m, P p) { c.timestamp(m, p); });
  }
  on("playbook_types", [&](V m, P p) { c.string_list(m, p, 0); });
  for (std::string_view k : {"playbook_activities", "industry_sectors", "labels"}) {
    on(k, [&](V m, P p) { c.string_list(m, p, 1); });
  }
  on("playbook_processing_summary", [&](V m, P p) { schema::check_processing_summary(c, m, p); });
  on("revoked", [&](V m, P p) { c.boolean(m, p); });
  for (std::string_view k : {"derived_from", "related_to", "markings"}) {
    on(k, [&](V m, P p) { c.identifier_list(m, p, 1); });
  }
  for (std::string_view k : {"priority", "severity", "impact"}) {
    on(k, [&](V m, P p) { c.integer(m, p, 0.0, 100.0); });
  }
  on("external_references", [&](V m, P p) { c.external_references(m, p, 1); });
  on("playbook_variables", [&](V m, P p) { c.variables(m, p); });
  on("workflow", [&](V m, P p) { schema::check_workflow(c, m, p); });
  on("playbook_extensions", [&](V m, P p) { c.extensions(m, p); });
  on("authentication_info_definitions", [&](V m, P p) { schema::check_auth_infos(c, m, p); });
  on("agent_definitions", [&](V m, P p) { schema::check_agent_targets(c, m, p); });
  on("target_definitions", [&](V m, P p) { schema::check_agent_targets(c, m, p); });
  on("extension_definitions", [&](V m, P p) { schema::check_extension_definitions(c, m, p); });
  on("data_marking_definitions", [&](V m, P p) { schema::check_data_markings(c, m, p); });
  on("signatures", [&](V m, P p) {
    const bj::array* a = c.array(m, p, 1);
    if (a == nullptr) return;
    for (std::size_t i = 0; i < a->size(); ++i) schema::check_signature(c, (*a)[i], json::pointer_join(p, i));
  });

  std::stable_sort(errors.begin(), errors.end(),
                   [](const json::FieldError& a, const json::FieldError& b) { return a.pointer < b.pointer; });
  return errors;
}

}  // namespace atio::cacao
