#include "atio/cti/convert/checked_output.h"

#include "atio/cti/stix/validate.h"

namespace atio::convert {

Status StixCheckedOutput::write(bj::object&& document) {
  const std::size_t index = index_++;
  // Into a value and back without a copy (same storage): validate() takes
  // a bundle, an object or an array as a value.
  bj::value doc(std::move(document));
  const stix::Validation v = stix::validate(doc);
  if (v.ok()) return next_.write(std::move(doc.as_object()));
  ++rejected_;
  for (const auto& p : v.problems) {
    if (p.severity != stix::Problem::Severity::kError) continue;
    report_.reject_output(input_, index,
                          (p.pointer.empty() ? std::string("(document)") : p.pointer) + ": " +
                              p.message + " [" + std::string(p.rule) + "]");
    break;
  }
  return Status::ok();
}

}  // namespace atio::convert
