// api::Client trusts what the server answers: an error appended to a 200 status body is
// the real answer, and the server's client config and license become ServerCapabilities.
#include <gtest/gtest.h>

#include <atomic>

#include "api/client.h"
#include "api/http_errors.h"
#include "tests/api/client_test_util.h"
#include "tests/api/test_server.h"

namespace rostersync::api {
namespace {

using namespace rostersync::api::testing;  // NOLINT: test helpers

constexpr char kLimitBody[] =
    R"({"status":"OK"}{"id":"app.user.update_active.user_limit.exceeded","message":"Can't )"
    R"(activate user.","detailed_error":"","request_id":"rq1","status_code":400})";

TEST(ClientAnswersTest, ErrorAppendedToA200StatusBodyIsThatError) {
  ScriptedServer server([&](const Request&) { return Json(200, kLimitBody); });
  auto client = MakeClient(Options(server));
  Status s = client->SetUserActive("u1", true);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kInvalid) << s.ToString();
  EXPECT_EQ(s.error_id(), "app.user.update_active.user_limit.exceeded");
  EXPECT_EQ(s.http_status(), 400);
  EXPECT_NE(s.message().find("HTTP 200 with an error appended"), std::string::npos);
  EXPECT_EQ(server.requests(), 1) << "a final answer is not retried";
}

TEST(ClientAnswersTest, TrailingErrorDetectionLeavesOrdinaryBodiesAlone) {
  std::string error;
  EXPECT_FALSE(TrailingAppError(R"({"status":"OK"})", &error));
  EXPECT_FALSE(TrailingAppError(R"([{"id":"a","x":"}{"}])", &error));
  EXPECT_FALSE(TrailingAppError(R"({"status":"OK"}  )", &error));
  EXPECT_FALSE(TrailingAppError(R"({"a":"\"}{\""}{"no_id":1})", &error));
  ASSERT_TRUE(TrailingAppError(kLimitBody, &error));
  EXPECT_EQ(ParseAppError(error).id, "app.user.update_active.user_limit.exceeded");
}

// The message is cut at 300 characters; a token reflected across the cut must not leak in
// part: it is redacted before the cut.
TEST(ClientAnswersTest, AReflectedTokenIsRedactedBeforeTheMessageIsCut) {
  const std::string token = kToken;
  const std::string padding(290, 'x');
  ScriptedServer server([&](const Request&) {
    return Json(400, R"({"id":"api.context.invalid_param.app_error","message":")" + padding +
                         token + R"(","status_code":400})");
  });
  auto client = MakeClient(Options(server));
  auto me = client->GetUser("u1");
  ASSERT_FALSE(me.ok());
  const std::string text = me.status().ToString();
  EXPECT_EQ(text.find(token.substr(0, 6)), std::string::npos) << text;
  EXPECT_NE(text.find("[redacted]"), std::string::npos) << text;

  Status direct = MapHttpError(400, R"({"message":")" + padding + token + R"("})", "", "GET /x",
                               token);
  EXPECT_EQ(direct.message().find(token.substr(0, 6)), std::string::npos) << direct.message();
}

// A 200 answer to GET /users/me whose body is an AppError (a proxy, a failing server) is
// an error, never the self user (its "id" would otherwise decode as a user id).
TEST(ClientAnswersTest, A200AppErrorFromUsersMeIsAnError) {
  ScriptedServer server([&](const Request&) {
    return Json(200, R"({"id":"api.context.session_expired.app_error","message":"Invalid )"
                     R"(or expired session, please login again.","detailed_error":"",)"
                     R"("request_id":"rq9","status_code":401})");
  });
  auto client = MakeClient(Options(server));
  auto me = client->GetMe();
  ASSERT_FALSE(me.ok()) << "taken as the self user: id=" << me->id;
  EXPECT_EQ(me.status().code(), Status::Code::kUnauthorized) << me.status().ToString();
  EXPECT_EQ(me.status().error_id(), "api.context.session_expired.app_error");
}

