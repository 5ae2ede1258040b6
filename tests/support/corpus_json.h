// Every JSON document of the shared corpus (.json files whole, .ndjson and
// .jsonl line by line) that parses; the corpus keeps some deliberately broken
// files, which are passed over. For tests that hold a JSON writer to
// boost::json::serialize on real data.
#pragma once

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace atio::testing {

// Calls `each(path, value)` for every document; returns how many there were.
inline std::size_t for_each_corpus_json(
    const std::function<void(const std::filesystem::path&, const boost::json::value&)>& each) {
  std::size_t documents = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(ATIO_CORPUS_DIR)) {
    const std::string ext = entry.path().extension().string();
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path());
    std::vector<std::string> texts;
    if (ext == ".json") {
      std::stringstream ss;
      ss << in.rdbuf();
      texts.push_back(ss.str());
    } else if (ext == ".ndjson" || ext == ".jsonl") {
      for (std::string line; std::getline(in, line);) texts.push_back(line);
    } else {
      continue;
    }
    for (const auto& text : texts) {
      boost::system::error_code ec;
      const boost::json::value v = boost::json::parse(text, ec);
      if (ec) continue;
      each(entry.path(), v);
      ++documents;
    }
  }
  return documents;
}

}  // namespace atio::testing
