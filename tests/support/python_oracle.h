// Runs a reference checker from tests/tools/ (the OASIS CACAO and STIX
// schemas through Debian's python3-jsonschema, the IRIS OpenAPI schemas) over
// documents, one per line on its standard input, and returns its verdicts,
// one line per document.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace atio::testing {

// `script` is a file name in tests/tools/; `args` its options (quoted as the
// shell needs). On failure `why` says what went wrong and the result is empty.
inline std::vector<std::string> run_python_oracle(const std::string& script,
                                                  const std::string& args,
                                                  const std::vector<std::string>& lines,
                                                  std::string* why) {
  namespace fs = std::filesystem;
  const std::string path = std::string(ATIO_SOURCE_DIR) + "/tests/tools/" + script;
  const fs::path input =
      fs::temp_directory_path() / (script + "_" + std::to_string(::getpid()) + ".jsonl");
  {
    std::ofstream out(input, std::ios::binary);
    for (const std::string& l : lines) out << l << '\n';
  }
  const std::string cmd =
      "/usr/bin/python3 '" + path + "' " + args + " < '" + input.string() + "' 2>&1";
  std::string output;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) output.append(buf, n);
    if (const int rc = ::pclose(p); rc != 0) {
      *why = "oracle exited with " + std::to_string(rc) + ": " + output.substr(0, 500);
    }
  } else {
    *why = "cannot run " + cmd;
  }
  fs::remove(input);
  std::vector<std::string> verdicts;
  for (std::size_t start = 0; start < output.size();) {
    std::size_t end = output.find('\n', start);
    if (end == std::string::npos) end = output.size();
    verdicts.push_back(output.substr(start, end - start));
    start = end + 1;
  }
  if (why->empty() && verdicts.size() != lines.size()) {
    *why = "oracle printed " + std::to_string(verdicts.size()) + " verdicts for " +
           std::to_string(lines.size()) + " documents: " + output.substr(0, 500);
  }
  if (!why->empty()) verdicts.clear();
  return verdicts;
}

}  // namespace atio::testing
