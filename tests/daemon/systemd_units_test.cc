// The shipped systemd units bound memory (MemoryMax=, sized from the 100k benchmark's RSS in
// docs/PERFORMANCE.md) and never write core dumps (LimitCORE=0): a core holds the token.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace {

std::string ReadUnit(const std::string& name) {
  std::ifstream in(std::string(ROSTERSYNC_SOURCE_DIR) + "/systemd/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(SystemdUnitsTest, EveryServiceUnitHasMemoryMaxAndNoCoreDumps) {
  for (const char* unit : {"rostersync.service", "rostersync-once.service"}) {
    const std::string text = ReadUnit(unit);
    ASSERT_FALSE(text.empty()) << unit;
    EXPECT_NE(text.find("\nLimitCORE=0\n"), std::string::npos) << unit;
    auto pos = text.find("\nMemoryMax=");
    ASSERT_NE(pos, std::string::npos) << unit;
    std::string value = text.substr(pos + 11, text.find('\n', pos + 1) - pos - 11);
    ASSERT_FALSE(value.empty());
    double mb = std::stod(value);
    if (value.back() == 'G') mb *= 1024;
    EXPECT_GE(mb, 660) << unit << ": at least twice the ~330 MB peak RSS at 100k users";
    EXPECT_LE(mb, 4096) << unit;
  }
}

}  // namespace
