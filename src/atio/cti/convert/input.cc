#include "atio/cti/convert/input.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace atio::convert {

namespace {

class FdInput : public Input {
 public:
  FdInput(std::string name, int fd, bool owned) : Input(std::move(name)), fd_(fd), owned_(owned) {}
  ~FdInput() override {
    if (owned_) ::close(fd_);
  }

  Result<std::size_t> read(char* buf, std::size_t n) override {
    for (;;) {
      ssize_t r = ::read(fd_, buf, n);
      if (r >= 0) return static_cast<std::size_t>(r);
      if (errno == EINTR) continue;
      return Status(Code::kIo, name() + ": " + std::strerror(errno));
    }
  }

 private:
  int fd_;
  bool owned_;
};

class StringInput : public Input {
 public:
  StringInput(std::string name, std::string data) : Input(std::move(name)), data_(std::move(data)) {}

  Result<std::size_t> read(char* buf, std::size_t n) override {
    const std::size_t k = std::min(n, data_.size() - pos_);
    std::memcpy(buf, data_.data() + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  std::string data_;
  std::size_t pos_ = 0;
};

}  // namespace

Result<std::string> Input::read_all(std::size_t max_bytes) {
  std::string out;
  char buf[1 << 16];
  for (;;) {
    ATIO_ASSIGN_OR_RETURN(std::size_t n, read(buf, sizeof buf));
    if (n == 0) return out;
    if (out.size() + n > max_bytes) {
      return Status(Code::kPayloadTooLarge,
                    name() + ": larger than " + std::to_string(max_bytes) + " bytes");
    }
    out.append(buf, n);
  }
}

Result<std::unique_ptr<Input>> open_file(const std::string& path) {
  if (path == "-") return std::unique_ptr<Input>(new FdInput("-", 0, false));
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status(Code::kIo, path + ": " + std::strerror(errno));
  return std::unique_ptr<Input>(new FdInput(path, fd, true));
}

std::unique_ptr<Input> string_input(std::string name, std::string data) {
  return std::make_unique<StringInput>(std::move(name), std::move(data));
}

}  // namespace atio::convert
