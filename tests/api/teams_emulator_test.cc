// api::SdkClient's team/channel methods (the typed routes api::Client's MembershipApi is
// built on, and the paged lists) against mm-emulator: lookups, paging, adds and removals,
// and every server error id the membership rules produce, as Status values.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "api/client.h"
#include "api/sdk/sdk_client.h"
#include "tests/support/child_process.h"

namespace rostersync::api {
namespace {

using rostersync::testing::Emulator;

constexpr char kSeed[] = R"({
  "users": [{"username": "ann", "email": "ann@example.com"},
            {"username": "ben", "email": "ben@example.com"},
            {"username": "cat", "email": "cat@example.com"},
            {"username": "dan", "email": "dan@example.com"}],
  "teams": [{"name": "company", "display_name": "Company", "members": ["ann"],
             "former_members": ["cat"],
             "channels": [{"name": "eng", "members": ["ann"]},
                          {"name": "old", "delete_at": 1700000000000},
                          {"name": "synced", "group_constrained": true}]},
            {"name": "zarchived", "display_name": "Zed", "delete_at": 1700000000000},
            {"name": "groups", "display_name": "Groups", "group_constrained": true,
             "members": ["ben"]}]
})";

class TeamsClientTest : public ::testing::Test {
 protected:
  void Start(const std::vector<std::string>& args) {
    emu_ = std::make_unique<Emulator>(args);
    ASSERT_TRUE(emu_->ok()) << "mm-emulator did not start";
    ASSERT_NE(emu_->Send("POST", "/__emu/users", kSeed), "");
    ClientOptions options;
    options.url = emu_->url();
    options.token = emu_->admin_token();
    options.base_delay_ms = 5;
    options.max_attempts = 3;
    auto client = SdkClient::Create(options);
    ASSERT_TRUE(client.ok()) << client.status().ToString();
    client_ = std::move(client).value();
    auto team = client_->GetTeamByName("company");
    ASSERT_TRUE(team.ok()) << team.status().ToString();
    team_ = team->id;
    for (const char* name : {"ann", "ben", "cat", "dan"}) {
      auto u = client_->GetUserByUsername(name);
      ASSERT_TRUE(u.ok());
      ids_[name] = u->id;
    }
  }
  void SetUp() override { Start({"--max-users-per-team", "3"}); }
  std::string ChannelId(const std::string& name) {
    auto c = client_->GetChannelByName(team_, name, true);
    return c.ok() ? c->id : "";
  }
  std::unique_ptr<Emulator> emu_;
  std::unique_ptr<SdkClient> client_;
  std::string team_;
  std::map<std::string, std::string> ids_;
};

