// Validates every STIX document a converter produces before it goes on, so
// that atio never hands a receiving tool STIX that breaks the spec: a
// document with errors (stix/validate.h; warnings pass) is held back and its
// record counted as failed instead of converted, with the first problem.
#pragma once

#include <string>

#include "atio/cti/convert/converter.h"
#include "atio/cti/convert/report.h"

namespace atio::convert {

class StixCheckedOutput final : public Output {
 public:
  // REQUIRES: `next` and `report` outlive this output.
  StixCheckedOutput(Output& next, Report& report) : next_(next), report_(report) {}

  // Names the input whose documents follow (for the report).
  void set_input(std::string name) { input_ = std::move(name); }

  Status write(bj::object&& document) override;

  std::size_t rejected() const { return rejected_; }

 private:
  Output& next_;
  Report& report_;
  std::string input_;
  std::size_t index_ = 0;
  std::size_t rejected_ = 0;
};

}  // namespace atio::convert
