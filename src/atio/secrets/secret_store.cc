#include "atio/secrets/secret_store.h"

#include <boost/json/parse.hpp>

#include "atio/core/json_write.h"
#include "atio/core/private_file.h"

namespace atio::secrets {

namespace bj = boost::json;

Status check_name(std::string_view name) {
  auto ok_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c == '-';
  };
  if (name.empty() || name.size() > 128) {
    return Status(Code::kInvalidArgument, "name: 1 to 128 characters");
  }
  if (!((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z') ||
        (name[0] >= '0' && name[0] <= '9'))) {
    return Status(Code::kInvalidArgument, "name: must start with a letter or a digit");
  }
  for (char c : name) {
    if (!ok_char(c)) {
      return Status(Code::kInvalidArgument, "name: only A-Z a-z 0-9 _ . - are allowed");
    }
  }
  return Status::ok();
}

Status check_value(const bj::value& value) {
  if (value.is_string()) {
    if (value.get_string().empty()) {
      return Status(Code::kInvalidArgument, "value: must not be empty");
    }
    return Status::ok();
  }
  if (value.is_object() && !value.get_object().empty()) {
    for (const auto& kv : value.get_object()) {
      if (!kv.value().is_string()) {
        return Status(Code::kInvalidArgument,
                      "value." + std::string(kv.key()) + ": must be a string");
      }
    }
    return Status::ok();
  }
  return Status(Code::kInvalidArgument,
                "value: a non-empty string, or an object whose members are strings");
}

Result<store::WriteOp> SecretStore::put_op(const std::string& name, const bj::value& value,
                                           const std::string& description,
                                           const std::string& actor, std::int64_t now_ms) const {
  ATIO_RETURN_IF_ERROR(check_name(name));
  ATIO_RETURN_IF_ERROR(check_value(value));
  store::SecretRecord r;
  r.name = name;
  std::string text;
  json::dump_append(value, &text);
  r.sealed = vault_->seal(name, text);
  wipe(text);
  r.description = description;
  r.created_at_ms = now_ms;
  r.updated_at_ms = now_ms;
  r.updated_by = actor;
  ATIO_ASSIGN_OR_RETURN(auto existing, store_.get_secret(name));
  if (existing) r.created_at_ms = existing->created_at_ms;
  return store::WriteOp(store::PutSecret{std::move(r)});
}

Result<bj::value> SecretStore::reveal(const std::string& name, const std::string& purpose) const {
  ATIO_ASSIGN_OR_RETURN(auto record, store_.get_secret(name));
  if (!record) return Status(Code::kNotFound, "no secret named " + name);
  std::string detail;
  json::dump_append(bj::value(bj::object{{"purpose", purpose}}), &detail);
  store::AuditRecord use =
      store::atio_audit_record("atio", "secret.use", "secret", name, std::move(detail));
  if (Status st = store_.write({store::AppendAudit{std::move(use)}}); !st.is_ok()) {
    return Status(st.code(), "secret " + name + " not used: its use could not be audited (" +
                                 st.message() + ")");
  }
  ATIO_ASSIGN_OR_RETURN(std::string text, vault_->unseal(name, record->sealed));
  boost::system::error_code ec;
  bj::value v = bj::parse(text, ec);
  wipe(text);
  if (ec) return Status(Code::kIo, "secret " + name + " does not hold JSON");
  return v;
}

Result<std::vector<store::SecretRecord>> SecretStore::list() const {
  ATIO_ASSIGN_OR_RETURN(auto records, store_.list_secrets());
  for (auto& r : records) r.sealed.clear();
  return records;
}

}  // namespace atio::secrets
