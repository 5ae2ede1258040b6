// GET /api/v1/workflows: atio's playbooks in the shape of Shuffle's workflow
// list (a JSON array of Workflow objects; docs/monitor.md names the fields),
// so a monitor written for Shuffle -- x-atio-monitor, or the reference
// system's -- can watch atio the same way. Shuffle's clients send
// `Authorization: Bearer <key>`, which atio's API keys accept.
#include "atio/server/api/common.h"
#include "atio/server/api/context.h"

namespace atio::server {

namespace {

std::string member(const bj::object& o, const char* key) {
  const bj::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// The CACAO steps as Shuffle actions and the edges between them as branches.
void steps(const bj::object& doc, bj::array* actions, bj::array* branches) {
  const bj::value* wf = doc.if_contains("workflow");
  if (!wf || !wf->is_object()) return;
  for (const auto& kv : wf->as_object()) {
    if (!kv.value().is_object()) continue;
    const bj::object& step = kv.value().as_object();
    const std::string id(kv.key());
    std::string app = member(step, "type");
    if (const bj::value* c = step.if_contains("commands"); c && c->is_array() && !c->as_array().empty() &&
                                                         c->as_array()[0].is_object()) {
      app = member(c->as_array()[0].as_object(), "type");
    }
    const std::string name = member(step, "name");
    actions->push_back(bj::object{{"id", id},
                                  {"name", name.empty() ? id : name},
                                  {"label", name.empty() ? id : name},
                                  {"app_name", app},
                                  {"app_version", "cacao-2.0"},
                                  {"description", member(step, "description")},
                                  {"step_type", member(step, "type")}});
    for (const char* edge : {"on_completion", "on_success", "on_failure", "on_true", "on_false"}) {
      const std::string to = member(step, edge);
      if (!to.empty()) {
        branches->push_back(bj::object{{"source_id", id}, {"destination_id", to}, {"label", edge}});
      }
    }
    if (const bj::value* n = step.if_contains("next_steps"); n && n->is_array()) {
      for (const auto& to : n->as_array()) {
        if (to.is_string()) {
          branches->push_back(bj::object{
              {"source_id", id}, {"destination_id", to.get_string()}, {"label", "next_steps"}});
        }
      }
    }
  }
}

}  // namespace

Response shuffle_workflows(ApiContext& ctx) {
  auto all = ctx.store->list_playbooks();
  if (!all.is_ok()) return error_response(all.status());
  bj::array out;
  for (const auto& p : *all) {
    bj::array actions, branches, variables;
    steps(p.document, &actions, &branches);
    if (const bj::value* vars = p.document.if_contains("playbook_variables"); vars && vars->is_object()) {
      for (const auto& kv : vars->as_object()) {
        bj::object v{{"name", kv.key()}};
        if (kv.value().is_object()) {
          if (const bj::value* val = kv.value().as_object().if_contains("value")) v["value"] = *val;
        }
        variables.push_back(std::move(v));
      }
    }
    std::string updated_by;
    auto latest = ctx.store->get_playbook_version(p.id, 0);
    if (latest.is_ok() && *latest) updated_by = (*latest)->author_name;
    out.push_back(bj::object{{"id", p.id},
                             {"name", p.name},
                             {"description", member(p.document, "description")},
                             {"created", p.created_at_ms / 1000},
                             {"edited", p.updated_at_ms / 1000},
                             {"updated_by", updated_by},
                             {"start", member(p.document, "workflow_start")},
                             {"actions", std::move(actions)},
                             {"branches", std::move(branches)},
                             {"triggers", bj::array()},
                             {"workflow_variables", std::move(variables)},
                             {"is_valid", true},
                             {"previously_saved", true}});
  }
  return json_response(200, out);
}

}  // namespace atio::server
