// api::Client against mm-emulator in each server mode: capabilities as the server reports
// them, POST /users/ids, and the user limit's 200 answer with an appended error.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <iostream>
#include <set>
#include <thread>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include "api/client.h"
#include "tests/support/child_process.h"

namespace rostersync::api {
namespace {

using rostersync::testing::Emulator;

std::unique_ptr<Client> Connect(const Emulator& emu) {
  ClientOptions options;
  options.url = emu.url();
  options.token = emu.admin_token();
  options.concurrency = 2;
  options.base_delay_ms = 5;
  options.max_delay_ms = 200;
  options.timeout_ms = 5000;
  auto client = Client::Create(options);
  EXPECT_TRUE(client.ok()) << client.status().ToString();
  return client.ok() ? std::move(client).value() : nullptr;
}

TEST(EmulatorModesClientTest, DefaultEmulatorIsAnUnlicensedPermissiveServer) {
  Emulator emu;
  ASSERT_TRUE(emu.ok()) << "mm-emulator did not start (" << testing::EmulatorBinary() << ")";
  auto caps = Connect(emu)->GetServerCapabilities();
  ASSERT_TRUE(caps.ok()) << caps.status().ToString();
  EXPECT_TRUE(caps->known);
  EXPECT_FALSE(caps->licensed);
  EXPECT_FALSE(caps->GuestsAvailable());
  EXPECT_FALSE(caps->require_email_verification);
  EXPECT_EQ(caps->password.min_length, 8);
  EXPECT_TRUE(caps->saml_owned.empty());
}

TEST(EmulatorModesClientTest, LicensedEmulatorOffersGuests) {
  Emulator emu({"--licensed", "--ldap-owned", "nickname"});
  ASSERT_TRUE(emu.ok());
  auto caps = Connect(emu)->GetServerCapabilities();
  ASSERT_TRUE(caps.ok()) << caps.status().ToString();
  EXPECT_TRUE(caps->GuestsAvailable());
  EXPECT_EQ(caps->ldap_owned, (std::set<std::string>{"email", "nickname", "username"}));
  EXPECT_EQ(caps->saml_owned, (std::set<std::string>{"username"}));
}

TEST(EmulatorModesClientTest, RealisticEmulatorReportsEveryRestriction) {
  Emulator emu({"--realistic"});
  ASSERT_TRUE(emu.ok());
  auto caps = Connect(emu)->GetServerCapabilities();
  ASSERT_TRUE(caps.ok()) << caps.status().ToString();
  EXPECT_TRUE(caps->licensed);
  EXPECT_FALSE(caps->GuestsAvailable());
  EXPECT_EQ(caps->GuestsUnavailableReason(),
            "guest accounts are disabled on the server (EnableGuestAccounts=false)");
  EXPECT_TRUE(caps->require_email_verification);
  EXPECT_EQ(caps->password, (PasswordPolicy{40, true, true, true, true}));
  EXPECT_EQ(caps->saml_owned, (std::set<std::string>{"first_name", "last_name", "username"}));
  // Switched at runtime: the next read sees it.
  ASSERT_FALSE(emu.Send("PUT", "/__emu/faults", R"({"guest_accounts_enabled":true})").empty());
  auto again = Connect(emu)->GetServerCapabilities();
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->GuestsAvailable());
}

TEST(EmulatorModesClientTest, EachModeFlagShowsInTheCapabilities) {
  struct Case {
    std::vector<std::string> flags;
    std::function<bool(const ServerCapabilities&)> holds;
    const char* what;
  } cases[] = {
      {{"--licensed", "--license-without-guests"},
       [](const ServerCapabilities& c) {
         return c.licensed && !c.license_guest_accounts && !c.GuestsAvailable();
       },
       "licence without GuestAccounts"},
      {{"--licensed", "--guest-accounts-disabled"},
       [](const ServerCapabilities& c) {
         return c.license_guest_accounts && !c.guest_accounts_enabled && !c.GuestsAvailable();
       },
       "guest accounts disabled"},
      {{"--require-email-verification"},
       [](const ServerCapabilities& c) { return c.require_email_verification; },
       "email verification"},
      {{"--password-min-length", "20", "--password-require", "number,symbol"},
       [](const ServerCapabilities& c) {
         return c.password == PasswordPolicy{20, false, false, true, true};
       },
       "password policy"},
      {{"--saml-owned", "nickname"},  // unlicensed: the attribute keys are not sent
       [](const ServerCapabilities& c) { return c.saml_owned.empty(); },
       "owned fields need a licence"},
  };
  for (const Case& c : cases) {
    Emulator emu(c.flags);
    ASSERT_TRUE(emu.ok()) << c.what;
    auto caps = Connect(emu)->GetServerCapabilities();
    ASSERT_TRUE(caps.ok()) << c.what << ": " << caps.status().ToString();
    EXPECT_TRUE(c.holds(*caps)) << c.what << ": " << caps->Summary();
  }
}

TEST(EmulatorModesClientTest, GetsUsersByIdsIncludingInactiveAndSkipsUnknownIds) {
  Emulator emu({"--generate", "5"});
  ASSERT_TRUE(emu.ok());
  auto client = Connect(emu);
  auto one = client->GetUserByUsername("user000001");
  auto two = client->GetUserByUsername("user000002");
  ASSERT_TRUE(one.ok() && two.ok());
  ASSERT_TRUE(client->DeactivateUser(two->id).ok());
  auto users = client->GetUsersByIds({one->id, two->id, "nosuchuser0000000000000000"});
  ASSERT_TRUE(users.ok()) << users.status().ToString();
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].id, one->id);
  EXPECT_FALSE((*users)[1].active());
}

