// Helpers for the GVM converter tests: run the registered converter on a file
// or a string, list the corpus files, and check what every STIX bundle must
// satisfy whatever its input (id shapes, references that resolve, timestamps).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "atio/cti/convert/registry.h"
#include "atio/cti/stix/ids.h"
#include "atio/cti/stix/object.h"
#include "atio/cti/stix/time.h"
#include "atio/cti/stix/validate.h"

namespace atio::convert::testing {

namespace bj = boost::json;
namespace fs = std::filesystem;

struct Conversion {
  Status status;
  Report report;
  std::vector<bj::object> bundles;
};

class Collect : public Output {
 public:
  explicit Collect(std::vector<bj::object>* out) : out_(out) {}
  Status write(bj::object&& document) override {
    // Into our own storage: the converter's buffer is gone after write().
    out_->push_back(bj::object(std::move(document), bj::storage_ptr()));
    return Status::ok();
  }

 private:
  std::vector<bj::object>* out_;
};

inline Conversion run(Input& in, const bj::object& options = {}) {
  Conversion r;
  auto converter = builtin_registry().create("gvm", "stix", options);
  if (!converter.is_ok()) {
    r.status = converter.status();
    return r;
  }
  Collect out(&r.bundles);
  r.status = (*converter)->convert(in, out, r.report);
  return r;
}

inline Conversion run_file(const std::string& path, const bj::object& options = {}) {
  auto in = open_file(path);
  if (!in.is_ok()) return Conversion{in.status(), {}, {}};
  return run(**in, options);
}

inline Conversion run_text(const std::string& name, std::string text,
                           const bj::object& options = {}) {
  auto in = string_input(name, std::move(text));
  return run(*in, options);
}

inline std::string openvas_dir() { return std::string(ATIO_CORPUS_DIR) + "/openvas"; }

// Every report file of the openvas corpus (.xml and .csv), sorted.
inline std::vector<std::string> corpus_files() {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(openvas_dir())) {
    const std::string ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".xml" || ext == ".csv")) files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The objects of a bundle of `type`.
inline std::vector<const bj::object*> of_type(const bj::object& bundle, std::string_view type) {
  std::vector<const bj::object*> out;
  for (const auto& v : bundle.at("objects").as_array()) {
    if (v.as_object().at("type").as_string() == type) out.push_back(&v.as_object());
  }
  return out;
}

inline std::string str(const bj::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : "";
}

// What the spec asks of every bundle, checked without trusting the converter.
inline void expect_well_formed(const bj::object& bundle, const std::string& where) {
  SCOPED_TRACE(where);
  ASSERT_EQ(str(bundle, "type"), "bundle");
  // The STIX validator (schemas and the rules of the spec text) finds no error.
  const stix::Validation v = stix::validate(bj::value(bundle));
  for (const stix::Problem& p : v.problems) {
    if (p.severity == stix::Problem::Severity::kError) {
      ADD_FAILURE() << p.pointer << ": " << p.message << " (" << p.rule << ")";
    }
  }
  std::string_view t, uuid;
  EXPECT_TRUE(stix::split_id(str(bundle, "id"), &t, &uuid));
  std::map<std::string, const bj::object*> by_id;
  for (const auto& v : bundle.at("objects").as_array()) {
    const bj::object& o = v.as_object();
    const std::string id = str(o, "id");
    ASSERT_TRUE(by_id.emplace(id, &o).second) << "duplicate id " << id;
    ASSERT_TRUE(stix::split_id(id, &t, &uuid)) << id;
    EXPECT_EQ(t, str(o, "type")) << id;
    EXPECT_EQ(str(o, "spec_version"), "2.1") << id;
    const stix::Kind kind = stix::kind_of(str(o, "type"));
    if (kind == stix::Kind::kSco) {
      // Deterministic ids: a name-based (v5) UUID over the contributing properties.
      EXPECT_EQ(uuid[14], '5') << id;
      EXPECT_EQ(id, stix::sco_id(t, o)) << id;
    } else {
      ASSERT_TRUE(kind == stix::Kind::kSdo || kind == stix::Kind::kSro) << id;
      for (const char* ts : {"created", "modified"}) {
        EXPECT_TRUE(stix::is_stix_timestamp(str(o, ts))) << id << " " << ts;
        EXPECT_EQ(str(o, ts).size(), 24u) << "millisecond precision: " << str(o, ts);
      }
    }
  }
  for (const auto& [id, o] : by_id) {
    for (const auto& ref : stix::ObjectView(*o).references()) {
      EXPECT_TRUE(by_id.count(std::string(ref.id))) << id << ref.pointer << " -> " << ref.id;
    }
  }
  // One report, referring to every other object.
  auto reports = of_type(bundle, "report");
  ASSERT_EQ(reports.size(), 1u);
  const bj::object& report = *reports[0];
  EXPECT_TRUE(stix::is_stix_timestamp(str(report, "published")));
  EXPECT_EQ(report.at("report_types"), (bj::array{"vulnerability"}));
  EXPECT_FALSE(str(report, "name").empty());
  EXPECT_FALSE(str(report, "description").empty());
  std::set<std::string> refs, others;
  for (const auto& r : report.at("object_refs").as_array()) refs.insert(std::string(r.as_string()));
  for (const auto& [id, o] : by_id) {
    if (id != str(report, "id")) others.insert(id);
  }
  EXPECT_EQ(refs, others);
  // Relationships say what the converter promises.
  for (const bj::object* rel : of_type(bundle, "relationship")) {
    const std::string type = str(*rel, "relationship_type");
    const std::string source = str(*rel, "source_ref"), target = str(*rel, "target_ref");
    EXPECT_EQ(source.substr(0, source.find("--")), "infrastructure");
    if (type == "has") {
      EXPECT_EQ(target.substr(0, target.find("--")), "vulnerability");
    } else {
      EXPECT_EQ(type, "consists-of");
      const std::string target_type = target.substr(0, target.find("--"));
      EXPECT_TRUE(target_type == "ipv4-addr" || target_type == "ipv6-addr" ||
                  target_type == "domain-name")
          << target;
    }
  }
}

}  // namespace atio::convert::testing
