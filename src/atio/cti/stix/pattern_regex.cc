#include "atio/cti/stix/pattern_regex.h"

namespace atio::stix::pattern {

Result<std::shared_ptr<const std::regex>> compile_regex(std::string_view expression) {
  try {
    return std::make_shared<const std::regex>(std::string(expression), std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return Status(Code::kInvalidArgument, e.what());
  }
}

Result<bool> regex_search_bounded(const std::regex& re, std::string_view text) {
  if (text.size() > kMaxMatchesInput) {
    return Status(Code::kInvalidArgument, "value too long for MATCHES (" +
                                              std::to_string(text.size()) + " bytes, limit " +
                                              std::to_string(kMaxMatchesInput) + ")");
  }
  try {
    return std::regex_search(text.begin(), text.end(), re);
  } catch (const std::regex_error& e) {
    return Status(Code::kInvalidArgument, std::string("MATCHES failed: ") + e.what());
  }
}

}  // namespace atio::stix::pattern
