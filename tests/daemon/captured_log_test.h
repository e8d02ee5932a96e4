// A test fixture that routes the "rostersync" spdlog logger into a string stream (out_) for
// the test's length, then leaves a null logger behind (out_ dies with the test).
#ifndef ROSTERSYNC_TESTS_DAEMON_CAPTURED_LOG_TEST_H_
#define ROSTERSYNC_TESTS_DAEMON_CAPTURED_LOG_TEST_H_

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>

namespace rostersync::testing {

class CapturedLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spdlog::drop("rostersync");
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    auto logger = std::make_shared<spdlog::logger>("rostersync", sink);
    spdlog::register_logger(logger);
    spdlog::set_default_logger(logger);
  }
  // Leave a default logger that does not write to out_ (a later suite that logs crashed on
  // the dangling stream).
  void TearDown() override {
    spdlog::drop("rostersync");
    spdlog::set_default_logger(std::make_shared<spdlog::logger>(
        "rostersync", std::make_shared<spdlog::sinks::null_sink_mt>()));
  }
  std::ostringstream out_;
};

}  // namespace rostersync::testing

#endif  // ROSTERSYNC_TESTS_DAEMON_CAPTURED_LOG_TEST_H_
