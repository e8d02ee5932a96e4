// api::Client (rs_api, no SDK) as the UsersApi seam: each seam method that is also a seed
// operation sends that operation's one route, and checks the answer's shape even where it
// returns only a Status (the SDK has no second method for these routes).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/client.h"
#include "tests/api/client_test_util.h"
#include "tests/api/test_server.h"

namespace rostersync::api {
namespace {

using rostersync::testing::UserJson;
using namespace rostersync::api::testing;  // NOLINT: test helpers

TEST(ClientSeamTest, EachSeamWriteSendsItsSeedRoute) {
  ScriptedServer server([&](const Request& req) {
    if (req.path.find("/email/verify/member") != std::string::npos) {
      return Json(200, UserJson("u1", "alice"));
    }
    if (req.path == "/api/v4/users/u1/auth") {
      return Json(200, R"({"auth_data":"jdoe","auth_service":"saml"})");
    }
    return Json(200, R"({"status":"OK"})");
  });
  auto client = MakeClient(Options(server));
  ASSERT_TRUE(client->DeactivateUser("u1").ok());
  ASSERT_TRUE(client->SetUserActive("u1", false).ok());
  ASSERT_TRUE(client->UpdateUserAuth("u1", "saml", "jdoe").ok());
  ASSERT_TRUE(client->VerifyUserEmail("u1").ok());
  ASSERT_TRUE(client->RevokeUserAccessToken("t1").ok());
  const std::vector<Request> got = server.received();
  ASSERT_EQ(got.size(), 5u);
  const std::vector<std::vector<std::string>> want = {
      {"DELETE", "/api/v4/users/u1", ""},
      {"PUT", "/api/v4/users/u1/active", R"({"active":false})"},
      {"PUT", "/api/v4/users/u1/auth", R"({"auth_data":"jdoe","auth_service":"saml"})"},
      {"POST", "/api/v4/users/u1/email/verify/member", ""},
      {"POST", "/api/v4/users/tokens/revoke", R"({"token_id":"t1"})"},
  };
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].method, want[i][0]) << i;
    EXPECT_EQ(got[i].target, want[i][1]) << i;
    EXPECT_EQ(got[i].body, want[i][2]) << i;
  }
}

TEST(ClientSeamTest, AnAnswerOfTheWrongShapeIsInvalidThoughOnlyAStatusIsReturned) {
  ScriptedServer server([&](const Request& req) {
    if (req.path == "/api/v4/users/u1/auth") return Json(200, R"({"auth_data":5})");
    return Json(200, R"({"id":7})");  // verify/member answers a user: an id is a string
  });
  auto client = MakeClient(Options(server));
  EXPECT_EQ(client->UpdateUserAuth("u1", "saml", "jdoe").code(), Status::Code::kInvalid);
  EXPECT_EQ(client->VerifyUserEmail("u1").code(), Status::Code::kInvalid);
}

TEST(ClientSeamTest, GetUserAccessTokensReadsEveryPage) {
  auto page_of = [](int first, int count) {
    std::string body = "[";
    for (int i = 0; i < count; ++i) {
      if (i) body += ",";
      body += R"({"id":"t)" + std::to_string(first + i) +
              R"(","user_id":"u1","description":"d","is_active":true})";
    }
    return body + "]";
  };
  ScriptedServer server([&](const Request& req) {
    return Json(200, req.query.at("page") == "0" ? page_of(0, 200) : page_of(200, 3));
  });
  auto client = MakeClient(Options(server));
  auto tokens = client->GetUserAccessTokens("u1");
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  ASSERT_EQ(tokens->size(), 203u);
  EXPECT_EQ(tokens->back().id, "t202");
  ASSERT_EQ(server.received().size(), 2u);
  EXPECT_EQ(server.received()[1].target, "/api/v4/users/u1/tokens?page=1&per_page=200");
}

}  // namespace
}  // namespace rostersync::api
