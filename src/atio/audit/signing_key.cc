#include "atio/audit/signing_key.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace atio::audit {

namespace {

std::string to_hex(const unsigned char* p, std::size_t n) {
  std::string s(n * 2 + 1, '\0');
  sodium_bin2hex(s.data(), s.size(), p, n);
  s.pop_back();
  return s;
}

// Exactly `n` bytes from hex; false on anything else.
bool from_hex(std::string_view hex, unsigned char* out, std::size_t n) {
  if (hex.size() != n * 2) return false;
  std::size_t len = 0;
  return sodium_hex2bin(out, n, hex.data(), hex.size(), nullptr, &len, nullptr) == 0 && len == n;
}

Status io_error(const std::string& what, const std::string& path) {
  return Status(Code::kIo, what + " " + path + ": " + std::strerror(errno));
}

bool ready() { return sodium_init() >= 0; }

}  // namespace

std::string default_key_path(const std::string& db_path) { return db_path + ".audit-key"; }

SigningKey::~SigningKey() { sodium_memzero(secret_, sizeof secret_); }

Result<std::shared_ptr<SigningKey>> SigningKey::load(const std::string& path) {
  if (!ready()) return Status(Code::kInternal, "libsodium could not be initialised");
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) return Status(Code::kNotFound, "audit key " + path + " does not exist");
    return io_error("cannot open audit key", path);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return io_error("cannot stat audit key", path);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status(Code::kInvalidArgument, "audit key " + path + " is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Status(Code::kPermissionDenied,
                  "audit key " + path + " has mode " + mode +
                      "; it must be readable by its owner only (chmod 600), and since others "
                      "could read it, consider making a new key");
  }
  char buf[130];
  const ssize_t n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  if (n < 0) return io_error("cannot read audit key", path);
  std::string_view text(buf, static_cast<std::size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  unsigned char seed[crypto_sign_SEEDBYTES];
  if (!from_hex(text, seed, sizeof seed)) {
    return Status(Code::kInvalidArgument,
                  "audit key " + path + " does not hold a key (64 hex digits expected)");
  }
  std::shared_ptr<SigningKey> key(new SigningKey());
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_seed_keypair(pk, key->secret_, seed);
  sodium_memzero(seed, sizeof seed);
  key->public_hex_ = to_hex(pk, sizeof pk);
  return key;
}

Result<std::shared_ptr<SigningKey>> SigningKey::load_or_create(const std::string& path) {
  auto found = load(path);
  if (found.is_ok() || found.status().code() != Code::kNotFound) return found;
  unsigned char seed[crypto_sign_SEEDBYTES];
  randombytes_buf(seed, sizeof seed);
  std::string text = to_hex(seed, sizeof seed) + "\n";
  sodium_memzero(seed, sizeof seed);
  // O_EXCL: a file created meanwhile by someone else is never overwritten.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    sodium_memzero(text.data(), text.size());
    return io_error("cannot create audit key", path);
  }
  (void)::fchmod(fd, 0600);  // whatever the umask
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                  ::fsync(fd) == 0;
  sodium_memzero(text.data(), text.size());
  if (::close(fd) != 0 || !ok) return io_error("cannot write audit key", path);
  return load(path);
}

std::string SigningKey::sign_hex(std::string_view message) const {
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), secret_);
  return to_hex(sig, sizeof sig);
}

bool verify_signature(std::string_view public_key_hex, std::string_view message,
                      std::string_view signature_hex) {
  if (!ready()) return false;
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sig[crypto_sign_BYTES];
  if (!from_hex(public_key_hex, pk, sizeof pk) || !from_hex(signature_hex, sig, sizeof sig)) {
    return false;
  }
  return crypto_sign_verify_detached(sig, reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), pk) == 0;
}

}  // namespace atio::audit
