// atio's version, as `atio version`, /healthz and atio_build_info report it.
#pragma once

namespace atio {

inline constexpr const char* kVersion = "0.1.0";

}  // namespace atio
