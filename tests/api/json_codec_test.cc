// JSON codec: tolerant of unknown fields, exact on known ones, and the streaming user-list
// decoder agrees with the tree decoder.
#include "api/json_codec.h"

#include <gtest/gtest.h>

#include "api/http_errors.h"
#include "api/json_user_stream.h"

namespace rostersync::api {
namespace {

TEST(JsonCodecTest, StreamingAndTreeDecodersAgreeOnTrickyUserLists) {
  const std::vector<std::string> docs = {
      R"([])",
      R"([{"id":"a","username":"x","delete_at":1.7e12,"email_verified":false}])",
      R"([{"id":"a","extra":{"deep":[1,{"x":null}]},"props":{"k":"v","n":3,"b":true,"z":null}}])",
      R"([{"id":"a","delete_at":"x","delete_at":3}])",       // last duplicate wins
      R"([{"id":"a","username":"u","username":null}])",      // null resets to default
      R"([{"id":"a","delete_at":3,"delete_at":"x"}])",       // wrong last value
      R"([{"id":"a","props":[1]}])",
      R"([{"id":"a","is_bot":"yes"}])",
      R"([{"id":1}])",
      R"([1])",
      R"([null])",
      R"({"id":"a"})",
      R"([{"id":"a","create_at":18446744073709551615}])",
      R"([{"id":"a","timezone":{"useAutomaticTimezone":true,"manualTimezone":""}}])",
      R"([{"id":"a"},{"id":"b","roles":"system_user"}])",
      R"([{"id":"a"})",
  };
  for (const std::string& doc : docs) {
    std::vector<User> streamed;
    bool fallback = false;
    Status s = StreamDecodeUsers(doc, true, &streamed, &fallback);
    ASSERT_FALSE(fallback) << doc;
    auto tree = DecodeUsersTree(doc, true);
    ASSERT_EQ(s.ok(), tree.ok()) << doc << "\nstream: " << s.ToString() << "\ntree: "
                                 << tree.status().ToString();
    if (s.ok()) {
      EXPECT_EQ(streamed, *tree) << doc;
    } else {
      EXPECT_EQ(s.code(), Status::Code::kInvalid);
    }
  }
}

TEST(JsonCodecTest, NestedValuesInsideMapsFallBackToTheTreeDecoder) {
  const std::string doc = R"([{"id":"a","props":{"nested":{"x":1}}}])";
  std::vector<User> streamed;
  bool fallback = false;
  ASSERT_TRUE(StreamDecodeUsers(doc, true, &streamed, &fallback).ok());
  EXPECT_TRUE(fallback);
  auto users = Decode<std::vector<User>>(doc);
  ASSERT_TRUE(users.ok()) << users.status().ToString();
  EXPECT_EQ(users->at(0).props.at("nested"), R"({"x":1})");
}

TEST(JsonCodecTest, WrongTypeNamesTheField) {
  auto users = Decode<std::vector<User>>(R"([{"id":"a"},{"id":"b","mfa_active":"no"}])");
  ASSERT_FALSE(users.ok());
  EXPECT_NE(users.status().message().find("mfa_active"), std::string::npos);
  EXPECT_NE(users.status().message().find("body[1]"), std::string::npos);
}

TEST(JsonCodecTest, PatchEncodesOnlySetFieldsAndNewUserSkipsEmptyOnes) {
  UserPatch patch;
  EXPECT_EQ(EncodeUserPatch(patch), "{}");
  patch.email = "a@b.c";
  patch.timezone = StringMap{};
  EXPECT_EQ(EncodeUserPatch(patch), R"({"email":"a@b.c","timezone":{}})");
  NewUser user;
  user.username = "u";
  user.email = "e@x.y";
  EXPECT_EQ(EncodeNewUser(user), R"({"email":"e@x.y","username":"u"})");
}

TEST(JsonCodecTest, DecodesBareNumbersAndModels) {
  auto count = Decode<double>("  42 ");
  ASSERT_TRUE(count.ok()) << count.status().ToString();
  EXPECT_EQ(*count, 42);
  auto limits = Decode<ServerLimits>(R"({"maxUsersLimit":250,"activeUserCount":12,"x":1})");
  ASSERT_TRUE(limits.ok());
  EXPECT_EQ(limits->max_users_limit, 250);
  EXPECT_EQ(limits->active_user_count, 12);
  auto report = Decode<std::vector<UserReport>>(R"([{"id":"a","last_login_at":5}])");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->at(0).last_login_at, std::optional<int64_t>(5));
  EXPECT_FALSE(report->at(0).total_posts.has_value());
}

TEST(JsonCodecTest, ParsesPlainTextAndJsonAppErrors) {
  Status plain = MapHttpError(429, "limit exceeded\n", "rid-1", "GET /x");
  EXPECT_EQ(plain.code(), Status::Code::kRateLimited);
  EXPECT_EQ(plain.request_id(), "rid-1");
  Status json = MapHttpError(
      400, R"({"id":"app.user.save.email_exists.app_error","message":"taken","request_id":"r2"})",
      "rid-h", "PUT /p");
  EXPECT_EQ(json.code(), Status::Code::kConflict);
  EXPECT_EQ(json.request_id(), "r2");
  EXPECT_EQ(json.error_id(), "app.user.save.email_exists.app_error");
  EXPECT_EQ(MapHttpError(502, "<html>", "", "GET /x").code(), Status::Code::kTransient);
}

TEST(JsonCodecTest, DecodesTeamModelsWithNullableFlagsAndGracefulEntries) {
  auto team = Decode<Team>(R"({"id":"t","name":"co","delete_at":0,"group_constrained":null})");
  ASSERT_TRUE(team.ok()) << team.status().ToString();
  EXPECT_FALSE(team->group_constrained) << "null means not group-constrained";
  auto channel = Decode<Channel>(R"({"id":"c","delete_at":5,"group_constrained":true})");
  ASSERT_TRUE(channel.ok());
  EXPECT_TRUE(channel->IsArchived());
  EXPECT_TRUE(channel->group_constrained);
  auto entries = Decode<std::vector<TeamMemberWithError>>(
      R"([{"user_id":"a","member":{"team_id":"t","user_id":"a","delete_at":0,"scheme_guest":true},"error":null},
          {"user_id":"b","member":null,"error":{"id":"x.app_error","message":"m","status_code":400}}])");
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  ASSERT_TRUE(entries->at(0).member.has_value());
  EXPECT_TRUE(entries->at(0).member->scheme_guest);
  EXPECT_FALSE(entries->at(0).error.has_value());
  ASSERT_TRUE(entries->at(1).error.has_value());
  EXPECT_EQ(entries->at(1).error->id, "x.app_error");
  EXPECT_EQ(entries->at(1).error->status_code, 400);
  auto bad = Decode<TeamMember>(R"({"delete_at":"soon"})");
  EXPECT_EQ(bad.status().code(), Status::Code::kInvalid);
}

}  // namespace
}  // namespace rostersync::api
