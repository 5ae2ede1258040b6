// The workflow as a graph: references, reachability, cycles, branch ends.
#include <algorithm>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "atio/playbook/cacao/semantic.h"

namespace atio::cacao::semantic {

namespace {

// One reference from a step to another. Branch edges open a branch that must
// finish at an end step (parallel, if, while, switch); the others continue
// the flow the step is on.
struct Edge {
  std::string target;
  std::string pointer;
  bool branch = false;
};

std::vector<Edge> edges_of(const Step& s) {
  const std::string p = step_pointer(s.id);
  std::vector<Edge> out;
  auto add = [&](const std::string& target, std::string pointer, bool branch) {
    if (!target.empty()) out.push_back(Edge{target, std::move(pointer), branch});
  };
  add(s.on_completion, p + "/on_completion", false);
  add(s.on_success, p + "/on_success", false);
  add(s.on_failure, p + "/on_failure", false);
  for (std::size_t i = 0; i < s.next_steps.size(); ++i) {
    add(s.next_steps[i], json::pointer_join(p + "/next_steps", i), true);
  }
  add(s.on_true, p + "/on_true", true);
  add(s.on_false, p + "/on_false", true);
  for (const auto& [value, target] : s.cases) add(target, json::pointer_join(p + "/cases", value), true);
  return out;
}

class Graph {
 public:
  explicit Graph(const Playbook& pb) : pb_(pb), adj_(pb.steps.size()), edges_(pb.steps.size()) {
    for (std::size_t i = 0; i < pb.steps.size(); ++i) {
      edges_[i] = edges_of(pb.steps[i]);
      for (const Edge& e : edges_[i]) {
        if (auto t = index(e.target)) adj_[i].push_back(*t);
      }
    }
  }

  std::optional<std::size_t> index(const std::string& id) const {
    auto it = pb_.step_index.find(id);
    if (it == pb_.step_index.end()) return std::nullopt;
    return it->second;
  }
  std::size_t size() const { return adj_.size(); }
  const std::vector<Edge>& edges(std::size_t i) const { return edges_[i]; }
  const std::vector<std::size_t>& next(std::size_t i) const { return adj_[i]; }
  StepKind kind(std::size_t i) const { return pb_.steps[i].kind; }

  // Steps reachable from `from` (inclusive), never entering `blocked`.
  std::vector<bool> reach(const std::vector<std::size_t>& from,
                          std::optional<std::size_t> blocked = std::nullopt) const {
    std::vector<bool> seen(size(), false);
    std::deque<std::size_t> queue;
    for (std::size_t f : from) {
      if (f != blocked && !seen[f]) seen[f] = true, queue.push_back(f);
    }
    while (!queue.empty()) {
      std::size_t u = queue.front();
      queue.pop_front();
      for (std::size_t w : adj_[u]) {
        if (w != blocked && !seen[w]) seen[w] = true, queue.push_back(w);
      }
    }
    return seen;
  }

  bool any_end(const std::vector<bool>& set) const {
    for (std::size_t i = 0; i < size(); ++i) {
      if (set[i] && kind(i) == StepKind::kEnd) return true;
    }
    return false;
  }

  // Whether the branch that step `parent` opens at `head` finishes: it reaches
  // an end step without passing through `parent` or, when `parent` is a
  // while-condition, it links back to it (that iteration ends there; the
  // executor then evaluates the condition again).
  bool branch_finishes(std::size_t head, std::size_t parent) const {
    if (head == parent) return false;
    const std::vector<bool> seen = reach({head}, parent);
    if (any_end(seen)) return true;
    if (kind(parent) != StepKind::kWhileCondition) return false;
    for (std::size_t i = 0; i < size(); ++i) {
      if (!seen[i]) continue;
      for (std::size_t w : adj_[i]) {
        if (w == parent) return true;
      }
    }
    return false;
  }

  // Strongly connected components of the graph without while-condition steps
  // that contain a cycle: exactly the cycles that pass no while-condition.
  // Iterative Tarjan (a fuzzer can build long chains).
  std::vector<std::vector<std::size_t>> cycles_without_while() const {
    const std::size_t n = size();
    std::vector<long> idx(n, -1), low(n, 0);
    std::vector<bool> on_stack(n, false);
    std::vector<std::size_t> stack;
    std::vector<std::pair<std::size_t, std::size_t>> frames;  // (node, next edge)
    std::vector<std::vector<std::size_t>> out;
    long counter = 0;
    auto skip = [&](std::size_t v) { return kind(v) == StepKind::kWhileCondition; };
    auto open = [&](std::size_t v) {
      idx[v] = low[v] = counter++;
      stack.push_back(v);
      on_stack[v] = true;
      frames.emplace_back(v, 0);
    };
    for (std::size_t root = 0; root < n; ++root) {
      if (idx[root] != -1 || skip(root)) continue;
      open(root);
      while (!frames.empty()) {
        const std::size_t u = frames.back().first;
        const std::size_t pos = frames.back().second;
        if (pos < adj_[u].size()) {
          frames.back().second++;
          const std::size_t w = adj_[u][pos];
          if (skip(w)) continue;
          if (idx[w] == -1) {
            open(w);
          } else if (on_stack[w]) {
            low[u] = std::min(low[u], idx[w]);
          }
          continue;
        }
        if (low[u] == idx[u]) {
          std::vector<std::size_t> scc;
          std::size_t w;
          do {
            w = stack.back();
            stack.pop_back();
            on_stack[w] = false;
            scc.push_back(w);
          } while (w != u);
          const auto& nu = adj_[u];
          if (scc.size() > 1 || std::find(nu.begin(), nu.end(), u) != nu.end()) {
            std::sort(scc.begin(), scc.end());
            out.push_back(std::move(scc));
          }
        }
        frames.pop_back();
        if (!frames.empty()) {
          const std::size_t parent = frames.back().first;
          low[parent] = std::min(low[parent], low[u]);
        }
      }
    }
    return out;
  }

