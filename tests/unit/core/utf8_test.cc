// UTF-8 pieces (core/utf8.h), against RFC 3629's table of well-formed byte
// sequences and Python's own UTF-8 decoder as an independent oracle.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "atio/core/utf8.h"
#include "support/python_oracle.h"

namespace atio {
namespace {

TEST(Utf8, CharacterLengthsFollowRfc3629) {
  EXPECT_EQ(utf8_char_length("a"), 1);
  EXPECT_EQ(utf8_char_length("\xC3\xA9"), 2);          // é
  EXPECT_EQ(utf8_char_length("\xE2\x82\xAC"), 3);      // €
  EXPECT_EQ(utf8_char_length("\xF0\x9F\x98\x80"), 4);  // 😀
  // Cut short: the valid start of a character.
  EXPECT_EQ(utf8_char_length("\xE2\x82"), -1);
  EXPECT_EQ(utf8_char_length("\xF0"), -1);
  // Not UTF-8: a lone continuation byte, overlong forms, a surrogate, past U+10FFFF.
  EXPECT_EQ(utf8_char_length("\x80"), 0);
  EXPECT_EQ(utf8_char_length("\xC0\xAF"), 0);
  EXPECT_EQ(utf8_char_length("\xE0\x80\xAF"), 0);
  EXPECT_EQ(utf8_char_length("\xED\xA0\x80"), 0);
  EXPECT_EQ(utf8_char_length("\xF4\x90\x80\x80"), 0);
  EXPECT_EQ(utf8_char_length("\xFF"), 0);
}

TEST(Utf8, TextPrefixLeavesACutCharacterForTheNextPiece) {
  std::size_t used = 0;
  EXPECT_EQ(utf8_text_prefix("ab\xE2\x82", &used), "ab");
  EXPECT_EQ(used, 2u);
  EXPECT_EQ(utf8_text_prefix("ab\xE2\x82\xAC", &used), "ab\xE2\x82\xAC");
  EXPECT_EQ(used, 5u);
  // A byte that is not UTF-8 is shown as U+FFFD and counts as used.
  EXPECT_EQ(utf8_text_prefix("a\xFF" "b", &used), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(used, 3u);
}

TEST(Utf8, ValidPrefixAgreesWithPythonsDecoder) {
  // Every 3-byte sequence drawn from bytes at the edges of the RFC's table:
  // valid, cut short or not UTF-8 exactly as Python's strict decoder says.
  const std::string probes =
      "\x41\x7F\x80\xBF\xC1\xC2\xDF\xE0\xA0\x9F\xED\xEF\xF0\x90\xF4\x8F\xF5";
  std::vector<std::string> inputs, lines;
  for (char a : probes)
    for (char b : probes)
      for (char c : probes) inputs.push_back(std::string{a, b, c});
  for (const auto& s : inputs) {
    static const char* hex = "0123456789abcdef";
    std::string h;
    for (unsigned char ch : s) h += {hex[ch >> 4], hex[ch & 15]};
    lines.push_back(h);
  }
  std::string why;
  auto verdicts = testing::run_python_oracle("utf8_oracle.py", "", lines, &why);
  ASSERT_EQ(verdicts.size(), inputs.size()) << why;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::size_t used = 0;
    const bool ok = utf8_valid_prefix(inputs[i], &used);
    if (verdicts[i] == "1") {
      EXPECT_TRUE(ok && used == 3) << lines[i];
    } else if (verdicts[i] == "2") {
      EXPECT_TRUE(ok && used < 3) << lines[i];
    } else {
      EXPECT_FALSE(ok) << lines[i];
    }
  }
}

}  // namespace
}  // namespace atio
