// Helpers for converter tests: corpus files, running a converter over a
// file or a string, and looking objects up in a STIX bundle.
#pragma once

#include <boost/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "atio/core/json.h"
#include "atio/cti/convert/input.h"
#include "atio/cti/convert/registry.h"

#include "support/python_oracle.h"

namespace atio::convert::testing {

namespace bj = boost::json;
namespace fs = std::filesystem;

inline std::string corpus(const std::string& sub) { return std::string(ATIO_CORPUS_DIR) + "/" + sub; }

// Every *.json / *.ndjson file under `dir`, sorted.
inline std::vector<std::string> data_files(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    const auto ext = e.path().extension().string();
    if (ext == ".json" || ext == ".ndjson") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class VectorOutput : public Output {
 public:
  Status write(bj::object&& doc) override {
    docs.push_back(std::move(doc));
    return Status::ok();
  }
  std::vector<bj::object> docs;
};

struct Conversion {
  Status status;
  Report report;
  std::vector<bj::object> docs;
};

inline Conversion run(const Converter& c, Input& in) {
  Conversion r;
  VectorOutput out;
  r.status = c.convert(in, out, r.report);
  r.docs = std::move(out.docs);
  return r;
}

inline Conversion run_file(const Converter& c, const std::string& path) {
  auto in = open_file(path);
  if (!in.is_ok()) return Conversion{in.status(), {}, {}};
  return run(c, **in);
}

inline Conversion run_string(const Converter& c, std::string data) {
  auto in = string_input("test", std::move(data));
  return run(c, *in);
}

// The objects of a bundle by id.
inline const bj::object* find_id(const bj::object& bundle, std::string_view id) {
  for (const auto& o : bundle.at("objects").get_array()) {
    if (o.get_object().at("id").get_string() == id) return &o.get_object();
  }
  return nullptr;
}

inline std::vector<const bj::object*> of_type(const bj::object& bundle, std::string_view type) {
  std::vector<const bj::object*> out;
  for (const auto& o : bundle.at("objects").get_array()) {
    if (o.get_object().at("type").get_string() == type) out.push_back(&o.get_object());
  }
  return out;
}

inline std::string str(const bj::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return {};
  if (it->value().is_string()) return std::string(it->value().get_string());
  if (it->value().is_int64()) return std::to_string(it->value().get_int64());
  if (it->value().is_uint64()) return std::to_string(it->value().get_uint64());
  return {};
}

// Runs tests/tools/<script> with Debian's Python over `docs`, one JSON per
// line on its standard input, and returns its verdicts (one line each). On
// failure `why` says what went wrong and the result is empty.
inline std::vector<std::string> run_oracle(const std::string& script, const std::string& args,
                                           const std::vector<bj::object>& docs, std::string* why) {
  std::vector<std::string> lines;
  lines.reserve(docs.size());
  for (const auto& d : docs) lines.push_back(json::dump(d));
  return atio::testing::run_python_oracle(script, args, lines, why);
}

}  // namespace atio::convert::testing
