#include "atio/engine/variables.h"

#include "atio/core/typed_value.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>


namespace atio::engine {

namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

std::string inferred_type(const bj::value& v) {
  switch (v.kind()) {
    case bj::kind::bool_: return "bool";
    case bj::kind::int64:
    case bj::kind::uint64: return "long";
    case bj::kind::double_: return "float";
    case bj::kind::object:
    case bj::kind::array: return "dictionary";
    case bj::kind::string:
    case bj::kind::null: return "string";
  }
  return "string";
}

constexpr std::string_view kValueSuffix = ":value";

}  // namespace

Result<bj::value> typed_value(const std::string& name, const cacao::Variable& var) {
  if (!var.value) return bj::value(nullptr);
  auto r = typed_json_value(var.type, *var.value);
  if (!r.is_ok()) return r.status().with_context("variable " + name + " of type " + var.type);
  return r;
}

std::string value_text(const bj::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_null()) return "";
  return bj::serialize(v);
}

Result<std::shared_ptr<VariableScope>> VariableScope::create(const cacao::Variables& declared,
                                                             const bj::object& initial) {
  auto scope = std::make_shared<VariableScope>();
  for (const auto& [name, var] : declared) {
    cacao::Variable v = var;
    ATIO_ASSIGN_OR_RETURN(bj::value typed, typed_value(name, var));
    if (var.value) v.value = std::move(typed);
    scope->vars_[name] = std::move(v);
  }
  for (const auto& kv : initial) {
    std::string name(kv.key());
    auto it = scope->vars_.find(name);
    if (it == scope->vars_.end()) {
      cacao::Variable v;
      v.type = inferred_type(kv.value());
      v.external = true;
      v.value = kv.value();
      scope->vars_[name] = std::move(v);
      continue;
    }
    cacao::Variable probe = it->second;
    probe.value = kv.value();
    ATIO_ASSIGN_OR_RETURN(bj::value typed, typed_value(name, probe));
    it->second.value = std::move(typed);
  }
  return scope;
}

bool VariableScope::get(std::string_view name, const cacao::Step* step,
                        cacao::Variable* out) const {
  if (step) {
    auto it = step->step_variables.find(std::string(name));
    if (it != step->step_variables.end()) {
      *out = it->second;
      if (out->value) {
        auto typed = typed_value(it->first, it->second);
        if (typed.is_ok()) out->value = std::move(typed).value();
      }
      return true;
    }
  }
  std::lock_guard<std::mutex> lk(mu_);
  auto it = vars_.find(std::string(name));
  if (it == vars_.end()) return false;
  *out = it->second;
  return true;
}

bool VariableScope::set(const std::string& name, bj::value value) {
  std::lock_guard<std::mutex> lk(mu_);
  written_at_[name] = ++version_;
  auto it = vars_.find(name);
  if (it == vars_.end()) {
    cacao::Variable v;
    v.type = inferred_type(value);
    v.external = true;
    v.value = std::move(value);
    vars_.emplace(name, std::move(v));
    return true;
  }
  if (it->second.constant) return false;
  it->second.value = std::move(value);
  return true;
}

std::uint64_t VariableScope::version() const {
  std::lock_guard<std::mutex> lk(mu_);
  return version_;
}

bj::object VariableScope::changed_since(std::uint64_t version) const {
  std::lock_guard<std::mutex> lk(mu_);
  bj::object out;
  for (const auto& [name, at] : written_at_) {
    if (at <= version) continue;
    auto it = vars_.find(name);
    if (it != vars_.end() && it->second.value) out[name] = *it->second.value;
  }
  return out;
}

bj::object VariableScope::snapshot() const {
  std::lock_guard<std::mutex> lk(mu_);
  bj::object out;
  for (const auto& [name, var] : vars_) {
    if (var.value) out[name] = *var.value;
  }
  return out;
}

std::string VariableScope::substitute(std::string_view text, const cacao::Step* step) const {
  if (text.find(kValueSuffix) == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0;
  std::size_t pos = 0;
  while ((pos = text.find("__:value", pos)) != std::string_view::npos) {
    const std::size_t name_end = pos + 2;  // one past the closing "__"
    // Candidate starts: every "__" before pos whose span is a valid name;
    // the nearest known variable wins (names may contain underscores).
    bool replaced = false;
    for (std::size_t start = pos; start-- > copied;) {
      if (!is_name_char(text[start])) break;
      if (start + 1 >= name_end - 2 || text[start] != '_' || text[start + 1] != '_') continue;
      std::string_view name = text.substr(start, name_end - start);
      if (name.size() < 5) continue;
      cacao::Variable var;
      if (!get(name, step, &var)) continue;
      out.append(text.substr(copied, start - copied));
      if (var.value) out += value_text(*var.value);
      copied = name_end + kValueSuffix.size();
      replaced = true;
      break;
    }
    pos = replaced ? copied : pos + 1;
  }
  out.append(text.substr(copied));
  return out;
}

void VariableScope::substitute_all(bj::value& v, const cacao::Step* step) const {
  switch (v.kind()) {
    case bj::kind::string: {
      std::string s = substitute(v.get_string(), step);
      if (s != v.get_string()) v = bj::string(s);
      return;
    }
    case bj::kind::array:
      for (auto& e : v.get_array()) substitute_all(e, step);
      return;
    case bj::kind::object:
      for (auto& kv : v.get_object()) {
        std::string_view key = kv.key();
        if (key.size() >= 4 && key.substr(key.size() - 4) == "_b64") continue;
        substitute_all(kv.value(), step);
      }
      return;
    default:
      return;
  }
}

}  // namespace atio::engine
