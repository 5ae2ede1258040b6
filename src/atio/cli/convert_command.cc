// `atio convert --from X --to Y FILE|-`: converts records between formats.
// Documents go to standard output (or --output) one per line; the account of
// every record (read, converted, skipped, failed and why) goes to standard
// error, and as JSON to --report when asked.
#include <cstdio>
#include <iostream>

#include "atio/cli/commands.h"
#include "atio/core/json.h"
#include "atio/cti/convert/checked_output.h"
#include "atio/cti/convert/registry.h"
#include "atio/cti/convert/writer.h"

namespace atio::cli {

namespace {

// name=value options; a value that parses as JSON is taken as JSON
// (numbers, booleans), anything else as a string.
Result<json::bj::object> parse_options(const std::vector<std::string>& items) {
  json::bj::object options;
  for (const auto& item : items) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status(Code::kInvalidArgument, "--option '" + item + "': expected name=value");
    }
    const std::string value = item.substr(eq + 1);
    auto parsed = json::parse(value);
    if (parsed.is_ok() && !parsed->is_object() && !parsed->is_array()) {
      options[item.substr(0, eq)] = *parsed;
    } else {
      options[item.substr(0, eq)] = value;
    }
  }
  return options;
}

}  // namespace

int convert_command(const ConvertArgs& args) {
  const auto& registry = convert::builtin_registry();
  if (args.list) {
    for (const auto& info : registry.list()) {
      std::cout << info.from << " -> " << info.to << "\t" << info.description << "\n";
    }
    return 0;
  }
  auto options = parse_options(args.options);
  if (!options.is_ok()) {
    std::cerr << "atio convert: " << options.status().to_string() << "\n";
    return 2;
  }
  auto converter = registry.create(args.from, args.to, *options);
  if (!converter.is_ok()) {
    std::cerr << "atio convert: " << converter.status().to_string() << "\n";
    return 2;
  }
  std::FILE* out_file = stdout;
  std::string out_name = "standard output";
  if (!args.output.empty() && args.output != "-") {
    out_file = std::fopen(args.output.c_str(), "w");
    if (out_file == nullptr) {
      std::perror(("atio convert: " + args.output).c_str());
      return 2;
    }
    out_name = args.output;
  }
  convert::Report report;
  Status status;
  {
    convert::JsonLinesWriter writer(out_file, out_name, args.pretty);
    // STIX goes out only once it validates (unless asked not to check).
    convert::StixCheckedOutput checked(writer, report);
    // Converters whose STIX is valid by construction check each value as
    // they write it; the full validator runs on theirs only when asked.
    const auto* info = registry.find(args.from, args.to);
    const bool check = args.to == "stix" && !args.no_validate &&
                       (args.full_validation || info == nullptr || !info->valid_by_construction);
    convert::Output& out = check ? static_cast<convert::Output&>(checked) : writer;
    for (const auto& file : args.files) {
      auto input = convert::open_file(file);
      if (!input.is_ok()) {
        status = input.status();
        break;
      }
      checked.set_input(file);
      status = (*converter)->convert(**input, out, report);
      if (!status.is_ok()) break;
    }
    Status flushed = writer.flush();
    if (status.is_ok()) status = flushed;
  }
  if (out_file != stdout) std::fclose(out_file);
  if (!args.report.empty()) {
    std::FILE* f = std::fopen(args.report.c_str(), "w");
    if (f == nullptr) {
      std::perror(("atio convert: " + args.report).c_str());
      return 2;
    }
    const std::string text = json::pretty(report.to_json()) + "\n";
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }
  if (!args.quiet || !status.is_ok() || report.failed() > 0) std::cerr << report.to_text();
  if (!status.is_ok()) {
    std::cerr << "atio convert: " << status.to_string() << "\n";
    return 2;
  }
  return report.failed() > 0 ? 1 : 0;
}

}  // namespace atio::cli
