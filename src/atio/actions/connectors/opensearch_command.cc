#include "atio/actions/connectors/opensearch_command.h"

#include <cctype>
#include <random>

namespace atio::actions::connectors {

namespace {

using T = ParamType;

CommandSpec opensearch_spec() {
  CommandSpec s;
  s.type = "x-atio-opensearch";
  Param action{"action", T::kString};
  action.allowed = {"index", "create"};
  Param refresh{"refresh", T::kString};
  refresh.allowed = {"true", "false", "wait_for"};
  s.operations = {
      {"index",
       {{"index", T::kString, true},
        {"documents", T::kArray, true},
        {"id_field", T::kString},
        action,
        {"pipeline", T::kString},
        refresh}},
  };
  s.default_operation = "index";
  return s;
}

// Index names (OpenSearch rules): lower case, no \ / * ? " < > | space , #,
// not starting with _ - +.
bool valid_index(std::string_view name) {
  if (name.empty() || name.size() > 255 || name == "." || name == "..") return false;
  if (name.front() == '_' || name.front() == '-' || name.front() == '+') return false;
  for (char c : name) {
    if ((c >= 'A' && c <= 'Z') ||
        std::string_view("\\/*?\"<>| ,#:").find(c) != std::string_view::npos) {
      return false;
    }
  }
  return true;
}

std::string query_escape(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// The state of one run across _bulk rounds.
struct Bulk {
  std::shared_ptr<Call> call;
  Done done;
  std::string action = "index";
  std::vector<std::size_t> pending;  // positions in documents still to send
  std::int64_t indexed = 0;
  bj::array errors;
  int rounds = 0;
  Outcome last;  // outcome_of the last round's request

  const bj::array& documents() const { return call->params.get("documents")->get_array(); }

  std::string body() const {
    const Params& p = call->params;
    const std::string id_field = p.string("id_field");
    std::string out;
    for (std::size_t pos : pending) {
      const bj::object& doc = documents()[pos].get_object();
      bj::object meta;
      meta["_index"] = p.string("index");
      if (!id_field.empty()) {
        if (const bj::value* id = doc.if_contains(id_field); id && !id->is_null()) {
          meta["_id"] = id->is_string() ? bj::value(id->get_string()) : bj::value(json::dump(*id));
        }
      }
      bj::object line;
      line[action] = std::move(meta);
      out += json::dump(line) + "\n" + json::dump(doc) + "\n";
    }
    return out;
  }
};

std::string bulk_error(const bj::value& answer) {
  if (answer.is_object()) {
    const bj::value* e = answer.get_object().if_contains("error");
    if (e && e->is_object()) {
      const bj::value* reason = e->get_object().if_contains("reason");
      const bj::value* type = e->get_object().if_contains("type");
      std::string out = type && type->is_string() ? std::string(type->get_string()) : "";
      if (reason && reason->is_string())
        out += (out.empty() ? "" : ": ") + std::string(reason->get_string());
      if (!out.empty()) return out;
    }
  }
  return common_error_detail(answer);
}

void round(std::shared_ptr<Bulk> bulk);

void conclude(std::shared_ptr<Bulk> bulk) {
  Outcome o = std::move(bulk->last);
  const std::size_t total = bulk->documents().size();
  const auto failed = static_cast<std::int64_t>(bulk->errors.size());
  o.outputs["indexed"] = bulk->indexed;
  o.outputs["failed"] = failed;
  o.outputs["errors"] = bulk->errors;
  o.outputs["rounds"] = bulk->rounds;
  if (failed > 0) {
    const bj::object& first = bulk->errors[0].get_object();
    std::string why = json::dump(first.at("status"));
    for (const char* key : {"type", "reason"}) {
      if (const bj::value* v = first.if_contains(key); v && v->is_string()) {
        why += std::string(" ") + std::string(v->get_string());
      }
    }
    o.status = Status(Code::kFailed, std::to_string(failed) + " of " + std::to_string(total) +
                                         " documents not indexed: document " +
                                         json::dump(first.at("position")) + ": " + why);
  } else {
    set_out_arg(o, *bulk->call, 0, bulk->indexed);
    set_out_arg(o, *bulk->call, 1, bulk->errors);
  }
  bulk->done(std::move(o));
}

void answered(std::shared_ptr<Bulk> bulk, const HttpRequest& shown, Exchange ex) {
  Outcome o = outcome_of(shown, ex, bulk_error);
  if (!o.status.is_ok()) return bulk->done(std::move(o));
  const bj::value& answer = o.outputs["response"];
  const bj::value* items = answer.is_object() ? answer.get_object().if_contains("items") : nullptr;
  if (items == nullptr || !items->is_array() || items->get_array().size() != bulk->pending.size()) {
    o.status = Status(Code::kFailed, "_bulk answer has no item for each of the " +
                                         std::to_string(bulk->pending.size()) + " documents sent");
    return bulk->done(std::move(o));
  }
  std::vector<std::size_t> again;
  const bj::array& list = items->get_array();
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::size_t pos = bulk->pending[i];
    const bj::object* result = nullptr;
    if (list[i].is_object() && !list[i].get_object().empty()) {
      const bj::value& inner = list[i].get_object().begin()->value();
      if (inner.is_object()) result = &inner.get_object();
    }
    const bj::value* status = result ? result->if_contains("status") : nullptr;
    std::int64_t code = status && status->is_int64() ? status->get_int64() : 0;
    if (code >= 200 && code <= 299) {
      bulk->indexed += 1;
      continue;
    }
    if (code == 429) {
      again.push_back(pos);
      continue;
    }
    bj::object err;
    err["position"] = static_cast<std::int64_t>(pos);
    err["status"] = code;
    if (result) {
      if (const bj::value* id = result->if_contains("_id")) err["id"] = *id;
      if (const bj::value* e = result->if_contains("error"); e && e->is_object()) {
        for (const char* key : {"type", "reason"}) {
          if (const bj::value* v = e->get_object().if_contains(key)) err[key] = *v;
        }
      }
    }
    bulk->errors.push_back(std::move(err));
  }
  bulk->last = std::move(o);
  if (again.empty()) return conclude(std::move(bulk));

  const RetryPolicy& policy = bulk->call->sender->policy();
  HttpResponse busy;
  busy.http_status = 429;  // the items' status: backoff, no Retry-After
  thread_local std::mt19937_64 rng{std::random_device{}()};
  auto delay =
      next_delay(policy, bulk->rounds, busy, std::uniform_real_distribution<double>(0, 1)(rng),
                 std::chrono::system_clock::now());
  std::string why;
  if (bulk->rounds >= policy.max_attempts) {
    why = "still 429 after " + std::to_string(bulk->rounds) + " rounds";
  } else if (std::chrono::steady_clock::now() + delay >= bulk->call->deadline) {
    why = "still 429; the next round (in " + std::to_string(delay.count()) +
          " ms) would pass the step's timeout";
  }
  if (!why.empty()) {
    for (std::size_t pos : again) {
      bj::object err;
      err["position"] = static_cast<std::int64_t>(pos);
      err["status"] = 429;
      err["type"] = "rejected";
      err["reason"] = why;
      bulk->errors.push_back(std::move(err));
    }
    return conclude(std::move(bulk));
  }
  bulk->pending = std::move(again);
  bulk->call->sender->after(delay, bulk->call->inv.cancel, [bulk](bool aborted) mutable {
    if (!aborted) return round(std::move(bulk));
    Outcome o = std::move(bulk->last);
    o.status = Status(Code::kAborted, "_bulk retry cancelled");
    bulk->done(std::move(o));
  });
}

void round(std::shared_ptr<Bulk> bulk) {
  const Params& p = bulk->call->params;
  std::string path = "/_bulk";
  std::string query;
  if (p.has("pipeline")) query += "pipeline=" + query_escape(p.string("pipeline"));
  if (p.has("refresh"))
    query += std::string(query.empty() ? "" : "&") + "refresh=" + p.string("refresh");
  if (!query.empty()) path += "?" + query;
  bulk->rounds += 1;
  HttpRequest request = bulk->call->request("POST", path, bulk->body(), "application/x-ndjson");
  if (bulk->rounds > 1) {
    // A later round sends other documents: a key of its own, so nothing that
    // honours Idempotency-Key replays the first round's answer to it.
    for (auto& [name, value] : request.headers) {
      if (name == "Idempotency-Key") value += ":round-" + std::to_string(bulk->rounds);
    }
  }
  HttpRequest shown = request;
  bulk->call->send(std::move(request), [bulk, shown = std::move(shown)](Exchange ex) mutable {
    answered(std::move(bulk), shown, std::move(ex));
  });
}

}  // namespace

OpenSearchCommand::OpenSearchCommand(std::shared_ptr<RetrySender> sender, HttpApiOptions options)
    : ConnectorCommand(opensearch_spec(), std::move(sender), std::move(options)) {}

void OpenSearchCommand::check_operation(const Operation& op, const bj::object& raw,
                                        const std::string& pointer,
                                        json::FieldErrors* errors) const {
  if (const bj::value* index = raw.if_contains("index"); index && index->is_string() &&
                                                         !mentions_variable(index->get_string()) &&
                                                         !valid_index(index->get_string())) {
    errors->push_back({pointer + "/index",
                       "must be an index name: lower case, without \\ / * ? \" < > | space , # :, "
                       "not starting with _ - +"});
  }
  if (const bj::value* docs = raw.if_contains("documents"); docs && docs->is_array()) {
    for (std::size_t i = 0; i < docs->get_array().size(); ++i) {
      const bj::value& d = docs->get_array()[i];
      if (!d.is_object() && !(d.is_string() && mentions_variable(d.get_string()))) {
        errors->push_back({pointer + "/documents/" + std::to_string(i), "must be a JSON object"});
      }
    }
  }
}

void OpenSearchCommand::run(std::shared_ptr<Call> call, Done done) {
  auto fail = [&](std::string message) {
    Outcome o;
    o.status = Status(Code::kInvalidArgument, "x-atio-opensearch index: " + message);
    done(std::move(o));
  };
  const Params& p = call->params;
  if (!valid_index(p.string("index")))
    return fail("index \"" + p.string("index") + "\" is not an index name");
  auto bulk = std::make_shared<Bulk>();
  bulk->action = p.has("action") ? p.string("action") : "index";
  const bj::array& docs = p.get("documents")->get_array();
  for (std::size_t i = 0; i < docs.size(); ++i) {
    if (!docs[i].is_object())
      return fail("documents/" + std::to_string(i) + " is not a JSON object");
    bulk->pending.push_back(i);
  }
  bulk->call = std::move(call);
  bulk->done = std::move(done);
  // Nothing to send (_bulk refuses an empty body): nothing indexed, no error.
  if (bulk->pending.empty()) return conclude(std::move(bulk));
  round(std::move(bulk));
}

}  // namespace atio::actions::connectors
