#include "sync/text.h"

#include <gtest/gtest.h>

namespace rostersync {
namespace {

TEST(EscapeControlTest, KeepsPrintableUtf8) {
  EXPECT_EQ(EscapeControl("Małgorzata Ñúñez 山田"), "Małgorzata Ñúñez 山田");
}

TEST(EscapeControlTest, EscapesTerminalControls) {
  EXPECT_EQ(EscapeControl("a\x1b[2Ab"), "a\\x1b[2Ab");
  EXPECT_EQ(EscapeControl("x\ny\rz\t"), "x\\ny\\rz\\t");
  EXPECT_EQ(EscapeControl(std::string("n\0l", 3)), "n\\x00l");
  EXPECT_EQ(EscapeControl("del\x7f"), "del\\x7f");
}

TEST(EscapeControlTest, EscapesBackslashSoEscapesCannotBeForged) {
  EXPECT_EQ(EscapeControl("a\\nb"), "a\\\\nb");
}

TEST(EscapeControlTest, EscapesC1ControlsAndInvalidUtf8) {
  EXPECT_EQ(EscapeControl("a\xc2\x9b" "b"), "a\\xc2\\x9bb");  // CSI as a C1 control
  EXPECT_EQ(EscapeControl("W\xb3odek"), "W\\xb3odek");        // Windows-1252 byte
  EXPECT_EQ(EscapeControl("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a surrogate
  EXPECT_EQ(EscapeControl("\xc3"), "\\xc3");                      // cut sequence
}

}  // namespace
}  // namespace rostersync
