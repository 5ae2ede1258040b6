#include "atio/cti/convert/stix_pattern_reader.h"

#include <cctype>

namespace atio::convert::misp {

namespace {

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}

  std::optional<std::vector<Comparison>> run() {
    skip_space();
    if (!eat('[')) return std::nullopt;
    std::vector<Comparison> out;
    int depth = 0;
    while (true) {
      skip_space();
      while (eat('(')) {
        ++depth;
        skip_space();
      }
      Comparison c;
      if (!object_path(&c) || !(skip_space(), eat('=')) || !(skip_space(), literal(&c.value))) {
        return std::nullopt;
      }
      out.push_back(std::move(c));
      skip_space();
      while (eat(')')) {
        if (--depth < 0) return std::nullopt;
        skip_space();
      }
      if (word("AND") || word("OR")) continue;
      break;
    }
    if (depth != 0 || !eat(']')) return std::nullopt;
    skip_space();
    if (pos_ != s_.size()) return std::nullopt;  // qualifiers, more observations
    return out;
  }

 private:
  void skip_space() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool eat(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool word(std::string_view w) {
    if (s_.substr(pos_, w.size()) != w) return false;
    std::size_t end = pos_ + w.size();
    if (end < s_.size() && !std::isspace(static_cast<unsigned char>(s_[end]))) return false;
    pos_ = end;
    return true;
  }
  static bool type_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  }
  // type:path.with.'quoted-steps'[*]
  bool object_path(Comparison* c) {
    std::size_t start = pos_;
    while (pos_ < s_.size() && type_char(s_[pos_])) ++pos_;
    if (pos_ == start || !eat(':')) return false;
    c->object_type = std::string(s_.substr(start, pos_ - start - 1));
    while (pos_ < s_.size()) {
      char ch = s_[pos_];
      if (ch == '\'') {
        ++pos_;
        while (pos_ < s_.size() && s_[pos_] != '\'') c->path += s_[pos_++];
        if (!eat('\'')) return false;
      } else if (type_char(ch) || ch == '.' || ch == '[' || ch == ']' || ch == '*') {
        c->path += ch;
        ++pos_;
      } else {
        break;
      }
    }
    return !c->path.empty();
  }
  bool literal(std::string* v) {
    if (eat('\'')) {
      while (pos_ < s_.size()) {
        char ch = s_[pos_++];
        if (ch == '\\' && pos_ < s_.size()) {
          *v += s_[pos_++];
        } else if (ch == '\'') {
          return true;
        } else {
          *v += ch;
        }
      }
      return false;
    }
    std::size_t start = pos_;  // numbers and booleans
    while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) ||
                                s_[pos_] == '.' || s_[pos_] == '-')) {
      ++pos_;
    }
    *v = std::string(s_.substr(start, pos_ - start));
    return pos_ > start;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<std::vector<Comparison>> read_simple_pattern(std::string_view pattern) {
  return Reader(pattern).run();
}

}  // namespace atio::convert::misp
