// The listing plausibility guard: a listing far smaller than the ledger knows holds every
// deactivation and identity change (sync/listing_guard.h).
#include <gtest/gtest.h>

#include "sync/listing_guard.h"

namespace rostersync {
namespace {

Ledger LedgerOf(int n) {
  Ledger ledger;
  for (int i = 0; i < n; ++i) {
    LedgerEntry e;
    e.key = "E" + std::to_string(i);
    e.user_id = "u" + std::to_string(i);
    ledger[e.key] = e;
  }
  return ledger;
}

std::vector<User> UsersOf(int from, int to) {
  std::vector<User> users;
  for (int i = from; i < to; ++i) {
    User u;
    u.id = "u" + std::to_string(i);
    users.push_back(u);
  }
  return users;
}

Action ActionOf(ActionType type, const std::string& key) {
  Action a;
  a.type = type;
  a.key = key;
  if (type != ActionType::kCreate) a.user_id = "id-" + key;
  return a;
}

TEST(ListingGuardTest, FindsTheActiveManagedIdsTheListingLacks) {
  Ledger ledger = LedgerOf(10);
  ledger["E9"].set_values["active"] = "false";  // deactivated by us: not expected listed
  ListingCheck check;
  auto missing = LedgerIdsMissingFromListing(ledger, UsersOf(0, 3), &check);
  EXPECT_EQ(check.expected, 9u);
  EXPECT_EQ(check.listed, 3u);
  EXPECT_EQ(missing.size(), 6u);
}

TEST(ListingGuardTest, AListingWithFewerThanHalfOfTheExistingManagedUsersIsImplausible) {
  EXPECT_TRUE(ListingImplausible({300, 50, 250}));
  EXPECT_TRUE(ListingImplausible({10, 4, 6}));
  EXPECT_FALSE(ListingImplausible({10, 5, 5}));
  EXPECT_FALSE(ListingImplausible({300, 299, 1}));   // one cut short: merged, trusted
  EXPECT_FALSE(ListingImplausible({300, 50, 0}));    // the rest are gone from the server
  EXPECT_FALSE(ListingImplausible({0, 0, 0}));
  EXPECT_FALSE(ListingImplausible({1, 0, 1}));  // one moved across a page: merged, trusted
  EXPECT_FALSE(ListingImplausible({4, 0, 4}));  // below kMinUnlistedForGuard
  EXPECT_TRUE(ListingImplausible({5, 0, 5}));
}

TEST(ListingGuardTest, HoldsDeactivationsAndIdentityChangesWithOneHoldLine) {
  Plan plan;
  plan.actions.push_back(ActionOf(ActionType::kDeactivate, "E1"));
  plan.actions.push_back(ActionOf(ActionType::kCreate, "E2"));
  Action rename = ActionOf(ActionType::kUpdate, "E3");
  rename.patch.username = "new.name";
  plan.actions.push_back(rename);
  Action title = ActionOf(ActionType::kUpdate, "E4");
  title.patch.position = "Lead";
  plan.actions.push_back(title);
  Action follow_up = ActionOf(ActionType::kPasswordReset, "E2");
  follow_up.user_id.clear();  // the create's follow-up: no account yet
  plan.actions.push_back(follow_up);
  EXPECT_EQ(HoldForImplausibleListing({300, 50, 250}, false, &plan), 4);
  EXPECT_TRUE(plan.actions[0].held);
  EXPECT_TRUE(plan.actions[1].held);
  EXPECT_TRUE(plan.actions[2].held);
  EXPECT_FALSE(plan.actions[3].held) << "a title change is not an identity change";
  EXPECT_TRUE(plan.actions[4].held) << "a create's follow-up goes with the create";
  EXPECT_EQ(plan.actions[0].held_reason.rfind("implausible_listing: ", 0), 0u);
  ASSERT_EQ(plan.holds.size(), 1u);
  EXPECT_EQ(plan.holds[0].guard, "implausible_listing");
  EXPECT_EQ(plan.holds[0].count, 4);
  EXPECT_NE(plan.holds[0].message.find("holds 50 of the 300"), std::string::npos)
      << plan.holds[0].message;
}

TEST(ListingGuardTest, APlausibleListingHoldsNothing) {
  Plan plan;
  plan.actions.push_back(ActionOf(ActionType::kDeactivate, "E1"));
  EXPECT_EQ(HoldForImplausibleListing({300, 299, 1}, false, &plan), 0);
  EXPECT_FALSE(plan.actions[0].held);
  EXPECT_TRUE(plan.holds.empty());
}

TEST(ListingGuardTest, ForceReleasesItWithANotice) {
  Plan plan;
  plan.actions.push_back(ActionOf(ActionType::kDeactivate, "E1"));
  EXPECT_EQ(HoldForImplausibleListing({300, 50, 250}, true, &plan), 0);
  EXPECT_FALSE(plan.actions[0].held);
  EXPECT_TRUE(plan.holds.empty());
  ASSERT_EQ(plan.notices.size(), 1u);
  EXPECT_EQ(plan.notices[0].rfind("--force: ", 0), 0u);
}

}  // namespace
}  // namespace rostersync
