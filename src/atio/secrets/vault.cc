#include "atio/secrets/vault.h"

#include <sodium.h>

#include <cstdlib>
#include <cstring>

#include "atio/core/private_file.h"

namespace atio::secrets {

namespace {

constexpr std::string_view kPrefix = "sb1:";

bool from_hex(std::string_view hex, unsigned char* out, std::size_t n) {
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r' || hex.back() == ' ')) {
    hex.remove_suffix(1);
  }
  if (hex.size() != n * 2) return false;
  std::size_t len = 0;
  return sodium_hex2bin(out, n, hex.data(), hex.size(), nullptr, &len, nullptr) == 0 && len == n;
}

// The key that seals the secret called `name`.
void name_key(const unsigned char* master, std::string_view name,
              unsigned char out[crypto_secretbox_KEYBYTES]) {
  crypto_generichash(out, crypto_secretbox_KEYBYTES,
                     reinterpret_cast<const unsigned char*>(name.data()), name.size(), master, 32);
}

}  // namespace

std::string default_key_path(const std::string& db_path) { return db_path + ".secret-key"; }

Vault::~Vault() { sodium_memzero(key_, sizeof key_); }

std::shared_ptr<Vault> Vault::with_key(std::string_view key) {
  std::shared_ptr<Vault> v(new Vault());
  std::memcpy(v->key_, key.data(), std::min(key.size(), sizeof v->key_));
  v->source_ = "a key given in code";
  return v;
}

Result<std::shared_ptr<Vault>> Vault::open(const std::string& key_file, bool create) {
  if (sodium_init() < 0) return Status(Code::kInternal, "libsodium could not be initialised");
  std::shared_ptr<Vault> v(new Vault());
  if (const char* env = std::getenv("ATIO_SECRET_KEY"); env != nullptr && *env != '\0') {
    if (!from_hex(env, v->key_, sizeof v->key_)) {
      return Status(Code::kInvalidArgument,
                    "ATIO_SECRET_KEY must be 64 hexadecimal digits (32 bytes); make one with "
                    "`openssl rand -hex 32`");
    }
    v->source_ = "ATIO_SECRET_KEY";
    return v;
  }
  auto content = read_private_file(key_file, "secret key", 130);
  if (!content.is_ok() && content.status().code() == Code::kNotFound && create) {
    unsigned char fresh[32];
    randombytes_buf(fresh, sizeof fresh);
    std::string hex(65, '\0');
    sodium_bin2hex(hex.data(), hex.size(), fresh, sizeof fresh);
    sodium_memzero(fresh, sizeof fresh);
    hex.back() = '\n';
    const Status made = create_private_file(key_file, hex, "secret key");
    wipe(hex);
    if (!made.is_ok() && made.code() != Code::kAlreadyExists) return made;
    content = read_private_file(key_file, "secret key", 130);
  }
  if (!content.is_ok()) return content.status();
  const bool ok = from_hex(*content, v->key_, sizeof v->key_);
  wipe(*content);
  if (!ok) {
    return Status(Code::kInvalidArgument,
                  "secret key " + key_file + " does not hold a key (64 hex digits expected)");
  }
  v->source_ = key_file;
  return v;
}

std::string Vault::seal(std::string_view name, std::string_view plaintext) const {
  unsigned char key[crypto_secretbox_KEYBYTES];
  name_key(key_, name, key);
  std::string raw(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(raw.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                        nonce, key);
  sodium_memzero(key, sizeof key);
  std::string out(kPrefix);
  const std::size_t b64 = sodium_base64_encoded_len(raw.size(), sodium_base64_VARIANT_ORIGINAL);
  std::string text(b64, '\0');
  sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_ORIGINAL);
  text.pop_back();  // the terminating NUL
  return out + text;
}

Result<std::string> Vault::unseal(std::string_view name, std::string_view sealed) const {
  const Status bad(Code::kIo, "secret " + std::string(name) +
                                        " does not open with this key: it was sealed with "
                                        "another key or under another name, or altered");
  if (sealed.substr(0, kPrefix.size()) != kPrefix) return bad;
  sealed.remove_prefix(kPrefix.size());
  std::string raw(sealed.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), sealed.data(),
                        sealed.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return bad;
  }
  const auto* nonce = reinterpret_cast<const unsigned char*>(raw.data());
  const std::size_t box = len - crypto_secretbox_NONCEBYTES;
  std::string plain(box - crypto_secretbox_MACBYTES, '\0');
  unsigned char key[crypto_secretbox_KEYBYTES];
  name_key(key_, name, key);
  const int rc = crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                            nonce + crypto_secretbox_NONCEBYTES, box, nonce, key);
  sodium_memzero(key, sizeof key);
  if (rc != 0) return bad;
  return plain;
}

}  // namespace atio::secrets
