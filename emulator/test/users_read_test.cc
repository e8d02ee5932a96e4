// Read endpoints of mm-emulator, driven over HTTP against the real binary.
#include <gtest/gtest.h>

#include "emulator/test/emu_client.h"
#include "tests/support/child_process.h"

namespace mmemu::test {
namespace {

using rostersync::testing::Emulator;

class EmulatorReadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    emu_ = std::make_unique<Emulator>(std::vector<std::string>{"--generate", "450"});
    ASSERT_TRUE(emu_->ok()) << "mm-emulator did not start";
    admin_ = std::make_unique<EmuClient>(emu_->port(), emu_->admin_token());
  }
  std::unique_ptr<Emulator> emu_;
  std::unique_ptr<EmuClient> admin_;
};

TEST_F(EmulatorReadTest, ListsUsersSortedByUsernameWithDefaultPageOf60) {
  auto r = admin_->Get("/api/v4/users");
  ASSERT_EQ(r.status, 200) << r.body;
  auto users = Arr(r.body);
  ASSERT_EQ(users->size(), 60u);
  for (size_t i = 1; i < users->size(); ++i) {
    EXPECT_LT(users->getObject(i - 1)->getValue<std::string>("username"),
              users->getObject(i)->getValue<std::string>("username"));
  }
  EXPECT_EQ(users->getObject(0)->getValue<std::string>("username"), "admin");
}

TEST_F(EmulatorReadTest, ClampsPerPageAbove200And0GivesEmptyList) {
  EXPECT_EQ(Arr(admin_->Get("/api/v4/users?per_page=1000").body)->size(), 200u);
  auto zero = admin_->Get("/api/v4/users?per_page=0");
  EXPECT_EQ(zero.status, 200);
  EXPECT_EQ(zero.body, "[]");
  EXPECT_EQ(Arr(admin_->Get("/api/v4/users?per_page=abc").body)->size(), 60u);
  EXPECT_EQ(Arr(admin_->Get("/api/v4/users?per_page=-5").body)->size(), 60u);
}

TEST_F(EmulatorReadTest, PagesWithoutOverlapAndEndsWithShortPage) {
  auto p0 = Arr(admin_->Get("/api/v4/users?per_page=200&page=0").body);
  auto p1 = Arr(admin_->Get("/api/v4/users?per_page=200&page=1").body);
  auto p2 = Arr(admin_->Get("/api/v4/users?per_page=200&page=2").body);
  ASSERT_EQ(p0->size(), 200u);
  ASSERT_EQ(p1->size(), 200u);
  EXPECT_EQ(p2->size(), 51u);  // 450 generated + admin
  EXPECT_LT(p0->getObject(199)->getValue<std::string>("username"),
            p1->getObject(0)->getValue<std::string>("username"));
  EXPECT_EQ(admin_->Get("/api/v4/users?per_page=200&page=9").body, "[]");
}

TEST_F(EmulatorReadTest, RejectsActiveTogetherWithInactive) {
  auto r = admin_->Get("/api/v4/users?active=true&inactive=true");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Obj(r.body)->getValue<std::string>("id"), "api.context.invalid_param.app_error");
}

TEST_F(EmulatorReadTest, FiltersByActiveInactiveAndRoleSubstring) {
  auto first = Arr(admin_->Get("/api/v4/users?per_page=2&page=1").body)->getObject(0);
  std::string id = first->getValue<std::string>("id");
  ASSERT_EQ(admin_->Put("/api/v4/users/" + id + "/active", R"({"active":false})").status, 200);
  auto inactive = Arr(admin_->Get("/api/v4/users?inactive=true").body);
  ASSERT_EQ(inactive->size(), 1u);
  EXPECT_EQ(inactive->getObject(0)->getValue<std::string>("id"), id);
  EXPECT_GT(inactive->getObject(0)->getValue<int64_t>("delete_at"), 0);
  auto active = Arr(admin_->Get("/api/v4/users?active=true&per_page=200&page=2").body);
  EXPECT_EQ(active->size(), 50u);
  auto admins = Arr(admin_->Get("/api/v4/users?role=system_admin").body);
  ASSERT_EQ(admins->size(), 1u);
  EXPECT_EQ(admins->getObject(0)->getValue<std::string>("username"), "admin");
  EXPECT_EQ(admin_->Get("/api/v4/users?role=no_such_role").status, 400);
}

