// api::Client against a loopback ScriptedServer: status mapping, retries, OutcomeUnknown,
// timeouts, malformed answers and secrets. Paging and encoding: client_paging_test.cc.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <set>

#include "api/api_observer.h"
#include "api/client.h"
#include "tests/api/client_test_util.h"
#include "tests/api/test_server.h"

namespace rostersync::api {
namespace {

using rostersync::testing::UserJson;
using namespace rostersync::api::testing;  // NOLINT: test helpers

class CountingObserver : public ApiObserver {
 public:
  void OnRequest(const std::string& method, const std::string& route, int status,
                 double seconds) override {
    std::lock_guard<std::mutex> lock(mu);
    routes.insert(route);
    statuses.push_back(status);
  }
  void OnRateLimited() override { ++rate_limited; }
  std::mutex mu;
  std::set<std::string> routes;
  std::vector<int> statuses;
  std::atomic<int> rate_limited{0};
};

TEST(ClientTest, MapsHttpStatusesToStatusKinds) {
  struct Case { int http; std::string id; Status::Code code; };
  const std::vector<Case> cases = {
      {404, "app.user.missing_account.const", Status::Code::kNotFound},
      {409, "api.user.patch_user.login_provider_attribute_set.app_error", Status::Code::kConflict},
      {400, "app.user.save.username_exists.app_error", Status::Code::kConflict},
      {400, "app.user.save.email_exists.app_error", Status::Code::kConflict},
      {400, "model.user.is_valid.username.app_error", Status::Code::kInvalid},
      {401, "api.context.session_expired.app_error", Status::Code::kUnauthorized},
      {403, "api.context.permissions.app_error", Status::Code::kForbidden},
      {501, "api.user.demote_user_to_guest.already_guest.app_error", Status::Code::kNotImplemented},
  };
  for (const Case& c : cases) {
    ScriptedServer server([&](const Request&) { return AppError(c.http, c.id); });
    auto client = MakeClient(Options(server));
    UserPatch patch;
    patch.nickname = "x";
    auto result = client->PatchUser("u1", patch);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), c.code) << c.http << " " << c.id;
    EXPECT_EQ(result.status().http_status(), c.http);
    EXPECT_EQ(result.status().request_id(), "req-123");
    EXPECT_EQ(result.status().error_id(), c.id);
    EXPECT_EQ(server.requests(), 1) << "4xx answers are not retried";
  }
}

TEST(ClientTest, RetriesIdempotentRequestOn5xxThenSucceeds) {
  std::atomic<int> calls{0};
  ScriptedServer server([&](const Request&) {
    return ++calls < 3 ? AppError(503, "busy") : Json(200, UserJson("u1", "alice"));
  });
  CountingObserver observer;
  auto options = Options(server);
  options.observer = &observer;
  auto client = MakeClient(options);
  auto user = client->GetUser("u1");
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  EXPECT_EQ(user->username, "alice");
  EXPECT_EQ(server.requests(), 3);
  EXPECT_EQ(observer.statuses, (std::vector<int>{503, 503, 200}));
  EXPECT_EQ(observer.routes, (std::set<std::string>{"/api/v4/users/{user_id}"}));
}

TEST(ClientTest, GivesUpWithTransientAfterMaxAttempts) {
  ScriptedServer server([&](const Request&) { return AppError(500, "boom"); });
  auto client = MakeClient(Options(server));
  auto result = client->GetUser("u1");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Status::Code::kTransient);
  EXPECT_EQ(server.requests(), 3);
}

TEST(ClientTest, WaitsOutRateLimitAnswersAndRetries) {
  std::atomic<int> calls{0};
  ScriptedServer server([&](const Request&) {
    if (++calls <= 2) {
      Reply r = Json(429, "limit exceeded\n");
      r.content_type = "text/plain; charset=utf-8";
      r.headers = {{"Retry-After", "0"}, {"X-Ratelimit-Limit", "11"},
                   {"X-Ratelimit-Remaining", "0"}, {"X-Ratelimit-Reset", "0"}};
      return r;
    }
    return Json(201, UserJson("u9", "new"));
  });
  CountingObserver observer;
  auto options = Options(server);
  options.observer = &observer;
  auto client = MakeClient(options);
  NewUser user;
  user.username = "new";
  user.email = "new@example.com";
  auto created = client->CreateUser(user);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(server.requests(), 3) << "a 429 means not applied, so even a create is repeated";
  EXPECT_EQ(observer.rate_limited.load(), 2);
}

