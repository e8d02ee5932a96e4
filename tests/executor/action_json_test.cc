// One encoder for an Action: ActionToJson writes `plan --json` actions and the executor's
// journal payloads; state/audit_json.h ActionFromJson reads them back for crash recovery.
#include <gtest/gtest.h>

#include "state/audit_json.h"
#include "sync/executor.h"
#include "sync/plan_json.h"
#include "tests/executor/executor_test_util.h"
#include "tests/fakes/fake_users_api.h"
#include "tests/fakes/memory_state_store.h"

namespace rostersync {
namespace {

// One action of each type, with every member its type carries set to something unusual.
std::vector<Action> EveryActionType() {
  std::vector<Action> out;
  for (int t = 0; t <= static_cast<int>(ActionType::kDeactivate); ++t) {
    Action a;
    a.type = static_cast<ActionType>(t);
    a.key = "E" + std::to_string(t);
    a.user_id = a.type == ActionType::kCreate ? "" : "u" + std::to_string(t);
    a.username = "user\"" + std::to_string(t);
    a.email = "user" + std::to_string(t) + "@example.com";
    a.changes = {{"last_name", "O'Brien\n", "Ünïcode \\ \t"}};
    a.detail = "detail " + std::to_string(t);
    if (t % 3 == 0) {
      a.held = true;
      a.held_reason = "max_deactivations: 2 deactivations exceed 1";
    }
    switch (a.type) {
      case ActionType::kCreate:
        a.new_user.username = "jdoe";
        a.new_user.email = "jdoe@example.com";
        a.new_user.first_name = "Jane \"JD\"";
        a.new_user.last_name = "Doe";
        a.new_user.nickname = "jd";
        a.new_user.position = "Engineer";
        a.new_user.locale = "de";
        a.new_user.auth_service = "saml";
        a.new_user.auth_data = "jdoe@corp";
        a.new_user.email_verified = true;
        a.new_user.props = {{"k", "v\n"}};
        break;
      case ActionType::kUpdate:
        a.patch.username = "new.name";
        a.patch.email = "new@example.com";
        a.patch.last_name = "Smith-Jones";
        a.patch.nickname = "";  // set to empty is not the same as unset
        a.patch.timezone = StringMap{{"useAutomaticTimezone", "true"}};
        break;
      case ActionType::kRole:
      case ActionType::kGuest:
      case ActionType::kPromote:
        a.roles = "system_user custom_role";
        break;
      case ActionType::kAuth:
        a.auth_service = "ldap";
        a.auth_data = "cn=jdoe";
        break;
      default:
        break;
    }
    out.push_back(a);
  }
  return out;
}

TEST(ActionJsonTest, DecodesEveryActionTypeBackIntoTheSameAction) {
  for (const Action& a : EveryActionType()) {
    std::string json = ActionToJson(a);
    auto back = ActionFromJson(json);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, a) << json;
    EXPECT_EQ(ActionJournalPayload(a), json);  // one encoder
  }
}

TEST(ActionJsonTest, NeverWritesAPassword) {
  for (Action a : EveryActionType()) {
    a.new_user.password = "never-journal-this";
    a.patch.password = "nor-this";
    EXPECT_EQ(ActionToJson(a).find("never-journal-this"), std::string::npos);
    EXPECT_EQ(ActionToJson(a).find("nor-this"), std::string::npos);
  }
}

TEST(ActionJsonTest, ReadsPayloadsJournaledUnderTheOldTypeMember) {
  auto old = ActionFromJson(R"({"type":"deactivate","key":"E1","user_id":"u1"})");
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  EXPECT_EQ(old->type, ActionType::kDeactivate);
  EXPECT_EQ(old->user_id, "u1");
}

TEST(ActionJsonTest, JournalsTheActionTheExecutorSends) {
  testing::FakeUsersApi api;
  testing::MemoryStateStore store;
  FakeClock clock(1'790'000'000'000);
  Plan plan;
  plan.actions.push_back(testing::CreateAction("E1", "jdoe", "saml", "jdoe@corp"));
  Executor executor(api, store, nullptr, clock, ExecutorOptions{});
  ASSERT_EQ(executor.Apply(plan).ok, 1);
  ASSERT_EQ(store.Journal().size(), 1u);
  auto journaled = ActionFromJson(store.Journal()[0].payload);
  ASSERT_TRUE(journaled.ok()) << journaled.status().ToString();
  EXPECT_EQ(*journaled, plan.actions[0]);
}

}  // namespace
}  // namespace rostersync
