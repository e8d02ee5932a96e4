// HeldSetTest: the held set's fingerprint, its text form and the exact-approval check.
#include "sync/held_set.h"

#include <gtest/gtest.h>

namespace rostersync {
namespace {

Action Held(ActionType type, const std::string& key, std::vector<FieldChange> changes = {}) {
  Action a;
  a.type = type;
  a.key = key;
  a.username = "u" + key;
  a.changes = std::move(changes);
  a.held = true;
  a.held_reason = "max_deactivations: too many";
  return a;
}

Plan ThreeHeld() {
  Plan plan;
  plan.actions.push_back(Held(ActionType::kDeactivate, "E2"));
  plan.actions.push_back(Held(ActionType::kDeactivate, "E1"));
  plan.actions.push_back(Held(ActionType::kUpdate, "E3", {{"last_name", "Smith", "Jones"}}));
  Action free;
  free.type = ActionType::kCreate;
  free.key = "E9";
  plan.actions.push_back(free);
  plan.holds.push_back(Hold{"max_deactivations", 3, "too many"});
  return plan;
}

TEST(HeldSetTest, IdCoversHeldActionsOnlyInAnyOrder) {
  Plan a = ThreeHeld();
  Plan b = ThreeHeld();
  std::swap(b.actions[0], b.actions[2]);
  b.actions.pop_back();  // the not-held create is not part of the set
  const std::string id = HeldSetId(HeldItemsOf(a));
  EXPECT_EQ(id.size(), 16u);
  EXPECT_EQ(id, HeldSetId(HeldItemsOf(b)));
  EXPECT_EQ(HeldSetId({}), "");
}

TEST(HeldSetTest, IdChangesWithKindPersonOrFieldChange) {
  const std::string id = HeldSetId(HeldItemsOf(ThreeHeld()));
  Plan other_person = ThreeHeld();
  other_person.actions[0].key = "E4";
  Plan other_change = ThreeHeld();
  other_change.actions[2].changes[0].to = "Brown";
  Plan other_kind = ThreeHeld();
  other_kind.actions[0].type = ActionType::kRole;
  Plan one_less = ThreeHeld();
  one_less.actions.erase(one_less.actions.begin());
  for (const Plan* p : {&other_person, &other_change, &other_kind, &one_less}) {
    EXPECT_NE(HeldSetId(HeldItemsOf(*p)), id);
  }
  Plan renamed_display = ThreeHeld();
  renamed_display.actions[0].username = "someone.else";  // display only
  EXPECT_EQ(HeldSetId(HeldItemsOf(renamed_display)), id);
}

TEST(HeldSetTest, SummaryCountsPerAction) {
  EXPECT_EQ(HeldSummary(HeldItemsOf(ThreeHeld())), "1 update, 2 deactivate");
}

TEST(HeldSetTest, TextFormRoundTripsAwkwardStrings) {
  Plan plan = ThreeHeld();
  plan.actions[2].changes = {{"position", "a\tb\\n", "line\nbreak"}, {"email", "", "x@y"}};
  std::vector<HeldItem> items = HeldItemsOf(plan);
  Result<std::vector<HeldItem>> back = DecodeHeldItems(EncodeHeldItems(items));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, items);
  EXPECT_FALSE(DecodeHeldItems("deactivate\tE1\n").ok());
}

TEST(HeldSetTest, ApprovalReleasesExactlyTheApprovedActions) {
  Plan plan = ThreeHeld();
  ReleaseDecision d = MatchApproved(HeldItemsOf(plan), {}, plan);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.release.size(), 3u);
  ReleaseActions(d, &plan);
  EXPECT_EQ(plan.CountHeld(), 0);
  EXPECT_TRUE(plan.holds.empty());
}