TEST(ClientTest, ReturnsRateLimitedWhenThe429sDoNotStop) {
  ScriptedServer server([&](const Request&) {
    Reply r = Json(429, "limit exceeded\n");
    r.content_type = "text/plain";
    r.headers = {{"retry-after", "0"}};
    return r;
  });
  auto options = Options(server);
  options.max_rate_limited_retries = 3;
  auto client = MakeClient(options);
  auto result = client->GetMe();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Status::Code::kRateLimited);
  EXPECT_NE(result.status().message().find("limit exceeded"), std::string::npos);
  EXPECT_EQ(server.requests(), 4);
}

TEST(ClientTest, CreateReturnsOutcomeUnknownWhenConnectionDropsAfterTheWrite) {
  ScriptedServer server([&](const Request&) {
    Reply r;
    r.action = Reply::Action::kCloseAfterRequest;
    return r;
  });
  auto client = MakeClient(Options(server));
  NewUser user;
  user.username = "bob";
  user.email = "bob@example.com";
  auto result = client->CreateUser(user);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsOutcomeUnknown()) << result.status().ToString();
  EXPECT_EQ(server.requests(), 1) << "a create that may have landed is never repeated blindly";
}

TEST(ClientTest, CreateIsNotRepeatedAfterA500) {
  ScriptedServer server([&](const Request&) { return AppError(500, "app.user.save.app_error"); });
  auto client = MakeClient(Options(server));
  NewUser user;
  user.username = "bob";
  user.email = "bob@example.com";
  auto result = client->CreateUser(user);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Status::Code::kTransient);
  EXPECT_EQ(server.requests(), 1);
}

TEST(ClientTest, PostsThatAreSafeToRepeatAreRetriedOn5xx) {
  std::atomic<int> calls{0};
  ScriptedServer server([&](const Request& r) {
    if (++calls % 2 == 1) return AppError(503, "busy");
    if (r.path.find("/email/verify/member") != std::string::npos) {
      return Json(200, UserJson("u1", "alice"));
    }
    if (r.path.find("/usernames") != std::string::npos) {
      return Json(200, "[" + UserJson("u1", "alice") + "]");
    }
    return Json(200, R"({"status":"OK"})");
  });
  auto client = MakeClient(Options(server));
  std::vector<std::pair<std::string, std::function<Status()>>> calls_to_make = {
      {"demote", [&] { return client->DemoteUserToGuest("u1"); }},
      {"promote", [&] { return client->PromoteGuestToUser("u1"); }},
      {"verify email", [&] { return client->VerifyUserEmail("u1"); }},
      {"revoke token", [&] { return client->RevokeUserAccessToken("t1"); }},
      {"usernames", [&] { return client->GetUsersByUsernames({"alice"}).status(); }},
  };
  for (const auto& [name, call] : calls_to_make) {
    const int before = server.requests();
    Status s = call();
    EXPECT_TRUE(s.ok()) << name << ": " << s.ToString();
    EXPECT_EQ(server.requests() - before, 2) << name << " is retried after a 503";
  }
}

TEST(ClientTest, CreateIsTransientWhenNothingCouldBeSent) {
  int port;
  {
    ScriptedServer server([&](const Request&) { return Json(200, "{}"); });
    port = server.port();
  }  // closed: connections are refused
  ClientOptions options;
  options.url = "http://127.0.0.1:" + std::to_string(port);
  options.token = kToken;
  options.max_attempts = 2;
  options.base_delay_ms = 1;
  auto client = MakeClient(options);
  NewUser user;
  user.username = "bob";
  user.email = "bob@example.com";
  auto result = client->CreateUser(user);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Status::Code::kTransient) << result.status().ToString();
}

TEST(ClientTest, RetriesGetAfterConnectionResetMidBody) {
  std::atomic<int> calls{0};
  ScriptedServer server([&](const Request&) {
    Reply r = Json(200, UserJson("u1", "alice"));
    if (++calls == 1) r.action = Reply::Action::kCloseMidBody;
    return r;
  });
  auto client = MakeClient(Options(server));
  auto user = client->GetUser("u1");
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  EXPECT_EQ(server.requests(), 2);
}

TEST(ClientTest, PatchDroppedMidBodyIsRetriedBecausePutIsIdempotent) {
  std::atomic<int> calls{0};
  ScriptedServer server([&](const Request&) {
    Reply r = Json(200, UserJson("u1", "alice"));
    if (++calls == 1) r.action = Reply::Action::kCloseMidBody;
    return r;
  });
  auto client = MakeClient(Options(server));
  UserPatch patch;
  patch.first_name = "Alice";
  EXPECT_TRUE(client->PatchUser("u1", patch).ok());
  EXPECT_EQ(server.requests(), 2);
}

TEST(ClientTest, StalledServerTimesOutAsTransient) {
  ScriptedServer server([&](const Request&) {
    Reply r;
    r.action = Reply::Action::kStall;
    return r;
  });
  auto options = Options(server);
  options.timeout_ms = 200;
  options.max_attempts = 2;
  auto client = MakeClient(options);
  auto result = client->GetMe();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Status::Code::kTransient) << result.status().ToString();
  EXPECT_EQ(server.requests(), 2);
}