TEST(ClientAnswersTest, UsersMeWithoutAUsernameIsNotTheSelfUser) {
  ScriptedServer server([&](const Request&) { return Json(200, R"({"id":"abc","status":"OK"})"); });
  auto client = MakeClient(Options(server));
  auto me = client->GetMe();
  ASSERT_FALSE(me.ok());
  EXPECT_EQ(me.status().code(), Status::Code::kInvalid) << me.status().ToString();
}

TEST(ClientAnswersTest, ReadsCapabilitiesFromClientConfigAndLicense) {
  ScriptedServer server([&](const Request& req) {
    if (req.query.count("format") == 0 || req.query.at("format") != "old") {
      return testing::AppError(501, "api.config.client.old_format.app_error");
    }
    if (req.path == "/api/v4/license/client") {
      return Json(200, R"({"IsLicensed":"true","GuestAccounts":"false","SAML":"true"})");
    }
    return Json(200, R"({"Version":"10.2.0","RequireEmailVerification":"true",
        "EnableGuestAccounts":"true","PasswordMinimumLength":"14",
        "PasswordRequireUppercase":"true","SamlFirstNameAttributeSet":"true"})");
  });
  auto client = MakeClient(Options(server));
  auto caps = client->GetServerCapabilities();
  ASSERT_TRUE(caps.ok()) << caps.status().ToString();
  EXPECT_TRUE(caps->known);
  EXPECT_EQ(caps->version, "10.2.0");
  EXPECT_TRUE(caps->licensed);
  EXPECT_FALSE(caps->GuestsAvailable());  // the license lacks GuestAccounts
  EXPECT_TRUE(caps->require_email_verification);
  EXPECT_EQ(caps->password.min_length, 14);
  EXPECT_TRUE(caps->password.uppercase);
  EXPECT_TRUE(caps->saml_owned.count("first_name"));
}

TEST(ClientAnswersTest, CapabilitiesFailWhenTheServerRefusesTheRoutes) {
  ScriptedServer server([&](const Request&) { return testing::AppError(403, "api.context.permissions"); });
  auto client = MakeClient(Options(server));
  auto caps = client->GetServerCapabilities();
  ASSERT_FALSE(caps.ok());
  EXPECT_EQ(caps.status().code(), Status::Code::kForbidden);
}

}  // namespace
}  // namespace rostersync::api

namespace rostersync::api {
namespace {

// An incremental cycle's watermark is the server's Date, and its delta read is POST
// /users/ids?since= (cycle/incremental_read.h).
TEST(ClientAnswersTest, TheServersDateIsKeptAndTheDeltaReadSendsSince) {
  std::atomic<bool> dated{true};
  ScriptedServer server([&](const Request& r) {
    Reply reply = testing::Json(
        200, r.path == "/api/v4/users/me" ? rostersync::testing::UserJson("me", "admin") : "[]");
    if (dated) reply.headers.emplace_back("Date", "Sun, 29 Nov 2026 12:00:00 GMT");
    return reply;
  });
  auto client = testing::MakeClient(testing::Options(server));
  EXPECT_EQ(client->LastServerTimeMs(), std::nullopt);
  ASSERT_TRUE(client->GetMe().ok());
  EXPECT_EQ(client->LastServerTimeMs(), 1'795'953'600'000);
  ASSERT_TRUE(client->GetUsersChangedSince({"a", "b"}, 1234).ok());
  const Request sent = server.received().back();
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.path, "/api/v4/users/ids");
  EXPECT_EQ(sent.query.at("since"), "1234");
  EXPECT_EQ(sent.body, R"(["a","b"])");
  dated = false;
  ASSERT_TRUE(client->GetMe().ok());
  EXPECT_EQ(client->LastServerTimeMs(), std::nullopt);
}

}  // namespace
}  // namespace rostersync::api
