#include "atio/playbook/cacao/pattern.h"

#include <cassert>
#include <memory>

namespace atio::cacao {

namespace {

using Set = std::vector<bool>;

bool is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c >= 0x80;
}

// Parsed pattern: a small tree, compiled to NFA code below.
struct Node {
  enum class Kind { kEmpty, kSet, kConcat, kAlt, kRepeat, kBegin, kEnd, kWordBoundary };
  Kind kind = Kind::kEmpty;
  Set set;                                  // kSet
  std::vector<std::unique_ptr<Node>> kids;  // kConcat, kAlt, kRepeat (one)
  int min = 0;
  int max = 0;  // -1: unbounded
};
using NodePtr = std::unique_ptr<Node>;

NodePtr make(Node::Kind kind) {
  auto n = std::make_unique<Node>();
  n->kind = kind;
  return n;
}

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  NodePtr parse() {
    NodePtr n = alternation();
    assert(pos_ == s_.size() && "unbalanced pattern");
    return n;
  }

 private:
  bool at_end() const { return pos_ >= s_.size(); }
  char peek() const { return s_[pos_]; }

  NodePtr alternation() {
    NodePtr first = concatenation();
    if (at_end() || peek() != '|') return first;
    NodePtr alt = make(Node::Kind::kAlt);
    alt->kids.push_back(std::move(first));
    while (!at_end() && peek() == '|') {
      ++pos_;
      alt->kids.push_back(concatenation());
    }
    return alt;
  }

  NodePtr concatenation() {
    NodePtr cat = make(Node::Kind::kConcat);
    while (!at_end() && peek() != '|' && peek() != ')') cat->kids.push_back(repetition());
    return cat;
  }

  bool read_int(int* out) {
    std::size_t start = pos_;
    int v = 0;
    while (!at_end() && peek() >= '0' && peek() <= '9') v = v * 10 + (s_[pos_++] - '0');
    *out = v;
    return pos_ > start;
  }

  NodePtr repetition() {
    NodePtr atom_node = atom();
    while (!at_end()) {
      int min = 0, max = 0;
      char c = peek();
      if (c == '?') {
        min = 0, max = 1;
        ++pos_;
      } else if (c == '*') {
        min = 0, max = -1;
        ++pos_;
      } else if (c == '+') {
        min = 1, max = -1;
        ++pos_;
      } else if (c == '{') {
        ++pos_;
        bool has_min = read_int(&min);
        if (!has_min) min = 0;
        if (peek() == ',') {
          ++pos_;
          if (!read_int(&max)) max = -1;
        } else {
          assert(has_min);
          max = min;
        }
        assert(peek() == '}');
        ++pos_;
      } else {
        break;
      }
      NodePtr rep = make(Node::Kind::kRepeat);
      rep->min = min;
      rep->max = max;
      rep->kids.push_back(std::move(atom_node));
      atom_node = std::move(rep);
    }
    return atom_node;
  }

  static void add_class_escape(char e, Set* set) {
    auto add_range = [&](int lo, int hi) {
      for (int c = lo; c <= hi; ++c) (*set)[static_cast<std::size_t>(c)] = true;
    };
    switch (e) {
      case 'd': add_range('0', '9'); break;
      case 'w':
        add_range('a', 'z'), add_range('A', 'Z'), add_range('0', '9'), add_range('_', '_');
        add_range(0x80, 0xff);
        break;
      case 's':
        for (char c : std::string_view(" \t\n\r\f\v")) (*set)[static_cast<unsigned char>(c)] = true;
        break;
      case 'n': add_range('\n', '\n'); break;
      case 't': add_range('\t', '\t'); break;
      default: (*set)[static_cast<unsigned char>(e)] = true;
    }
  }

  static Set negate(Set s) {
    for (std::size_t i = 0; i < s.size(); ++i) s[i] = !s[i];
    return s;
  }

  NodePtr set_node(Set s) {
    NodePtr n = make(Node::Kind::kSet);
    n->set = std::move(s);
    return n;
  }

  NodePtr char_class() {
    // At the byte after '['.
    Set set(256, false);
    bool negated = false;
    if (!at_end() && peek() == '^') {
      negated = true;
      ++pos_;
    }
    bool first = true;
    while (!at_end() && (peek() != ']' || first)) {
      first = false;
      char c = s_[pos_++];
      if (c == '\\') {
        char e = s_[pos_++];
        if (e == 'd' || e == 'w' || e == 's') {
          add_class_escape(e, &set);
          continue;
        }
        Set one(256, false);
        add_class_escape(e, &one);
        for (int i = 0; i < 256; ++i)
          if (one[static_cast<std::size_t>(i)]) c = static_cast<char>(i);
      }
      if (pos_ + 1 < s_.size() && peek() == '-' && s_[pos_ + 1] != ']') {
        ++pos_;
        char hi = s_[pos_++];
        if (hi == '\\') hi = s_[pos_++];
        for (int v = static_cast<unsigned char>(c); v <= static_cast<unsigned char>(hi); ++v)
          set[static_cast<std::size_t>(v)] = true;
      } else {
        set[static_cast<unsigned char>(c)] = true;
      }
    }
    assert(!at_end() && "unterminated character class");
    ++pos_;  // ']'
    return set_node(negated ? negate(std::move(set)) : std::move(set));
  }

