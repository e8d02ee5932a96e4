// Channels and channel memberships in mm-emulator: lookup by name (archived, private),
// adds that need a current team membership, removals (town-square, non-member,
// group-constrained) and the by-ids read.
#include <gtest/gtest.h>

#include <memory>

#include "emulator/test/emu_client.h"
#include "tests/support/child_process.h"

namespace mmemu::test {
namespace {

using rostersync::testing::Emulator;

constexpr char kSeed[] = R"({
  "users": [{"username": "ann", "email": "ann@example.com"},
            {"username": "ben", "email": "ben@example.com"},
            {"username": "cat", "email": "cat@example.com"},
            {"username": "eve", "email": "eve@example.com", "roles": "system_guest"}],
  "teams": [{"name": "company", "members": ["ann", "ben", "eve"], "former_members": ["cat"],
             "channels": [{"name": "eng", "members": ["ann"]},
                          {"name": "guests", "members": ["eve"]},
                          {"name": "secret", "type": "P"},
                          {"name": "old", "delete_at": 1700000000000},
                          {"name": "synced", "group_constrained": true,
                           "group_members": ["ann"], "members": ["ann"]}]},
            {"name": "other", "members": ["ann"]}]
})";

class EmulatorChannelsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    emu_ = std::make_unique<Emulator>();
    ASSERT_TRUE(emu_->ok());
    admin_ = std::make_unique<EmuClient>(emu_->port(), emu_->admin_token());
    ASSERT_EQ(admin_->Post("/__emu/users", kSeed).status, 201);
    team_ = Obj(admin_->Get("/api/v4/teams/name/company").body)->optValue<std::string>("id", "");
    ASSERT_FALSE(team_.empty());
  }
  HttpResult ByName(const std::string& name, const std::string& query = "") {
    return admin_->Get("/api/v4/teams/" + team_ + "/channels/name/" + name + query);
  }
  std::string ChannelId(const std::string& name) {
    return Obj(ByName(name, "?include_deleted=true").body)->optValue<std::string>("id", "");
  }
  std::string UserId(const std::string& name) {
    return Obj(admin_->Get("/api/v4/users/username/" + name).body)
        ->optValue<std::string>("id", "");
  }
  HttpResult Add(const std::string& channel, const std::string& user) {
    return admin_->Post("/api/v4/channels/" + ChannelId(channel) + "/members",
                        "{\"user_id\":\"" + UserId(user) + "\"}");
  }
  HttpResult Remove(const std::string& channel, const std::string& user) {
    return admin_->Do("DELETE",
                      "/api/v4/channels/" + ChannelId(channel) + "/members/" + UserId(user));
  }
  size_t MembersAmong(const std::string& channel, const std::string& ids_json) {
    return Arr(admin_->Post("/api/v4/channels/" + ChannelId(channel) + "/members/ids", ids_json)
                   .body)
        ->size();
  }
  static std::string ErrorId(const HttpResult& r) {
    return Obj(r.body)->optValue<std::string>("id", "");
  }
  std::unique_ptr<Emulator> emu_;
  std::unique_ptr<EmuClient> admin_;
  std::string team_;
};

TEST_F(EmulatorChannelsTest, FindsChannelsByNameButArchivedOnlyWithIncludeDeleted) {
  auto eng = Obj(ByName("ENG").body);
  EXPECT_EQ(eng->getValue<std::string>("team_id"), team_);
  EXPECT_EQ(eng->getValue<std::string>("type"), "O");
  EXPECT_EQ(Obj(ByName("secret").body)->getValue<std::string>("type"), "P");
  auto archived = ByName("old");
  EXPECT_EQ(archived.status, 404);
  EXPECT_EQ(ErrorId(archived), "app.channel.get_by_name.missing.app_error");
  auto included = ByName("old", "?include_deleted=true");
  EXPECT_EQ(included.status, 200);
  EXPECT_GT(Obj(included.body)->getValue<int64_t>("delete_at"), 0);
  EXPECT_EQ(ByName("town-square").status, 200) << "created with the team";
  EXPECT_EQ(ByName("off-topic").status, 200);
}

