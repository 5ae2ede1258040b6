// The one list of built-in converters: adding a format is one file under
// convert/ and one line here.
#include "atio/cti/convert/registry.h"

#include "atio/cti/convert/gvm.h"
#include "atio/cti/convert/iris.h"
#include "atio/cti/convert/misp_to_stix.h"
#include "atio/cti/convert/stix_to_misp.h"
#include "atio/cti/convert/suricata.h"
#include "atio/cti/convert/winlog.h"

namespace atio::convert {

void register_builtin_converters(Registry& registry) {
  registry.add(suricata_to_stix_info());
  registry.add(gvm_to_stix_info());
  registry.add(winlog_to_stix_info());
  registry.add(stix_to_iris_info());
  registry.add(misp_to_stix_converter());
  registry.add(stix_to_misp_converter());
}

}  // namespace atio::convert
