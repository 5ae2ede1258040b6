// Outputs that serialise each document as it comes: one JSON document per
// line (NDJSON), or indented and separated by newlines for people. Used by
// `atio convert`; a playbook command collects documents instead.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "atio/cti/convert/converter.h"

namespace atio::convert {

// Writes to `file` (not owned), buffered; flush() before reading the result.
// Errors (kIo) name `name`.
class JsonLinesWriter final : public Output {
 public:
  JsonLinesWriter(std::FILE* file, std::string name, bool pretty = false);
  ~JsonLinesWriter() override;
  Status write(bj::object&& document) override;
  Status write_json(std::string_view text) override;
  Status flush();

 private:
  std::FILE* file_;
  std::string name_;
  bool pretty_;
  std::string buf_;
};

// Keeps every document in memory (tests, playbook commands).
class CollectingOutput final : public Output {
 public:
  Status write(bj::object&& document) override {
    documents.emplace_back(std::move(document));
    return Status::ok();
  }
  bj::array documents;
};

}  // namespace atio::convert
