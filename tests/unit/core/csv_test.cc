// RFC 4180 CSV splitting in place (core/csv.h), as GVM results exports and
// asset lists need it.
#include "atio/core/csv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace atio {
namespace {

TEST(CsvReader, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  std::string text =
      "a,b,c\r\n"
      "1,\"x, y\",\"say \"\"hi\"\"\"\r\n"
      "\n"
      "2,\"line one\nline two\",\n"
      "3,,\"open";
  CsvReader csv(text);
  std::vector<std::string_view> f;
  std::size_t line = 0;
  bool open = false;
  ASSERT_TRUE(csv.next(&f, &line, &open));
  EXPECT_EQ(f, (std::vector<std::string_view>{"a", "b", "c"}));
  EXPECT_EQ(line, 1u);
  ASSERT_TRUE(csv.next(&f, &line, &open));
  EXPECT_EQ(f, (std::vector<std::string_view>{"1", "x, y", "say \"hi\""}));
  EXPECT_EQ(line, 2u);
  ASSERT_TRUE(csv.next(&f, &line, &open));
  EXPECT_EQ(f, (std::vector<std::string_view>{"2", "line one\nline two", ""}));
  EXPECT_EQ(line, 4u) << "the blank line 3 is no row";
  EXPECT_FALSE(open);
  ASSERT_TRUE(csv.next(&f, &line, &open));
  EXPECT_EQ(line, 6u);
  EXPECT_TRUE(open) << "the last field's quote is never closed";
  EXPECT_FALSE(csv.next(&f, &line, &open));
}

}  // namespace
}  // namespace atio
