// State JSON: the docs/contract.md audit record shape and journal payload round trips.
#include "state/audit_json.h"

#include <gtest/gtest.h>

#include "sync/executor.h"

namespace rostersync {
namespace {

TEST(AuditJsonTest, WritesTheSpecFieldsWithChangesAsFromToObjects) {
  AuditRecord r;
  r.ts_ms = 1'796'735'343'045;  // 2026-12-08T13:22:23.045Z
  r.run_id = "r1";
  r.action = AuditAction::kUpdate;
  r.key = "E1";
  r.user_id = "u1";
  r.username = "jdoe";
  r.changes = {{"last_name", "Smith", "Smith-Jones"}};
  r.result = AuditResult::kFailed;
  r.http_status = 400;
  r.request_id = "req";
  r.error = "Conflict: \"x\"";
  std::string json = AuditRecordToJson(r);
  EXPECT_EQ(json.find('\n'), std::string::npos);
  EXPECT_EQ(json.rfind("{\"ts\":\"" + IsoTimestampMs(r.ts_ms) + "\",\"run_id\":\"r1\"", 0), 0u)
      << json;
  EXPECT_NE(json.find(R"("changes":{"last_name":{"from":"Smith","to":"Smith-Jones"}})"),
            std::string::npos)
      << json;
  for (const char* field : {"action", "key", "user_id", "username", "result", "http_status",
                            "request_id", "error"}) {
    EXPECT_NE(json.find(std::string("\"") + field + "\":"), std::string::npos) << field;
  }
  auto back = AuditRecordFromJson(json);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, r);
}

TEST(AuditJsonTest, FormatsTimestampsAsUtcWithMilliseconds) {
  EXPECT_EQ(IsoTimestampMs(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(IsoTimestampMs(1'000'000'000'007), "2001-09-09T01:46:40.007Z");
}

TEST(AuditJsonTest, DecodesEveryJournalPayloadBackIntoTheSameAction) {
  Action create;
  create.type = ActionType::kCreate;
  create.key = "E1";
  create.username = "jdoe";
  create.email = "jdoe@example.com";
  create.changes = {{"email", "", "jdoe@example.com"}};
  create.new_user.username = "jdoe";
  create.new_user.email = "jdoe@example.com";
  create.new_user.first_name = "Jane \"JD\"";
  create.new_user.auth_service = "saml";
  create.new_user.auth_data = "jdoe@corp";
  create.new_user.email_verified = true;
  create.new_user.props = {{"k", "v\n"}};
  Action update;
  update.type = ActionType::kUpdate;
  update.key = "E2";
  update.user_id = "u2";
  update.patch.last_name = "Smith-Jones";
  update.patch.nickname = "";
  update.patch.timezone = StringMap{{"useAutomaticTimezone", "true"}};
  Action role;
  role.type = ActionType::kRole;
  role.key = "E3";
  role.user_id = "u3";
  role.roles = "system_user system_admin";
  Action auth;
  auth.type = ActionType::kAuth;
  auth.user_id = "u4";
  auth.auth_service = "ldap";
  auth.auth_data = "cn=x";
  for (const Action& a : {create, update, role, auth}) {
    auto back = ActionFromJson(ActionJournalPayload(a));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, a) << ActionJournalPayload(a);
  }
}

TEST(AuditJsonTest, LeavesPasswordsOutOfJournalPayloads) {
  Action create;
  create.type = ActionType::kCreate;
  create.new_user.password = "never-journal-this";
  create.patch.password = "nor-this";
  EXPECT_EQ(ActionJournalPayload(create).find("never-journal-this"), std::string::npos);
  EXPECT_EQ(ActionJournalPayload(create).find("nor-this"), std::string::npos);
}

TEST(AuditJsonTest, RejectsMalformedPayloadsWithAReason) {
  auto bad = ActionFromJson("{\"type\":\"explode\"}");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("explode"), std::string::npos);
  EXPECT_FALSE(ActionFromJson("{not json").ok());
}

// A deactivation that revoked two access tokens writes two "access_token" changes: both must
// reach the JSON (a JSON object keeps one value per key), and read back as written.
TEST(AuditJsonTest, KeepsEveryChangeOfARepeatedField) {
  AuditRecord r;
  r.action = AuditAction::kDeactivate;
  r.key = "E7";
  r.changes = {{"delete_at", "0", "now"},
               {"access_token", "b9tx (ci bot)", "revoked"},
               {"access_token", "k3jq (laptop)", "revoked"},
               {"access_token", "zz01 (phone)", "revoked"},
               {"access_tokens", "3 active", "revoked"}};
  r.result = AuditResult::kOk;
  std::string json = AuditRecordToJson(r);
  EXPECT_NE(json.find(R"j("access_token":{"from":"b9tx (ci bot)","to":"revoked"})j"),
            std::string::npos) << json;
  EXPECT_NE(json.find(R"j("access_token#2":{"from":"k3jq (laptop)","to":"revoked"})j"),
            std::string::npos) << json;
  EXPECT_NE(json.find(R"j("access_token#3":{"from":"zz01 (phone)","to":"revoked"})j"),
            std::string::npos) << json;
  auto back = AuditRecordFromJson(json);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->changes, r.changes);
}

// A field whose own name looks like a repeat ("x#2") with no "x" beside it stays itself.
TEST(AuditJsonTest, AFieldNamedLikeARepeatIsNotRenamed) {
  AuditRecord r;
  r.changes = {{"props.tag#2", "a", "b"}, {"props.tag#2", "b", "c"}};
  auto back = AuditRecordFromJson(AuditRecordToJson(r));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->changes, r.changes);
}

}  // namespace
}  // namespace rostersync
