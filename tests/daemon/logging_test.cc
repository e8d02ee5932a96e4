// Log line escaping: text logs escape control characters from roster or server strings,
// JSON logs stay one valid JSON object per line.
#include "daemon/logging.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>
#include <string>

#include "tests/daemon/captured_log_test.h"

namespace rostersync::daemon {
namespace {

// Routes the "rostersync" logger into a string stream; SetupLogging keeps its sinks and
// installs its formatter on them.
class LoggingTest : public ::rostersync::testing::CapturedLogTest {};

TEST_F(LoggingTest, TextEscapesNewlineEscAndNul) {
  ASSERT_TRUE(SetupLogging("info", "text").ok());
  const std::string key = std::string("E1\n2026-01-01T00:00:00.000Z info  forged\x1b[2K") + '\0' + "x";
  spdlog::info("row {} rejected", key);
  spdlog::default_logger()->flush();
  const std::string line = out_.str();
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.find('\n'), line.size() - 1) << line;  // one line, the final newline only
  EXPECT_EQ(line.find('\x1b'), std::string::npos) << line;
  EXPECT_EQ(line.find('\0'), std::string::npos) << line;
  EXPECT_NE(line.find("E1\\n2026"), std::string::npos) << line;
  EXPECT_NE(line.find("\\x1b[2K"), std::string::npos) << line;
  EXPECT_NE(line.find("\\x00x"), std::string::npos) << line;
}

TEST_F(LoggingTest, TextKeepsPrintableUtf8) {
  ASSERT_TRUE(SetupLogging("info", "text").ok());
  spdlog::info("Małgorzata Ñúñez");
  spdlog::default_logger()->flush();
  EXPECT_NE(out_.str().find("Małgorzata Ñúñez"), std::string::npos) << out_.str();
}

TEST_F(LoggingTest, JsonStaysOneValidObject) {
  ASSERT_TRUE(SetupLogging("info", "json").ok());
  spdlog::info("key \"a\\b\"\n\x1b");
  spdlog::default_logger()->flush();
  const std::string line = out_.str();
  EXPECT_EQ(line.find('\n'), line.size() - 1) << line;
  EXPECT_NE(line.find(R"("msg":"key \"a\\b\"\n\u001b")"), std::string::npos) << line;
}

TEST_F(LoggingTest, JsonReplacesInvalidUtf8SoTheLineStaysValid) {
  ASSERT_TRUE(SetupLogging("info", "json").ok());
  spdlog::info("Jos\xE9 \xFF ok é");
  spdlog::default_logger()->flush();
  const std::string line = out_.str();
  EXPECT_NE(line.find("Jos\xEF\xBF\xBD \xEF\xBF\xBD ok é"), std::string::npos) << line;
}

}  // namespace
}  // namespace rostersync::daemon
