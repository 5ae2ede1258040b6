// Reads text exposition through tests/tools/prometheus_text_oracle.py
// (Debian's python3-prometheus-client parser), so the tests check what a
// Prometheus client library reads from atio's text, not atio's own idea of
// the format.
#pragma once

#include <unistd.h>

#include <boost/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>

namespace atio::metrics::testing {

namespace bj = boost::json;

using Labels = std::map<std::string, std::string>;

struct Exposition {
  std::string error;  // the parser refused the text, or could not run
  bj::array families;

  const bj::object* family(const std::string& name) const {
    for (const auto& f : families) {
      if (f.at("name") == bj::value(name)) return &f.as_object();
    }
    return nullptr;
  }
  // The value of the sample named `sample` whose labels are exactly `labels`.
  std::optional<double> value(const std::string& sample, const Labels& labels = {}) const {
    for (const auto& f : families) {
      for (const auto& s : f.at("samples").as_array()) {
        if (s.at("name") != bj::value(sample)) continue;
        Labels got;
        for (const auto& kv : s.at("labels").as_object()) {
          got[std::string(kv.key())] = std::string(kv.value().as_string());
        }
        if (got != labels) continue;
        const auto& v = s.at("value");
        if (v.is_string()) return v.as_string() == "+Inf" ? 1.0 / 0.0 : 0.0 / 0.0;
        return v.to_number<double>();
      }
    }
    return std::nullopt;
  }
  // The cumulative count of the bucket with upper bound `le` of the histogram
  // series `name` with `labels` (besides le), compared by value: the text of
  // a bound ("0.5", "5e-01") is the writer's choice.
  std::optional<double> bucket(const std::string& name, const Labels& labels, double le) const {
    for (const auto& f : families) {
      for (const auto& s : f.at("samples").as_array()) {
        if (s.at("name") != bj::value(name + "_bucket")) continue;
        Labels got;
        std::string bound;
        for (const auto& kv : s.at("labels").as_object()) {
          if (kv.key() == "le") {
            bound = std::string(kv.value().as_string());
          } else {
            got[std::string(kv.key())] = std::string(kv.value().as_string());
          }
        }
        if (got != labels) continue;
        const double b = bound == "+Inf" ? 1.0 / 0.0 : std::stod(bound);
        if (b == le) return s.at("value").to_number<double>();
      }
    }
    return std::nullopt;
  }
  // How many samples are named `sample`.
  std::size_t count(const std::string& sample) const {
    std::size_t n = 0;
    for (const auto& f : families) {
      for (const auto& s : f.at("samples").as_array()) n += s.at("name") == bj::value(sample);
    }
    return n;
  }
};

inline Exposition parse_exposition(const std::string& text) {
  namespace fs = std::filesystem;
  Exposition out;
  const fs::path input = fs::temp_directory_path() /
                         ("atio-exposition-" + std::to_string(::getpid()) + ".txt");
  {
    std::ofstream f(input, std::ios::binary);
    f << text;
  }
  const std::string cmd = "/usr/bin/python3 '" + std::string(ATIO_SOURCE_DIR) +
                          "/tests/tools/prometheus_text_oracle.py' < '" + input.string() +
                          "' 2>&1";
  std::string output;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) output.append(buf, n);
    if (::pclose(p) != 0) out.error = output.substr(0, 1000);
  } else {
    out.error = "cannot run " + cmd;
  }
  fs::remove(input);
  if (!out.error.empty()) return out;
  boost::system::error_code ec;
  bj::value doc = bj::parse(output, ec);
  if (ec || !doc.is_object()) {
    out.error = "the oracle printed no JSON: " + output.substr(0, 1000);
    return out;
  }
  out.families = doc.at("families").as_array();
  return out;
}

}  // namespace atio::metrics::testing
