// The real server's restrictive settings in mm-emulator, each through its flag and through
// PUT /__emu/faults: client config and license, email verification, password policy and
// provider-owned attributes.
#include <gtest/gtest.h>

#include "emulator/test/emu_fixture.h"

namespace mmemu::test {
namespace {

class EmulatorModesTest : public EmulatorTest {
 protected:
  std::string Str(const HttpResult& r, const std::string& key) {
    return Obj(r.body)->optValue<std::string>(key, "<absent>");
  }
  HttpResult CreateWithPassword(const std::string& name, const std::string& password) {
    return admin_->Post("/api/v4/users", "{\"username\":\"" + name + "\",\"email\":\"" + name +
                                             "@example.com\",\"password\":\"" + password + "\"}");
  }
};

TEST_F(EmulatorModesTest, ClientConfigAndLicenseNeedFormatOldAndAToken) {
  auto config = admin_->Get("/api/v4/config/client?format=old");
  ASSERT_EQ(config.status, 200) << config.body;
  EXPECT_EQ(Str(config, "RequireEmailVerification"), "false");
  EXPECT_EQ(Str(config, "PasswordMinimumLength"), "8");
  EXPECT_EQ(Str(config, "PasswordRequireSymbol"), "false");
  EXPECT_EQ(Str(config, "SamlFirstNameAttributeSet"), "<absent>");  // unlicensed
  auto license = admin_->Get("/api/v4/license/client?format=old");
  ASSERT_EQ(license.status, 200);
  EXPECT_EQ(license.body, R"({"IsLicensed":"false"})");
  auto no_format = admin_->Get("/api/v4/config/client");
  EXPECT_EQ(no_format.status, 501);
  EXPECT_EQ(ErrorId(no_format), "api.config.client.old_format.app_error");
  auto license_no_format = admin_->Get("/api/v4/license/client");
  EXPECT_EQ(license_no_format.status, 400);
  EXPECT_EQ(ErrorId(license_no_format), "api.license.client.old_format.app_error");
  EmuClient anonymous(emu_->port(), "");
  EXPECT_EQ(anonymous.Get("/api/v4/config/client?format=old").status, 401);
  // A plain user's token is enough.
  std::string id = CreateUser(*admin_, "plain");
  auto tok = Obj(admin_->Post("/api/v4/users/" + id + "/tokens", R"({"description":"t"})").body);
  EmuClient plain(emu_->port(), tok->getValue<std::string>("token"));
  EXPECT_EQ(plain.Get("/api/v4/license/client?format=old").status, 200);
}

TEST_F(EmulatorModesTest, RealisticFlagReportsEveryRestrictiveSetting) {
  Start({"--realistic"});
  auto config = admin_->Get("/api/v4/config/client?format=old");
  ASSERT_EQ(config.status, 200) << config.body;
  EXPECT_EQ(Str(config, "RequireEmailVerification"), "true");
  EXPECT_EQ(Str(config, "EnableGuestAccounts"), "false");
  EXPECT_EQ(Str(config, "PasswordMinimumLength"), "40");
  for (const char* k : {"PasswordRequireLowercase", "PasswordRequireUppercase",
                        "PasswordRequireNumber", "PasswordRequireSymbol",
                        "SamlFirstNameAttributeSet", "SamlLastNameAttributeSet"}) {
    EXPECT_EQ(Str(config, k), "true") << k;
  }
  EXPECT_EQ(Str(config, "SamlNicknameAttributeSet"), "false");
  auto license = admin_->Get("/api/v4/license/client?format=old");
  EXPECT_EQ(Str(license, "IsLicensed"), "true");
  EXPECT_EQ(Str(license, "GuestAccounts"), "true");
  auto faults = Obj(admin_->Get("/__emu/faults").body);
  EXPECT_TRUE(faults->getValue<bool>("listing_skew"));
  EXPECT_TRUE(faults->getValue<bool>("rate_limit_per_ip"));
  EXPECT_GT(faults->getValue<int>("replica_lag_ms"), 0);
}

TEST_F(EmulatorModesTest, ModesSwitchAtRuntimeThroughTheFaultsRoute) {
  SetFaults(R"({"licensed":true,"license_guest_accounts":false,"saml_owned":["position"]})");
  auto license = admin_->Get("/api/v4/license/client?format=old");
  EXPECT_EQ(Str(license, "GuestAccounts"), "false");
  auto config = admin_->Get("/api/v4/config/client?format=old");
  EXPECT_EQ(Str(config, "SamlPositionAttributeSet"), "true");
  EXPECT_EQ(admin_->Put("/__emu/faults", R"({"saml_owned":["shoe_size"]})").status, 400);
  EXPECT_EQ(admin_->Put("/__emu/faults", R"({"password_min_length":73})").status, 400);
  EXPECT_EQ(admin_->Put("/__emu/faults", R"({"licensed":"yes"})").status, 400);
}

TEST_F(EmulatorModesTest, EmailChangeWaitsForVerificationAndAnswersTheOldEmail) {
  Start({"--require-email-verification"});
  std::string id = CreateUser(*admin_, "mover");
  ASSERT_FALSE(id.empty());
  auto patch = admin_->Put("/api/v4/users/" + id + "/patch", R"({"email":"new@example.com"})");
  ASSERT_EQ(patch.status, 200) << patch.body;
  EXPECT_EQ(Str(patch, "email"), "mover@example.com");
  EXPECT_EQ(Str(admin_->Get("/api/v4/users/" + id), "email"), "mover@example.com");
  auto verify = admin_->Post("/api/v4/users/" + id + "/email/verify/member", "");
  EXPECT_EQ(Str(verify, "email"), "mover@example.com");  // the old address is verified
  // Taken addresses are refused up front.
  CreateUser(*admin_, "other");
  auto taken = admin_->Put("/api/v4/users/" + id + "/patch", R"({"email":"other@example.com"})");
  EXPECT_EQ(taken.status, 400);
  EXPECT_EQ(ErrorId(taken), "app.user.save.email_exists.app_error");
  // The person clicks the link.
  auto click = admin_->Post("/__emu/users/" + id + "/confirm_email", "");
  ASSERT_EQ(click.status, 200) << click.body;
  auto after = admin_->Get("/api/v4/users/" + id);
  EXPECT_EQ(Str(after, "email"), "new@example.com");
  EXPECT_EQ(admin_->Post("/__emu/users/" + id + "/confirm_email", "").status, 400);
  // Off again at runtime: the change applies at once.
  SetFaults(R"({"require_email_verification":false})");
  auto direct = admin_->Put("/api/v4/users/" + id + "/patch", R"({"email":"now@example.com"})");
  EXPECT_EQ(Str(direct, "email"), "now@example.com");
}

TEST_F(EmulatorModesTest, PasswordPolicyUsesTheServerErrorIds) {
  // Defaults: 8..72 bytes, no classes.
  EXPECT_EQ(ErrorId(CreateWithPassword("p1", "short")),
            "model.user.is_valid.pwd_min_length.app_error");
  EXPECT_EQ(CreateWithPassword("p2", "alllowercase").status, 201);
  SetFaults(R"({"password_min_length":12,"password_uppercase":true,"password_number":true,
               "password_symbol":true,"password_lowercase":true})");
  EXPECT_EQ(ErrorId(CreateWithPassword("p3", "Ab1!")),
            "model.user.is_valid.pwd_min_length.app_error");
  auto classes = CreateWithPassword("p4", "alllowercaseletters");
  EXPECT_EQ(classes.status, 400);
  EXPECT_EQ(ErrorId(classes), "model.user.is_valid.pwd_uppercase_number_symbol.app_error");
  EXPECT_EQ(ErrorId(CreateWithPassword("p5", "ALLUPPER-1234")),
            "model.user.is_valid.pwd_lowercase.app_error");
  EXPECT_EQ(CreateWithPassword("p6", "Mixed case 1 with space").status, 201);  // ' ' is a symbol
  EXPECT_EQ(ErrorId(CreateWithPassword("p7", std::string(73, 'a'))),
            "model.user.is_valid.pwd_max_length.app_error");
  // SSO users have no password to check.
  EXPECT_EQ(admin_->Post("/api/v4/users", R"({"username":"sso","email":"sso@example.com",
                                               "auth_service":"saml","auth_data":"sso"})")
                .status,
            201);
}

