// `atio audit verify` and `atio audit export`: the audit log of a store,
// read without a server (a running `atio serve` may keep writing meanwhile).
#include <unistd.h>

#include <boost/json/serialize.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "atio/audit/export.h"
#include "atio/audit/signing_key.h"
#include "atio/audit/verify.h"
#include "atio/cli/commands.h"
#include "atio/cli/local_store.h"

namespace atio::cli {

namespace {

// The public key checkpoints must be signed with: --public-key, else the
// key file (--key, or the default one when it exists). "" = none known.
Result<std::string> trusted_key(const AuditArgs& args) {
  if (!args.public_key.empty()) return args.public_key;
  const std::string path = args.key.empty() ? audit::default_key_path(args.store) : args.key;
  auto key = audit::SigningKey::load(path);
  if (key.is_ok()) return (*key)->public_key_hex();
  if (key.status().code() == Code::kNotFound && args.key.empty()) return std::string();
  return key.status();
}

}  // namespace

int audit_verify_command(const AuditArgs& args) {
  auto pk = trusted_key(args);
  if (!pk.is_ok()) {
    std::cerr << "atio audit verify: " << pk.status().to_string() << "\n";
    return 2;
  }
  auto st = open_local_store(args.store, /*create=*/false);
  if (!st.is_ok()) {
    std::cerr << "atio audit verify: " << st.status().to_string() << "\n";
    return 2;
  }
  audit::VerifyOptions o;
  o.trusted_public_key = *pk;
  auto rep = audit::verify_audit_log(**st, o);
  (*st)->close();
  if (!rep.is_ok()) {
    std::cerr << "atio audit verify: " << rep.status().to_string() << "\n";
    return 2;
  }
  if (args.json) {
    std::cout << boost::json::serialize(rep->to_json()) << "\n";
  } else {
    std::cout << rep->summary() << "\n";
    for (std::size_t i = 1; i < rep->problems.size(); ++i) {
      std::cout << "  also: " << rep->problems[i].message << "\n";
    }
  }
  return rep->ok() ? 0 : 1;
}

int audit_export_command(const AuditArgs& args) {
  auto st = open_local_store(args.store, /*create=*/false);
  if (!st.is_ok()) {
    std::cerr << "atio audit export: " << st.status().to_string() << "\n";
    return 2;
  }
  std::ofstream file;
  if (!args.output.empty()) {
    file.open(args.output, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::cerr << "atio audit export: cannot write " << args.output << "\n";
      return 2;
    }
  }
  // An export copies the log out of atio: it is recorded first, as the
  // server records its own (fail closed: no record, no export).
  const store::AuditRecord rec = system_record("atio audit export", "audit.export", "audit", "",
                                               boost::json::object{{"format", args.format}});
  Status recorded = (*st)->write({store::AppendAudit{rec}});
  if (!recorded.is_ok()) {
    std::cerr << "atio audit export: the export could not be recorded in the audit log, so it "
                 "was not made: "
              << recorded.to_string() << "\n";
    return 2;
  }
  std::ostream& out = args.output.empty() ? std::cout : file;
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  store::AuditFilter f;
  f.limit = 5000;
  for (;;) {
    auto rows = (*st)->list_audit(f);
    if (!rows.is_ok()) {
      std::cerr << "atio audit export: " << rows.status().to_string() << "\n";
      return 2;
    }
    for (const auto& r : *rows) {
      out << (args.format == "syslog" ? audit::syslog_line(r, host)
                                      : boost::json::serialize(audit::record_json(r)))
          << "\n";
    }
    if (static_cast<std::int64_t>(rows->size()) < f.limit) break;
    f.after_seq = rows->back().seq;
  }
  out.flush();
  (*st)->close();
  if (!out) {
    std::cerr << "atio audit export: writing failed\n";
    return 2;
  }
  return 0;
}

}  // namespace atio::cli
