// The one list of built-in converters: adding a format is one file under
// convert/ and one line here.
#include "atio/cti/convert/misp_to_stix.h"
#include "atio/cti/convert/registry.h"
#include "atio/cti/convert/stix_to_misp.h"

namespace atio::convert {

void register_builtin_converters(Registry& registry) {
  registry.add(misp_to_stix_converter());
  registry.add(stix_to_misp_converter());
}

}  // namespace atio::convert