TEST_F(TeamsClientTest, ReadsTeamsAndChannelsByNameWithArchivedOnes) {
  auto teams = client_->GetTeams();
  ASSERT_TRUE(teams.ok()) << teams.status().ToString();
  ASSERT_EQ(teams->size(), 3u);
  auto archived = std::find_if(teams->begin(), teams->end(),
                               [](const Team& t) { return t.name == "zarchived"; });
  ASSERT_NE(archived, teams->end());
  EXPECT_TRUE(archived->IsArchived());
  auto groups = client_->GetTeamByName("groups");
  ASSERT_TRUE(groups.ok());
  EXPECT_TRUE(groups->group_constrained);
  auto missing = client_->GetTeamByName("nosuchteam");
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(missing.status().error_id(), "app.team.get_by_name.missing.app_error");

  auto eng = client_->GetChannelByName(team_, "eng");
  ASSERT_TRUE(eng.ok());
  EXPECT_EQ(eng->team_id, team_);
  EXPECT_EQ(eng->type, "O");
  auto old = client_->GetChannelByName(team_, "old");
  EXPECT_EQ(old.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(old.status().error_id(), "app.channel.get_by_name.missing.app_error");
  auto old_included = client_->GetChannelByName(team_, "old", true);
  ASSERT_TRUE(old_included.ok());
  EXPECT_TRUE(old_included->IsArchived());
}

TEST_F(TeamsClientTest, AddsReadsAndRemovesTeamMembers) {
  auto added = client_->AddTeamMemberRow(team_, ids_["ben"]);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_TRUE(added->IsCurrent());
  EXPECT_TRUE(added->scheme_user);
  EXPECT_TRUE(client_->AddTeamMemberRow(team_, ids_["ben"]).ok()) << "idempotent";
  auto members = client_->GetTeamMembers(team_);
  ASSERT_TRUE(members.ok());
  ASSERT_EQ(members->size(), 2u);
  EXPECT_LT(members->at(0).user_id, members->at(1).user_id);
  auto some = client_->GetTeamMembersByIds(team_, {ids_["ann"], ids_["cat"], ids_["dan"]});
  ASSERT_TRUE(some.ok());
  ASSERT_EQ(some->size(), 1u) << "cat is a former member, dan never was";
  EXPECT_EQ(some->at(0).user_id, ids_["ann"]);

  ASSERT_TRUE(client_->RemoveTeamMember(team_, ids_["ben"]).ok());
  EXPECT_TRUE(client_->RemoveTeamMember(team_, ids_["ben"]).ok()) << "a former member: 200";
  Status never = client_->RemoveTeamMember(team_, ids_["dan"]);
  EXPECT_EQ(never.code(), Status::Code::kInvalid);
  EXPECT_EQ(never.error_id(), "api.team.remove_user_from_team.missing.app_error");
  auto no_team = client_->AddTeamMemberRow(std::string(26, 'q'), ids_["dan"]);
  EXPECT_EQ(no_team.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(no_team.status().error_id(), "app.team.get.find.app_error");
  auto no_user = client_->AddTeamMemberRow(team_, std::string(26, 'z'));
  EXPECT_EQ(no_user.status().error_id(), "app.user.missing_account.const");
}

TEST_F(TeamsClientTest, MaxUsersPerTeamAndTheBatchShapes) {
  ASSERT_TRUE(client_->AddTeamMemberRow(team_, ids_["ben"]).ok());  // ann, ben
  auto plain = client_->AddTeamMembersBatch(team_, {ids_["ann"], ids_["dan"]}, false);
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();  // ann, ben, dan = 3
  ASSERT_EQ(plain->size(), 2u);
  EXPECT_EQ(plain->at(1).member->user_id, ids_["dan"]);
  auto former = client_->AddTeamMemberRow(team_, ids_["cat"]);
  EXPECT_EQ(former.status().error_id(), "app.team.join_user_to_team.max_accounts.app_error");
  ASSERT_TRUE(client_->RemoveTeamMember(team_, ids_["dan"]).ok());
  ASSERT_TRUE(client_->AddTeamMemberRow(team_, ids_["cat"]).ok());  // ann, ben, cat
  auto graceful = client_->AddTeamMembersBatch(team_, {ids_["ann"], ids_["dan"]}, true);
  ASSERT_TRUE(graceful.ok()) << graceful.status().ToString();
  ASSERT_EQ(graceful->size(), 2u);
  EXPECT_TRUE(graceful->at(0).member.has_value());
  EXPECT_FALSE(graceful->at(0).error.has_value());
  ASSERT_TRUE(graceful->at(1).error.has_value());
  EXPECT_FALSE(graceful->at(1).member.has_value());
  EXPECT_EQ(graceful->at(1).error->id, "app.team.join_user_to_team.max_accounts.app_error");
  EXPECT_EQ(graceful->at(1).user_id, ids_["dan"]);
  auto strict = client_->AddTeamMembersBatch(team_, {ids_["dan"]}, false);
  EXPECT_EQ(strict.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(strict.status().error_id(), "app.team.join_user_to_team.max_accounts.app_error");
  std::vector<std::string> too_many(Client::kMaxTeamMembersBatch + 1, ids_["ann"]);
  EXPECT_EQ(client_->AddTeamMembersBatch(team_, too_many, true).status().code(),
            Status::Code::kInvalid);
  EXPECT_EQ(client_->AddTeamMembersBatch(team_, {}, true).status().code(), Status::Code::kInvalid);
}

TEST_F(TeamsClientTest, NewMemberOverTheLimitAndGroupConstrainedTeams) {
  ASSERT_TRUE(client_->AddTeamMembersBatch(team_, {ids_["ben"], ids_["dan"]}, false).ok());
  auto full = client_->AddTeamMemberRow(team_, ids_["cat"]);
  EXPECT_EQ(full.status().error_id(), "app.team.join_user_to_team.max_accounts.app_error");
  auto groups = client_->GetTeamByName("groups");
  ASSERT_TRUE(groups.ok());
  auto denied = client_->AddTeamMemberRow(groups->id, ids_["dan"]);
  EXPECT_EQ(denied.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(denied.status().error_id(), "api.team.add_members.user_denied");
  EXPECT_EQ(client_->AddTeamMembersBatch(groups->id, {ids_["dan"]}, true).status().error_id(),
            "api.team.add_members.user_denied");
  EXPECT_EQ(client_->RemoveTeamMember(groups->id, ids_["ben"]).error_id(),
            "api.team.remove_member.group_constrained.app_error");
}

class TeamsClientLimitTest : public TeamsClientTest {
 protected:
  void SetUp() override { Start({"--max-users-per-team", "1"}); }
};

TEST_F(TeamsClientLimitTest, ANewMemberOverTheLimitHasItsOwnErrorId) {
  auto full = client_->AddTeamMemberRow(team_, ids_["dan"]);
  EXPECT_EQ(full.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(full.status().error_id(),
            "app.team.join_user_to_team.save_member.max_accounts.app_error");
}

TEST_F(TeamsClientTest, ChannelMembershipsFollowTheServerRules) {
  std::string eng = ChannelId("eng");
  ASSERT_FALSE(eng.empty());
  auto never = client_->AddChannelMemberRow(eng, ids_["dan"]);
  EXPECT_EQ(never.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(never.status().error_id(), "app.team.get_member.missing.app_error");
  auto former = client_->AddChannelMemberRow(eng, ids_["cat"]);
  EXPECT_EQ(former.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(former.status().error_id(), "api.channel.add_user.to.channel.failed.deleted.app_error");
  ASSERT_TRUE(client_->AddTeamMemberRow(team_, ids_["dan"]).ok());
  auto added = client_->AddChannelMemberRow(eng, ids_["dan"]);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->channel_id, eng);
  EXPECT_TRUE(client_->AddChannelMemberRow(eng, ids_["dan"]).ok()) << "idempotent";
  auto in_eng = client_->GetChannelMembersByIds(eng, {ids_["ann"], ids_["ben"], ids_["dan"]});
  ASSERT_TRUE(in_eng.ok());
  std::set<std::string> got;
  for (const auto& m : *in_eng) got.insert(m.user_id);
  EXPECT_EQ(got, (std::set<std::string>{ids_["ann"], ids_["dan"]}));

  Status town = client_->RemoveChannelMember(ChannelId("town-square"), ids_["dan"]);
  EXPECT_EQ(town.code(), Status::Code::kInvalid);
  EXPECT_EQ(town.error_id(), "api.channel.remove.default.app_error");
  ASSERT_TRUE(client_->RemoveChannelMember(eng, ids_["dan"]).ok());
  Status again = client_->RemoveChannelMember(eng, ids_["dan"]);
  EXPECT_EQ(again.code(), Status::Code::kNotFound);
  EXPECT_EQ(again.error_id(), "app.channel.get_member.missing.app_error");
  auto synced = client_->AddChannelMemberRow(ChannelId("synced"), ids_["dan"]);
  EXPECT_EQ(synced.status().error_id(), "api.channel.add_members.user_denied");
  EXPECT_EQ(client_->RemoveChannelMember(ChannelId("synced"), ids_["ann"]).error_id(),
            "api.channel.remove_member.group_constrained.app_error");
  // Leaving the team takes every channel with it.
  ASSERT_TRUE(client_->RemoveTeamMember(team_, ids_["ann"]).ok());
  auto after = client_->GetChannelMembersByIds(eng, {ids_["ann"]});
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->empty());
}

TEST_F(TeamsClientTest, ReadsLargeMembershipsInPagesAndChunks) {
  ASSERT_NE(emu_->Send("PUT", "/__emu/faults", R"({"max_users_per_team":1000})"), "");
  // 450 more users through the seed route, then batches of 256 at most.
  std::string seed = "{\"users\":[";
  for (int i = 0; i < 450; ++i) {
    seed += std::string(i ? "," : "") + "{\"username\":\"bulk" + std::to_string(i) +
            "\",\"email\":\"bulk" + std::to_string(i) + "@example.com\"}";
  }
  ASSERT_NE(emu_->Send("POST", "/__emu/users", seed + "]}"), "");
  auto everyone = client_->ListAllUsers();
  ASSERT_TRUE(everyone.ok());
  std::vector<std::string> ids;
  for (const User& u : *everyone) ids.push_back(u.id);
  ASSERT_GT(ids.size(), 450u);
  for (std::size_t i = 0; i < ids.size(); i += Client::kMaxTeamMembersBatch) {
    std::vector<std::string> chunk(
        ids.begin() + i, ids.begin() + std::min(ids.size(), i + Client::kMaxTeamMembersBatch));
    auto r = client_->AddTeamMembersBatch(team_, chunk, true);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    for (const auto& e : *r) EXPECT_FALSE(e.error.has_value()) << e.error->id;
  }
  auto members = client_->GetTeamMembers(team_);
  ASSERT_TRUE(members.ok());
  EXPECT_EQ(members->size(), ids.size());
  EXPECT_TRUE(std::is_sorted(members->begin(), members->end(),
                             [](const TeamMember& a, const TeamMember& b) {
                               return a.user_id < b.user_id;
                             }));
  auto by_ids = client_->GetTeamMembersByIds(team_, ids);
  ASSERT_TRUE(by_ids.ok());
  EXPECT_EQ(by_ids->size(), ids.size());
}

}  // namespace
}  // namespace rostersync::api