 private:
  const Playbook& pb_;
  std::vector<std::vector<std::size_t>> adj_;
  std::vector<std::vector<Edge>> edges_;
};

std::string kind_phrase(StepKind kind) {
  std::string name = step_kind_name(kind);
  bool vowel = name[0] == 'a' || name[0] == 'e' || name[0] == 'i';
  return (vowel ? "an " : "a ") + name + " step";
}

}  // namespace

void check_graph(const Playbook& pb, json::FieldErrors* errors) {
  auto fail = [&](std::string pointer, std::string message) {
    errors->push_back(json::FieldError{std::move(pointer), std::move(message)});
  };
  if (json::get_object(pb.doc, "workflow") == nullptr) return;  // schema error
  const Graph g(pb);

  for (std::size_t i = 0; i < g.size(); ++i) {
    const Step& s = pb.steps[i];
    for (const Edge& e : g.edges(i)) {
      if (!g.index(e.target)) fail(e.pointer, "refers to step '" + e.target + "', which is not in workflow");
    }
    if (!s.on_completion.empty() && (!s.on_success.empty() || !s.on_failure.empty())) {
      fail(step_pointer(s.id) + "/on_completion", "must not be used together with on_success or on_failure");
    }
    if (s.kind != StepKind::kEnd && s.on_completion.empty() && s.on_success.empty()) {
      fail(step_pointer(s.id),
           "must name its next step in on_completion or on_success: only an end step may finish a "
           "workflow or a branch");
    }
  }

  std::optional<std::size_t> start, exception;
  if (!pb.workflow_start.empty()) {
    start = g.index(pb.workflow_start);
    if (!start) {
      fail("/workflow_start", "refers to step '" + pb.workflow_start + "', which is not in workflow");
    } else if (g.kind(*start) != StepKind::kStart) {
      fail("/workflow_start", "must name a start step, not " + kind_phrase(g.kind(*start)));
    }
  }
  if (!pb.workflow_exception.empty()) {
    exception = g.index(pb.workflow_exception);
    if (!exception) {
      fail("/workflow_exception",
           "refers to step '" + pb.workflow_exception + "', which is not in workflow");
    }
  }

  if (start) {
    std::vector<std::size_t> roots{*start};
    if (exception) roots.push_back(*exception);
    const std::vector<bool> reached = g.reach(roots);
    for (std::size_t i = 0; i < g.size(); ++i) {
      if (!reached[i]) {
        fail(step_pointer(pb.steps[i].id), "is not reachable from workflow_start or workflow_exception");
      }
    }
    if (!g.any_end(g.reach({*start}))) fail("/workflow_start", "no end step can be reached from the start step");
  }

  for (const auto& cycle : g.cycles_without_while()) {
    std::string names;
    for (std::size_t k = 0; k < cycle.size() && k < 6; ++k) {
      names += (k ? ", " : "") + pb.steps[cycle[k]].id;
    }
    if (cycle.size() > 6) names += ", ...";
    fail(step_pointer(pb.steps[cycle.front()].id),
         "is on a cycle that does not pass through a while-condition step (" + names + ")");
  }

  for (std::size_t i = 0; i < g.size(); ++i) {
    for (const Edge& e : g.edges(i)) {
      if (!e.branch) continue;
      auto head = g.index(e.target);
      if (!head) continue;  // reported above
      if (!g.branch_finishes(*head, i)) {
        fail(e.pointer, "starts a branch that never reaches an end step (each branch must finish at "
                        "an end step of its own; a while body may also link back to its while step)");
      }
    }
  }

  bool has_action = std::any_of(pb.steps.begin(), pb.steps.end(), [](const Step& s) {
    return s.kind == StepKind::kAction || s.kind == StepKind::kPlaybookAction;
  });
  if (!has_action) fail("/workflow", "must contain at least one action or playbook-action step");
}

}  // namespace atio::cacao::semantic
