// Lossless read/write: every STIX file of the corpus, read by atio
// (json::parse), validated, and written back (json::dump), holds the same
// values as the original: compared by Boost.JSON and, independently, by
// Python's json module. Custom object types and unknown properties are kept.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "atio/core/json.h"
#include "atio/cti/stix/object.h"
#include "atio/cti/stix/validate.h"
#include "stix_test_support.h"

namespace atio::stix {
namespace {

namespace bj = boost::json;
namespace fs = std::filesystem;

struct Counts {
  std::size_t custom_objects = 0;
  std::size_t custom_properties = 0;  // x_... members at any depth
};

void count(const bj::value& v, Counts* c) {
  if (v.is_array()) {
    for (const auto& e : v.get_array()) count(e, c);
  } else if (v.is_object()) {
    const auto& o = v.get_object();
    if (const auto* t = json::get_string(o, "type"); t && kind_of(*t) == Kind::kCustom) {
      ++c->custom_objects;
    }
    for (const auto& kv : o) {
      if (kv.key().starts_with("x_")) ++c->custom_properties;
      count(kv.value(), c);
    }
  }
}

TEST(StixRoundTrip, EveryCorpusFileIsWrittenBackUnchanged) {
  const fs::path dir = fs::temp_directory_path() / ("stix_roundtrip_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::vector<std::pair<std::string, std::string>> pairs;  // original, written by atio
  Counts in_total, out_total;
  json::ParseLimits limits;
  limits.max_bytes = 64 << 20;
  for (const std::string& path : testing::stix_files()) {
    SCOPED_TRACE(testing::short_name(path));
    auto parsed = json::parse(testing::read_file(path), limits);
    if (!parsed.is_ok()) {
      // Only the two deliberately broken validator vectors.
      EXPECT_NE(path.find("validator-test-examples/invalid_"), std::string::npos)
          << parsed.status().to_string();
      continue;
    }
    const bj::value original = *parsed;
    const Validation v = validate(*parsed);  // validation never changes the document
    (void)v;
    const std::string written = json::dump(*parsed);
    auto reread = json::parse(written, limits);
    ASSERT_TRUE(reread.is_ok()) << reread.status().to_string();
    EXPECT_EQ(*reread, original);
    count(original, &in_total);
    count(*reread, &out_total);
    const fs::path out = dir / (std::to_string(pairs.size()) + ".json");
    std::ofstream(out, std::ios::binary) << written;
    pairs.emplace_back(path, out.string());
  }
  EXPECT_EQ(out_total.custom_objects, in_total.custom_objects);
  EXPECT_EQ(out_total.custom_properties, in_total.custom_properties);
  EXPECT_GT(in_total.custom_objects, 200u);      // ATT&CK and Attack Flow types
  EXPECT_GT(in_total.custom_properties, 1000u);  // x_mitre_...

  // Python's json module compares each original with what atio wrote.
  const fs::path list = dir / "pairs.txt";
  {
    std::ofstream l(list);
    for (const auto& [a, b] : pairs) l << a << '\t' << b << '\n';
  }
  const std::string cmd =
      "/usr/bin/python3 -c \"import json,sys\n"
      "for line in open(sys.argv[1]):\n"
      "    a, b = line.rstrip('\\n').split('\\t')\n"
      "    print('same' if json.load(open(a, encoding='utf-8')) == json.load(open(b, "
      "encoding='utf-8')) else 'DIFFERENT ' + a)\" '" +
      list.string() + "' 2>&1";
  std::string output;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[4096];
    while (std::fgets(buf, sizeof buf, p) != nullptr) output += buf;
    EXPECT_EQ(::pclose(p), 0) << output;
  }
  std::size_t same = 0;
  for (std::size_t pos = output.find("same\n"); pos != std::string::npos;
       pos = output.find("same\n", pos + 1)) {
    ++same;
  }
  EXPECT_EQ(same, pairs.size()) << output;
  std::cout << "[ roundtrip] " << pairs.size() << " files, " << in_total.custom_objects
            << " custom objects and " << in_total.custom_properties
            << " x_ properties written back unchanged\n";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace atio::stix
