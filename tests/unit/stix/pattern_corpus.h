// The indicator patterns and observed data of the shared corpus, read from
// the files (every JSON file under the folders that hold STIX 2.1 content).
#pragma once

#include <boost/json.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "atio/core/json.h"

namespace atio::stix::testing {

namespace bj = boost::json;

struct CorpusIndicator {
  std::string file;     // relative to the corpus
  bj::object indicator;  // the indicator object, pattern_type "stix"
  std::string pattern() const { return std::string(indicator.at("pattern").as_string()); }
};

inline const char* const kPatternFolders[] = {"stix-bundles", "stix21-schemas",
                                              "misp/misp-stix-pairs",
                                              "misp/misp-stix-mapping-docs"};

// Calls `f(relative_path, value)` for every JSON file of the folders above
// that parses (a few corpus files are broken on purpose).
template <typename F>
void for_each_corpus_json(F&& f) {
  namespace fs = std::filesystem;
  const fs::path root(ATIO_CORPUS_DIR);
  for (const char* folder : kPatternFolders) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(root / folder)) {
      if (entry.is_regular_file() && entry.path().extension() == ".json") {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    json::ParseLimits limits;
    limits.max_bytes = 64 << 20;
    for (const fs::path& p : files) {
      Result<bj::value> v = json::parse_file(p.string(), limits);
      if (v) f(fs::relative(p, root).string(), *v);
    }
  }
}

// Every object (at any depth) of `v`, depth first.
template <typename F>
void for_each_object(const bj::value& v, F&& f) {
  if (const bj::object* o = v.if_object()) {
    f(*o);
    for (const auto& kv : *o) for_each_object(kv.value(), f);
  } else if (const bj::array* a = v.if_array()) {
    for (const bj::value& e : *a) for_each_object(e, f);
  }
}

inline bool is_stix_indicator(const bj::object& o) {
  const bj::value* type = o.if_contains("type");
  const bj::value* pattern = o.if_contains("pattern");
  const bj::value* pattern_type = o.if_contains("pattern_type");
  return type && type->is_string() && type->as_string() == "indicator" && pattern &&
         pattern->is_string() && pattern_type && pattern_type->is_string() &&
         pattern_type->as_string() == "stix";
}

inline std::vector<CorpusIndicator> corpus_indicators() {
  std::vector<CorpusIndicator> out;
  for_each_corpus_json([&](const std::string& file, const bj::value& v) {
    for_each_object(v, [&](const bj::object& o) {
      if (is_stix_indicator(o)) out.push_back({file, o});
    });
  });
  return out;
}

}  // namespace atio::stix::testing
