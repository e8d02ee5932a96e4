// EmulatorTest: the fixture the emulator's own tests share: a fresh mm-emulator per test
// (Start(flags) for one with flags), an admin client on it, PUT /__emu/faults, and the
// error id of an answer.
#ifndef MMEMU_TEST_EMU_FIXTURE_H_
#define MMEMU_TEST_EMU_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "emulator/test/emu_client.h"
#include "tests/support/child_process.h"

namespace mmemu::test {

class EmulatorTest : public ::testing::Test {
 protected:
  void Start(const std::vector<std::string>& flags = {}) {
    emu_ = std::make_unique<rostersync::testing::Emulator>(flags);
    ASSERT_TRUE(emu_->ok()) << "mm-emulator did not start";
    admin_ = std::make_unique<EmuClient>(emu_->port(), emu_->admin_token());
  }
  void SetUp() override { Start(); }
  // PUT /__emu/faults (faults and the server's restrictive settings alike).
  void SetFaults(const std::string& json) {
    auto r = admin_->Put("/__emu/faults", json);
    ASSERT_EQ(r.status, 200) << json << " -> " << r.body;
  }
  std::string ErrorId(const HttpResult& r) { return Obj(r.body)->optValue<std::string>("id", ""); }

  std::unique_ptr<rostersync::testing::Emulator> emu_;
  std::unique_ptr<EmuClient> admin_;
};

}  // namespace mmemu::test

#endif  // MMEMU_TEST_EMU_FIXTURE_H_