TEST(ClientTest, StalledCreateIsOutcomeUnknown) {
  ScriptedServer server([&](const Request&) {
    Reply r;
    r.action = Reply::Action::kStall;
    return r;
  });
  auto options = Options(server);
  options.timeout_ms = 200;
  auto client = MakeClient(options);
  NewUser user;
  user.username = "c";
  user.email = "c@example.com";
  auto result = client->CreateUser(user);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsOutcomeUnknown()) << result.status().ToString();
  EXPECT_EQ(server.requests(), 1);
}

TEST(ClientTest, MalformedJsonIsInvalid) {
  ScriptedServer server([&](const Request&) { return Json(200, R"({"id": "u1", "username": )"); });
  auto client = MakeClient(Options(server));
  auto result = client->GetUser("u1");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Status::Code::kInvalid);
}

TEST(ClientTest, WronglyTypedKnownFieldIsInvalidAndNamed) {
  ScriptedServer server([&](const Request&) {
    return Json(200, R"({"id":"u1","username":"a","delete_at":"yesterday"})");
  });
  auto client = MakeClient(Options(server));
  auto result = client->GetUser("u1");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Status::Code::kInvalid);
  EXPECT_NE(result.status().message().find("delete_at"), std::string::npos)
      << result.status().message();
}

TEST(ClientTest, UnknownFieldsAreIgnoredAndAbsentOptionalsStayUnset) {
  ScriptedServer server([&](const Request&) { return Json(200, UserJson("u1", "alice")); });
  auto client = MakeClient(Options(server));
  auto user = client->GetUser("u1");
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  EXPECT_FALSE(user->email_verified.has_value());
  EXPECT_EQ(user->timezone.at("useAutomaticTimezone"), "true");
  EXPECT_TRUE(user->active());
}

TEST(ClientTest, WrongContentTypeIsInvalid) {
  ScriptedServer server([&](const Request&) {
    Reply r = Json(200, "<html>login</html>");
    r.content_type = "text/html";
    return r;
  });
  auto client = MakeClient(Options(server));
  auto result = client->GetMe();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Status::Code::kInvalid);
  EXPECT_NE(result.status().message().find("text/html"), std::string::npos);
}

TEST(ClientTest, HugeAnswerIsRefusedWithInvalid) {
  std::string huge = "[" + UserJson("u0", "u0");
  for (int i = 1; i < 5000; ++i) huge += "," + UserJson("u" + std::to_string(i), "n");
  huge += "]";
  ScriptedServer server([&](const Request&) { return Json(200, huge); });
  auto options = Options(server);
  options.max_response_bytes = 64 * 1024;
  auto client = MakeClient(options);
  auto result = client->ListUsers(ListUsersQuery{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Status::Code::kInvalid);
  EXPECT_NE(result.status().message().find("larger than"), std::string::npos);
}

TEST(ClientTest, SendsBearerTokenButNeverPutsItInAStatus) {
  // A hostile or buggy server echoes the Authorization header into its error message.
  ScriptedServer server([&](const Request& req) {
    return Json(401, R"({"id":"api.context.session_expired.app_error","message":"bad )" +
                         req.Header("authorization") + R"(","request_id":")" +
                         req.Header("authorization") + R"("})");
  });
  auto client = MakeClient(Options(server));
  auto result = client->GetMe();
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(server.received().size(), 1u);
  EXPECT_EQ(server.received()[0].Header("authorization"), std::string("Bearer ") + kToken);
  EXPECT_EQ(result.status().code(), Status::Code::kUnauthorized);
  EXPECT_EQ(result.status().ToString().find(kToken), std::string::npos);
  EXPECT_EQ(result.status().request_id().find(kToken), std::string::npos);
  EXPECT_EQ(result.status().message().find(kToken), std::string::npos);
}

TEST(ClientTest, RejectsBadUrlsAndUnreadableCaFiles) {
  ClientOptions options;
  options.url = "chat.example.com";
  EXPECT_EQ(Client::Create(options).status().code(), Status::Code::kInvalid);
  options.url = "ftp://chat.example.com";
  EXPECT_EQ(Client::Create(options).status().code(), Status::Code::kInvalid);
  options.url = "https://chat.example.com";
  options.ca_file = "/nonexistent/ca.pem";
  auto result = Client::Create(options);
  EXPECT_EQ(result.status().code(), Status::Code::kInvalid);
  EXPECT_NE(result.status().message().find("/nonexistent/ca.pem"), std::string::npos);
}

}  // namespace
}  // namespace rostersync::api
