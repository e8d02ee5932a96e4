// Create, patch, full update and (de)activation in mm-emulator, over HTTP.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "emulator/test/emu_client.h"
#include "tests/support/child_process.h"

namespace mmemu::test {
namespace {

using rostersync::testing::Emulator;

class EmulatorWriteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    emu_ = std::make_unique<Emulator>();
    ASSERT_TRUE(emu_->ok()) << "mm-emulator did not start";
    admin_ = std::make_unique<EmuClient>(emu_->port(), emu_->admin_token());
  }
  std::string ErrorId(const HttpResult& r) { return Obj(r.body)->optValue<std::string>("id", ""); }
  HttpResult Create(const std::string& json) { return admin_->Post("/api/v4/users", json); }
  // A client authenticated as a new plain user.
  EmuClient UserClient(const std::string& username, std::string* id) {
    *id = CreateUser(*admin_, username);
    auto tok = Obj(admin_->Post("/api/v4/users/" + *id + "/tokens", R"({"description":"t"})").body);
    return EmuClient(emu_->port(), tok->optValue<std::string>("token", ""));
  }
  std::unique_ptr<Emulator> emu_;
  std::unique_ptr<EmuClient> admin_;
};

TEST_F(EmulatorWriteTest, CreatesUserWithLowercasedUsernameAndIgnoredRoles) {
  auto r = Create(R"({"username":"Bob.Smith","email":"Bob@Example.com","password":"longenough",
                      "roles":"system_user system_admin"})");
  ASSERT_EQ(r.status, 201) << r.body;
  auto u = Obj(r.body);
  EXPECT_EQ(u->getValue<std::string>("username"), "bob.smith");
  EXPECT_EQ(u->getValue<std::string>("email"), "bob@example.com");
  EXPECT_EQ(u->getValue<std::string>("roles"), "system_user");
  EXPECT_EQ(u->getValue<std::string>("auth_data"), "");
  EXPECT_EQ(u->getValue<std::string>("id").size(), 26u);
}

TEST_F(EmulatorWriteTest, RejectsInvalidUsernamesWithServerErrorId) {
  for (const std::string& name :
       std::vector<std::string>{"all", "channel", "matterbot", "system", "has space", "bad!char",
                                std::string(65, 'a'), std::string("")}) {
    auto r = Create("{\"username\":\"" + name +
                    "\",\"email\":\"x@example.com\",\"password\":\"longenough\"}");
    EXPECT_EQ(r.status, 400) << name;
    EXPECT_EQ(ErrorId(r), "model.user.is_valid.username.app_error") << name;
  }
  EXPECT_EQ(Create(R"({"username":"a","email":"a@example.com","password":"longenough"})").status,
            201);
}

TEST_F(EmulatorWriteTest, RejectsBadEmailsPasswordsAndIds) {
  auto bad_email =
      Create(R"({"username":"e1","email":"Name <e1@example.com>","password":"longenough"})");
  EXPECT_EQ(ErrorId(bad_email), "model.user.is_valid.email.app_error");
  EXPECT_EQ(ErrorId(Create(R"({"username":"e1","email":"a@b@c","password":"longenough"})")),
            "model.user.is_valid.email.app_error");
  auto short_pw = Create(R"({"username":"e2","email":"e2@example.com","password":"short"})");
  EXPECT_EQ(short_pw.status, 400);
  auto with_id =
      Create(R"({"id":"abc","username":"e3","email":"e3@example.com","password":"longenough"})");
  EXPECT_EQ(with_id.status, 400);
  auto pw_and_auth = Create(R"({"username":"e4","email":"e4@example.com","password":"longenough",
                                "auth_service":"saml","auth_data":"k4"})");
  EXPECT_EQ(pw_and_auth.status, 400);
  EXPECT_EQ(ErrorId(pw_and_auth), "model.user.is_valid.auth_data_pwd.app_error");
}

TEST_F(EmulatorWriteTest, ReportsUsernameEmailAndAuthDataConflicts) {
  ASSERT_EQ(
      Create(
          R"({"username":"dup","email":"dup@example.com","auth_service":"ldap","auth_data":"k1"})")
          .status,
      201);
  auto same_name =
      Create(R"({"username":"dup","email":"other@example.com","password":"longenough"})");
  EXPECT_EQ(same_name.status, 400);
  EXPECT_EQ(ErrorId(same_name), "app.user.save.username_exists.app_error");
  auto same_email =
      Create(R"({"username":"dup2","email":"dup@example.com","password":"longenough"})");
  EXPECT_EQ(ErrorId(same_email), "app.user.save.email_exists.app_error");
  auto same_key = Create(
      R"({"username":"dup3","email":"dup3@example.com","auth_service":"ldap","auth_data":"k1"})");
  EXPECT_EQ(same_key.status, 500);
  EXPECT_EQ(ErrorId(same_key), "app.user.save.app_error");
}

