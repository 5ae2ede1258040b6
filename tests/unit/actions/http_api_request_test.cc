// The pure parts of http-api: request lines, address rules, authentication,
// base64, and validate().
#include "atio/actions/http/http_api_request.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <set>

#include "atio/core/base64.h"
#include "atio/actions/http/http_api_command.h"

namespace atio::actions {
namespace {

using http_api::base_url;
using http_api::parse_request_line;

bj::object obj(std::string_view text) { return bj::parse(text).as_object(); }

cacao::AgentTarget endpoint(std::string_view raw) {
  cacao::AgentTarget t;
  t.id = "http-api--1";
  t.type = "http-api";
  t.raw = obj(raw);
  return t;
}

std::string url_of(std::string_view raw) {
  auto r = base_url(endpoint(raw));
  return r ? *r : "error: " + r.status().message();
}

TEST(HttpApiRequestLine, Cacao20Form) {
  auto line = parse_request_line("POST /api1/newObject HTTP/1.1");
  ASSERT_TRUE(line.is_ok());
  EXPECT_EQ(line->method, "POST");
  EXPECT_EQ(line->target, "/api1/newObject");
  EXPECT_EQ(line->version, "HTTP/1.1");
}

TEST(HttpApiRequestLine, SoarcaForms) {
  auto a = parse_request_line("GET get HTTP1.1");
  ASSERT_TRUE(a.is_ok());
  EXPECT_EQ(a->target, "get");
  auto b = parse_request_line("GET http://__imc_address__/by/__cve__");
  ASSERT_TRUE(b.is_ok());
  EXPECT_EQ(b->version, "");
  EXPECT_TRUE(http_api::is_absolute_url(b->target));
  auto c = parse_request_line("  delete   /x  ");
  ASSERT_TRUE(c.is_ok());
  EXPECT_EQ(c->method, "DELETE");
}

TEST(HttpApiRequestLine, Rejects) {
  EXPECT_FALSE(parse_request_line("").is_ok());
  EXPECT_FALSE(parse_request_line("GET").is_ok());
  EXPECT_FALSE(parse_request_line("FETCH /x HTTP/1.1").is_ok());
  EXPECT_FALSE(parse_request_line("GET /x HTTP/1.1 extra").is_ok());
  EXPECT_FALSE(parse_request_line("GET /x FTP").is_ok());
  EXPECT_EQ(parse_request_line("FETCH /x").status().code(), Code::kInvalidArgument);
}

TEST(HttpApiAddress, SchemeFollowsPort) {
  EXPECT_EQ(url_of(R"({"address":{"dname":["misp.local"]}})"), "http://misp.local");
  EXPECT_EQ(url_of(R"({"address":{"dname":["misp.local"]},"port":"80"})"), "http://misp.local");
  EXPECT_EQ(url_of(R"({"address":{"dname":["misp.local"]},"port":"8080"})"),
            "http://misp.local:8080");
  EXPECT_EQ(url_of(R"({"address":{"dname":["misp.local"]},"port":"443"})"), "https://misp.local");
  EXPECT_EQ(url_of(R"({"address":{"dname":["misp.local"]},"port":"8443"})"),
            "https://misp.local:8443");
  EXPECT_EQ(url_of(R"({"address":{"ipv4":["10.0.0.1"]},"port":"9200"})"), "https://10.0.0.1:9200");
  EXPECT_EQ(url_of(R"({"address":{"ipv6":["::1"]}})"), "http://[::1]");
}

TEST(HttpApiAddress, UrlWinsAndKeepsItsBasePath) {
  EXPECT_EQ(url_of(R"({"address":{"url":["https://iris.local:8443/api/"],"dname":["x.y"]},
                       "port":"80"})"),
            "https://iris.local:8443/api");
}

TEST(HttpApiAddress, Rejects) {
  EXPECT_EQ(url_of(R"({})"), "error: http-api--1 has no address");
  EXPECT_NE(url_of(R"({"address":{"vlan":[1]}})").find("no url, dname"), std::string::npos);
  EXPECT_NE(url_of(R"({"address":{"dname":["hxxp://example.com/v1/"]}})").find("host name"),
            std::string::npos);
  EXPECT_NE(url_of(R"({"address":{"url":["ftp://x.y"]}})").find("http:// or https://"),
            std::string::npos);
  EXPECT_NE(url_of(R"({"address":{"dname":["a.b"]},"port":"0"})").find("1 to 65535"),
            std::string::npos);
  EXPECT_NE(url_of(R"({"address":{"dname":["a.b"]},"port":80})").find("string"),
            std::string::npos);
  EXPECT_NE(url_of(R"({"address":{"ipv4":["300.1.1.1"]}})").find("IPv4"), std::string::npos);
}

TEST(HttpApiAuth, UnknownTypesAreRejected) {
  cacao::Playbook pb;
  pb.auth_infos["o"] = {"o", "oauth2", obj(R"({"type":"oauth2","oauth_header":"OAuth realm=x"})")};
  pb.auth_infos["z"] = {"z", "x-custom", obj(R"({"type":"x-custom"})")};
  auto with = [&](std::string id) {
    return http_api::authorization(pb, endpoint(R"({"address":{"dname":["a"]},
        "authentication_info":")" + id + R"("})"));
  };
  EXPECT_EQ(*with("o"), "OAuth realm=x");  // no token: the header as written
  EXPECT_FALSE(with("z").is_ok());
  EXPECT_NE(with("missing").status().message().find("not in authentication_info_definitions"),
            std::string::npos);
  EXPECT_EQ(*http_api::authorization(pb, endpoint(R"({"address":{}})")), "");
}

// kms: true names a secret of atio's secret store: checked by name when the
// playbook is validated, read when a request is built.
class FakeSecrets final : public SecretSource {
 public:
  Result<bj::value> reveal(const std::string& name, const std::string&) const override {
    if (name == "misp") return bj::value(bj::object{{"oauth_header", "k3y"}});
    if (name == "iris") return bj::value("t0ken");
    if (name == "basic") return bj::value("s3cret");
    return Status(Code::kNotFound, "no secret named " + name);
  }
};

TEST(HttpApiAuth, KmsSecretsComeFromTheSecretStore) {
  cacao::Playbook pb;
  auto kms = [&](std::string id, std::string type, std::string secret) {
    pb.auth_infos[id] = {id, type,
                         obj(R"({"type":")" + type + R"(","kms":true,"kms_key_identifier":")" +
                             secret + R"(","user_id":"admin"})")};
  };
  kms("m", "oauth2", "misp");
  kms("i", "oauth2", "iris");
  kms("b", "http-basic", "basic");
  kms("gone", "oauth2", "nope");
  pb.auth_infos["noid"] = {"noid", "oauth2", obj(R"({"type":"oauth2","kms":true})")};
  FakeSecrets secrets;
  auto with = [&](std::string id, const SecretSource* s, http_api::SecretUse use) {
    return http_api::authorization(
        pb, endpoint(R"({"address":{"dname":["a"]},"authentication_info":")" + id + R"("})"), s,
        use);
  };
  using http_api::SecretUse;
  EXPECT_EQ(*with("m", &secrets, SecretUse::kReveal), "k3y");
  EXPECT_EQ(*with("i", &secrets, SecretUse::kReveal), "Bearer t0ken");
  EXPECT_EQ(*with("b", &secrets, SecretUse::kReveal), "Basic YWRtaW46czNjcmV0");  // admin:s3cret
  // Validation reads nothing: any named secret passes, a missing name fails.
  EXPECT_EQ(*with("gone", nullptr, SecretUse::kCheck), "");
  EXPECT_NE(with("noid", nullptr, SecretUse::kCheck).status().message().find("kms_key_identifier"),
            std::string::npos);
  EXPECT_EQ(with("gone", &secrets, SecretUse::kReveal).status().code(), Code::kNotFound);
  EXPECT_NE(with("gone", &secrets, SecretUse::kReveal).status().message().find("atio secret set nope"),
            std::string::npos);
  EXPECT_EQ(with("m", nullptr, SecretUse::kReveal).status().code(), Code::kUnavailable);
}

TEST(HttpApiUrl, RedactsCredentials) {
  EXPECT_EQ(http_api::redact_url("https://u:p@h.example/x@y"), "https://h.example/x@y");
  EXPECT_EQ(http_api::redact_url("http://h/x"), "http://h/x");
}

TEST(Base64, RoundTripAndErrors) {
  for (const std::string& s : std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar",
                                                      std::string("\0\xff", 2)}) {
    auto back = base64_decode(base64_encode(s));
    ASSERT_TRUE(back.has_value()) << s;
    EXPECT_EQ(*back, s);
  }
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(*base64_decode("Zm9v\nYmE="), "fooba");
  EXPECT_EQ(*base64_decode("Zm9vYg"), "foob");  // padding optional
  EXPECT_FALSE(base64_decode("Zm9v!").has_value());
  EXPECT_FALSE(base64_decode("Z").has_value());
  EXPECT_FALSE(base64_decode("Zg==Zg==").has_value());
  EXPECT_FALSE(base64_decode("Zg=").has_value());
}

// validate() through the command type.
class HttpApiValidate : public ::testing::Test {
 protected:
  HttpClient client_;
  HttpApiCommand type_{client_};
  cacao::Playbook pb_;
  cacao::Step step_;

