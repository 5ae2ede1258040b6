#include "atio/cti/convert/input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
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

  std::size_t size_hint() const override {
    struct stat st;
    if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
    const off_t pos = ::lseek(fd_, 0, SEEK_CUR);
    return pos >= 0 && st.st_size > pos ? static_cast<std::size_t>(st.st_size - pos) : 0;
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

  bool take_rest(std::string* out) override {
    if (pos_ == 0) {
      *out = std::move(data_);
    } else {
      out->assign(data_, pos_);
    }
    data_.clear();
    pos_ = 0;
    return true;
  }

 private:
  std::string data_;
  std::size_t pos_ = 0;
};

}  // namespace

Result<std::string> Input::read_all(std::size_t max_bytes) {
  auto too_large = [&] {
    return Status(Code::kPayloadTooLarge,
                  name() + ": larger than " + std::to_string(max_bytes) + " bytes");
  };
  std::string out;
  if (take_rest(&out)) {
    if (out.size() > max_bytes) return too_large();
    return out;
  }
  // Read straight into the string: into the size the file says it has (one
  // allocation), then in growing steps for what a pipe or a growing file adds.
  std::size_t hint = size_hint();
  if (hint > max_bytes) return too_large();
  std::size_t used = 0;
  out.resize(hint > 0 ? hint + 1 : std::size_t(1) << 16);
  for (;;) {
    if (used == out.size()) {
      if (used >= max_bytes + 1) break;
      out.resize(std::min(out.size() * 2, max_bytes + 1));
    }
    ATIO_ASSIGN_OR_RETURN(std::size_t n, read(out.data() + used, out.size() - used));
    if (n == 0) break;
    used += n;
  }
  if (used > max_bytes) return too_large();
  out.resize(used);
  return out;
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
