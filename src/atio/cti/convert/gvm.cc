#include "atio/cti/convert/gvm.h"

#include "atio/cti/convert/gvm_csv.h"
#include "atio/cti/convert/gvm_model.h"
#include "atio/cti/convert/gvm_xml.h"

namespace atio::convert {

namespace {

class GvmToStix : public Converter {
 public:
  explicit GvmToStix(gvm::Options options) : options_(options) {}

  Status convert(Input& in, Output& out, Report& report) const override {
    // XML needs the whole document, and the CSV rows all go into one
    // bundle: both are read whole and parsed in place.
    ATIO_ASSIGN_OR_RETURN(std::string buffer, in.read_all());
    std::size_t i = 0;
    if (buffer.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;
    while (i < buffer.size() &&
           (buffer[i] == ' ' || buffer[i] == '\t' || buffer[i] == '\r' || buffer[i] == '\n')) {
      ++i;
    }
    if (i == buffer.size()) {
      return Status(Code::kInvalidArgument, in.name() + ": not a GVM report: the input is empty");
    }
    if (buffer[i] == '<') return gvm::convert_xml(buffer, in.name(), options_, out, report);
    return gvm::convert_csv(buffer, in.name(), options_, out, report);
  }

 private:
  gvm::Options options_;
};

Result<std::unique_ptr<Converter>> create(const bj::object& options) {
  gvm::Options o;
  for (const auto& kv : options) {
    if (kv.key() == "include_log") {
      if (!kv.value().is_bool()) {
        return Status(Code::kInvalidArgument,
                      "gvm converter: option include_log must be a boolean");
      }
      o.include_log = kv.value().get_bool();
    } else {
      return Status(Code::kInvalidArgument, "gvm converter: unknown option '" +
                                                std::string(kv.key()) + "' (known: include_log)");
    }
  }
  return std::unique_ptr<Converter>(new GvmToStix(o));
}

}  // namespace

ConverterInfo gvm_to_stix_info() {
  return {"gvm", "stix",
          "OpenVAS/GVM scan report (XML or CSV results export) to one STIX bundle per report",
          create};
}

}  // namespace atio::convert
