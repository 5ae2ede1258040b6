// The bytes a converter reads: a file, standard input, or a string (a
// playbook variable). Read in chunks so that large inputs need not fit in
// memory.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "atio/core/status.h"

namespace atio::convert {

class Input {
 public:
  explicit Input(std::string name) : name_(std::move(name)) {}
  virtual ~Input() = default;

  // The file name, "-" for standard input, or what the caller named it; used
  // in every location a report gives.
  const std::string& name() const { return name_; }

  // Reads up to `n` bytes into `buf`; 0 at the end. Errors are kIo.
  virtual Result<std::size_t> read(char* buf, std::size_t n) = 0;

  // Reads what is left, for formats that need the whole document (XML, MISP
  // events, STIX bundles). kPayloadTooLarge past `max_bytes`. Files of known
  // size are read into one allocation, and a string input hands over its
  // bytes without a copy (parsers that work in place then copy nothing).
  Result<std::string> read_all(std::size_t max_bytes = 512u << 20);

 protected:
  // How many bytes are left to read, when the input knows (a regular file);
  // read_all() sizes its buffer from it.
  virtual std::size_t size_hint() const { return 0; }
  // Moves out everything not read yet, when the input holds it in a string.
  virtual bool take_rest(std::string* out) { return false; }

 private:
  std::string name_;
};

// Opens a file ("-" is standard input). kIo naming the file when it cannot
// be opened.
Result<std::unique_ptr<Input>> open_file(const std::string& path);

// An input over bytes held in memory.
std::unique_ptr<Input> string_input(std::string name, std::string data);

}  // namespace atio::convert
