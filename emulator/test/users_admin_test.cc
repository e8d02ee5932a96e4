// Roles, guests, auth method, migrations, tokens, sessions and password resets.
#include <gtest/gtest.h>

#include "emulator/test/emu_fixture.h"

namespace mmemu::test {
namespace {

class EmulatorAdminApiTest : public EmulatorTest {
 protected:
  std::string Roles(const std::string& id) {
    return Obj(admin_->Get("/api/v4/users/" + id).body)->optValue<std::string>("roles", "");
  }
};

TEST_F(EmulatorAdminApiTest, UpdatesRolesAndRejectsSystemAdminAlone) {
  std::string id = CreateUser(*admin_, "rita");
  EXPECT_EQ(admin_->Put("/api/v4/users/" + id + "/roles", R"({"roles":"system_admin"})").status,
            400);
  EXPECT_EQ(
      admin_->Put("/api/v4/users/" + id + "/roles", R"({"roles":"system_user Bad-Role"})").status,
      400);
  EXPECT_EQ(
      admin_->Put("/api/v4/users/" + id + "/roles", R"({"roles":"system_user no_such"})").status,
      400);
  ASSERT_EQ(admin_->Put("/api/v4/users/" + id + "/roles", R"({"roles":"system_user system_admin"})")
                .status,
            200);
  EXPECT_EQ(Roles(id), "system_user system_admin");
}

TEST_F(EmulatorAdminApiTest, PlainUserCannotChangeRolesOrAuth) {
  std::string id = CreateUser(*admin_, "norm");
  auto tok = Obj(admin_->Post("/api/v4/users/" + id + "/tokens", R"({"description":"t"})").body);
  EmuClient plain(emu_->port(), tok->getValue<std::string>("token"));
  EXPECT_EQ(plain.Put("/api/v4/users/me/roles", R"({"roles":"system_user system_admin"})").status,
            403);
  EXPECT_EQ(plain.Put("/api/v4/users/me/auth", R"({"auth_data":"x","auth_service":"saml"})").status,
            403);
  EXPECT_EQ(Roles(id), "system_user");
}

TEST_F(EmulatorAdminApiTest, DemoteAndPromoteAreNotImplementedWithoutLicense) {
  std::string id = CreateUser(*admin_, "guesty");
  EXPECT_EQ(admin_->Post("/api/v4/users/" + id + "/demote", "").status, 501);
  EXPECT_EQ(admin_->Post("/api/v4/users/" + id + "/promote", "").status, 501);
}

TEST_F(EmulatorAdminApiTest, LicensedDemoteAndPromoteSwitchGuestRole) {
  Start({"--licensed"});
  std::string id = CreateUser(*admin_, "guesty");
  EXPECT_EQ(admin_->Post("/api/v4/users/" + id + "/promote", "").status, 501);  // not a guest
  ASSERT_EQ(admin_->Post("/api/v4/users/" + id + "/demote", "").status, 200);
  EXPECT_EQ(Roles(id), "system_guest");
  EXPECT_EQ(admin_->Post("/api/v4/users/" + id + "/demote", "").status, 501);  // already guest
  ASSERT_EQ(admin_->Post("/api/v4/users/" + id + "/promote", "").status, 200);
  EXPECT_EQ(Roles(id), "system_user");
}

TEST_F(EmulatorAdminApiTest, UpdateAuthReturnsUserAuthAndChecksDuplicates) {
  std::string a = CreateUser(*admin_, "authy");
  std::string b = CreateUser(*admin_, "authz");
  auto r =
      admin_->Put("/api/v4/users/" + a + "/auth", R"({"auth_data":"k-a","auth_service":"saml"})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Obj(r.body);
  EXPECT_EQ(body->getValue<std::string>("auth_data"), "k-a");
  EXPECT_EQ(body->getValue<std::string>("auth_service"), "saml");
  EXPECT_FALSE(body->has("username"));
  EXPECT_EQ(
      admin_->Put("/api/v4/users/" + b + "/auth", R"({"auth_data":"k-a","auth_service":"saml"})")
          .status,
      400);
  EXPECT_EQ(admin_->Put("/api/v4/users/" + b + "/auth", R"({"auth_data":"k-b"})").status, 400);
  EXPECT_EQ(admin_
                ->Put("/api/v4/users/" + std::string(26, 'q') + "/auth",
                      R"({"auth_data":"k-q","auth_service":"saml"})")
                .status,
            200);
  std::string state = admin_->Get("/__emu/state").body;
  EXPECT_NE(state.find("\"auth_data\":\"k-a\""), std::string::npos);
  EXPECT_EQ(state.find("k-q"), std::string::npos);
  EXPECT_EQ(Obj(admin_->Get("/api/v4/users/" + a).body)->getValue<std::string>("auth_data"), "");
}

TEST_F(EmulatorAdminApiTest, MigrationsNeedLicense) {
  CreateUser(*admin_, "mig");
  EXPECT_EQ(admin_
                ->Post("/api/v4/users/migrate_auth/ldap",
                       R"({"from":"email","match_field":"email","force":false})")
                .status,
            501);
  EXPECT_EQ(
      admin_
          ->Post("/api/v4/users/migrate_auth/saml", R"({"from":"email","matches":{},"auto":false})")
          .status,
      501);
}

TEST_F(EmulatorAdminApiTest, LicensedLdapMigrationMovesEmailUsers) {
  Start({"--licensed"});
  std::string id = CreateUser(*admin_, "mig");
  ASSERT_EQ(admin_
                ->Post("/api/v4/users/migrate_auth/ldap",
                       R"({"from":"email","match_field":"username","force":false})")
                .status,
            200);
  EXPECT_EQ(Obj(admin_->Get("/api/v4/users/" + id).body)->getValue<std::string>("auth_service"),
            "ldap");
}

TEST_F(EmulatorAdminApiTest, TokensCanBeListedFetchedAndRevoked) {
  std::string id = CreateUser(*admin_, "toki");
  auto created =
      Obj(admin_->Post("/api/v4/users/" + id + "/tokens", R"({"description":"ci"})").body);
  std::string token = created->getValue<std::string>("token");
  std::string token_id = created->getValue<std::string>("id");
  auto listed = Arr(admin_->Get("/api/v4/users/" + id + "/tokens").body);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_FALSE(listed->getObject(0)->has("token"));
  EXPECT_EQ(
      Obj(admin_->Get("/api/v4/users/tokens/" + token_id).body)->getValue<std::string>("user_id"),
      id);
  EmuClient user(emu_->port(), token);
  EXPECT_EQ(user.Get("/api/v4/users/me").status, 200);
  ASSERT_EQ(
      admin_->Post("/api/v4/users/tokens/revoke", "{\"token_id\":\"" + token_id + "\"}").status,
      200);
  EXPECT_EQ(user.Get("/api/v4/users/me").status, 401);
  EXPECT_EQ(admin_->Post("/api/v4/users/" + id + "/tokens", R"({"description":""})").status, 400);
}

TEST_F(EmulatorAdminApiTest, DeactivationRevokesSessions) {
  std::string id = CreateUser(*admin_, "sess");
  auto tok = Obj(admin_->Post("/api/v4/users/" + id + "/tokens", R"({"description":"t"})").body);
  EmuClient user(emu_->port(), tok->getValue<std::string>("token"));
  ASSERT_EQ(user.Get("/api/v4/users/me").status, 200);
  EXPECT_EQ(Arr(admin_->Get("/api/v4/users/" + id + "/sessions").body)->size(), 1u);
  ASSERT_EQ(admin_->Post("/api/v4/users/" + id + "/sessions/revoke/all", "").status, 200);
  EXPECT_EQ(Arr(admin_->Get("/api/v4/users/" + id + "/sessions").body)->size(), 0u);
  ASSERT_EQ(user.Get("/api/v4/users/me").status, 200);
  ASSERT_EQ(admin_->Do("DELETE", "/api/v4/users/" + id).status, 200);
  EXPECT_EQ(Arr(admin_->Get("/api/v4/users/" + id + "/sessions").body)->size(), 0u);
}

TEST_F(EmulatorAdminApiTest, RecordsPasswordResetWithoutSending) {
  CreateUser(*admin_, "forgetful");
  EmuClient anonymous(emu_->port(), "");
  EXPECT_EQ(
      anonymous.Post("/api/v4/users/password/reset/send", R"({"email":"forgetful@example.com"})")
          .status,
      200);
  EXPECT_EQ(anonymous.Post("/api/v4/users/password/reset/send", R"({"email":"nobody@example.com"})")
                .status,
            200);
  auto state = Obj(admin_->Get("/__emu/state").body);
  auto sent = state->getArray("password_reset_sent");
  ASSERT_EQ(sent->size(), 1u);
  EXPECT_EQ(sent->getElement<std::string>(0), "forgetful@example.com");
}

}  // namespace
}  // namespace mmemu::test