TEST_F(EmulatorModesTest, PasswordFlagsApplyFromStart) {
  Start({"--password-min-length", "40", "--password-require", "lower,upper,number,symbol"});
  EXPECT_EQ(ErrorId(CreateWithPassword("f1", "Aa1!")),
            "model.user.is_valid.pwd_min_length.app_error");
  EXPECT_EQ(CreateWithPassword("f2", "Aa1!" + std::string(36, 'x')).status, 201);
}

TEST_F(EmulatorModesTest, ProviderOwnedFieldsFailTheWholePatchWith409) {
  Start({"--licensed", "--saml-owned", "first_name,last_name", "--ldap-owned", "position"});
  auto saml = admin_->Post("/api/v4/users", R"({"username":"sam","email":"sam@example.com",
      "first_name":"Sam","auth_service":"saml","auth_data":"sam"})");
  auto ldap = admin_->Post("/api/v4/users", R"({"username":"lee","email":"lee@example.com",
      "position":"Dev","auth_service":"ldap","auth_data":"lee"})");
  std::string s = Str(saml, "id"), l = Str(ldap, "id");
  auto both = admin_->Put("/api/v4/users/" + s + "/patch",
                          R"({"first_name":"Samuel","nickname":"sammy"})");
  EXPECT_EQ(both.status, 409);
  EXPECT_EQ(ErrorId(both), "api.user.patch_user.login_provider_attribute_set.app_error");
  EXPECT_EQ(Str(admin_->Get("/api/v4/users/" + s), "nickname"), "");  // nothing applied
  // The same value is not a change; fields the provider does not own are free.
  EXPECT_EQ(admin_->Put("/api/v4/users/" + s + "/patch", R"({"first_name":"Sam","nickname":"s"})")
                .status,
            200);
  EXPECT_EQ(admin_->Put("/api/v4/users/" + s + "/patch", R"({"username":"samuel"})").status, 409);
  EXPECT_EQ(admin_->Put("/api/v4/users/" + l + "/patch", R"({"position":"Boss"})").status, 409);
  EXPECT_EQ(admin_->Put("/api/v4/users/" + l + "/patch", R"({"email":"l2@example.com"})").status,
            409);
  EXPECT_EQ(admin_->Put("/api/v4/users/" + l + "/patch", R"({"first_name":"Lee"})").status, 200);
  // Email users own all their fields.
  std::string e = CreateUser(*admin_, "emil");
  EXPECT_EQ(admin_->Put("/api/v4/users/" + e + "/patch", R"({"first_name":"Emil"})").status, 200);
  // Unlicensed (switched at runtime): only the username stays owned.
  SetFaults(R"({"licensed":false})");
  EXPECT_EQ(admin_->Put("/api/v4/users/" + s + "/patch", R"({"first_name":"Samuel"})").status,
            200);
}

}  // namespace
}  // namespace mmemu::test
