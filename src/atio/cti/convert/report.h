// What a conversion did with every record: how many were read, converted,
// skipped and failed, and for the last two where and why. Reasons are
// counted by kind ("not an alert: dns") so that a million skipped flow
// records make one line, and the first problems are kept in full.
#pragma once

#include <boost/json/object.hpp>

#include <algorithm>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace atio::convert {

// Where a record was read: the input's name, a 1-based line (0 when the
// format has none) and the 0-based index of the record in the input.
struct Location {
  std::size_t line = 0;
  std::size_t index = 0;
};

class Report {
 public:
  struct Problem {
    std::string where;   // "alerts.json line 12 (record 11)"
    std::string reason;  // "invalid JSON: ..." / "missing src_ip"
    bool failed = false; // a failure (else a skip)
  };

  // Every record read counts once, then once as converted, skipped or failed.
  void count_read() { ++read_; }
  void count_converted() { ++converted_; }
  // `kind` groups the reason in the summary (a short fixed phrase);
  // `detail` adds what this record had.
  void skip(std::string_view input, const Location& at, std::string_view kind,
            std::string_view detail = {});
  void fail(std::string_view input, const Location& at, std::string_view kind,
            std::string_view detail = {});
  // Output documents written (a GVM report gives one bundle for many results).
  void count_output() { ++outputs_; }
  // A document made from converted records was held back (it failed STIX
  // validation): one record moves from converted to failed, and the
  // document from written to held back, whether the converter counts them
  // before or after writing. `index` counts the input's outputs.
  void reject_output(std::string_view input, std::size_t index, std::string_view reason);

  std::size_t read() const { return read_; }
  // Records converted, less those whose document was held back.
  std::size_t converted() const { return converted_ - std::min(converted_, rejected_); }
  std::size_t skipped() const { return skipped_; }
  std::size_t failed() const { return failed_; }
  std::size_t outputs() const { return outputs_ - std::min(outputs_, rejected_); }
  const std::vector<Problem>& problems() const { return problems_; }
  const std::map<std::string, std::size_t>& skipped_by_reason() const { return skipped_by_; }
  const std::map<std::string, std::size_t>& failed_by_reason() const { return failed_by_; }

  // {"read":..,"converted":..,"skipped":..,"failed":..,"outputs":..,
  //  "skipped_by_reason":{..},"failed_by_reason":{..},"problems":[{"where","reason"}..]}
  boost::json::object to_json() const;
  // A few lines for a terminal.
  std::string to_text() const;

  // How many problems are kept in full; the counts stay exact beyond it.
  static constexpr std::size_t kMaxProblems = 100;

  static std::string where(std::string_view input, const Location& at);

 private:
  void note(std::string_view input, const Location& at, std::string_view kind,
            std::string_view detail, bool failed);

  std::size_t read_ = 0, converted_ = 0, skipped_ = 0, failed_ = 0, outputs_ = 0, rejected_ = 0;
  std::map<std::string, std::size_t> skipped_by_, failed_by_;
  std::vector<Problem> problems_;
};

}  // namespace atio::convert
