#include "atio/cti/convert/checked_output.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "atio/cti/convert/writer.h"

namespace atio::convert {
namespace {

TEST(StixCheckedOutput, AnInvalidDocumentIsHeldBackAndItsRecordCountedAsFailed) {
  CollectingOutput next;
  Report report;
  StixCheckedOutput out(next, report);
  out.set_input("alerts.json");
  auto good = boost::json::parse(R"({"type":"bundle","id":"bundle--6b2d4a8e-3f43-4f39-9a5b-1b1d6d3c2a10","objects":[
      {"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3"}]})");
  auto bad = good;
  bad.as_object()["objects"].as_array()[0].as_object()["id"] = "domain-name--ff26c055-6336-5bc5-b98d-13d6226742dd";
  for (int i = 0; i < 2; ++i) {
    report.count_read();
    report.count_converted();
    report.count_output();
  }
  ASSERT_TRUE(out.write(bj::object(good.as_object())).is_ok());
  ASSERT_TRUE(out.write(bj::object(bad.as_object())).is_ok());
  EXPECT_EQ(next.documents.size(), 1u);
  EXPECT_EQ(out.rejected(), 1u);
  EXPECT_EQ(report.converted(), 1u);
  EXPECT_EQ(report.failed(), 1u);
  EXPECT_EQ(report.outputs(), 1u);
  ASSERT_EQ(report.problems().size(), 1u);
  EXPECT_EQ(report.problems()[0].where, "alerts.json output document 1");
  EXPECT_NE(report.problems()[0].reason.find("/objects/0/id"), std::string::npos)
      << report.problems()[0].reason;
}

}  // namespace
}  // namespace atio::convert
