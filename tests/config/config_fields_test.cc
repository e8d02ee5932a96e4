#include <gtest/gtest.h>

#include "config/config_loader.h"
#include "tests/config/config_test_util.h"

namespace rostersync {
namespace {

using testing::ConfigFixture;
using testing::ProblemsAt;

ConfigLoad WithFields(const ConfigFixture& f, const std::string& fields) {
  return ParseConfig(
      f.Valid("fields:\n  username: {column: login}\n  email: {column: mail}\n" + fields),
      "c.yaml");
}

bool Mentions(const ConfigLoad& load, const std::string& path, const std::string& text) {
  for (const ConfigProblem& p : ProblemsAt(load, path)) {
    if (p.message.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(ConfigFieldsTest, ParsesSpecExampleFields) {
  ConfigFixture f;
  ConfigLoad load = ParseConfig(
      f.Valid("fields:\n"
              "  username: {template: \"{first_name}.{last_name}\", transform: [ascii, lower, "
              "mattermost_username]}\n"
              "  email: {column: email, transform: [trim, lower]}\n"
              "  locale: {value: en}\n"
              "  auth_service: {value: saml}\n"
              "  auth_data: {column: upn}\n"
              "  role: {column: kind, map: {admin: system_admin, staff: system_user, contractor: "
              "guest}, default: system_user}\n"
              "  active: {column: status, true: [active, leave], false: [terminated]}\n"
              "  start_date: {column: start_date}\n"),
      "c.yaml");
  ASSERT_TRUE(load.ok()) << load.Report();
  const auto& specs = load.config.fields.specs;
  EXPECT_EQ(specs.at("username").templ, "{first_name}.{last_name}");
  EXPECT_EQ(specs.at("username").transform,
            (std::vector<std::string>{"ascii", "lower", "mattermost_username"}));
  EXPECT_EQ(specs.at("locale").value, "en");
  EXPECT_EQ(specs.at("role").map.at("contractor"), "guest");
  EXPECT_EQ(specs.at("role").default_value, "system_user");
  EXPECT_EQ(specs.at("active").true_values, (std::vector<std::string>{"active", "leave"}));
  EXPECT_EQ(specs.at("active").false_values, (std::vector<std::string>{"terminated"}));
  EXPECT_EQ(specs.at("email").line, 9);
  EXPECT_EQ(specs.count("nickname"), 0u);
}

TEST(ConfigFieldsTest, NullMeansUnmapped) {
  ConfigFixture f;
  ConfigLoad load = WithFields(f, "  nickname: ~\n  update: [email]\n");
  ASSERT_TRUE(load.ok()) << load.Report();
  EXPECT_EQ(load.config.fields.specs.count("nickname"), 0u);
  EXPECT_EQ(load.config.fields.specs.size(), 2u);
}

TEST(ConfigFieldsTest, RejectsSpecWithNoneOrSeveralSources) {
  ConfigFixture f;
  ConfigLoad load =
      WithFields(f, "  nickname: {transform: [trim]}\n  position: {column: a, value: b}\n");
  EXPECT_TRUE(Mentions(load, "fields.nickname", "needs one of column, template or value"));
  EXPECT_TRUE(Mentions(load, "fields.position", "only one of"));
}

TEST(ConfigFieldsTest, RejectsUnknownTransformsAndSpecKeys) {
  ConfigFixture f;
  ConfigLoad load = WithFields(f, "  nickname: {column: n, transform: [lowr], colour: x}\n");
  EXPECT_TRUE(Mentions(load, "fields.nickname.transform", "did you mean 'lower'?"));
  EXPECT_TRUE(Mentions(load, "fields.nickname.colour", "unknown key"));
}

TEST(ConfigFieldsTest, RejectsUnknownFieldWithSuggestion) {
  ConfigFixture f;
  ConfigLoad load = WithFields(f, "  nick_name: {column: n}\n");
  EXPECT_TRUE(Mentions(load, "fields.nick_name", "did you mean 'nickname'?"));
}

TEST(ConfigFieldsTest, ValidatesAuthServiceAndRoleValues) {
  ConfigFixture f;
  ConfigLoad load = WithFields(f,
                               "  auth_service: {value: kerberos}\n"
                               "  role: {column: kind, map: {boss: system_admn}}\n");
  EXPECT_TRUE(Mentions(load, "fields.auth_service.value", "openid"));
  EXPECT_TRUE(Mentions(load, "fields.role.map", "did you mean 'system_admin'?"));
}

TEST(ConfigFieldsTest, ActiveColumnNeedsTrueOrFalseLists) {
  ConfigFixture f;
  ConfigLoad load =
      WithFields(f, "  active: {column: status}\n  nickname: {column: n, true: [x]}\n");
  EXPECT_TRUE(Mentions(load, "fields.active", "true: [...]"));
  EXPECT_TRUE(Mentions(load, "fields.nickname.true", "only for fields.active"));
}

TEST(ConfigFieldsTest, RejectsBrokenTemplates) {
  ConfigFixture f;
  for (const char* t : {"{first_name", "first}", "{}", "{a{b}}"}) {
    ConfigLoad load = WithFields(f, std::string("  nickname: {template: \"") + t + "\"}\n");
    EXPECT_TRUE(Mentions(load, "fields.nickname.template", "bad template")) << t;
  }
}

TEST(ConfigFieldsTest, AuthDataNeedsAuthService) {
  ConfigFixture f;
  ConfigLoad load = WithFields(f, "  auth_data: {column: upn}\n");
  EXPECT_TRUE(Mentions(load, "fields.auth_data", "auth_service"));
}

TEST(ConfigFieldsTest, UsernameAndEmailAreRequiredWhenCreating) {
  ConfigFixture f;
  ConfigLoad load = ParseConfig(f.Valid("fields:\n  first_name: {column: fn}\n"), "c.yaml");
  EXPECT_FALSE(load.ok());
  EXPECT_TRUE(Mentions(load, "fields.username", "not mapped"));
  EXPECT_TRUE(Mentions(load, "fields.email", "not mapped"));
}

TEST(ConfigFieldsTest, UpdateEntriesMustBeUpdatableFields) {
  ConfigFixture f;
  ConfigLoad load = WithFields(f, "  update: [email, role, nicknam]\n");
  EXPECT_TRUE(Mentions(load, "fields.update", "policy.roles"));
  EXPECT_TRUE(Mentions(load, "fields.update", "did you mean 'nickname'?"));
  EXPECT_FALSE(load.ok());
}

TEST(ConfigFieldsTest, WarnsWhenUpdatedFieldIsNotMapped) {
  ConfigFixture f;
  ConfigLoad load = WithFields(f, "  update: [email, position]\n");
  EXPECT_TRUE(load.ok()) << load.Report();
  EXPECT_TRUE(Mentions(load, "fields.update", "'position' is not mapped"));
}

}  // namespace
}  // namespace rostersync
