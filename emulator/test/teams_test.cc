// Teams and team memberships in mm-emulator: seeding, lookups, the add/remove rules and
// their error ids (docs/emulator.md, "Teams and channels").
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <sstream>

#include "emulator/test/emu_client.h"
#include "tests/support/child_process.h"

namespace mmemu::test {
namespace {

using rostersync::testing::Emulator;

constexpr char kSeed[] = R"({
  "users": [{"username": "ann", "email": "ann@example.com"},
            {"username": "ben", "email": "ben@example.com"},
            {"username": "cat", "email": "cat@example.com"},
            {"username": "dan", "email": "dan@example.com"},
            {"username": "eve", "email": "eve@example.com", "roles": "system_guest"}],
  "teams": [{"name": "company", "display_name": "Company", "members": ["ann"],
             "former_members": ["cat"],
             "channels": [{"name": "eng", "display_name": "Eng", "members": ["ann"]},
                          {"name": "secret", "type": "P", "members": ["ann"]},
                          {"name": "old", "delete_at": 1700000000000}]},
            {"name": "archived", "display_name": "Archived", "delete_at": 1700000000000},
            {"name": "groups", "display_name": "Groups", "group_constrained": true,
             "group_members": ["ann"], "members": ["ben"]}]
})";

class EmulatorTeamsTest : public ::testing::Test {
 protected:
  void Start(const std::vector<std::string>& args = {}) {
    emu_ = std::make_unique<Emulator>(args);
    ASSERT_TRUE(emu_->ok());
    admin_ = std::make_unique<EmuClient>(emu_->port(), emu_->admin_token());
    ASSERT_EQ(admin_->Post("/__emu/users", kSeed).status, 201);
    company_ = TeamId("company");
    ASSERT_FALSE(company_.empty());
  }
  void SetUp() override { Start(); }
  std::string TeamId(const std::string& name) {
    return Obj(admin_->Get("/api/v4/teams/name/" + name).body)->optValue<std::string>("id", "");
  }
  std::string UserId(const std::string& name) {
    return Obj(admin_->Get("/api/v4/users/username/" + name).body)
        ->optValue<std::string>("id", "");
  }
  HttpResult Add(const std::string& team, const std::string& user) {
    return admin_->Post("/api/v4/teams/" + team + "/members",
                        "{\"team_id\":\"" + team + "\",\"user_id\":\"" + user + "\"}");
  }
  HttpResult Remove(const std::string& team, const std::string& user) {
    return admin_->Do("DELETE", "/api/v4/teams/" + team + "/members/" + user);
  }
  std::vector<std::string> MemberIds(const std::string& team, const std::string& query = "") {
    std::vector<std::string> out;
    auto list = Arr(admin_->Get("/api/v4/teams/" + team + "/members" + query).body);
    for (size_t i = 0; i < list->size(); ++i) {
      out.push_back(list->getObject(static_cast<unsigned>(i))->getValue<std::string>("user_id"));
    }
    return out;
  }
  static std::string ErrorId(const HttpResult& r) {
    return Obj(r.body)->optValue<std::string>("id", "");
  }
  std::unique_ptr<Emulator> emu_;
  std::unique_ptr<EmuClient> admin_;
  std::string company_;
};

TEST_F(EmulatorTeamsTest, ListsTeamsByDisplayNameWithArchivedOnesAndPages) {
  auto all = Arr(admin_->Get("/api/v4/teams").body);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ(all->getObject(0)->getValue<std::string>("name"), "archived");
  EXPECT_GT(all->getObject(0)->getValue<int64_t>("delete_at"), 0);
  EXPECT_EQ(all->getObject(2)->getValue<std::string>("name"), "groups");
  EXPECT_TRUE(all->getObject(2)->getValue<bool>("group_constrained"));
  auto page1 = Arr(admin_->Get("/api/v4/teams?page=1&per_page=2").body);
  ASSERT_EQ(page1->size(), 1u);
  EXPECT_EQ(page1->getObject(0)->getValue<std::string>("name"), "groups");
  auto counted = Obj(admin_->Get("/api/v4/teams?include_total_count=true&per_page=1").body);
  EXPECT_EQ(counted->getValue<int>("total_count"), 3);
  EXPECT_EQ(counted->getArray("teams")->size(), 1u);
}

TEST_F(EmulatorTeamsTest, FindsTeamsByNameIncludingArchivedAndLowerCasesTheName) {
  EXPECT_EQ(TeamId("COMPANY"), company_);
  auto archived = Obj(admin_->Get("/api/v4/teams/name/archived").body);
  EXPECT_GT(archived->getValue<int64_t>("delete_at"), 0);
  auto missing = admin_->Get("/api/v4/teams/name/nosuchteam");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(ErrorId(missing), "app.team.get_by_name.missing.app_error");
}

