// The web UI's built files (web/dist), served by `atio serve` at / outside
// /api (docs/ui.md).
//
// Contract:
// - Every regular file under the directory is read into memory once, at
//   load; later changes to the directory are not seen. Symbolic links and
//   files beyond the size limit are refused at load, so a request can never
//   reach outside the directory.
// - A path names a file exactly ("/assets/index-1a2b.js"); "/" and any path
//   without a file extension that names no file answer index.html (the
//   UI's own routes, /executions/42). A missing file with an extension is 404.
// - Every answer carries the Content-Security-Policy below, nosniff,
//   no-referrer and frame denial. Vite's content-hashed /assets/ files are
//   cached for a year (immutable); everything else is revalidated with its
//   ETag (304 when If-None-Match matches).
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "atio/core/status.h"
#include "atio/server/http.h"

namespace atio::server::ui {

// Scripts, styles, fonts and connections from atio itself only; no inline
// script, no eval, no framing, no plug-ins.
inline constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

struct StaticFile {
  std::string content_type;
  std::string body;
  std::string etag;  // quoted, from the content's SHA-256
  bool immutable = false;
};

class StaticSite {
 public:
  // Reads `dir` (which must hold index.html). kNotFound without it;
  // kInvalidArgument for a symbolic link inside or more than `max_bytes`
  // in all; kIo when a file cannot be read.
  static Result<std::shared_ptr<const StaticSite>> load(const std::filesystem::path& dir,
                                                        std::size_t max_bytes = 64 << 20);

  // The answer to a GET or HEAD of `path` (decoded, starting with '/').
  Response serve(const Request& request) const;

  std::size_t file_count() const { return files_.size(); }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::map<std::string, StaticFile> files_;  // by URL path: "/index.html"
};

// The content type for a file name's extension ("application/octet-stream"
// when unknown).
std::string content_type_for(const std::string& file_name);

// Where the built UI is when --ui-dir is not given: beside the binary's
// source tree (a build under <repo>/build*/apps/atio/ serves <repo>/web/dist),
// or an installed share/atio/ui. "" when none holds an index.html.
std::filesystem::path find_ui_dir(const std::filesystem::path& executable);

}  // namespace atio::server::ui
