// More of the real server's behaviour in mm-emulator: guests, the user limit, listing skew,
// replica lag, remote users, name and locale cleaning, per-IP rate limits, and the listing
// after a rename.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "emulator/test/emu_fixture.h"

namespace mmemu::test {
namespace {

class EmulatorServerModesTest : public EmulatorTest {
 protected:
  std::string Field(const std::string& id, const std::string& key) {
    return Obj(admin_->Get("/api/v4/users/" + id).body)->optValue<std::string>(key, "");
  }
  HttpResult Demote(const std::string& id) {
    return admin_->Post("/api/v4/users/" + id + "/demote", "");
  }
  // Every username of one listing read page by page (per_page 200).
  std::vector<std::string> ListAll() {
    std::vector<std::string> names;
    for (int page = 0;; ++page) {
      auto arr = Arr(admin_->Get("/api/v4/users?per_page=200&page=" + std::to_string(page)).body);
      for (size_t i = 0; i < arr->size(); ++i) {
        names.push_back(arr->getObject(i)->getValue<std::string>("username"));
      }
      if (arr->size() < 200) return names;
    }
  }
};

TEST_F(EmulatorServerModesTest, DemoteAnswersTheServerCodesForEachLicenseState) {
  std::string id = CreateUser(*admin_, "contractor");
  auto unlicensed = Demote(id);
  EXPECT_EQ(unlicensed.status, 501);
  EXPECT_EQ(ErrorId(unlicensed), "api.team.demote_user_to_guest.license.error");
  SetFaults(R"({"licensed":true,"guest_accounts_enabled":false})");
  auto disabled = Demote(id);
  EXPECT_EQ(disabled.status, 501);
  EXPECT_EQ(ErrorId(disabled), "api.team.demote_user_to_guest.disabled.error");
  SetFaults(R"({"guest_accounts_enabled":true,"license_guest_accounts":false})");
  auto no_feature = Demote(id);
  EXPECT_EQ(no_feature.status, 403);
  EXPECT_EQ(ErrorId(no_feature), "api.team.demote_user_to_guest.license.error");
  EXPECT_EQ(Field(id, "roles"), "system_user");
  SetFaults(R"({"license_guest_accounts":true})");
  ASSERT_EQ(Demote(id).status, 200);
  auto again = Demote(id);
  EXPECT_EQ(again.status, 501);
  EXPECT_EQ(ErrorId(again), "api.user.demote_user_to_guest.already_guest.app_error");
}

TEST_F(EmulatorServerModesTest, DemoteAndPromoteKeepOtherRolesAndPromoteNeedsNoLicense) {
  Start({"--licensed"});
  std::string id = CreateUser(*admin_, "poster");
  ASSERT_EQ(admin_->Put("/api/v4/users/" + id + "/roles",
                        R"({"roles":"system_user system_post_all system_admin"})")
                .status,
            200);
  ASSERT_EQ(Demote(id).status, 200);
  EXPECT_EQ(Field(id, "roles"), "system_guest system_post_all");  // system_admin dropped
  SetFaults(R"({"licensed":false})");
  ASSERT_EQ(admin_->Post("/api/v4/users/" + id + "/promote", "").status, 200);
  EXPECT_EQ(Field(id, "roles"), "system_user system_post_all");
}

TEST_F(EmulatorServerModesTest, ReactivatingAGuestWhileGuestsAreOffIs401) {
  Start({"--licensed"});
  std::string id = CreateUser(*admin_, "visitor");
  ASSERT_EQ(Demote(id).status, 200);
  ASSERT_EQ(admin_->Put("/api/v4/users/" + id + "/active", R"({"active":false})").status, 200);
  SetFaults(R"({"guest_accounts_enabled":false})");
  auto r = admin_->Put("/api/v4/users/" + id + "/active", R"({"active":true})");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(ErrorId(r),
            "api.user.update_active.cannot_enable_guest_when_guest_feature_is_disabled.app_error");
  SetFaults(R"({"guest_accounts_enabled":true})");
  EXPECT_EQ(admin_->Put("/api/v4/users/" + id + "/active", R"({"active":true})").status, 200);
}

TEST_F(EmulatorServerModesTest, ReactivationOverTheUserLimitIs200WithAnAppendedError) {
  Start({"--user-limit", "3"});
  std::string a = CreateUser(*admin_, "ua"), b = CreateUser(*admin_, "ub");
  ASSERT_EQ(admin_->Put("/api/v4/users/" + b + "/active", R"({"active":false})").status, 200);
  CreateUser(*admin_, "uc");  // admin, ua, uc: 3 active
  auto r = admin_->Put("/api/v4/users/" + b + "/active", R"({"active":true})");
  EXPECT_EQ(r.status, 200);
  ASSERT_EQ(r.body.rfind(R"({"status":"OK"}{)", 0), 0u) << r.body;
  auto error = Obj(r.body.substr(15));
  EXPECT_EQ(error->getValue<std::string>("id"), "app.user.update_active.user_limit.exceeded");
  EXPECT_EQ(error->getValue<int>("status_code"), 400);
  EXPECT_EQ(Obj(admin_->Get("/api/v4/users/" + b).body)->optValue<int64_t>("delete_at", 0) > 0,
            true);  // still inactive
  SetFaults(R"({"user_limit":0})");
  EXPECT_EQ(admin_->Put("/api/v4/users/" + b + "/active", R"({"active":true})").body,
            R"({"status":"OK"})");
}

TEST_F(EmulatorServerModesTest, ListingSkewMakesOneListingMissAnUnrelatedUser) {
  Start({"--generate", "300"});
  auto all = ListAll();
  EXPECT_EQ(all.size(), 301u);  // admin + 300
  SetFaults(R"({"listing_skew":true})");
  auto skewed = ListAll();
  std::set<std::string> seen(skewed.begin(), skewed.end());
  int missing = 0;
  for (const auto& name : all) missing += seen.count(name) ? 0 : 1;
  EXPECT_EQ(missing, 1) << "one real user falls between page 0 and page 1";
  EXPECT_EQ(Arr(admin_->Post("/api/v4/users/usernames", R"(["user000199"])").body)->size(), 1u)
      << "the missed user still exists";
  SetFaults(R"({"listing_skew":false})");
}

TEST_F(EmulatorServerModesTest, ReadsRightAfterAWriteSeeTheStateBeforeIt) {
  Start({"--replica-lag-ms", "1000"});
  std::string id = CreateUser(*admin_, "lagged");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(admin_->Get("/api/v4/users/" + id).status, 404);  // the replica lacks it
  EXPECT_EQ(admin_->Get("/api/v4/users").body.find("\"lagged\""), std::string::npos);
  EXPECT_EQ(admin_->Get("/api/v4/users/username/lagged").status, 404);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(admin_->Get("/api/v4/users/" + id).status, 200);
  ASSERT_EQ(admin_->Put("/api/v4/users/" + id + "/patch", R"({"nickname":"fresh"})").status, 200);
  EXPECT_EQ(Field(id, "nickname"), "");
  auto listed = Arr(admin_->Post("/api/v4/users/ids", "[\"" + id + "\"]").body);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->getObject(0)->optValue<std::string>("nickname", "?"), "");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(Field(id, "nickname"), "fresh");
  EXPECT_NE(admin_->Get("/api/v4/users").body.find("\"lagged\""), std::string::npos);
}

TEST_F(EmulatorServerModesTest, SeedsRemoteUsersWithRemoteId) {
  ASSERT_EQ(admin_->Post("/__emu/users", R"({"users":[{"username":"far","email":"far@remote.org",
      "remote_id":"cluster1"}]})").status, 201);
  auto user = Obj(admin_->Get("/api/v4/users/username/far").body);
  EXPECT_EQ(user->optValue<std::string>("remote_id", ""), "cluster1");
  EXPECT_FALSE(Obj(admin_->Get("/api/v4/users/me").body)->has("remote_id"));
}