TEST_F(EmulatorTeamsTest, AddIsIdempotentAndJoinsTheDefaultChannels) {
  std::string ben = UserId("ben");
  auto first = Add(company_, ben);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(Obj(first.body)->getValue<std::string>("roles"), "team_user");
  EXPECT_EQ(Obj(first.body)->getValue<int64_t>("delete_at"), 0);
  EXPECT_TRUE(Obj(first.body)->has("scheme_guest"));
  auto again = Add(company_, ben);
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  auto state = Obj(admin_->Get("/__emu/state").body);
  auto teams = state->getArray("teams");
  bool checked = false;
  for (size_t i = 0; i < teams->size(); ++i) {
    auto t = teams->getObject(static_cast<unsigned>(i));
    if (t->getValue<std::string>("name") != "company") continue;
    auto channels = t->getArray("channels");
    for (size_t j = 0; j < channels->size(); ++j) {
      auto c = channels->getObject(static_cast<unsigned>(j));
      std::ostringstream ids;
      c->getArray("member_ids")->stringify(ids);
      bool is_default = c->getValue<std::string>("name") == "town-square" ||
                        c->getValue<std::string>("name") == "off-topic";
      EXPECT_EQ(ids.str().find(ben) != std::string::npos, is_default) << c->getValue<std::string>("name");
      checked = true;
    }
  }
  EXPECT_TRUE(checked);
}

TEST_F(EmulatorTeamsTest, AGuestGetsNoDefaultChannels) {
  std::string eve = UserId("eve");
  auto r = Add(company_, eve);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_TRUE(Obj(r.body)->getValue<bool>("scheme_guest"));
  EXPECT_EQ(Obj(r.body)->getValue<std::string>("roles"), "team_guest");
  EXPECT_EQ(Arr(admin_->Get("/api/v4/users?in_channel=" +
                            Obj(admin_->Get("/api/v4/teams/" + company_ +
                                            "/channels/name/town-square").body)
                                ->getValue<std::string>("id"))
                    .body)
                ->size(),
            1u);  // only ann
}

TEST_F(EmulatorTeamsTest, RemoveSoftDeletesTakesEveryChannelAndIsNotIdempotent) {
  std::string ann = UserId("ann");
  ASSERT_EQ(Remove(company_, ann).status, 200);
  EXPECT_TRUE(MemberIds(company_).empty());
  auto by_ids = Arr(admin_->Post("/api/v4/teams/" + company_ + "/members/ids",
                                 "[\"" + ann + "\"]").body);
  EXPECT_EQ(by_ids->size(), 0u) << "a former member is not a member";
  EXPECT_EQ(Arr(admin_->Get("/api/v4/users?in_team=" + company_).body)->size(), 0u);
  std::string state = admin_->Get("/__emu/state").body;
  EXPECT_EQ(state.find("\"member_ids\":[\"" + ann), std::string::npos) << "still in a channel";
  // A former member is "removed" again with 200; a never-member is 400.
  EXPECT_EQ(Remove(company_, ann).status, 200);
  auto never = Remove(company_, UserId("dan"));
  EXPECT_EQ(never.status, 400);
  EXPECT_EQ(ErrorId(never), "api.team.remove_user_from_team.missing.app_error");
  // Re-adding reactivates the row.
  auto back = Add(company_, ann);
  EXPECT_EQ(back.status, 201);
  EXPECT_EQ(MemberIds(company_), std::vector<std::string>{ann});
}

TEST_F(EmulatorTeamsTest, MembersAreOrderedByUserIdAndPaged) {
  for (const char* name : {"ben", "dan"}) ASSERT_EQ(Add(company_, UserId(name)).status, 201);
  std::vector<std::string> all = MemberIds(company_);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
  std::vector<std::string> paged;
  for (int page = 0; page < 3; ++page) {
    auto part = MemberIds(company_, "?per_page=1&page=" + std::to_string(page));
    paged.insert(paged.end(), part.begin(), part.end());
  }
  EXPECT_EQ(paged, all);
  EXPECT_EQ(admin_->Get("/api/v4/teams/" + std::string(26, 'q') + "/members").body, "[]");
}