TEST_F(EmulatorReadTest, SanitizesListsAndHidesAuthData) {
  ASSERT_EQ(admin_
                ->Post("/api/v4/users", R"({"username":"sso1","email":"sso1@example.com",
      "auth_service":"saml","auth_data":"sso1-key","email_verified":true})")
                .status,
            201);
  auto users = Arr(admin_->Get("/api/v4/users?per_page=200").body);
  bool found = false;
  for (size_t i = 0; i < users->size(); ++i) {
    auto u = users->getObject(i);
    EXPECT_EQ(u->getValue<std::string>("auth_data"), "");
    EXPECT_FALSE(u->has("email_verified"));
    EXPECT_FALSE(u->has("notify_props"));
    EXPECT_FALSE(u->has("last_password_update"));
    EXPECT_FALSE(u->has("failed_attempts"));
    EXPECT_FALSE(u->has("password"));
    EXPECT_TRUE(u->getObject("timezone")->get("useAutomaticTimezone").isString());
    if (u->getValue<std::string>("username") == "sso1") {
      found = true;
      EXPECT_EQ(u->getValue<std::string>("auth_service"), "saml");
      EXPECT_FALSE(u->has("delete_at"));  // omitempty when 0
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(EmulatorReadTest, GetsUserByIdUsernameAndEmailWithEtag) {
  std::string id = CreateUser(*admin_, "carol");
  ASSERT_FALSE(id.empty());
  auto by_id = admin_->Get("/api/v4/users/" + id);
  ASSERT_EQ(by_id.status, 200);
  std::string etag = by_id.Header("etag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(admin_->Do("GET", "/api/v4/users/" + id, "", {{"If-None-Match", etag}}).status, 304);
  EXPECT_EQ(Obj(admin_->Get("/api/v4/users/username/carol").body)->getValue<std::string>("id"), id);
  EXPECT_EQ(
      Obj(admin_->Get("/api/v4/users/email/carol@example.com").body)->getValue<std::string>("id"),
      id);
  ASSERT_EQ(admin_->Put("/api/v4/users/" + id + "/patch", R"({"nickname":"cc"})").status, 200);
  EXPECT_EQ(admin_->Do("GET", "/api/v4/users/" + id, "", {{"If-None-Match", etag}}).status, 200);
  EXPECT_EQ(admin_->Get("/api/v4/users/username/nobody").status, 404);
  EXPECT_EQ(admin_->Get("/api/v4/users/" + std::string(26, 'x')).status, 404);
}

TEST_F(EmulatorReadTest, MeReturnsOwnFullProfile) {
  auto r = admin_->Get("/api/v4/users/me");
  ASSERT_EQ(r.status, 200);
  auto me = Obj(r.body);
  EXPECT_EQ(me->getValue<std::string>("username"), "admin");
  EXPECT_TRUE(me->has("notify_props"));
  EXPECT_TRUE(me->getValue<bool>("email_verified"));
}

TEST_F(EmulatorReadTest, ForbidsEmailLookupForNonAdmin) {
  std::string id = CreateUser(*admin_, "dave");
  auto tok = Obj(admin_->Post("/api/v4/users/" + id + "/tokens", R"({"description":"t"})").body);
  EmuClient dave(emu_->port(), tok->getValue<std::string>("token"));
  EXPECT_EQ(dave.Get("/api/v4/users/email/dave@example.com").status, 403);
  auto listed = Arr(dave.Get("/api/v4/users?per_page=1").body);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->getObject(0)->getValue<std::string>("auth_service"), "");
}

TEST_F(EmulatorReadTest, LooksUpUsernamesExactlyAndIdsWithDedup) {
  std::string id = CreateUser(*admin_, "erin");
  auto names = Arr(admin_->Post("/api/v4/users/usernames", R"(["erin","ERIN","ghost"])").body);
  ASSERT_EQ(names->size(), 1u);
  EXPECT_EQ(admin_->Post("/api/v4/users/usernames", "[]").status, 400);
  auto ids = Arr(admin_->Post("/api/v4/users/ids", "[\"" + id + "\",\"" + id + "\"]").body);
  EXPECT_EQ(ids->size(), 1u);
  EXPECT_EQ(admin_->Post("/api/v4/users/ids", "[]").status, 400);
}

TEST_F(EmulatorReadTest, SearchesByPrefixAndCountsStats) {
  CreateUser(*admin_, "zorro");
  auto hits = Arr(admin_->Post("/api/v4/users/search", R"({"term":"@Zor"})").body);
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ(hits->getObject(0)->getValue<std::string>("username"), "zorro");
  EXPECT_EQ(admin_->Post("/api/v4/users/search", R"({"term":""})").status, 400);
  auto stats = Obj(admin_->Get("/api/v4/users/stats").body);
  EXPECT_EQ(stats->getValue<int>("total_users_count"), 452);
}

TEST_F(EmulatorReadTest, ServesPngImages) {
  std::string id = CreateUser(*admin_, "gina");
  auto img = admin_->Get("/api/v4/users/" + id + "/image");
  EXPECT_EQ(img.status, 200);
  EXPECT_EQ(img.Header("content-type"), "image/png");
  EXPECT_EQ(img.body.substr(1, 3), "PNG");
  EXPECT_EQ(admin_->Get("/api/v4/users/" + id + "/image/default").status, 200);
}

TEST_F(EmulatorReadTest, AnswersUnknownRoutesWith404AppErrorAndRequestId) {
  auto r = admin_->Get("/api/v4/nothing/here");
  EXPECT_EQ(r.status, 404);
  auto err = Obj(r.body);
  EXPECT_EQ(err->getValue<int>("status_code"), 404);
  EXPECT_FALSE(r.Header("x-request-id").empty());
  EXPECT_EQ(err->getValue<std::string>("request_id"), r.Header("x-request-id"));
  EXPECT_TRUE(err->has("detailed_error"));
}

TEST_F(EmulatorReadTest, RejectsMissingOrUnknownToken) {
  EmuClient anonymous(emu_->port(), "");
  EXPECT_EQ(anonymous.Get("/api/v4/users").status, 401);
  EmuClient stranger(emu_->port(), "not-a-token");
  auto r = stranger.Get("/api/v4/users/me");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Obj(r.body)->getValue<std::string>("id"), "api.context.session_expired.app_error");
}

}  // namespace
}  // namespace mmemu::test
