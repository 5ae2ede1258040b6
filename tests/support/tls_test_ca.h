// A throwaway certificate authority and a server certificate for 127.0.0.1
// and "localhost", made with the openssl CLI in a fresh temporary directory,
// and a TLS server context that presents it: for tests of TLS clients
// (syslog over TLS, SMTP STARTTLS) against receivers of their own.
#pragma once

#include <openssl/ssl.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace atio::testing {

class TestCa {
 public:
  TestCa() {
    char tmpl[] = "/tmp/atio-test-ca-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    const std::string d = dir_;
    const std::string quiet = " >/dev/null 2>&1";
    const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    ok_ = run("openssl req -x509" + ec + " -keyout " + d + "/ca.key -out " + d +
              "/ca.pem -subj /CN=atio-test-ca -days 2" + quiet) &&
          run("openssl req" + ec + " -keyout " + d + "/server.key -out " + d +
              "/server.csr -subj /CN=localhost" + quiet) &&
          run("printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > " + d + "/san.ext") &&
          run("openssl x509 -req -in " + d + "/server.csr -CA " + d + "/ca.pem -CAkey " + d +
              "/ca.key -CAcreateserial -out " + d + "/server.pem -days 2 -extfile " + d +
              "/san.ext" + quiet);
  }
  ~TestCa() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;

  bool ok() const { return ok_; }
  std::string ca_file() const { return dir_ + "/ca.pem"; }

  // A server context presenting the certificate; the caller frees it.
  SSL_CTX* server_context() const {
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate_file(ctx, (dir_ + "/server.pem").c_str(), SSL_FILETYPE_PEM);
    SSL_CTX_use_PrivateKey_file(ctx, (dir_ + "/server.key").c_str(), SSL_FILETYPE_PEM);
    return ctx;
  }

 private:
  static bool run(const std::string& command) { return std::system(command.c_str()) == 0; }

  std::string dir_;
  bool ok_ = false;
};

}  // namespace atio::testing