  void SetUp() override {
    pb_.targets["http-api--1"] = endpoint(R"({"address":{"dname":["misp.local"]},"port":"443"})");
    step_.id = "action--1";
    step_.kind = cacao::StepKind::kAction;
    step_.targets = {"http-api--1"};
  }

  json::FieldErrors check(std::string_view raw) {
    cacao::Command cmd;
    cmd.raw = obj(raw);
    cmd.type = "http-api";
    if (auto* c = cmd.raw.if_contains("command"); c && c->is_string()) {
      cmd.command = std::string(c->as_string());
    }
    json::FieldErrors errors;
    type_.validate(cmd, pb_, step_, "/workflow/action--1/commands/0", &errors);
    return errors;
  }
};

TEST_F(HttpApiValidate, ValidCommandHasNoErrors) {
  EXPECT_TRUE(check(R"({"type":"http-api","command":"POST /events HTTP/1.1",
      "headers":{"Content-Type":["application/json"]},"content":"{}"})").empty());
}

TEST_F(HttpApiValidate, ReportsEachProblemWithItsPointer) {
  auto errors = check(R"({"type":"http-api","command":"FETCH /x HTTP/1.1",
      "headers":{"Bad Name":["v"],"X-Ok":["v"]},"content":"a","content_b64":"!!"})");
  std::set<std::string> pointers;
  for (const auto& e : errors) pointers.insert(e.pointer);
  const std::string p = "/workflow/action--1/commands/0";
  EXPECT_EQ(pointers, (std::set<std::string>{p + "/command", p + "/headers/Bad Name",
                                              p + "/content_b64", p}));
}

