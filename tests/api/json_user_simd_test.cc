// The simdjson user-list decoder: takes ordinary pages and agrees with the Poco decoders;
// declines everything whose outcome only they may decide; the planner's lean page form.
#include "api/json_user_simd.h"

#include <gtest/gtest.h>

#include "api/json_codec.h"
#include "api/json_user_stream.h"

namespace rostersync::api {
namespace {

const char kPage[] =
    R"([{"id":"u1","create_at":1700000000000,"update_at":1.7e12,"username":"ada",)"
    R"("auth_data":"","auth_service":"saml","email":"ada@example.com","nickname":"",)"
    R"("first_name":"Ada","last_name":"L\u00f6velace","position":"Eng","roles":"system_user",)"
    R"("props":{"k":"v","n":3,"b":true,"z":null},"notify_props":{"push":"mention"},)"
    R"("last_password_update":1,"locale":"en","timezone":{"useAutomaticTimezone":"true"},)"
    R"("mfa_active":true,"is_bot":false,"email_verified":null,"extra":{"deep":[1,{"x":2}]},)"
    R"("disable_welcome_email":false,"remote_id":"r"},)"
    R"({"id":"u2","username":"bob","username":"bobby","delete_at":5,"nickname":null}])";

TEST(JsonUserSimdTest, TakesOrdinaryPagesAndAgreesWithThePocoDecoders) {
  std::vector<User> simd;
  ASSERT_TRUE(SimdDecodeUsers(kPage, true, &simd));
  std::vector<User> poco;
  bool fallback = false;
  ASSERT_TRUE(PocoStreamDecodeUsers(kPage, true, &poco, &fallback).ok());
  ASSERT_FALSE(fallback);
  EXPECT_EQ(simd, poco);
  auto tree = DecodeUsersTree(kPage, true);
  ASSERT_TRUE(tree.ok());
  EXPECT_EQ(simd, *tree);
  ASSERT_EQ(simd.size(), 2u);
  EXPECT_EQ(simd[0].last_name, "L\xc3\xb6velace");
  EXPECT_EQ(simd[0].update_at, 1700000000000);
  EXPECT_EQ(simd[0].props.at("n"), "3");
  EXPECT_EQ(simd[0].props.at("z"), "");
  EXPECT_EQ(simd[1].username, "bobby");  // the last duplicate wins
  EXPECT_EQ(simd[1].delete_at, 5);

  std::vector<User> one;
  ASSERT_TRUE(SimdDecodeUsers(R"({"id":"x","username":"y"})", false, &one));
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].username, "y");
}

TEST(JsonUserSimdTest, DeclinesWhatOnlyThePocoDecodersMayDecide) {
  const std::vector<std::string> docs = {
      R"([{"id":"a"})",                                      // malformed
      R"([{"id":"a","delete_at":"x"}])",                     // wrong type
      R"([{"id":"a","delete_at":"x","delete_at":3}])",       // a wrong type, then fixed
      R"([{"id":"a","create_at":18446744073709551615}])",    // beyond int64
      R"([{"id":"a","create_at":1.5}])",                     // not integral
      R"([{"id":"a","props":{"nested":{"x":1}}}])",          // nested value inside a map
      R"([{"id":"a","props":{"d":1.5}}])",                   // a number only Poco formats
      R"([{"id":"a","props":[1]}])",                         // a map that is not an object
      "\xef\xbb\xbf[]",                                      // byte-order mark
      R"({"id":"a"})",                                       // an object where a list belongs
      R"([1])",
  };
  for (const std::string& doc : docs) {
    std::vector<User> users = {User{}};
    EXPECT_FALSE(SimdDecodeUsers(doc, true, &users)) << doc;
    EXPECT_EQ(users.size(), 1u) << doc;  // left alone
    // The combined decoder still agrees with the tree decoder on these.
    std::vector<User> streamed;
    bool fallback = false;
    Status s = StreamDecodeUsers(doc, true, &streamed, &fallback);
    if (fallback) continue;
    auto tree = DecodeUsersTree(doc, true);
    EXPECT_EQ(s.ok(), tree.ok()) << doc;
    if (s.ok() && tree.ok()) EXPECT_EQ(streamed, *tree) << doc;
  }
}

TEST(JsonUserSimdTest, PlannerPagesDropTheMapsAndKeepEverythingElse) {
  auto full = Decode<std::vector<User>>(kPage);
  ASSERT_TRUE(full.ok());
  auto lean = Decode<PlannerUsers>(kPage);
  ASSERT_TRUE(lean.ok()) << lean.status().ToString();
  ASSERT_EQ(lean->users.size(), full->size());
  for (size_t i = 0; i < full->size(); ++i) {
    User expected = (*full)[i];
    expected.props.clear();
    expected.notify_props.clear();
    expected.timezone.clear();
    EXPECT_EQ(lean->users[i], expected);
  }
  EXPECT_FALSE((*full)[0].notify_props.empty());

  // The Poco fallback (a nested value inside a map) gives the same lean form.
  auto nested = Decode<PlannerUsers>(R"([{"id":"a","props":{"nested":{"x":1}},"roles":"r"}])");
  ASSERT_TRUE(nested.ok());
  ASSERT_EQ(nested->users.size(), 1u);
  EXPECT_TRUE(nested->users[0].props.empty());
  EXPECT_EQ(nested->users[0].roles, "r");

  // Errors are those of the full decoder, maps included.
  for (const char* bad : {R"([{"id":"a","props":[1]}])", R"([{"id":"a","timezone":"x"}])",
                          R"([{"id":"a","is_bot":"yes"}])", R"([{"id":"a"})"}) {
    auto want = Decode<std::vector<User>>(bad);
    auto got = Decode<PlannerUsers>(bad);
    ASSERT_FALSE(want.ok()) << bad;
    ASSERT_FALSE(got.ok()) << bad;
    EXPECT_EQ(got.status().message(), want.status().message()) << bad;
  }
}

}  // namespace
}  // namespace rostersync::api
