// Checks of the nested structures of observables: the predefined extensions
// of file, network-traffic, process and user-account, and the dictionaries
// and lists with their own schema definitions. Internal to the validator.
#pragma once

#include "atio/cti/stix/validate_check.h"

namespace atio::stix::check {

void file_extensions(const bj::value& v, const Path& at, Ctx& ctx);
void network_traffic_extensions(const bj::value& v, const Path& at, Ctx& ctx);
void process_extensions(const bj::value& v, const Path& at, Ctx& ctx);
void user_account_extensions(const bj::value& v, const Path& at, Ctx& ctx);
void email_header_fields(const bj::value& v, const Path& at, Ctx& ctx);
void mime_parts(const bj::value& v, const Path& at, Ctx& ctx);  // body_multipart
void ipfix(const bj::value& v, const Path& at, Ctx& ctx);

}  // namespace atio::stix::check
