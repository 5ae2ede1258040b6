#include "atio/server/errors.h"

namespace atio::server {

int http_status(Code code) {
  switch (code) {
    case Code::kOk: return 200;
    case Code::kInvalidArgument: return 400;
    case Code::kUnauthenticated: return 401;
    case Code::kPermissionDenied: return 403;
    case Code::kNotFound: return 404;
    case Code::kAlreadyExists: return 409;
    case Code::kConflict: return 409;
    case Code::kPayloadTooLarge: return 413;
    case Code::kResourceExhausted: return 429;
    case Code::kUnavailable: return 503;
    case Code::kTimeout: return 503;
    case Code::kAborted: return 503;
    case Code::kFailed: return 500;
    case Code::kIo: return 500;
    case Code::kInternal: return 500;
  }
  return 500;
}

Response error_response(int status, std::string_view code, std::string_view message,
                        const json::FieldErrors& errors) {
  bj::object e{{"code", code}, {"message", message}, {"errors", json::to_json(errors)}};
  Response r = json_response(status, bj::object{{"error", std::move(e)}});
  if (status == 429) r.header("Retry-After", "1");
  if (status == 401) r.header("WWW-Authenticate", "Bearer");
  return r;
}

Response error_response(const Status& status, const json::FieldErrors& errors) {
  return error_response(http_status(status.code()), code_name(status.code()), status.to_string(),
                        errors);
}

Response unprocessable(std::string_view code, std::string_view message,
                       const json::FieldErrors& errors) {
  return error_response(422, code, message, errors);
}

}  // namespace atio::server