TEST(EmulatorModesClientTest, GetUsersByIdsUnderReplicaLagMissesAFreshUser) {
  Emulator emu({"--replica-lag-ms", "5000"});
  ASSERT_TRUE(emu.ok());
  auto client = Connect(emu);
  NewUser user;
  user.username = "fresh";
  user.email = "fresh@example.com";
  user.password = "Password-123";
  auto created = client->CreateUser(user);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  auto users = client->GetUsersByIds({created->id});
  ASSERT_TRUE(users.ok());
  EXPECT_TRUE(users->empty()) << "the replica has not seen the create yet";
}

TEST(EmulatorModesClientTest, ListingSkewHidesOneUserThatUsersByIdsStillFinds) {
  Emulator emu({"--generate", "450"});
  ASSERT_TRUE(emu.ok());
  auto client = Connect(emu);
  auto before = client->ListAllUsers();
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  ASSERT_FALSE(emu.Send("PUT", "/__emu/faults", R"({"listing_skew":true})").empty());
  auto skewed = client->ListAllUsers();
  ASSERT_TRUE(skewed.ok()) << skewed.status().ToString();
  std::set<std::string> seen;
  for (const auto& u : *skewed) seen.insert(u.id);
  std::vector<std::string> missing;
  for (const auto& u : *before) {
    if (!seen.count(u.id)) missing.push_back(u.id);
  }
  ASSERT_EQ(missing.size(), 1u) << "a listing during a rename misses one unrelated user";
  auto confirmed = client->GetUsersByIds(missing);
  ASSERT_TRUE(confirmed.ok());
  EXPECT_EQ(confirmed->size(), 1u) << "the absence is not a deletion";
}

TEST(EmulatorModesClientTest, ListingCompletesWhileANeighbourDrainsTheSharedIpBucket) {
  Emulator emu({"--generate", "3000", "--rate-limit", "20", "--burst", "10", "--rate-limit-per-ip"});
  ASSERT_TRUE(emu.ok());
  ClientOptions options;
  options.url = emu.url();
  options.token = emu.admin_token();
  options.concurrency = 2;
  options.base_delay_ms = 5;
  options.max_delay_ms = 200;
  options.timeout_ms = 5000;
  // The neighbour asks faster than the bucket refills, so which of the two gets a freed
  // token is luck; on a loaded machine 20 refusals in a row for one page happen. The point
  // is that paced retries finish the listing, so give them room.
  options.max_rate_limited_retries = 500;
  auto created = Client::Create(options);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  auto client = std::move(created).value();
  // A naive neighbour on the same address: another token, no pacing, no retries.
  std::atomic<bool> stop{false};
  std::atomic<int> neighbour_requests{0};
  std::thread drain([&] {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(emu.port()));
    while (!stop.load()) {
      try {
        Poco::Net::HTTPRequest request("GET", "/api/v4/users/me", "HTTP/1.1");
        request.set("Authorization", "Bearer a-neighbours-token");
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        session.receiveResponse(response).ignore(1 << 20);
      } catch (const std::exception&) {
        session.reset();
      }
      ++neighbour_requests;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));  // above the rate: it drains
    }
  });
  auto users = client->ListAllUsers();
  stop = true;
  drain.join();
  ASSERT_TRUE(users.ok()) << users.status().ToString();
  EXPECT_GE(users->size(), 3001u);
  std::cout << "neighbour requests during the listing: " << neighbour_requests.load()
            << "; emulator stats: " << emu.Get("/__emu/stats") << "\n";
}

TEST(EmulatorModesClientTest, RealisticServerRefusesAWeakPasswordAndLagsReads) {
  Emulator emu({"--realistic", "--replica-lag-ms", "1000"});  // longer lag: no timing flake
  ASSERT_TRUE(emu.ok());
  auto client = Connect(emu);
  NewUser user;
  user.username = "rita";
  user.email = "rita@example.com";
  user.password = "Password-123";  // 12 bytes: under the minimum of 40
  auto weak = client->CreateUser(user);
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.status().error_id(), "model.user.is_valid.pwd_min_length.app_error");
  user.password = "Aa1!" + std::string(36, 'x');
  auto created = client->CreateUser(user);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  auto lagged = client->GetUsersByIds({created->id});
  ASSERT_TRUE(lagged.ok());
  EXPECT_TRUE(lagged->empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto seen = client->GetUsersByIds({created->id});
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->size(), 1u);
}

TEST(EmulatorModesClientTest, ReactivationOverTheUserLimitIsAnErrorWithItsId) {
  Emulator emu({"--generate", "3", "--user-limit", "3"});
  ASSERT_TRUE(emu.ok());
  auto client = Connect(emu);
  auto u = client->GetUserByUsername("user000001");
  ASSERT_TRUE(u.ok());
  ASSERT_TRUE(client->DeactivateUser(u->id).ok());  // admin + 2 generated: the limit
  Status s = client->SetUserActive(u->id, true);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error_id(), "app.user.update_active.user_limit.exceeded") << s.ToString();
  EXPECT_EQ(s.http_status(), 400);
  auto read = client->GetUser(u->id);
  ASSERT_TRUE(read.ok());
  EXPECT_FALSE(read->active());
}

}  // namespace
}  // namespace rostersync::api
