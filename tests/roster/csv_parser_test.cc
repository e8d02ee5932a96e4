#include "roster/csv_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rostersync {
namespace {

std::vector<CsvRecord> Parse(const std::string& data, char delimiter = ',', size_t chunk = 0) {
  std::vector<CsvRecord> out;
  CsvParser parser(delimiter, [&](CsvRecord& r) { out.push_back(r); });
  if (chunk == 0) {
    parser.Feed(data);
  } else {
    for (size_t i = 0; i < data.size(); i += chunk) parser.Feed(std::string_view(data).substr(i, chunk));
  }
  parser.Finish();
  return out;
}

using Cells = std::vector<std::string>;

TEST(CsvParserTest, SplitsQuotedFieldsWithDelimitersNewlinesAndDoubledQuotes) {
  auto r = Parse("a,b,c\n\"x,1\",\"line1\nline2\",\"say \"\"hi\"\"\"\nlast,2,3\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].Cells(), (Cells{"x,1", "line1\nline2", "say \"hi\""}));
  EXPECT_EQ(r[1].line, 2);
  EXPECT_EQ(r[2].line, 4);  // the embedded newline moved the next record down a line
  EXPECT_EQ(r[2].Cells(), (Cells{"last", "2", "3"}));
}

TEST(CsvParserTest, TreatsCrlfAndLfAlikeAndCountsLines) {
  auto r = Parse("h1,h2\r\na,b\r\n\"c\r\nd\",e\r\nf,g");
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[1].Cells(), (Cells{"a", "b"}));
  EXPECT_EQ(r[2].Cells(), (Cells{"c\r\nd", "e"}));
  EXPECT_EQ(r[3].line, 5);
  EXPECT_EQ(r[3].Cells(), (Cells{"f", "g"}));
}

TEST(CsvParserTest, StripsUtf8ByteOrderMarkEvenWhenSplitAcrossChunks) {
  for (size_t chunk : {0, 1, 2}) {
    auto r = Parse("\xEF\xBB\xBFid,name\n1,x\n", ',', chunk);
    ASSERT_EQ(r.size(), 2u) << chunk;
    EXPECT_EQ(r[0].cell(0), "id") << chunk;
  }
}

TEST(CsvParserTest, KeepsPartialBomBytesThatAreNotABom) {
  auto r = Parse("\xEF\xBBx,y\n", ',', 1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].cell(0), "\xEF\xBBx");
}

TEST(CsvParserTest, ReportsUnterminatedQuoteAtEndOfInputWithItsStartLine) {
  auto r = Parse("id,name\n1,ok\n2,\"trunc\nated");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_TRUE(r[1].error.empty());
  EXPECT_EQ(r[2].line, 3);
  EXPECT_NE(r[2].error.find("unterminated quote"), std::string::npos);
}

TEST(CsvParserTest, FlagsTextAfterClosingQuote) {
  auto r = Parse("\"ab\"cd,e\n");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0].error.find("closing quote"), std::string::npos);
}

TEST(CsvParserTest, UsesConfiguredDelimiter) {
  auto r = Parse("a;b\n\"1;2\";3\n", ';');
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].Cells(), (Cells{"1;2", "3"}));
}

TEST(CsvParserTest, AcceptsBlanksAroundQuotedValue) {
  auto r = Parse("a, \"b\" ,c\n");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].Cells(), (Cells{"a", "b", "c"}));
  EXPECT_TRUE(r[0].error.empty());
}

TEST(CsvParserTest, ChunkingDoesNotChangeTheResult) {
  const std::string data = "\xEF\xBB\xBFk,v\r\n1,\"a\r\nb\"\r\n2,\"c\"\"d\"\n3,\n\n4,\"x";
  auto whole = Parse(data);
  for (size_t chunk = 1; chunk < 8; ++chunk) {
    auto parts = Parse(data, ',', chunk);
    ASSERT_EQ(parts.size(), whole.size()) << chunk;
    for (size_t i = 0; i < whole.size(); ++i) {
      EXPECT_EQ(parts[i].Cells(), whole[i].Cells()) << chunk;
      EXPECT_EQ(parts[i].line, whole[i].line) << chunk;
      EXPECT_EQ(parts[i].error, whole[i].error) << chunk;
    }
  }
}

TEST(CsvParserTest, EmptyInputGivesNoRecords) { EXPECT_TRUE(Parse("").empty()); }

}  // namespace
}  // namespace rostersync