  NodePtr atom() {
    char c = s_[pos_++];
    switch (c) {
      case '(': {
        NodePtr inner = alternation();
        assert(!at_end() && peek() == ')');
        ++pos_;
        return inner;
      }
      case '[': return char_class();
      case '^': return make(Node::Kind::kBegin);
      case '$': return make(Node::Kind::kEnd);
      case '.': {
        Set any(256, true);
        any['\n'] = false;
        return set_node(std::move(any));
      }
      case '\\': {
        char e = s_[pos_++];
        if (e == 'b') return make(Node::Kind::kWordBoundary);
        Set set(256, false);
        if (e == 'D' || e == 'W' || e == 'S') {
          add_class_escape(static_cast<char>(e - 'A' + 'a'), &set);
          return set_node(negate(std::move(set)));
        }
        add_class_escape(e, &set);
        return set_node(std::move(set));
      }
      default: {
        Set set(256, false);
        set[static_cast<unsigned char>(c)] = true;
        return set_node(std::move(set));
      }
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

// Emits NFA code for a parsed tree.
class PatternCompiler {
 public:
  explicit PatternCompiler(Pattern* p) : p_(p) {}

  void compile(const Node& root) {
    emit(root);
    Pattern::Inst match;
    match.op = Pattern::Inst::Op::kMatch;
    p_->prog_.push_back(match);
  }

 private:
  using Op = Pattern::Inst::Op;

  int here() const { return static_cast<int>(p_->prog_.size()); }
  int push(Op op) {
    Pattern::Inst inst;
    inst.op = op;
    p_->prog_.push_back(inst);
    return here() - 1;
  }

  void emit(const Node& n) {
    switch (n.kind) {
      case Node::Kind::kEmpty: return;
      case Node::Kind::kSet: {
        int at = push(Op::kByte);
        p_->prog_[static_cast<std::size_t>(at)].set = static_cast<int>(p_->sets_.size());
        p_->sets_.push_back(n.set);
        return;
      }
      case Node::Kind::kBegin: push(Op::kBegin); return;
      case Node::Kind::kEnd: push(Op::kEnd); return;
      case Node::Kind::kWordBoundary: push(Op::kWordBoundary); return;
      case Node::Kind::kConcat:
        for (const auto& k : n.kids) emit(*k);
        return;
      case Node::Kind::kAlt: {
        std::vector<int> jumps;
        for (std::size_t i = 0; i < n.kids.size(); ++i) {
          if (i + 1 < n.kids.size()) {
            int split = push(Op::kSplit);
            inst(split).x = here();
            emit(*n.kids[i]);
            jumps.push_back(push(Op::kJump));
            inst(split).y = here();
          } else {
            emit(*n.kids[i]);
          }
        }
        for (int j : jumps) inst(j).x = here();
        return;
      }
      case Node::Kind::kRepeat: {
        const Node& body = *n.kids[0];
        for (int i = 0; i < n.min; ++i) emit(body);
        if (n.max < 0) {
          int split = push(Op::kSplit);
          inst(split).x = here();
          emit(body);
          int jump = push(Op::kJump);
          inst(jump).x = split;
          inst(split).y = here();
          return;
        }
        std::vector<int> skips;
        for (int i = n.min; i < n.max; ++i) {
          int split = push(Op::kSplit);
          inst(split).x = here();
          skips.push_back(split);
          emit(body);
        }
        for (int s : skips) inst(s).y = here();
        return;
      }
    }
  }

  Pattern::Inst& inst(int at) { return p_->prog_[static_cast<std::size_t>(at)]; }

  Pattern* p_;
};

Pattern::Pattern(std::string_view source) : source_(source) {
  Parser parser(source_);
  NodePtr root = parser.parse();
  PatternCompiler(this).compile(*root);
}

bool Pattern::search(std::string_view text) const {
  const std::size_t n = text.size();
  const std::size_t size = prog_.size();
  std::vector<int> current, next, stack;
  current.reserve(size), next.reserve(size), stack.reserve(size);
  // mark[pc] == generation when pc is already in the list being built.
  std::vector<std::size_t> mark(size, 0);
  bool matched = false;

  auto word_at = [&](std::size_t i) {
    return i < n && is_word_byte(static_cast<unsigned char>(text[i]));
  };
  // Adds pc and its epsilon closure at position `pos` to `list`.
  auto add = [&](std::vector<int>& list, int start_pc, std::size_t pos) {
    const std::size_t gen = pos + 1;
    stack.push_back(start_pc);
    while (!stack.empty()) {
      int pc = stack.back();
      stack.pop_back();
      std::size_t upc = static_cast<std::size_t>(pc);
      if (mark[upc] == gen) continue;
      mark[upc] = gen;
      const Inst& in = prog_[upc];
      switch (in.op) {
        case Inst::Op::kByte: list.push_back(pc); break;
        case Inst::Op::kMatch: matched = true; break;
        case Inst::Op::kJump: stack.push_back(in.x); break;
        case Inst::Op::kSplit:
          stack.push_back(in.y);
          stack.push_back(in.x);
          break;
        case Inst::Op::kBegin:
          if (pos == 0) stack.push_back(pc + 1);
          break;
        case Inst::Op::kEnd:
          if (pos == n || (pos + 1 == n && text[pos] == '\n')) stack.push_back(pc + 1);
          break;
        case Inst::Op::kWordBoundary: {
          bool before = pos > 0 && word_at(pos - 1);
          if (before != word_at(pos)) stack.push_back(pc + 1);
          break;
        }
      }
    }
  };

  for (std::size_t pos = 0;; ++pos) {
    add(current, 0, pos);  // unanchored: a match may start anywhere
    if (matched) return true;
    if (pos == n) return false;
    next.clear();
    const auto byte = static_cast<unsigned char>(text[pos]);
    for (int pc : current) {
      const Inst& in = prog_[static_cast<std::size_t>(pc)];
      if (sets_[static_cast<std::size_t>(in.set)][byte]) add(next, pc + 1, pos + 1);
    }
    if (matched) return true;
    current.swap(next);
  }
}

}  // namespace atio::cacao
