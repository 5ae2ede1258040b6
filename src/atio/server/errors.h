// Errors as HTTP responses. Every error the API returns has the body
//   {"error": {"code": "<stable name>", "message": "<sentence>",
//              "errors": [{"pointer": "/json/pointer", "message": "<rule>"}, ...]}}
// where `errors` names each offending field of the request body (a JSON
// pointer; "" for the whole body, "/query/<name>" for a query parameter).
#pragma once

#include <string>
#include <string_view>

#include "atio/core/json.h"
#include "atio/core/status.h"
#include "atio/server/http.h"

namespace atio::server {

// The one mapping from atio error codes to HTTP statuses:
// invalid_argument 400, unauthenticated 401, permission_denied 403,
// not_found 404, already_exists/conflict 409, payload_too_large 413,
// resource_exhausted 429, unavailable/timeout/aborted 503, everything else 500.
// (422 is chosen by handlers for a well-formed body that breaks the rules; see
// unprocessable().)
int http_status(Code code);

// An error response with an explicit status and code.
Response error_response(int status, std::string_view code, std::string_view message,
                        const json::FieldErrors& errors = {});
// An error response for `status` (http_status of its code, code_name as the
// code, the full message with context). Adds Retry-After to 429 and
// WWW-Authenticate to 401.
Response error_response(const Status& status, const json::FieldErrors& errors = {});
// 422: the body is well-formed JSON but breaks the rules listed in `errors`.
Response unprocessable(std::string_view code, std::string_view message,
                       const json::FieldErrors& errors);

}  // namespace atio::server