TEST_F(EmulatorTeamsTest, DeactivatedMembersAreListedUnlessExcludedAndRemovalsShowAtOnce) {
  std::string ben = UserId("ben"), dan = UserId("dan");
  ASSERT_EQ(Add(company_, ben).status, 201);
  ASSERT_EQ(Add(company_, dan).status, 201);
  ASSERT_EQ(MemberIds(company_).size(), 3u);  // read once: the paging list is now cached
  ASSERT_EQ(admin_->Put("/api/v4/users/" + ben + "/active", R"({"active":false})").status, 200);
  EXPECT_EQ(MemberIds(company_).size(), 3u) << "deactivation keeps the membership";
  auto active = MemberIds(company_, "?exclude_deleted_users=true");
  EXPECT_EQ(active.size(), 2u);
  EXPECT_EQ(std::count(active.begin(), active.end(), ben), 0);
  EXPECT_EQ(MemberIds(company_, "?exclude_deleted_users=true&per_page=1&page=1").size(), 1u);
  ASSERT_EQ(Remove(company_, dan).status, 200);
  auto after = MemberIds(company_);
  EXPECT_EQ(after.size(), 2u);
  EXPECT_EQ(std::count(after.begin(), after.end(), dan), 0) << "a stale page after a removal";
  ASSERT_EQ(Add(company_, dan).status, 201);
  EXPECT_EQ(MemberIds(company_).size(), 3u) << "a stale page after a reactivation";
}

TEST_F(EmulatorTeamsTest, UnknownUserAndTeamAndBadBodies) {
  auto no_user = Add(company_, std::string(26, 'z'));
  EXPECT_EQ(no_user.status, 404);
  EXPECT_EQ(ErrorId(no_user), "app.user.missing_account.const");
  std::string other(26, 'q');
  auto no_team = Add(other, UserId("ben"));
  EXPECT_EQ(no_team.status, 404);
  EXPECT_EQ(ErrorId(no_team), "app.team.get.find.app_error");
  auto mismatch = admin_->Post("/api/v4/teams/" + company_ + "/members",
                               "{\"team_id\":\"" + other + "\",\"user_id\":\"" + UserId("ben") + "\"}");
  EXPECT_EQ(mismatch.status, 400);
  auto garbage = admin_->Post("/api/v4/teams/" + company_ + "/members", "not json");
  EXPECT_EQ(ErrorId(garbage), "api.team.add_team_member.invalid_body.app_error");
  EXPECT_EQ(admin_->Post("/api/v4/teams/" + company_ + "/members/ids", "[]").status, 400);
}

TEST_F(EmulatorTeamsTest, GroupConstrainedTeamRefusesAddsAndRemovals) {
  std::string groups = TeamId("groups");
  auto add = Add(groups, UserId("dan"));
  EXPECT_EQ(add.status, 400);
  EXPECT_EQ(ErrorId(add), "api.team.add_members.user_denied");
  EXPECT_EQ(Add(groups, UserId("ann")).status, 201) << "ann is in a synced group";
  auto remove = Remove(groups, UserId("ben"));
  EXPECT_EQ(remove.status, 400);
  EXPECT_EQ(ErrorId(remove), "api.team.remove_member.group_constrained.app_error");
  auto batch = admin_->Post("/api/v4/teams/" + groups + "/members/batch",
                            "[{\"team_id\":\"" + groups + "\",\"user_id\":\"" + UserId("ann") +
                                "\"},{\"team_id\":\"" + groups + "\",\"user_id\":\"" +
                                UserId("dan") + "\"}]");
  EXPECT_EQ(batch.status, 400);
  EXPECT_EQ(ErrorId(batch), "api.team.add_members.user_denied");
}

TEST_F(EmulatorTeamsTest, AllowedDomainsRefuseOtherEmailsButNotGuests) {
  ASSERT_EQ(admin_->Post("/__emu/users", R"({
    "users": [{"username": "zed", "email": "Zed@Corp.example"},
              {"username": "sub", "email": "sub@x.corp.example"},
              {"username": "gil", "email": "gil@elsewhere.example", "roles": "system_guest"}],
    "teams": [{"name": "domains", "allowed_domains": "other.example, @corp.example"}]})")
                .status,
            201);
  std::string team = TeamId("domains");
  EXPECT_EQ(Add(team, UserId("zed")).status, 201);
  auto ann = Add(team, UserId("ann"));
  EXPECT_EQ(ann.status, 400) << "ann@example.com is in neither domain";
  EXPECT_EQ(ErrorId(ann), "api.team.join_user_to_team.allowed_domains.app_error");
  auto sub = Add(team, UserId("sub"));
  EXPECT_EQ(sub.status, 400) << "exact domains only";
  EXPECT_EQ(ErrorId(sub), "api.team.join_user_to_team.allowed_domains.app_error");
  EXPECT_EQ(Add(team, UserId("gil")).status, 201) << "guests use the guest domain setting";
}

