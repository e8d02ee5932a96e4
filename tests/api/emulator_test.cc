// api::Client against mm-emulator (emulator): full listing, write round trip, and
// behaviour under injected faults and rate limiting. Fails if the emulator cannot start.
#include <gtest/gtest.h>

#include <iostream>
#include <set>

#include "api/client.h"
#include "tests/support/child_process.h"

namespace rostersync::api {
namespace {

using rostersync::testing::Emulator;

std::unique_ptr<Client> Connect(const Emulator& emu, int concurrency = 4) {
  ClientOptions options;
  options.url = emu.url();
  options.token = emu.admin_token();
  options.concurrency = concurrency;
  options.base_delay_ms = 5;
  options.max_delay_ms = 200;
  options.max_attempts = 8;
  options.timeout_ms = 5000;
  auto client = Client::Create(options);
  EXPECT_TRUE(client.ok()) << client.status().ToString();
  return client.ok() ? std::move(client).value() : nullptr;
}

#define REQUIRE_EMULATOR(emu) \
  ASSERT_TRUE((emu).ok()) << "mm-emulator did not start (" << rostersync::testing::EmulatorBinary() << ")"

TEST(EmulatorClientTest, ListsEveryGeneratedUserOnce) {
  Emulator emu({"--generate", "2345"});
  REQUIRE_EMULATOR(emu);
  auto client = Connect(emu);
  auto users = client->ListAllUsers();
  ASSERT_TRUE(users.ok()) << users.status().ToString();
  std::set<std::string> ids;
  for (const auto& u : *users) ids.insert(u.id);
  EXPECT_EQ(ids.size(), users->size());
  EXPECT_GE(users->size(), 2345u);
}

TEST(EmulatorClientTest, CreatesPatchesAndDeactivatesAUser) {
  Emulator emu;
  REQUIRE_EMULATOR(emu);
  auto client = Connect(emu);
  NewUser user;
  user.username = "jdoe";
  user.email = "jdoe@example.com";
  user.first_name = "Jane";
  user.password = "Password-123";
  auto created = client->CreateUser(user);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->username, "jdoe");
  auto again = client->CreateUser(user);
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.status().IsConflict()) << again.status().ToString();

  UserPatch patch;
  patch.last_name = "Doe";
  auto patched = client->PatchUser(created->id, patch);
  ASSERT_TRUE(patched.ok()) << patched.status().ToString();
  EXPECT_EQ(patched->last_name, "Doe");
  EXPECT_EQ(patched->first_name, "Jane");

  ASSERT_TRUE(client->DeactivateUser(created->id).ok());
  auto read = client->GetUser(created->id);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_FALSE(read->active());
  ASSERT_TRUE(client->SetUserActive(created->id, true).ok());
  auto by_name = client->GetUserByUsername("jdoe");
  ASSERT_TRUE(by_name.ok());
  EXPECT_TRUE(by_name->active());
  EXPECT_TRUE(client->GetUser("doesnotexist00000000000000").status().IsNotFound());
}

TEST(EmulatorClientTest, ListingSurvivesInjectedServerErrors) {
  Emulator emu({"--generate", "3000", "--error-rate", "0.2", "--fault-seed", "7"});
  REQUIRE_EMULATOR(emu);
  auto client = Connect(emu);
  auto users = client->ListAllUsers();
  ASSERT_TRUE(users.ok()) << users.status().ToString();
  EXPECT_GE(users->size(), 3000u);
}

TEST(EmulatorClientTest, CreateDroppedAfterApplyIsOutcomeUnknownAndNotRepeated) {
  Emulator emu({"--reset-after-rate", "1.0", "--fault-seed", "3"});
  REQUIRE_EMULATOR(emu);
  auto client = Connect(emu);
  NewUser user;
  user.username = "dropped";
  user.email = "dropped@example.com";
  user.password = "Password-123";
  auto created = client->CreateUser(user);
  ASSERT_FALSE(created.ok());
  EXPECT_TRUE(created.status().IsOutcomeUnknown()) << created.status().ToString();
  EXPECT_EQ(emu.WritesTotal(), 1) << "the create was sent exactly once";
}

TEST(EmulatorClientTest, PacedListingAtTheRateLimitCompletes) {
  Emulator emu({"--generate", "6000", "--rate-limit", "20", "--burst", "10"});
  REQUIRE_EMULATOR(emu);
  auto client = Connect(emu);
  auto users = client->ListAllUsers();
  ASSERT_TRUE(users.ok()) << users.status().ToString();
  EXPECT_GE(users->size(), 6000u);
  std::cout << "emulator stats after paced listing: " << emu.Get("/__emu/stats") << "\n";
}

}  // namespace
}  // namespace rostersync::api
