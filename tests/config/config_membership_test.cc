// membership.* and policy.membership: parsed into rules, with every problem reported.
#include <gtest/gtest.h>

#include "config/config_loader.h"
#include "tests/config/config_test_util.h"

namespace rostersync {
namespace {

using testing::ConfigFixture;

TEST(ConfigMembershipTest, ParsesTeamsChannelsAndPolicy) {
  ConfigFixture f;
  ConfigLoad load = ParseConfig(
      f.Valid("policy:\n  membership: sync\n  max_membership_removals: 20\n"
              "membership:\n"
              "  teams:\n"
              "    - {team: company}\n"
              "    - {team: eng, when: {column: department, equals: Engineering}}\n"
              "  channels:\n"
              "    - {team: company, channel: \"office-{location}\", when: {column: location}}\n"),
      "c.yaml");
  ASSERT_TRUE(load.ok()) << load.Report();
  const MembershipOptions o = ToMembershipOptions(load.config);
  ASSERT_EQ(o.rules.size(), 3u);
  EXPECT_EQ(o.rules[0], (MembershipRule{"company", "", "", std::nullopt}));
  EXPECT_EQ(o.rules[1], (MembershipRule{"eng", "", "department", std::string("Engineering")}));
  EXPECT_EQ(o.rules[2], (MembershipRule{"company", "office-{location}", "location", std::nullopt}));
  EXPECT_EQ(o.mode, MembershipMode::kSync);
  EXPECT_EQ(o.max_removals, (Threshold{false, 20}));
  EXPECT_EQ(load.config.fields.attribute_columns,
            (std::vector<std::string>{"department", "location"}));
}

TEST(ConfigMembershipTest, OffByDefault) {
  ConfigFixture f;
  ConfigLoad load = ParseConfig(f.Valid(), "c.yaml");
  ASSERT_TRUE(load.ok()) << load.Report();
  const MembershipOptions o = ToMembershipOptions(load.config);
  EXPECT_TRUE(o.rules.empty());
  EXPECT_EQ(o.mode, MembershipMode::kAdd);
  EXPECT_EQ(o.max_removals, (Threshold{true, 5}));
  EXPECT_TRUE(load.config.fields.attribute_columns.empty());
}

TEST(ConfigMembershipTest, ReportsEveryProblemWithItsPath) {
  ConfigFixture f;
  ConfigLoad load = ParseConfig(
      f.Valid("policy:\n  membership: always\n"
              "membership:\n"
              "  teams:\n"
              "    - {name: company}\n"
              "    - {team: x, when: {colum: a}}\n"
              "  channels:\n"
              "    - {team: company}\n"
              "    - {team: company, channel: \"office-{location\"}\n"),
      "c.yaml");
  EXPECT_FALSE(load.ok());
  const std::string report = load.Report();
  for (const char* expected :
       {"policy.membership", "membership.teams[0].name", "membership.teams[0].team",
        "membership.teams[1].when.colum", "membership.channels[0].channel",
        "membership.channels[1].channel", "unclosed '{'"}) {
    EXPECT_NE(report.find(expected), std::string::npos) << expected << "\n" << report;
  }
}

}  // namespace
}  // namespace rostersync