TEST_F(EmulatorTeamsTest, SingleMemberReadsShowFormerMembers) {
  auto former = admin_->Get("/api/v4/teams/" + company_ + "/members/" + UserId("cat"));
  ASSERT_EQ(former.status, 200) << "a former member is still a row";
  EXPECT_GT(Obj(former.body)->getValue<int64_t>("delete_at"), 0);
  auto never = admin_->Get("/api/v4/teams/" + company_ + "/members/" + UserId("dan"));
  EXPECT_EQ(never.status, 404);
  EXPECT_EQ(ErrorId(never), "app.team.get_member.missing.app_error");
  std::string eng = Obj(admin_->Get("/api/v4/teams/" + company_ + "/channels/name/eng").body)
                        ->getValue<std::string>("id");
  EXPECT_EQ(admin_->Get("/api/v4/channels/" + eng + "/members/" + UserId("ann")).status, 200);
  auto not_member = admin_->Get("/api/v4/channels/" + eng + "/members/" + UserId("dan"));
  EXPECT_EQ(not_member.status, 404);
  EXPECT_EQ(ErrorId(not_member), "app.channel.get_member.missing.app_error");
  EXPECT_EQ(admin_->Get("/api/v4/channels/" + std::string(26, 'q') + "/members/" + UserId("ann"))
                .status,
            403);
}

class EmulatorTeamLimitTest : public EmulatorTeamsTest {
 protected:
  void SetUp() override { Start({"--max-users-per-team", "2"}); }
};

TEST_F(EmulatorTeamLimitTest, MaxUsersPerTeamRefusesNewAndFormerMembers) {
  ASSERT_EQ(Add(company_, UserId("ben")).status, 201);  // ann + ben = 2
  auto full = Add(company_, UserId("dan"));
  EXPECT_EQ(full.status, 400);
  EXPECT_EQ(ErrorId(full), "app.team.join_user_to_team.save_member.max_accounts.app_error");
  auto former = Add(company_, UserId("cat"));
  EXPECT_EQ(ErrorId(former), "app.team.join_user_to_team.max_accounts.app_error");
  // Deactivated users do not count.
  ASSERT_EQ(admin_->Put("/api/v4/users/" + UserId("ben") + "/active", R"({"active":false})").status,
            200);
  EXPECT_EQ(Add(company_, UserId("dan")).status, 201);
  // The limit can change at runtime.
  ASSERT_EQ(admin_->Put("/__emu/faults", R"({"max_users_per_team":10})").status, 200);
  EXPECT_EQ(Add(company_, UserId("cat")).status, 201);
}

TEST_F(EmulatorTeamLimitTest, BatchAbortsAtTheFirstFailureButKeepsEarlierAdds) {
  auto entry = [&](const std::string& name) {
    return "{\"team_id\":\"" + company_ + "\",\"user_id\":\"" + UserId(name) + "\"}";
  };
  std::string body = "[" + entry("ann") + "," + entry("ben") + "," + entry("dan") + "]";
  auto strict = admin_->Post("/api/v4/teams/" + company_ + "/members/batch", body);
  EXPECT_EQ(strict.status, 400);
  EXPECT_EQ(ErrorId(strict), "app.team.join_user_to_team.save_member.max_accounts.app_error");
  EXPECT_EQ(MemberIds(company_).size(), 2u) << "ben stays added";
  // graceful: any non-empty value, even "false"; per-user results.
  auto graceful =
      admin_->Post("/api/v4/teams/" + company_ + "/members/batch?graceful=false", body);
  ASSERT_EQ(graceful.status, 201) << graceful.body;
  auto list = Arr(graceful.body);
  ASSERT_EQ(list->size(), 3u);
  EXPECT_TRUE(list->getObject(0)->get("error").isEmpty());
  EXPECT_EQ(list->getObject(0)->getObject("member")->getValue<std::string>("user_id"),
            UserId("ann"));
  EXPECT_TRUE(list->getObject(2)->get("member").isEmpty());
  EXPECT_EQ(list->getObject(2)->getObject("error")->getValue<std::string>("id"),
            "app.team.join_user_to_team.save_member.max_accounts.app_error");
  // Without graceful the 201 body is the added members.
  auto plain = admin_->Post("/api/v4/teams/" + company_ + "/members/batch", "[" + entry("ann") + "]");
  EXPECT_EQ(plain.status, 201);
  EXPECT_EQ(Arr(plain.body)->getObject(0)->getValue<std::string>("user_id"), UserId("ann"));
  // Size limits: empty and over 256.
  EXPECT_EQ(admin_->Post("/api/v4/teams/" + company_ + "/members/batch", "[]").status, 400);
  std::string big = "[";
  for (int i = 0; i < 257; ++i) big += (i ? "," : "") + entry("ann");
  auto too_big = admin_->Post("/api/v4/teams/" + company_ + "/members/batch", big + "]");
  EXPECT_EQ(too_big.status, 400);
  EXPECT_EQ(ErrorId(too_big), "api.context.invalid_param.app_error");
}

}  // namespace
}  // namespace mmemu::test
