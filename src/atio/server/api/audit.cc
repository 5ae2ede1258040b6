// /api/v1/audit: the audit log (docs/audit.md) read with filters and paging,
// one record, the chain's head, verification, and export as JSON lines or
// RFC 5424 syslog lines. Reading the log is not recorded; verifying and
// exporting it are (an export copies the whole log out of atio).
#include <unistd.h>

#include <boost/json/serialize.hpp>

#include "atio/audit/export.h"
#include "atio/audit/verify.h"
#include "atio/cti/stix/time.h"
#include "atio/server/api/common.h"
#include "atio/server/api/context.h"

namespace atio::server {

namespace {

constexpr std::int64_t kDefaultLimit = 100;
constexpr std::int64_t kMaxLimit = 1000;
constexpr std::int64_t kDefaultExportLimit = 10000;
constexpr std::int64_t kMaxExportLimit = 100000;

// The filters and paging shared by the list and the export.
bool read_filter(const Request& request, std::int64_t default_limit, std::int64_t max_limit,
                 store::AuditFilter* f, Response* error) {
  f->limit = default_limit;
  f->actor = request.query_param("actor").value_or("");
  f->action = request.query_param("action").value_or("");
  f->object_type = request.query_param("object_type").value_or("");
  f->object_id = request.query_param("object_id").value_or("");
  f->outcome = request.query_param("outcome").value_or("");
  store::SeqPage page{.limit = default_limit};
  if (!time_query(request, "since", &f->since_ms, error) ||
      !time_query(request, "until", &f->until_ms, error) ||
      !seq_page_query(request, max_limit, &page, error)) {
    return false;
  }
  f->after_seq = page.after_seq;
  f->before_seq = page.before_seq;
  f->newest_first = page.newest_first;
  f->limit = page.limit;
  return true;
}

const std::vector<ParamDoc> kFilterDocs = {
    {"since", "string", "Records at or after this time (RFC 3339, or ms since the epoch)"},
    {"until", "string", "Records before this time (RFC 3339, or ms since the epoch)"},
    {"actor", "string", "Only this actor (an API key id; \"anonymous\")"},
    {"action", "string", "Only this action, e.g. playbook.update"},
    {"object_type", "string", "Only objects of this type, e.g. playbook"},
    {"object_id", "string", "Only this object"},
    {"outcome", "string", "success, failure or denied"},
    {"order", "string", "asc (oldest first, the default) or desc (newest first)"},
    {"after", "integer", "Paging, oldest first: records after this seq (the `next` of the page before)"},
    {"before", "integer", "Paging, newest first: records before this seq (the `next` of the page before)"},
};

std::vector<ParamDoc> filter_docs(const std::string& limit_doc) {
  auto d = kFilterDocs;
  d.push_back({"limit", "integer", limit_doc});
  return d;
}

Response list(ApiContext& ctx, const Request& request) {
  store::AuditFilter f;
  Response error;
  if (!read_filter(request, kDefaultLimit, kMaxLimit, &f, &error)) return error;
  const std::int64_t limit = f.limit;
  f.limit = limit + 1;  // one more tells whether there is a next page
  auto rows = ctx.store->list_audit(f);
  if (!rows.is_ok()) return error_response(rows.status());
  bj::value next = nullptr;
  if (static_cast<std::int64_t>(rows->size()) > limit) {
    rows->resize(static_cast<std::size_t>(limit));
    next = rows->back().seq;
  }
  bj::array out;
  for (const auto& r : *rows) out.push_back(audit::record_json(r));
  return json_response(200, bj::object{{"records", std::move(out)}, {"next", next}});
}

Response get(ApiContext& ctx, const std::string& seq_text) {
  if (seq_text.empty() || seq_text.size() > 18 ||
      seq_text.find_first_not_of("0123456789") != std::string::npos) {
    return error_response(400, "invalid_parameter", "the seq must be a positive integer",
                          {{"/path/seq", "must be a positive integer"}});
  }
  auto r = ctx.store->get_audit(std::stoll(seq_text));
  if (!r.is_ok()) return error_response(r.status());
  if (!*r) return error_response(404, "not_found", "audit record " + seq_text + " not found");
  return json_response(200, audit::record_json(**r));
}

Response head(ApiContext& ctx) {
  auto h = ctx.store->audit_head();
  if (!h.is_ok()) return error_response(h.status());
  bj::value last = nullptr;
  // Checkpoints are few (one per N records): reading them to the last is cheap.
  std::int64_t after = 0;
  for (;;) {
    auto cps = ctx.store->list_audit_checkpoints(after, 1000);
    if (!cps.is_ok()) return error_response(cps.status());
    if (cps->empty()) break;
    last = audit::checkpoint_json(cps->back());
    after = cps->back().seq;
    if (cps->size() < 1000) break;
  }
  return json_response(200, bj::object{{"seq", h->seq}, {"hash", h->hash}, {"last_checkpoint", last}});
}

Response verify(ApiContext& ctx) {
  audit::VerifyOptions o;
  o.trusted_public_key = ctx.audit_public_key;
  auto rep = audit::verify_audit_log(*ctx.store, o);
  if (!rep.is_ok()) return error_response(rep.status());
  return json_response(200, rep->to_json());
}

std::string hostname() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "-";
  return buf;
}

Response export_log(ApiContext& ctx, const Request& request) {
  const std::string format = request.query_param("format").value_or("jsonl");
  if (format != "jsonl" && format != "syslog") {
    return query_error("format", "must be jsonl or syslog");
  }
  store::AuditFilter f;
  Response error;
  if (!read_filter(request, kDefaultExportLimit, kMaxExportLimit, &f, &error)) return error;
  if (f.newest_first) {
    return query_error("order", "an export is oldest first, as the chain is verified");
  }
  const std::int64_t limit = f.limit;
  f.limit = limit + 1;
  auto rows = ctx.store->list_audit(f);
  if (!rows.is_ok()) return error_response(rows.status());
  const bool more = static_cast<std::int64_t>(rows->size()) > limit;
  if (more) rows->resize(static_cast<std::size_t>(limit));
  Response res;
  res.content_type = format == "jsonl" ? "application/x-ndjson" : "text/plain; charset=utf-8";
  const std::string host = format == "syslog" ? hostname() : "";
  for (const auto& r : *rows) {
    res.body += format == "jsonl" ? bj::serialize(audit::record_json(r))
                                  : audit::syslog_line(r, host);
    res.body += '\n';
  }
  // The next page starts after the last record sent.
  if (more) res.header("X-Atio-Next-After", std::to_string(rows->back().seq));
  return res;
}

}  // namespace

