// The web UI's files as `atio serve` answers them: content types, the
// single-page fallback, caching, the security headers, and what is refused.
#include "atio/server/ui/static_site.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "atio/server/router.h"

namespace atio::server::ui {
namespace {

namespace fs = std::filesystem;

std::string header(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

Request get(const std::string& path, const std::string& method = "GET") {
  Request r;
  r.method = method;
  r.target = r.path = path;
  return r;
}

class StaticSiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("atio-ui-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    write(dir_ / "index.html", "<!doctype html><title>atio</title>");
    write(dir_ / "assets" / "index-abc123.js", "console.log(1)");
    write(dir_ / "assets" / "index-abc123.css", "body{}");
    write(dir_ / "favicon.svg", "<svg/>");
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::shared_ptr<const StaticSite> load() {
    auto site = StaticSite::load(dir_);
    EXPECT_TRUE(site.is_ok()) << site.status().to_string();
    return *site;
  }
  fs::path dir_;
};

TEST_F(StaticSiteTest, ServesEachFileWithItsContentType) {
  auto site = load();
  EXPECT_EQ(site->file_count(), 4u);
  Response js = site->serve(get("/assets/index-abc123.js"));
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(site->serve(get("/assets/index-abc123.css")).content_type, "text/css; charset=utf-8");
  EXPECT_EQ(site->serve(get("/favicon.svg")).content_type, "image/svg+xml");
  Response root = site->serve(get("/"));
  EXPECT_EQ(root.status, 200);
  EXPECT_EQ(root.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(root.body, "<!doctype html><title>atio</title>");
}

TEST_F(StaticSiteTest, TheUisOwnRoutesAnswerIndexHtmlAndMissingFilesAre404) {
  auto site = load();
  for (const char* path : {"/executions/0199-abc", "/playbooks", "/cases/x/y"}) {
    Response r = site->serve(get(path));
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, "<!doctype html><title>atio</title>") << path;
  }
  EXPECT_EQ(site->serve(get("/assets/gone-123.js")).status, 404);
  EXPECT_EQ(site->serve(get("/robots.txt")).status, 404);
}

TEST_F(StaticSiteTest, EveryAnswerCarriesTheSecurityHeaders) {
  auto site = load();
  for (const char* path : {"/", "/assets/index-abc123.js", "/missing.png"}) {
    Response r = site->serve(get(path));
    EXPECT_EQ(header(r, "Content-Security-Policy"), kContentSecurityPolicy) << path;
    EXPECT_EQ(header(r, "X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(header(r, "X-Frame-Options"), "DENY") << path;
    EXPECT_EQ(header(r, "Referrer-Policy"), "no-referrer") << path;
  }
  // No inline script and no eval may run under the policy.
  const std::string csp = kContentSecurityPolicy;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos);
}

TEST_F(StaticSiteTest, HashedAssetsAreImmutableAndTheRestRevalidates) {
  auto site = load();
  EXPECT_EQ(header(site->serve(get("/assets/index-abc123.js")), "Cache-Control"),
            "public, max-age=31536000, immutable");
  Response index = site->serve(get("/"));
  EXPECT_EQ(header(index, "Cache-Control"), "no-cache");
  const std::string etag = header(index, "ETag");
  ASSERT_FALSE(etag.empty());
  Request again = get("/");
  again.headers["if-none-match"] = etag;
  Response not_modified = site->serve(again);
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_TRUE(not_modified.body.empty());
  // A changed file has another ETag.
  write(dir_ / "index.html", "<!doctype html><title>atio 2</title>");
  EXPECT_NE(header(load()->serve(get("/")), "ETag"), etag);
}

TEST_F(StaticSiteTest, HeadAnswersWithoutABody) {
  Response r = load()->serve(get("/favicon.svg", "HEAD"));
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.empty());
}

TEST_F(StaticSiteTest, RefusesADirectoryWithoutIndexASymlinkOrTooMuch) {
  fs::remove(dir_ / "index.html");
  auto none = StaticSite::load(dir_);
  ASSERT_FALSE(none.is_ok());
  EXPECT_EQ(none.status().code(), Code::kNotFound);
  EXPECT_NE(none.status().message().find("index.html"), std::string::npos);

  write(dir_ / "index.html", "<!doctype html>");
  fs::create_symlink("/etc/passwd", dir_ / "assets" / "passwd.txt");
  auto linked = StaticSite::load(dir_);
  ASSERT_FALSE(linked.is_ok());
  EXPECT_EQ(linked.status().code(), Code::kInvalidArgument);
  EXPECT_NE(linked.status().message().find("symbolic link"), std::string::npos);

  fs::remove(dir_ / "assets" / "passwd.txt");
  auto big = StaticSite::load(dir_, 10);
  ASSERT_FALSE(big.is_ok());
  EXPECT_EQ(big.status().code(), Code::kInvalidArgument);
}

class NoKeys final : public Authenticator {
 public:
  Result<Principal> authenticate(const Request&) const override {
    return Status(Code::kUnauthenticated, "no credentials");
  }
};

TEST_F(StaticSiteTest, TheRouterFallsBackToTheSiteOutsideTheApiOnly) {
  NoKeys keys;
  Router router(keys);
  router.add({.method = "GET",
              .pattern = "/api/v1/things",
              .permission = Permission::kPlaybookRead,
              .handler = sync_handler([](Request&) { return json_response(200, bj::object{}); })});
  auto site = load();
  router.set_fallback([site](const Request& r) { return site->serve(r); });
  auto run = [&router](const std::string& method, const std::string& target) {
    Request r;
    r.method = method;
    r.target = target;
    Response out;
    router.dispatch(std::move(r), [&out](Response res) { out = std::move(res); });
    return out;
  };
  EXPECT_EQ(run("GET", "/cases/42").content_type, "text/html; charset=utf-8");
  EXPECT_EQ(run("GET", "/api/v1/things").status, 401);  // the API still needs its key
  Response unknown_api = run("GET", "/api/v1/nothing");
  EXPECT_EQ(unknown_api.status, 404);
  EXPECT_EQ(unknown_api.content_type, "application/json");
  EXPECT_EQ(run("GET", "/metrics").status, 404);
  EXPECT_EQ(run("POST", "/cases/42").status, 404);  // the UI's files are read-only
}

}  // namespace
}  // namespace atio::server::ui
