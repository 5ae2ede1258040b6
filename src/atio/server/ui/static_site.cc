#include "atio/server/ui/static_site.h"

#include <fstream>
#include <sstream>
#include <system_error>

#include "atio/server/auth/crypto.h"

namespace atio::server::ui {

namespace fs = std::filesystem;

std::string content_type_for(const std::string& file_name) {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
  };
  const std::string ext = fs::path(file_name).extension().string();
  auto it = types.find(ext);
  return it == types.end() ? "application/octet-stream" : it->second;
}

Result<std::shared_ptr<const StaticSite>> StaticSite::load(const fs::path& dir,
                                                           std::size_t max_bytes) {
  std::error_code ec;
  if (!fs::is_regular_file(dir / "index.html", ec)) {
    return Status(Code::kNotFound, "no index.html in " + dir.string() +
                                       " (build the UI with scripts/build-ui.sh)");
  }
  auto site = std::make_shared<StaticSite>();
  site->dir_ = dir;
  std::size_t total = 0;
  fs::recursive_directory_iterator it(dir, ec), end;
  if (ec) return Status(Code::kIo, "cannot read " + dir.string() + ": " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) return Status(Code::kIo, "cannot read " + dir.string() + ": " + ec.message());
    const fs::directory_entry& entry = *it;
    if (entry.is_symlink()) {
      return Status(Code::kInvalidArgument,
                    entry.path().string() + " is a symbolic link; the UI directory may hold "
                                            "regular files only");
    }
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    if (!in && !in.eof()) return Status(Code::kIo, "cannot read " + entry.path().string());
    StaticFile f;
    f.body = std::move(body).str();
    total += f.body.size();
    if (total > max_bytes) {
      return Status(Code::kInvalidArgument, "the UI directory " + dir.string() + " holds more than " +
                                                std::to_string(max_bytes) + " bytes");
    }
    const std::string url = "/" + fs::relative(entry.path(), dir).generic_string();
    f.content_type = content_type_for(url);
    f.etag = "\"" + auth::sha256_hex(f.body).substr(0, 32) + "\"";
    f.immutable = url.rfind("/assets/", 0) == 0;
    site->files_.emplace(url, std::move(f));
  }
  return std::shared_ptr<const StaticSite>(std::move(site));
}

namespace {

Response with_site_headers(Response r) {
  r.header("Content-Security-Policy", kContentSecurityPolicy);
  r.header("X-Content-Type-Options", "nosniff");
  r.header("Referrer-Policy", "no-referrer");
  r.header("X-Frame-Options", "DENY");
  return r;
}

bool has_extension(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return path.find('.', slash == std::string::npos ? 0 : slash) != std::string::npos;
}

}  // namespace

Response StaticSite::serve(const Request& request) const {
  const std::string& path = request.path.empty() ? std::string("/") : request.path;
  auto it = files_.find(path);
  if (it == files_.end() && !has_extension(path)) it = files_.find("/index.html");
  if (it == files_.end()) {
    Response r;
    r.status = 404;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "not found: " + path + "\n";
    return with_site_headers(std::move(r));
  }
  const StaticFile& f = it->second;
  Response r;
  r.content_type = f.content_type;
  r.header("ETag", f.etag);
  r.header("Cache-Control", f.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (request.header("if-none-match") == f.etag) {
    r.status = 304;
    r.content_type.clear();
  } else {
    r.status = 200;
    if (request.method != "HEAD") r.body = f.body;
  }
  return with_site_headers(std::move(r));
}

fs::path find_ui_dir(const fs::path& executable) {
  std::error_code ec;
  const fs::path exe = fs::weakly_canonical(executable, ec);
  std::vector<fs::path> candidates;
  // <repo>/<build dir>/apps/atio/atio -> <repo>/web/dist
  if (exe.has_parent_path()) {
    const fs::path repo = exe.parent_path().parent_path().parent_path().parent_path();
    candidates.push_back(repo / "web" / "dist");
    // <prefix>/bin/atio -> <prefix>/share/atio/ui
    candidates.push_back(exe.parent_path().parent_path() / "share" / "atio" / "ui");
  }
  for (const auto& c : candidates) {
    if (fs::is_regular_file(c / "index.html", ec)) return c;
  }
  return {};
}

}  // namespace atio::server::ui