TEST_F(EmulatorServerModesTest, SanitizesNamesAndReplacesUnsupportedLocales) {
  Start({"--sanitize-unicode", "--replace-unsupported-locale"});
  // U+202E (right-to-left override) is stripped; U+200B (zero width space) is kept.
  auto r = admin_->Post("/api/v4/users", "{\"username\":\"bidi\",\"email\":\"bidi@example.com\","
                                         "\"password\":\"longenough\",\"first_name\":\"Ev\xE2\x80\xAE"
                                         "e\",\"last_name\":\"Z\xE2\x80\x8Bw\",\"locale\":\"xx\"}");
  ASSERT_EQ(r.status, 201) << r.body;
  auto user = Obj(r.body);
  EXPECT_EQ(user->getValue<std::string>("first_name"), "Eve");
  EXPECT_EQ(user->getValue<std::string>("last_name"), "Z\xE2\x80\x8Bw");
  EXPECT_EQ(user->getValue<std::string>("locale"), "en");
  std::string id = user->getValue<std::string>("id");
  auto p = admin_->Put("/api/v4/users/" + id + "/patch",
                       "{\"nickname\":\"n\xEF\xBB\xBFick\",\"locale\":\"xx\"}");
  EXPECT_EQ(Obj(p.body)->getValue<std::string>("nickname"), "nick");
  EXPECT_EQ(Obj(p.body)->getValue<std::string>("locale"), "xx");  // patch accepts any tag
  auto de = admin_->Post("/api/v4/users", R"({"username":"dora","email":"dora@example.com",
      "password":"longenough","locale":"pt-BR"})");
  EXPECT_EQ(Obj(de.body)->getValue<std::string>("locale"), "pt-BR");
}

TEST_F(EmulatorServerModesTest, PerIpRateLimitIsSharedByEveryToken) {
  Start({"--rate-limit", "0.2", "--burst", "3", "--rate-limit-per-ip"});
  EmuClient stranger(emu_->port(), "unknown-token");
  for (int i = 0; i < 4; ++i) stranger.Get("/api/v4/users/me");  // 401s use the bucket too
  auto limited = admin_->Get("/api/v4/users/me");
  ASSERT_EQ(limited.status, 429) << "the admin token shares the stranger's bucket";
  EXPECT_EQ(limited.body, "limit exceeded\n");
  EXPECT_EQ(limited.Header("content-type").rfind("text/plain", 0), 0u);
  SetFaults(R"({"rate_limit_per_ip":false})");
  EXPECT_EQ(admin_->Get("/api/v4/users/me").status, 200);  // back to a bucket per token
}

TEST_F(EmulatorServerModesTest, RenamedUserIsListedOnceAndInOrder) {
  Start({"--generate", "50"});
  std::string id = Obj(admin_->Get("/api/v4/users/username/user000010").body)
                       ->getValue<std::string>("id");
  ASSERT_EQ(admin_->Put("/api/v4/users/" + id + "/patch", R"({"username":"zed"})").status, 200);
  ASSERT_EQ(admin_->Put("/api/v4/users/" + id + "/patch", R"({"username":"aaron"})").status, 200);
  auto names = ListAll();
  ASSERT_EQ(names.size(), 51u);
  for (size_t i = 1; i < names.size(); ++i) EXPECT_LT(names[i - 1], names[i]) << i;
  EXPECT_EQ(names.front(), "aaron");
}

}  // namespace
}  // namespace mmemu::test