TEST_F(EmulatorWriteTest, CreateWithoutAdminSessionIsForbiddenNoOpenServer) {
  EmuClient anonymous(emu_->port(), "");
  auto r = anonymous.Post("/api/v4/users",
                          R"({"username":"n1","email":"n1@example.com","password":"longenough"})");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(ErrorId(r), "api.user.create_user.no_open_server");
  std::string id;
  EmuClient plain = UserClient("plain", &id);
  EXPECT_EQ(plain
                .Post("/api/v4/users", R"({"username":"n2","email":"n2@example.com",
      "auth_service":"saml","auth_data":"n2"})")
                .status,
            403);
}

TEST_F(EmulatorWriteTest, PatchChangesOnlySentFieldsAndReplacesProps) {
  std::string id = CreateUser(*admin_, "pat", R"("first_name":"Pat","props":{"a":"1","b":"2"})");
  auto r =
      admin_->Put("/api/v4/users/" + id + "/patch", R"({"last_name":"Doe","props":{"c":"3"}})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto u = Obj(r.body);
  EXPECT_EQ(u->getValue<std::string>("first_name"), "Pat");
  EXPECT_EQ(u->getValue<std::string>("last_name"), "Doe");
  auto props = u->getObject("props");
  EXPECT_FALSE(props->has("a"));
  EXPECT_EQ(props->getValue<std::string>("c"), "3");
}

TEST_F(EmulatorWriteTest, PatchConflictsGive400WithExistsIds) {
  CreateUser(*admin_, "taken");
  std::string id = CreateUser(*admin_, "mover");
  auto name = admin_->Put("/api/v4/users/" + id + "/patch", R"({"username":"taken"})");
  EXPECT_EQ(name.status, 400);
  EXPECT_EQ(ErrorId(name), "app.user.save.username_exists.app_error");
  auto email = admin_->Put("/api/v4/users/" + id + "/patch", R"({"email":"taken@example.com"})");
  EXPECT_EQ(ErrorId(email), "app.user.save.email_exists.app_error");
}

TEST_F(EmulatorWriteTest, PatchRefusesUsernameChangeOfSsoUserAndLdapEmailChange) {
  auto sso = Obj(
      Create(
          R"({"username":"sam","email":"sam@example.com","auth_service":"saml","auth_data":"sam"})")
          .body);
  auto r = admin_->Put("/api/v4/users/" + sso->getValue<std::string>("id") + "/patch",
                       R"({"username":"samuel"})");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(ErrorId(r), "api.user.patch_user.login_provider_attribute_set.app_error");
  auto ldap = Obj(
      Create(
          R"({"username":"lee","email":"lee@example.com","auth_service":"ldap","auth_data":"lee"})")
          .body);
  auto e = admin_->Put("/api/v4/users/" + ldap->getValue<std::string>("id") + "/patch",
                       R"({"email":"lee2@example.com"})");
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(ErrorId(e), "app.user.update.find.app_error");
}

TEST_F(EmulatorWriteTest, EmailChangeClearsEmailVerified) {
  std::string id = CreateUser(*admin_, "vera");
  ASSERT_EQ(admin_->Post("/api/v4/users/" + id + "/email/verify/member", "").status, 200);
  auto state_before = admin_->Get("/__emu/state");
  ASSERT_NE(state_before.body.find("\"email_verified\":true"), std::string::npos);
  auto r = admin_->Put("/api/v4/users/" + id + "/patch", R"({"email":"vera2@example.com"})");
  ASSERT_EQ(r.status, 200);
  EXPECT_FALSE(Obj(r.body)->has("email_verified"));
}

TEST_F(EmulatorWriteTest, FullUpdateResetsOmittedFieldsAndNeedsCreateAt) {
  std::string id = CreateUser(*admin_, "ulla", R"("nickname":"U","locale":"de")");
  auto current = Obj(admin_->Get("/api/v4/users/" + id).body);
  std::string base = "\"id\":\"" + id + "\",\"username\":\"ulla\",\"email\":\"ulla@example.com\"";
  EXPECT_EQ(admin_->Put("/api/v4/users/" + id, "{" + base + "}").status, 400);
  auto r = admin_->Put("/api/v4/users/" + id,
                       "{" + base + ",\"create_at\":" +
                           std::to_string(current->getValue<int64_t>("create_at")) + "}");
  ASSERT_EQ(r.status, 200) << r.body;
  auto u = Obj(r.body);
  EXPECT_EQ(u->getValue<std::string>("nickname"), "");
  EXPECT_EQ(u->getValue<std::string>("locale"), "");
  EXPECT_EQ(u->getObject("timezone")->size(), 0u);
}

TEST_F(EmulatorWriteTest, DeleteDeactivatesAndPermanentNeedsFlag) {
  std::string id = CreateUser(*admin_, "gone");
  auto perm = admin_->Do("DELETE", "/api/v4/users/" + id + "?permanent=true");
  EXPECT_EQ(perm.status, 401);
  ASSERT_EQ(admin_->Do("DELETE", "/api/v4/users/" + id).status, 200);
  auto u = Obj(admin_->Get("/api/v4/users/" + id).body);
  EXPECT_GT(u->getValue<int64_t>("delete_at"), 0);
}

TEST_F(EmulatorWriteTest, ActiveTogglesDeleteAtAndBumpsUpdateAt) {
  std::string id = CreateUser(*admin_, "toggle");
  int64_t before = Obj(admin_->Get("/api/v4/users/" + id).body)->getValue<int64_t>("update_at");
  ASSERT_EQ(admin_->Put("/api/v4/users/" + id + "/active", R"({"active":false})").status, 200);
  auto off = Obj(admin_->Get("/api/v4/users/" + id).body);
  EXPECT_GT(off->getValue<int64_t>("delete_at"), 0);
  EXPECT_GT(off->getValue<int64_t>("update_at"), before);
  ASSERT_EQ(admin_->Put("/api/v4/users/" + id + "/active", R"({"active":true})").status, 200);
  EXPECT_FALSE(Obj(admin_->Get("/api/v4/users/" + id).body)->has("delete_at"));
  EXPECT_EQ(admin_->Put("/api/v4/users/" + id + "/active", R"({})").status, 400);
  EXPECT_EQ(admin_->Put("/api/v4/users/me/active", R"({"active":false})").status, 401);
}

TEST_F(EmulatorWriteTest, PlainUserCannotChangeOthersButMayPatchSelf) {
  std::string other = CreateUser(*admin_, "other");
  std::string id;
  EmuClient plain = UserClient("plainuser", &id);
  EXPECT_EQ(plain.Put("/api/v4/users/" + other + "/patch", R"({"nickname":"x"})").status, 403);
  EXPECT_EQ(plain.Put("/api/v4/users/" + other + "/active", R"({"active":false})").status, 403);
  EXPECT_EQ(plain.Do("DELETE", "/api/v4/users/" + other).status, 403);
  EXPECT_EQ(plain.Put("/api/v4/users/me/patch", R"({"nickname":"me"})").status, 200);
}

TEST_F(EmulatorWriteTest, DeactivatedUsersTokenStopsWorking) {
  std::string id;
  EmuClient plain = UserClient("sleepy", &id);
  ASSERT_EQ(plain.Get("/api/v4/users/me").status, 200);
  ASSERT_EQ(admin_->Put("/api/v4/users/" + id + "/active", R"({"active":false})").status, 200);
  EXPECT_EQ(plain.Get("/api/v4/users/me").status, 401);
  ASSERT_EQ(admin_->Put("/api/v4/users/" + id + "/active", R"({"active":true})").status, 200);
  EXPECT_EQ(plain.Get("/api/v4/users/me").status, 200);
}

TEST_F(EmulatorWriteTest, ConcurrentCreatesAreAllStoredOnce) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::atomic<int> created{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        if (!CreateUser(*admin_, "c" + std::to_string(t) + "x" + std::to_string(i)).empty())
          ++created;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(created.load(), kThreads * kPerThread);
  auto users = Arr(admin_->Get("/api/v4/users?per_page=200").body);
  EXPECT_EQ(users->size(), static_cast<size_t>(kThreads * kPerThread + 1));
  // A second create of the same name loses, whichever thread gets there first.
  EXPECT_TRUE(CreateUser(*admin_, "c0x0").empty());
}

}  // namespace
}  // namespace mmemu::test
