// Labelled children of a prometheus-cpp family, looked up without locking
// out other readers and without allocating once a label combination exists.
//
// prometheus-cpp's Family::Add takes the family's mutex and builds a label
// map on every call; instruments on hot paths (every step, every execution)
// come here instead: a shared lock and a map lookup by string_view. Only the
// first use of a label combination takes the exclusive lock and calls Add.
// Children are never removed, so the references handed out stay valid for
// the family's life (the registry's).
#pragma once

#include <prometheus/family.h>
#include <prometheus/labels.h>

#include <array>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>

namespace atio::metrics {

template <class Metric, std::size_t N>
class Children {
 public:
  using Values = std::array<std::string_view, N>;
  // Makes the child for a new label combination (Family::Add with the
  // metric's constructor arguments, e.g. a histogram's buckets).
  using Make = std::function<Metric&(prometheus::Family<Metric>&, const prometheus::Labels&)>;

  Children(prometheus::Family<Metric>& family, std::array<std::string, N> names, Make make)
      : family_(family), names_(std::move(names)), make_(std::move(make)) {}
  Children(const Children&) = delete;
  Children& operator=(const Children&) = delete;

  // The child for `values` (in the order of the label names). Thread-safe.
  Metric& get(const Values& values) {
    {
      std::shared_lock<std::shared_mutex> lk(mu_);
      auto it = children_.find(values);
      if (it != children_.end()) return *it->second;
    }
    std::unique_lock<std::shared_mutex> lk(mu_);
    auto it = children_.find(values);
    if (it != children_.end()) return *it->second;
    prometheus::Labels labels;
    Key key;
    for (std::size_t i = 0; i < N; ++i) {
      key[i] = std::string(values[i]);
      labels.emplace(names_[i], key[i]);
    }
    Metric& m = make_(family_, labels);
    children_.emplace(std::move(key), &m);
    return m;
  }

 private:
  using Key = std::array<std::string, N>;
  // Orders keys and looked-up values alike, so find() needs no Key.
  struct Less {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      for (std::size_t i = 0; i < N; ++i) {
        const int c = std::string_view(a[i]).compare(std::string_view(b[i]));
        if (c != 0) return c < 0;
      }
      return false;
    }
  };

  prometheus::Family<Metric>& family_;
  const std::array<std::string, N> names_;
  const Make make_;
  mutable std::shared_mutex mu_;
  std::map<Key, Metric*, Less> children_;
};

}  // namespace atio::metrics
