// ConfirmUnlisted (sync/executor_confirm.cc): ledger ids the listing lacks are looked up in
// batches; each account the server still has is appended once, whatever the ledger repeats.
#include <gtest/gtest.h>

#include <set>

#include "sync/executor.h"
#include "tests/fakes/fake_users_api.h"

namespace rostersync {
namespace {

using ::rostersync::testing::FakeUsersApi;

TEST(ConfirmUnlistedTest, AppendsEachUnlistedAccountOnceAcrossBatches) {
  FakeUsersApi api;
  Ledger ledger;
  std::vector<std::string> hidden;
  const int n = 2 * static_cast<int>(kMaxIdsPerLookup) + 30;  // half hidden: two batches
  for (int i = 0; i < n; ++i) {
    User u;
    u.username = "user" + std::to_string(i);
    u.email = u.username + "@example.com";
    User stored = api.AddUser(u);
    LedgerEntry e;
    e.key = "E" + std::to_string(i);
    e.user_id = stored.id;
    ledger[e.key] = e;
    if (i % 2 == 0) {
      api.HideFromListing(stored.id);
      hidden.push_back(stored.id);
    }
  }
  // Two more keys for one hidden account, and a key whose account is gone.
  ledger["X1"] = LedgerEntry{"X1", hidden[3]};
  ledger["X2"] = LedgerEntry{"X2", hidden[3]};
  ledger["GONE"] = LedgerEntry{"GONE", "no-such-user"};

  auto listed = api.ListAllUsers();
  ASSERT_TRUE(listed.ok());
  std::vector<User> users = *listed;
  const size_t before = users.size();
  int confirmed = -1;
  ASSERT_TRUE(ConfirmUnlisted(api, ledger, &users, &confirmed).ok());
  EXPECT_EQ(confirmed, static_cast<int>(hidden.size()));
  EXPECT_EQ(users.size(), before + hidden.size());
  std::multiset<std::string> ids;
  for (const User& u : users) ids.insert(u.id);
  for (const std::string& id : hidden) EXPECT_EQ(ids.count(id), 1u) << id;
  EXPECT_EQ(ids.count("no-such-user"), 0u);
  EXPECT_EQ(api.Calls("GetUsersByIds"), 2);
}

}  // namespace
}  // namespace rostersync
