#include "roster/text.h"

#include <gtest/gtest.h>

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
  EXPECT_EQ(text::AsciiFold("李x"), "x");
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
  EXPECT_EQ(text::MattermostUsername("李"), "");
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
}  // namespace rostersync