TEST_F(EmulatorChannelsTest, AddNeedsACurrentTeamMembershipAndIsIdempotent) {
  auto added = Add("eng", "ben");
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(Obj(added.body)->getValue<std::string>("roles"), "channel_user");
  EXPECT_EQ(Add("eng", "ben").status, 201);
  EXPECT_EQ(MembersAmong("eng", "[\"" + UserId("ann") + "\",\"" + UserId("ben") + "\",\"" +
                                    UserId("cat") + "\"]"),
            2u);
  auto former = Add("eng", "cat");
  EXPECT_EQ(former.status, 400);
  EXPECT_EQ(ErrorId(former), "api.channel.add_user.to.channel.failed.deleted.app_error");
  // ben was never in team "other".
  std::string other = Obj(admin_->Get("/api/v4/teams/name/other").body)->getValue<std::string>("id");
  std::string other_ts = Obj(admin_->Get("/api/v4/teams/" + other + "/channels/name/town-square")
                                 .body)->getValue<std::string>("id");
  auto never = admin_->Post("/api/v4/channels/" + other_ts + "/members",
                            "{\"user_id\":\"" + UserId("ben") + "\"}");
  EXPECT_EQ(never.status, 404);
  EXPECT_EQ(ErrorId(never), "app.team.get_member.missing.app_error");
  auto no_channel = admin_->Post("/api/v4/channels/" + std::string(26, 'q') + "/members",
                                 "{\"user_id\":\"" + UserId("ben") + "\"}");
  EXPECT_EQ(no_channel.status, 404);
}

TEST_F(EmulatorChannelsTest, RemoveRefusesTownSquareAndNonMembers) {
  auto town = Remove("town-square", "ann");
  EXPECT_EQ(town.status, 400);
  EXPECT_EQ(ErrorId(town), "api.channel.remove.default.app_error");
  EXPECT_EQ(ErrorId(Remove("town-square", "cat")), "api.channel.remove.default.app_error")
      << "checked before membership";
  EXPECT_EQ(Remove("off-topic", "ann").status, 200) << "only town-square is protected";
  EXPECT_EQ(Remove("eng", "ann").status, 200);
  auto again = Remove("eng", "ann");
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(ErrorId(again), "app.channel.get_member.missing.app_error");
}

TEST_F(EmulatorChannelsTest, GroupConstrainedChannelRefusesAddsAndRemovals) {
  auto add = Add("synced", "ben");
  EXPECT_EQ(add.status, 400);
  EXPECT_EQ(ErrorId(add), "api.channel.add_members.user_denied");
  auto remove = Remove("synced", "ann");
  EXPECT_EQ(remove.status, 400);
  EXPECT_EQ(ErrorId(remove), "api.channel.remove_member.group_constrained.app_error");
}

TEST_F(EmulatorChannelsTest, AGuestLeavingTheirLastChannelLeavesTheTeam) {
  std::string eve = UserId("eve");
  ASSERT_EQ(Remove("guests", "eve").status, 200);
  auto members = Arr(admin_->Post("/api/v4/teams/" + team_ + "/members/ids", "[\"" + eve + "\"]").body);
  EXPECT_EQ(members->size(), 0u);
}

TEST_F(EmulatorChannelsTest, MembersByIdsAnswersForbiddenForAnUnknownChannel) {
  auto r = admin_->Post("/api/v4/channels/" + std::string(26, 'q') + "/members/ids",
                        "[\"" + UserId("ann") + "\"]");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(admin_->Post("/api/v4/channels/" + ChannelId("eng") + "/members/ids", "[]").status,
            400);
}

TEST_F(EmulatorChannelsTest, UsersCanBeFilteredByTeamAndChannel) {
  auto in_eng = Arr(admin_->Get("/api/v4/users?in_channel=" + ChannelId("eng")).body);
  ASSERT_EQ(in_eng->size(), 1u);
  EXPECT_EQ(in_eng->getObject(0)->getValue<std::string>("username"), "ann");
  EXPECT_EQ(Arr(admin_->Get("/api/v4/users?in_team=" + team_).body)->size(), 3u);
}

}  // namespace
}  // namespace mmemu::test
