// api::Client against a loopback ScriptedServer: request encoding, paging, ETags,
// multipart upload, binary answers and connection reuse.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <vector>

#include "api/client.h"
#include "tests/api/client_test_util.h"
#include "tests/api/test_server.h"

namespace rostersync::api {
namespace {

using rostersync::testing::UserJson;
using namespace rostersync::api::testing;  // NOLINT: test helpers

TEST(ClientTest, PatchSendsOnlyTheFieldsThatAreSet) {
  ScriptedServer server([&](const Request&) { return Json(200, UserJson("u1", "alice")); });
  auto client = MakeClient(Options(server));
  UserPatch patch;
  patch.first_name = "Alice";
  patch.props = StringMap{{"k", "v"}};
  ASSERT_TRUE(client->PatchUser("u1", patch).ok());
  const Request req = server.received().at(0);
  EXPECT_EQ(req.method, "PUT");
  EXPECT_EQ(req.path, "/api/v4/users/u1/patch");
  EXPECT_EQ(req.body, R"({"first_name":"Alice","props":{"k":"v"}})");
}

TEST(ClientTest, EncodesPathSegments) {
  ScriptedServer server([&](const Request&) { return Json(200, UserJson("u1", "alice")); });
  auto client = MakeClient(Options(server));
  ASSERT_TRUE(client->GetUserByEmail("a+b/c@example.com").ok());
  EXPECT_EQ(server.received().at(0).target, "/api/v4/users/email/a%2Bb%2Fc%40example.com");
}

TEST(ClientTest, ListAllUsersFetchesEveryPageActiveAndInactiveWithoutDuplicates) {
  const int total = 1030;
  ScriptedServer server([&](const Request& req) {
    if (req.path == "/api/v4/users/stats") return Json(200, R"({"total_users_count":700})");
    if (req.query.count("active") || req.query.count("inactive")) return AppError(400, "filter");
    int page = std::stoi(req.query.at("page"));
    int per_page = std::stoi(req.query.at("per_page"));
    std::string body = "[";
    // Page boundaries overlap by one user, as when a user is created during the listing.
    int from = std::max(0, page * per_page - (page > 0 ? 1 : 0));
    int to = std::min(total, (page + 1) * per_page);
    for (int i = from; i < to; ++i) {
      if (i > from) body += ",";
      body += UserJson("id" + std::to_string(i), "user" + std::to_string(i), i % 3 == 0 ? 17 : 0);
    }
    return Json(200, body + "]");
  });
  auto client = MakeClient(Options(server));
  auto users = client->ListAllUsers();
  ASSERT_TRUE(users.ok()) << users.status().ToString();
  EXPECT_EQ(users->size(), static_cast<std::size_t>(total));
  std::set<std::string> ids;
  int inactive = 0;
  for (const auto& u : *users) {
    ids.insert(u.id);
    inactive += u.active() ? 0 : 1;
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(total));
  EXPECT_EQ(inactive, (total + 2) / 3);
}

// Issue 16: the pages the server's active count proves full go in parallel, the tail one
// at a time, so no page past the first short one is requested (before: up to
// `concurrency` - 1 more). A second listing also uses the first one's size.
TEST(ClientTest, ListAllUsersRequestsNoPagePastTheFirstShortOne) {
  const int total = 1030;  // 700 active (the stats), the rest inactive: pages 0-4 full, 5 short
  std::mutex mu;
  std::vector<int> asked;
  ScriptedServer server([&](const Request& req) {
    if (req.path == "/api/v4/users/stats") return Json(200, R"({"total_users_count":700})");
    int page = std::stoi(req.query.at("page"));
    {
      std::lock_guard<std::mutex> lock(mu);
      asked.push_back(page);
    }
    std::string body = "[";
    for (int i = page * 200; i < std::min(total, (page + 1) * 200); ++i) {
      body += (i > page * 200 ? "," : "") +
              UserJson("id" + std::to_string(i), "u" + std::to_string(i));
    }
    return Json(200, body + "]");
  });
  auto options = Options(server);
  options.concurrency = 8;
  auto client = MakeClient(options);
  for (int round = 0; round < 2; ++round) {
    asked.clear();
    auto users = client->ListAllUsers();
    ASSERT_TRUE(users.ok()) << users.status().ToString();
    EXPECT_EQ(users->size(), static_cast<std::size_t>(total));
    std::sort(asked.begin(), asked.end());
    EXPECT_EQ(asked, (std::vector<int>{0, 1, 2, 3, 4, 5})) << "round " << round;
  }
}

TEST(ClientTest, ListAllUsersFailsWhenAnyPageFails) {
  ScriptedServer server([&](const Request& req) {
    if (req.path == "/api/v4/users/stats") return AppError(403, "api.context.permissions.app_error");
    int page = std::stoi(req.query.at("page"));
    if (page == 2) return AppError(403, "api.context.permissions.app_error");
    std::string body = "[";
    for (int i = 0; i < 200; ++i) {
      body += (i ? "," : "") + UserJson("p" + std::to_string(page) + "_" + std::to_string(i), "x");
    }
    return Json(200, body + "]");
  });
  auto client = MakeClient(Options(server));
  auto users = client->ListAllUsers();
  ASSERT_FALSE(users.ok());
  EXPECT_EQ(users.status().code(), Status::Code::kForbidden);
}

// A full page of 200 users with ids from `tag` and the page number.
std::string FullPage(const std::string& tag, int page) {
  std::string body = "[";
  for (int i = 0; i < 200; ++i) {
    std::string id = tag + std::to_string(page) + "_" + std::to_string(i);
    body += (i ? "," : "") + UserJson(id, "u" + id);
  }
  return body + "]";
}

TEST(ClientTest, ListAllUsersFailsWhenTheServerIgnoresThePageParameter) {
  // A server or proxy that ignores ?page= answers the same full page forever.
  ScriptedServer server([&](const Request& req) {
    if (req.path == "/api/v4/users/stats") return Json(200, R"({"total_users_count":200})");
    return Json(200, FullPage("same", 0));
  });
  auto client = MakeClient(Options(server));
  auto users = client->ListAllUsers();
  ASSERT_FALSE(users.ok());
  EXPECT_EQ(users.status().code(), Status::Code::kInvalid) << users.status().ToString();
  EXPECT_NE(users.status().message().find("ignores ?page="), std::string::npos);
  EXPECT_LE(server.requests(), 1 + 2 * Options(server).concurrency);
}

TEST(ClientTest, ListAllUsersStopsPastAMultipleOfTheServerPopulation) {
  // Every page is full of new ids: without a cap the listing would never end.
  ScriptedServer server([&](const Request& req) {
    if (req.path == "/api/v4/users/stats") return Json(200, R"({"total_users_count":100})");
    return Json(200, FullPage("fresh", std::stoi(req.query.at("page"))));
  });
  auto client = MakeClient(Options(server));
  auto users = client->ListAllUsers();
  ASSERT_FALSE(users.ok());
  EXPECT_EQ(users.status().code(), Status::Code::kInvalid);
  EXPECT_NE(users.status().message().find("more than 11000 users"), std::string::npos)
      << users.status().ToString();
  EXPECT_LE(server.requests(), 1 + 11000 / 200 + 2 + Options(server).concurrency);
}

TEST(ClientTest, ListAllUsersHonoursTheConfiguredMaximumWithoutStats) {
  ScriptedServer server([&](const Request& req) {
    if (req.path == "/api/v4/users/stats") return AppError(404, "api.context.404.app_error");
    return Json(200, FullPage("fresh", std::stoi(req.query.at("page"))));
  });
  auto options = Options(server);
  options.max_listed_users = 1000;
  auto client = MakeClient(options);
  auto users = client->ListAllUsers();
  ASSERT_FALSE(users.ok());
  EXPECT_NE(users.status().message().find("more than 1000 users"), std::string::npos)
      << users.status().ToString();
}

TEST(ClientTest, RevalidatesSingleUserReadsWithEtag) {
  ScriptedServer server([&](const Request& req) {
    if (req.Header("if-none-match") == "\"v1\"") {
      Reply r;
      r.status = 304;
      r.content_type.clear();
      return r;
    }
    Reply r = Json(200, UserJson("u1", "alice"));
    r.headers = {{"ETag", "\"v1\""}};
    return r;
  });
  auto client = MakeClient(Options(server));
  ASSERT_TRUE(client->GetUser("u1").ok());
  auto second = client->GetUser("u1");
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->username, "alice");
  ASSERT_EQ(server.received().size(), 2u);
  EXPECT_EQ(server.received()[1].Header("if-none-match"), "\"v1\"");
}

TEST(ClientTest, ReusesKeptAliveConnections) {
  ScriptedServer server([&](const Request&) { return Json(200, UserJson("u1", "alice")); });
  auto options = Options(server);
  options.concurrency = 1;
  auto client = MakeClient(options);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(client->GetMe().ok());
  EXPECT_EQ(server.requests(), 20);
  EXPECT_EQ(server.connections(), 1);
}

}  // namespace
}  // namespace rostersync::api