void add_audit_routes(Router& router, ApiContext& ctx) {
  router.add({.method = "GET",
              .pattern = "/api/v1/audit",
              .permission = Permission::kAuditRead,
              .doc = {.operation_id = "listAudit",
                      .summary = "Audit records, oldest first, with filters and paging",
                      .tag = "audit",
                      .query = filter_docs("Records per page (1-1000, default 100)"),
                      .responses = {{200, "A page of records", "AuditList"},
                                    {400, "A filter is not valid", "Error"}}},
              .handler = sync_handler([&ctx](Request& r) { return list(ctx, r); })});
  router.add({.method = "GET",
              .pattern = "/api/v1/audit/head",
              .permission = Permission::kAuditRead,
              .doc = {.operation_id = "getAuditHead",
                      .summary = "The newest record's seq and hash, and the newest checkpoint",
                      .tag = "audit",
                      .responses = {{200, "The chain's head", "AuditHead"}}},
              .handler = sync_handler([&ctx](Request&) { return head(ctx); })});
  router.add({.method = "GET",
              .pattern = "/api/v1/audit/export",
              .permission = Permission::kAuditRead,
              .doc = {.operation_id = "exportAudit",
                      .summary = "Export records as JSON lines or RFC 5424 syslog lines (recorded)",
                      .tag = "audit",
                      .query = [] {
                        auto d = filter_docs("Records at most (1-100000, default 10000); header "
                                             "X-Atio-Next-After names the next page's after");
                        d.push_back({"format", "string", "jsonl (default) or syslog"});
                        return d;
                      }(),
                      .responses = {{200, "The records, one per line", "AuditExport",
                                     "application/x-ndjson"},
                                    {400, "A filter is not valid", "Error"}}},
              .handler = sync_handler([&ctx](Request& r) { return export_log(ctx, r); }),
              .audit = {"audit.export", "audit", ""}});
  router.add({.method = "POST",
              .pattern = "/api/v1/audit/verify",
              .permission = Permission::kAuditRead,
              .doc = {.operation_id = "verifyAudit",
                      .summary = "Verify the hash chain and every checkpoint signature (recorded)",
                      .tag = "audit",
                      .request_optional = true,
                      .responses = {{200, "The verification (ok false names the broken record)",
                                     "AuditVerification"}}},
              .handler = sync_handler([&ctx](Request&) { return verify(ctx); }),
              .audit = {"audit.verify", "audit", ""}});
  router.add({.method = "GET",
              .pattern = "/api/v1/audit/{seq}",
              .permission = Permission::kAuditRead,
              .doc = {.operation_id = "getAuditRecord",
                      .summary = "One audit record",
                      .tag = "audit",
                      .path_params = {{"seq", "integer", "The record's seq"}},
                      .responses = {{200, "The record", "AuditRecord"},
                                    {404, "No such record", "Error"}}},
              .handler = sync_handler([&ctx](Request& r) { return get(ctx, r.param("seq")); })});
}

}  // namespace atio::server