// A truncated roster is held twice (untrusted_roster names the actions, max_deactivations
// counts them too): releasing them all leaves no hold, so the cycle is not "held".
TEST(HeldSetTest, ReleasingEveryActionDropsEveryHoldThatCountedThem) {
  Plan plan;
  for (const char* key : {"E1", "E2"}) {
    Action a = Held(ActionType::kDeactivate, key);
    a.held_reason = "untrusted_roster: roster has 5 valid rows";
    plan.actions.push_back(a);
  }
  plan.holds.push_back(Hold{"untrusted_roster", 2, "2 changes held: roster not trusted"});
  plan.holds.push_back(Hold{"max_deactivations", 2, "2 deactivations exceed ..."});
  plan.holds.push_back(Hold{"untrusted_roster", 0, "no action held, still untrusted"});
  ReleaseActions(MatchApproved(HeldItemsOf(plan), {"E1"}, plan), &plan);
  ASSERT_EQ(plan.holds.size(), 2u);
  EXPECT_EQ(plan.holds[0].count, 1);
  ReleaseActions(MatchApproved(HeldItemsOf(plan), {}, plan), &plan);
  ASSERT_EQ(plan.holds.size(), 1u);
  EXPECT_EQ(plan.holds[0].count, 0);
  EXPECT_EQ(plan.CountHeld(), 0);
}

TEST(HeldSetTest, OnlyKeysRestrictTheRelease) {
  Plan plan = ThreeHeld();
  ReleaseDecision d = MatchApproved(HeldItemsOf(plan), {"E1"}, plan);
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d.release.size(), 1u);
  EXPECT_EQ(plan.actions[d.release[0]].key, "E1");
  ReleaseActions(d, &plan);
  EXPECT_EQ(plan.CountHeld(), 2);
  ASSERT_EQ(plan.holds.size(), 1u);
  EXPECT_EQ(plan.holds[0].count, 2);
  EXPECT_FALSE(MatchApproved(HeldItemsOf(plan), {"E7"}, ThreeHeld()).ok());
}

TEST(HeldSetTest, ChangedOrVanishedActionsRefuseTheWholeApproval) {
  const std::vector<HeldItem> approved = HeldItemsOf(ThreeHeld());
  Plan changed = ThreeHeld();
  changed.actions[2].changes[0].to = "Brown";
  ReleaseDecision d = MatchApproved(approved, {}, changed);
  EXPECT_FALSE(d.ok());
  EXPECT_TRUE(d.release.empty());
  ASSERT_EQ(d.differences.size(), 1u);
  EXPECT_NE(d.differences[0].find("E3 update: changed"), std::string::npos) << d.differences[0];
  EXPECT_NE(d.differences[0].find("Brown"), std::string::npos);

  Plan vanished = ThreeHeld();
  vanished.actions.erase(vanished.actions.begin());
  d = MatchApproved(approved, {}, vanished);
  ASSERT_EQ(d.differences.size(), 1u);
  EXPECT_EQ(d.differences[0], "E2 deactivate: no longer planned");

  Plan released = ThreeHeld();
  released.actions[1].held = false;
  d = MatchApproved(approved, {}, released);
  ASSERT_EQ(d.differences.size(), 1u);
  EXPECT_EQ(d.differences[0], "E1 deactivate: no longer held");
  // Approving a subset that did not change still works.
  EXPECT_TRUE(MatchApproved(approved, {"E2"}, changed).ok());
}

TEST(HeldSetTest, HoldsNoApprovalReleasesAreInNoHeldSet) {
  Plan plan = ThreeHeld();
  plan.actions[0].held_reason = "ambiguous_match: two accounts match";
  plan.actions[1].held_reason = "rejected_row: named in roster.csv:7";
  EXPECT_EQ(HeldItemsOf(plan).size(), 1u);
  Plan before = ThreeHeld();
  ReleaseDecision d = MatchApproved(HeldItemsOf(before), {}, plan);
  EXPECT_FALSE(d.ok());
  EXPECT_EQ(d.differences.size(), 2u);
  EXPECT_TRUE(d.release.empty());
}

TEST(HeldSetTest, NewHeldActionsDoNotBlockButAreNotReleased) {
  Plan plan = ThreeHeld();
  const std::vector<HeldItem> approved = HeldItemsOf(plan);
  plan.actions.push_back(Held(ActionType::kDeactivate, "E5"));
  ReleaseDecision d = MatchApproved(approved, {}, plan);
  ASSERT_TRUE(d.ok());
  ReleaseActions(d, &plan);
  EXPECT_EQ(plan.CountHeld(), 1);
  EXPECT_TRUE(plan.actions.back().held);
}

}  // namespace
}  // namespace rostersync
