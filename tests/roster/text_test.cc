#include "roster/text.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "roster/field_mapping.h"
#include "roster/validation.h"

namespace rostersync {
namespace {

TEST(TextTest, TransliteratesLatinNamesForUsernames) {
  EXPECT_EQ(text::Lower(text::AsciiFold("José Ñúñez")), "jose nunez");
  EXPECT_EQ(text::MattermostUsername("José Ñúñez"), "jose.nunez");
  EXPECT_EQ(text::MattermostUsername("Øyvind Åsheim"), "oyvind.asheim");
  EXPECT_EQ(text::AsciiFold("Straße Æsir ø đ Ł ł œ Þ"), "Strasse AEsir o d L l oe TH");
  EXPECT_EQ(text::AsciiFold("Dvořák Łukasz Žižek Ştefan Ţ İ ı"), "Dvorak Lukasz Zizek Stefan T I i");
}

TEST(TextTest, DropsCombiningMarksAndUnknownScripts) {
  EXPECT_EQ(text::AsciiFold("Jose\xCC\x81"), "Jose");  // e + U+0301
  EXPECT_EQ(text::AsciiFold("李x"), "lix");  // other scripts are romanized (ICU Any-Latin)
}

TEST(TextTest, LowerAndUpperHandleLatinSupplementAndExtendedA) {
  EXPECT_EQ(text::Lower("ÅSHEIM ŁÓDŹ ÉMILE"), "åsheim łódź émile");
  EXPECT_EQ(text::Upper("åsheim łódź"), "ÅSHEIM ŁÓDŹ");
  EXPECT_EQ(text::Lower("Ÿ"), "ÿ");
}

TEST(TextTest, MattermostUsernameCleansCollapsesTrimsAndAvoidsReservedNames) {
  EXPECT_EQ(text::MattermostUsername("  Mary  Ann O'Neil "), "mary.ann.oneil");
  EXPECT_EQ(text::MattermostUsername("..a...b__"), "a.b");
  EXPECT_EQ(text::MattermostUsername("System"), "system1");
  EXPECT_EQ(text::MattermostUsername("all"), "all1");
  EXPECT_EQ(text::MattermostUsername(std::string(80, 'x')).size(), 64u);
  EXPECT_EQ(text::MattermostUsername("李"), "li");
  EXPECT_EQ(text::MattermostUsername("🙂"), "");
}

TEST(TextTest, ValidatesUtf8Strictly) {
  EXPECT_TRUE(text::IsValidUtf8("José"));
  EXPECT_FALSE(text::IsValidUtf8("Jos\xE9"));
  EXPECT_FALSE(text::IsValidUtf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(text::IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(text::IsValidUtf8("\xF4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_EQ(text::RuneCount("Ñúñez"), 5u);
}

TEST(TextTest, ChecksIsoDates) {
  EXPECT_TRUE(IsIsoDate("2024-02-29"));
  EXPECT_FALSE(IsIsoDate("2023-02-29"));
  EXPECT_FALSE(IsIsoDate("2024-13-01"));
  EXPECT_FALSE(IsIsoDate("01/02/2024"));
  EXPECT_FALSE(IsIsoDate("2024-1-01"));
}

TEST(TextTest, ChecksBareEmailAddresses) {
  EXPECT_EQ(EmailProblem("jane.doe@example.com"), "");
  EXPECT_NE(EmailProblem("Jane <jane@example.com>"), "");
  EXPECT_NE(EmailProblem("a@b@c.com"), "");
  EXPECT_NE(EmailProblem("Jane@example.com"), "");
  EXPECT_NE(EmailProblem("jane@"), "");
  EXPECT_NE(EmailProblem(std::string(120, 'a') + "@example.com"), "");
}

TEST(TextTest, FieldsConfigValidationListsEveryProblem) {
  FieldsConfig f;
  FieldSpec bad;
  bad.column = "x";
  bad.templ = "{y}";
  bad.transform = {"reverse"};
  bad.line = 12;
  f.specs["username"] = bad;
  f.specs["shoe_size"].column = "s";
  Status s = ValidateFieldsConfig(f);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("line 12"), std::string::npos);
  EXPECT_NE(s.message().find("'reverse'"), std::string::npos);
  EXPECT_NE(s.message().find("exactly one"), std::string::npos);
  EXPECT_NE(s.message().find("fields.shoe_size"), std::string::npos);
}

}  // namespace
TEST(TextTest, IcuTransliteratesVietnameseAndCjkNames) {
  EXPECT_EQ(text::MattermostUsername("Hương Nguyễn Thị"), "huong.nguyen.thi");
  EXPECT_EQ(text::MattermostUsername("王秀英"), "wang.xiu.ying");
  EXPECT_EQ(text::MattermostUsername("Дмитрий Иванов"), "dmitrij.ivanov");
  EXPECT_EQ(text::MattermostUsername("Małgorzata Żółć"), "malgorzata.zolc");
  EXPECT_EQ(text::AsciiFold("Ægir Þór"), "AEgir THor");
}

TEST(TextTest, SanitizeUnicodeStripsExactlyTheServersList) {
  const uint32_t stripped[] = {0x340,   0x341,   0x17A3,  0x17D3,  0x2028,  0x2029,
                               0x202A,  0x202E,  0x206A,  0x206F,  0xFEFF,  0xFFF9,
                               0xFFFC,  0x1D173, 0x1D17A, 0xE0000, 0xE007F};
  for (uint32_t cp : stripped) EXPECT_TRUE(text::IsServerStrippedRune(cp)) << std::hex << cp;
  const uint32_t kept[] = {0x200B, 0x200F, 0x2066, 0x2069, 0x202F, 0x2070, 0xFFFD,
                           0x1D172, 0x1D17B, 0xE0080, 'a', 0x17A2, 0x17D4};
  for (uint32_t cp : kept) EXPECT_FALSE(text::IsServerStrippedRune(cp)) << std::hex << cp;
  // "A\u202EB\u200BC\uFEFFD\u2066E" -> RLO and BOM stripped, ZWSP and isolate kept.
  EXPECT_EQ(text::SanitizeUnicode("A\xE2\x80\xAE" "B\xE2\x80\x8B" "C\xEF\xBB\xBF" "D\xE2\x81\xA6" "E"),
            "AB\xE2\x80\x8B" "CD\xE2\x81\xA6" "E");
  EXPECT_EQ(text::SanitizeUnicode("x\xF3\xA0\x80\x81y"), "xy");  // U+E0001 tag
}

// SanitizeMayChange is the fast path's guard: wherever it says "no change", SanitizeUnicode
// must indeed return its input, for every code point (and invalid bytes must say "change").
TEST(TextTest, SanitizeMayChangeIsFalseOnlyWhereNothingIsStripped) {
  auto utf8 = [](uint32_t cp) {
    std::string out;
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out += {static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
    } else if (cp < 0x10000) {
      out += {static_cast<char>(0xE0 | (cp >> 12)), static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
              static_cast<char>(0x80 | (cp & 0x3F))};
    } else {
      out += {static_cast<char>(0xF0 | (cp >> 18)), static_cast<char>(0x80 | ((cp >> 12) & 0x3F)),
              static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), static_cast<char>(0x80 | (cp & 0x3F))};
    }
    return out;
  };
  int fast = 0;
  for (uint32_t cp = 0x80; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    const std::string s = "Ana " + utf8(cp) + " Lee";
    if (text::SanitizeMayChange(s)) continue;
    ++fast;
    ASSERT_EQ(text::SanitizeUnicode(s), s) << "U+" << std::hex << cp;
    ASSERT_FALSE(text::IsServerStrippedRune(cp)) << "U+" << std::hex << cp;
  }
  EXPECT_GT(fast, 0x10000);  // most of Unicode takes the fast path
  EXPECT_TRUE(text::SanitizeMayChange("Jos\xC3"));  // invalid: the slow path drops the byte
  EXPECT_FALSE(text::SanitizeMayChange("Jos\xC3\xA9"));
}

// The CSV table's fingerprint does not depend on how the file is cut into chunks.
TEST(TextTest, StreamHashIsTheSameHoweverTheInputIsCut) {
  const std::string data = "employee_id,email\nE1,a@example.com\nE2,b@example.com\n";
  text::StreamHash whole;
  whole.Update(data);
  for (size_t step = 1; step <= data.size(); ++step) {
    text::StreamHash parts;
    for (size_t i = 0; i < data.size(); i += step) parts.Update(data.substr(i, step));
    EXPECT_EQ(parts.Finish(), whole.Finish()) << step;
  }
  text::StreamHash other;
  other.Update(data.substr(1));
  EXPECT_NE(other.Finish(), whole.Finish());
}

}  // namespace rostersync