TEST_F(HttpApiValidate, LeavesPropertyTypesToTheSchemaValidator) {
  // cacao/semantic_commands.cc reports these; saying it twice is noise.
  EXPECT_TRUE(check(R"({"type":"http-api","command":"GET /x HTTP/1.1",
      "headers":{"X-A":"not-a-list","X-B":[1]},"content":5})").empty());
  EXPECT_TRUE(check(R"({"type":"http-api"})").empty());
}

TEST_F(HttpApiValidate, NeedsSomewhereToSendTheRequest) {
  step_.targets.clear();
  auto errors = check(R"({"type":"http-api","command":"GET /x HTTP/1.1"})");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("no http-api target or agent"), std::string::npos);
  // An absolute URL needs no target.
  EXPECT_TRUE(check(R"({"type":"http-api","command":"GET http://__host__:value/x"})").empty());
}

TEST_F(HttpApiValidate, ChecksTheAddressAndAuthentication) {
  pb_.targets["http-api--1"] = endpoint(R"({"address":{"dname":["hxxp://example.com/v1/"]},
      "authentication_info":"http-basic--404"})");
  auto errors = check(R"({"type":"http-api","command":"GET /x HTTP/1.1"})");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[0].message.find("dname"), std::string::npos);
  EXPECT_NE(errors[1].message.find("http-basic--404"), std::string::npos);
}

TEST_F(HttpApiValidate, AddressFromAVariableIsCheckedAtRunTime) {
  pb_.targets["http-api--1"] = endpoint(R"({"address":{"url":["__misp_url__:value"]}})");
  EXPECT_TRUE(check(R"({"type":"http-api","command":"GET /x HTTP/1.1"})").empty());
}

}  // namespace
}  // namespace atio::actions
