#include "atio/audit/json_diff.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <string>

namespace atio::audit {

namespace bj = boost::json;

namespace {

// RFC 6901: '~' becomes "~0" and '/' becomes "~1".
std::string pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

class Differ {
 public:
  explicit Differ(const DiffLimits& limits) : limits_(limits) {}

  void diff(const bj::value& a, const bj::value& b, const std::string& path) {
    if (a == b) return;
    if (a.is_object() && b.is_object()) {
      const bj::object& oa = a.get_object();
      const bj::object& ob = b.get_object();
      for (const auto& kv : oa) {
        const std::string p = path + "/" + pointer_token(kv.key());
        auto it = ob.find(kv.key());
        if (it == ob.end()) {
          emit("remove", p, nullptr);
        } else {
          diff(kv.value(), it->value(), p);
        }
      }
      for (const auto& kv : ob) {
        if (!oa.contains(kv.key())) emit("add", path + "/" + pointer_token(kv.key()), &kv.value());
      }
      return;
    }
    if (a.is_array() && b.is_array() && a.get_array().size() == b.get_array().size()) {
      const bj::array& aa = a.get_array();
      const bj::array& ab = b.get_array();
      for (std::size_t i = 0; i < aa.size(); ++i) diff(aa[i], ab[i], path + "/" + std::to_string(i));
      return;
    }
    emit("replace", path, &b);
  }

  bj::array finish() {
    if (more_ > 0) out_.push_back(bj::object{{"op", "truncated"}, {"more", more_}});
    return std::move(out_);
  }

 private:
  void emit(const char* op, const std::string& path, const bj::value* value) {
    if (out_.size() >= limits_.max_ops) {
      ++more_;
      return;
    }
    bj::object o{{"op", op}, {"path", path}};
    if (value) {
      if (bj::serialize(*value).size() <= limits_.max_value_bytes) {
        o["value"] = *value;
      } else {
        o["value_omitted"] = true;
      }
    }
    out_.push_back(std::move(o));
  }

  const DiffLimits& limits_;
  bj::array out_;
  std::int64_t more_ = 0;
};

}  // namespace

bj::array json_diff(const bj::value& before, const bj::value& after, const DiffLimits& limits) {
  Differ d(limits);
  d.diff(before, after, "");
  return d.finish();
}

}  // namespace atio::audit
