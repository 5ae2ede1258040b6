#include "atio/cti/convert/report.h"

#include <boost/json/array.hpp>

namespace atio::convert {

std::string Report::where(std::string_view input, const Location& at) {
  std::string w(input);
  if (at.line > 0) {
    w += " line ";
    w += std::to_string(at.line);
    w += " (record ";
    w += std::to_string(at.index);
    w += ")";
  } else {
    w += " record ";
    w += std::to_string(at.index);
  }
  return w;
}

void Report::note(std::string_view input, const Location& at, std::string_view kind,
                  std::string_view detail, bool failed) {
  if (problems_.size() >= kMaxProblems) return;
  std::string reason(kind);
  if (!detail.empty()) {
    reason += ": ";
    reason += detail;
  }
  problems_.push_back({where(input, at), std::move(reason), failed});
}

void Report::skip(std::string_view input, const Location& at, std::string_view kind,
                  std::string_view detail) {
  ++skipped_;
  ++skipped_by_[std::string(kind)];
  note(input, at, kind, detail, false);
}

void Report::fail(std::string_view input, const Location& at, std::string_view kind,
                  std::string_view detail) {
  ++failed_;
  ++failed_by_[std::string(kind)];
  note(input, at, kind, detail, true);
}

void Report::reject_output(std::string_view input, std::size_t index, std::string_view reason) {
  ++rejected_;
  ++failed_;
  ++failed_by_["produced STIX that does not validate"];
  if (problems_.size() < kMaxProblems) {
    problems_.push_back({std::string(input) + " output document " + std::to_string(index),
                         "produced STIX that does not validate: " + std::string(reason), true});
  }
}

boost::json::object Report::to_json() const {
  boost::json::object o;
  o["read"] = read_;
  o["converted"] = converted();
  o["skipped"] = skipped_;
  o["failed"] = failed_;
  o["outputs"] = outputs();
  auto counts = [](const std::map<std::string, std::size_t>& m) {
    boost::json::object c;
    for (const auto& [k, n] : m) c[k] = n;
    return c;
  };
  o["skipped_by_reason"] = counts(skipped_by_);
  o["failed_by_reason"] = counts(failed_by_);
  boost::json::array p;
  for (const auto& pr : problems_) p.push_back(boost::json::object{{"where", pr.where}, {"reason", pr.reason}});
  o["problems"] = std::move(p);
  return o;
}

std::string Report::to_text() const {
  std::string t = "read " + std::to_string(read_) + ", converted " + std::to_string(converted()) +
                  ", skipped " + std::to_string(skipped_) + ", failed " + std::to_string(failed_) +
                  ", " + std::to_string(outputs()) + " documents written\n";
  for (const auto& [k, n] : skipped_by_) t += "  skipped " + std::to_string(n) + ": " + k + "\n";
  for (const auto& [k, n] : failed_by_) t += "  failed " + std::to_string(n) + ": " + k + "\n";
  for (const auto& p : problems_) t += "  " + p.where + ": " + p.reason + "\n";
  if (skipped_ + failed_ > problems_.size()) {
    t += "  (" + std::to_string(skipped_ + failed_ - problems_.size()) +
         " more problems counted above)\n";
  }
  return t;
}

}  // namespace atio::convert
