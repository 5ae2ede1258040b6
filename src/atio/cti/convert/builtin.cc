// The one list of built-in converters: adding a format is one file under
// convert/ and one line here.
#include "atio/cti/convert/registry.h"

namespace atio::convert {

void register_builtin_converters(Registry& registry) {
  (void)registry;
}

}  // namespace atio::convert
