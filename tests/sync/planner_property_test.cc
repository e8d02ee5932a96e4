// PlannerPropertyTest: thousands of generated cases (seeded, reproducible) checking the
// promises of docs/contract.md "What must always hold": idempotence, leave others alone, the
// max_deactivations bound, and "a rename is never create + deactivate".
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "sync/planner.h"
#include "tests/sync/planner_test_util.h"

namespace rostersync {
namespace {

using testing_util::ApplyPlan;
using testing_util::Lower;
using testing_util::World;

constexpr int kCases = 3000;

struct Case {
  World w;
  std::set<std::string> protected_ids;
};

Case Generate(uint32_t seed) {
  std::mt19937 rng(seed);
  auto chance = [&](int pct) { return static_cast<int>(rng() % 100) < pct; };
  auto pick = [&](std::initializer_list<const char*> xs) {
    return std::string(xs.begin()[rng() % xs.size()]);
  };
  Case c;
  World& w = c.w;
  PlannerOptions& o = w.options;
  o.scope.manage_system_admins = chance(30);
  o.scope.adopt_existing = chance(80);
  o.force = chance(15);
  o.policy.max_deactivations =
      chance(70) ? Threshold{true, static_cast<double>(pick({"5", "20", "50"})[0] - '0') * 1.0}
                 : Threshold{false, static_cast<double>(rng() % 4)};
  if (o.policy.max_deactivations.percent) {
    o.policy.max_deactivations.value = chance(33) ? 5 : chance(50) ? 20 : 50;
  }
  if (!chance(80)) o.scope.auth_services = {""};
  o.policy.verify_email = chance(70);
  o.policy.send_password_reset = chance(30);
  o.policy.roles = chance(85);
  o.policy.guests = chance(85);
  o.policy.auth_migration = chance(85);
  o.policy.reactivate = chance(85);
  o.policy.update = chance(90);
  o.policy.create = chance(90);
  int d = rng() % 10;
  o.policy.deactivate = d < 8 ? DeactivateMode::kOn : d < 9 ? DeactivateMode::kReport
                                                          : DeactivateMode::kOff;
  if (chance(30)) {
    o.mapped_fields = {"username", "email", "first_name", "last_name", "role", "auth_service",
                       "auth_data", "end_date", "start_date"};
    if (chance(50)) o.mapped_fields.insert("active");
  }
  int u = rng() % 10;
  o.policy.unmatched_accounts = u < 2   ? UnmatchedMode::kDeactivate
                                : u < 3 ? UnmatchedMode::kLeave
                                        : UnmatchedMode::kReport;
  w.roster.trusted = chance(85);
  if (!w.roster.trusted) w.roster.untrusted_reasons = {"stale"};

  auto account = [&](const std::string& id, const std::string& name) {
    User u = testing_util::MakeUser(id, name, pick({"Ann", "Bob", "Cy"}), pick({"Lee", "Kim"}));
    int r = rng() % 10;
    u.roles = r < 7 ? "system_user" : r < 8 ? "system_guest" : "system_user system_admin";
    if (chance(15)) u.delete_at = 1000;
    if (chance(15)) u.auth_service = "saml";
    return u;
  };
  // Accounts that must never be touched, whatever the roster says.
  User admin = account("admin-id", "admin");
  User bot = account("bot-id", "helper");
  bot.is_bot = true;
  User self = account("self", "sync");
  User gitlab = account("gl-id", "gluser");
  gitlab.auth_service = "gitlab";
  w.users = {admin, bot, self, gitlab};

  int n = 3 + rng() % 15;
  for (int i = 0; i < n; ++i) {
    std::string p = "p" + std::to_string(i);
    std::string key = "K" + std::to_string(i);
    int kind = rng() % 7;
    bool has_account = kind != 3;
    bool linked = kind == 0 || kind == 1 || kind == 5;
    bool in_roster = kind != 1 && kind != 4;
    User u = account("id" + std::to_string(i), p);
    if (has_account && kind != 5) w.users.push_back(u);
    if (linked) {
      LedgerEntry& e = w.ledger[key];
      e.key = key;
      e.user_id = u.id;
      if (chance(50)) e.set_values["email_verified"] = "true";
      if (u.delete_at != 0 && chance(50)) e.set_values["active"] = "false";
      if (chance(50)) e.set_values["auth_data"] = p + "@corp";
    }
    if (!in_roster) continue;
    RosterEntry r = testing_util::MakeRow(key, chance(20) ? p + "x" : p,
                                          pick({"Ann", "Bob", "Cy"}), pick({"Lee", "Kim"}));
    if (chance(20)) r.email = p + "y@example.com";
    if (chance(10)) r.email = "P" + std::to_string(i) + "@Example.com";
    int role = rng() % 10;
    r.role = role < 7 ? Role::kUser : role < 8 ? Role::kGuest : Role::kAdmin;
    r.active = chance(85);
    if (chance(20)) {
      r.auth_service = "saml";
      r.auth_data = chance(80) ? p + "@corp" : p + "2@corp";
    }
    if (chance(10)) r.end_date = pick({"2026-01-01", "2027-01-01"});
    if (chance(10)) r.start_date = pick({"2026-01-01", "2027-01-01"});
    w.roster.entries.push_back(r);
  }
  // Rows that point at untouchable accounts.
  if (chance(30)) w.roster.entries.push_back(testing_util::MakeRow("KA", "admin"));
  if (chance(20)) w.roster.entries.push_back(testing_util::MakeRow("KB", "helper"));
  if (chance(20)) w.roster.entries.push_back(testing_util::MakeRow("KS", "sync"));
  if (chance(20)) w.ledger["KG"] = testing_util::Known("KG", gitlab);
  if (chance(20)) w.ledger["KA2"] = testing_util::Known("KA2", admin);
  std::shuffle(w.users.begin(), w.users.end(), rng);
  std::shuffle(w.roster.entries.begin(), w.roster.entries.end(), rng);

  std::set<std::string> in_scope(o.scope.auth_services.begin(), o.scope.auth_services.end());
  for (const User& u : w.users) {
    if (u.is_bot || u.id == w.self_id || Lower(u.username) == "admin" ||
        in_scope.count(u.auth_service) == 0 ||
        (!o.scope.manage_system_admins && u.HasRole("system_admin"))) {
      c.protected_ids.insert(u.id);
    }
  }
  return c;
}

std::string Describe(const Plan& plan) {
  std::string out;
  for (const Action& a : plan.actions) {
    out += std::string(ActionName(a.type)) + " " + a.key + " " + a.user_id +
           (a.held ? " (held)" : "") + "\n";
  }
  return out;
}

TEST(PlannerPropertyTest, ApplyingAPlanThenPlanningAgainGivesNoChanges) {
  std::map<int, int> seen;  // action type (-1: held) -> count, to show the cases do things
  for (uint32_t seed = 1; seed <= kCases; ++seed) {
    Case c = Generate(seed);
    // The max_deactivations percentage moves with the number of managed accounts, so it
    // could release a held deactivation on the second cycle; its bound is checked below.
    c.w.options.policy.max_deactivations = Threshold{true, 100};
    Plan first = c.w.Run();
    for (const Action& a : first.actions) ++seen[a.held ? -1 : static_cast<int>(a.type)];
    int next_id = 1;
    c.w.ledger = ApplyPlan(c.w.ledger, first, &c.w.users, c.w.now, &next_id);
    Plan second = c.w.Run();
    ASSERT_EQ(second.CountActive(), 0) << "seed " << seed << "\nfirst:\n"
                                       << Describe(first) << "second:\n"
                                       << Describe(second);
    // And a third cycle agrees with the second (no oscillation).
    c.w.ledger = ApplyPlan(c.w.ledger, second, &c.w.users, c.w.now, &next_id);
    ASSERT_EQ(c.w.Run().CountActive(), 0) << "seed " << seed;
  }
  for (int t = -1; t <= static_cast<int>(ActionType::kDeactivate); ++t) {
    EXPECT_GT(seen[t], 20) << (t < 0 ? "held" : ActionName(static_cast<ActionType>(t)));
  }
}

TEST(PlannerPropertyTest, NoPlanTouchesAProtectedAccount) {
  for (uint32_t seed = 1; seed <= kCases; ++seed) {
    Case c = Generate(seed);
    Plan plan = c.w.Run();
    for (const Action& a : plan.actions) {
      ASSERT_EQ(c.protected_ids.count(a.user_id), 0u)
          << "seed " << seed << ": " << ActionName(a.type) << " " << a.key << " " << a.user_id;
    }
    for (const Action& a : plan.actions) {
      if (a.type == ActionType::kCreate) {
        ASSERT_TRUE(a.new_user.password.empty());
      }
    }
  }
}

TEST(PlannerPropertyTest, WithoutForceDeactivationsStayWithinTheGuard) {
  for (uint32_t seed = 1; seed <= kCases; ++seed) {
    Case c = Generate(seed);
    c.w.options.force = false;
    Plan plan = c.w.Run();
    int deactivations = 0;
    for (const Action& a : plan.actions) {
      if (a.type == ActionType::kDeactivate && !a.held) ++deactivations;
    }
    const Threshold& t = c.w.options.policy.max_deactivations;
    double allowed = t.percent ? plan.managed_users * t.value / 100 : t.value;
    ASSERT_LE(deactivations, allowed) << "seed " << seed;
    if (!c.w.roster.trusted) {
      ASSERT_EQ(deactivations, 0) << "seed " << seed;
    }
  }
}

TEST(PlannerPropertyTest, ARenameIsNeverCreatePlusDeactivate) {
  for (uint32_t seed = 1; seed <= kCases; ++seed) {
    Case c = Generate(seed);
    c.w.options.force = false;
    c.w.options.policy.max_deactivations = Threshold{true, 100};
    c.w.roster.trusted = true;
    Plan plan = c.w.Run();
    std::set<std::string> leaving_emails, leaving_names;
    for (const Action& a : plan.actions) {
      if (a.type != ActionType::kDeactivate || a.held) continue;
      bool in_roster = false;
      for (const RosterEntry& r : c.w.roster.entries) in_roster |= r.key == a.key;
      if (in_roster) continue;
      for (const User& u : c.w.users) {
        if (u.id != a.user_id) continue;
        leaving_emails.insert(Lower(u.email));
        leaving_names.insert(Lower(u.first_name + " " + u.last_name));
      }
    }
    for (const Action& a : plan.actions) {
      if (a.type != ActionType::kCreate || a.held) continue;
      ASSERT_EQ(leaving_emails.count(Lower(a.new_user.email)), 0u) << "seed " << seed;
      ASSERT_EQ(leaving_names.count(Lower(a.new_user.first_name + " " + a.new_user.last_name)), 0u)
          << "seed " << seed << "\n" << Describe(plan);
    }
  }
}

// Rejected rows name people by key, email or username (a fill-down slip, a bad cell): for
// random rosters with random rejected rows, none of them is deactivated or renamed, even
// with --force.
TEST(PlannerPropertyTest, NoPersonNamedInARejectedRowIsDeactivatedOrRenamed) {
  int protected_people = 0;
  for (uint32_t seed = 1; seed <= kCases; ++seed) {
    Case c = Generate(seed);
    std::mt19937 rng(seed * 7919u);
    Roster& roster = c.w.roster;
    std::vector<RosterEntry> kept;
    for (RosterEntry& row : roster.entries) {
      int r = rng() % 10;
      if (r >= 3) {
        kept.push_back(row);
        continue;
      }
      // The row is rejected; what it names: its key (r == 0), its email (1), its username (2).
      roster.rejected.push_back(RowError{"roster.csv:" + row.key, r == 0 ? row.key : "", "",
                                         "rejected"});
      if (r == 0) roster.rejected_keys.insert(row.key);
      if (r == 1) roster.rejected_emails.insert(Lower(row.email));
      if (r == 2) roster.rejected_usernames.insert(Lower(row.username));
      ++protected_people;
    }
    roster.entries = kept;
    auto named = [&](const std::string& key, const std::string& email, const std::string& name) {
      return roster.rejected_keys.count(key) > 0 || roster.rejected_emails.count(Lower(email)) > 0 ||
             roster.rejected_usernames.count(Lower(name)) > 0;
    };
    Plan plan = c.w.Run();
    for (const Action& a : plan.actions) {
      if (a.held) continue;
      bool rename = a.type == ActionType::kUpdate && (a.patch.username || a.patch.email);
      if (a.type != ActionType::kDeactivate && !rename && a.type != ActionType::kAuth) continue;
      const User* user = nullptr;
      for (const User& u : c.w.users) user = u.id == a.user_id ? &u : user;
      ASSERT_NE(user, nullptr);
      ASSERT_FALSE(named(a.key, user->email, user->username) ||
                   named(a.key, a.patch.email.value_or(""), a.patch.username.value_or("")))
          << "seed " << seed << ": " << ActionName(a.type) << " " << a.key << "\n"
          << Describe(plan);
    }
  }
  EXPECT_GT(protected_people, 1000);
}

// An untrusted roster changes no existing account: only creates (and a create's own
// follow-ups, which have no account id yet) go ahead.
TEST(PlannerPropertyTest, AnUntrustedRosterOnlyCreates) {
  int creates = 0, held = 0;
  for (uint32_t seed = 1; seed <= kCases; ++seed) {
    Case c = Generate(seed);
    c.w.roster.trusted = false;
    c.w.roster.untrusted_reasons = {"120 of 200 rows rejected"};
    c.w.options.force = false;
    Plan plan = c.w.Run();
    for (const Action& a : plan.actions) {
      held += a.held;
      if (a.held) continue;
      ASSERT_TRUE(a.user_id.empty()) << "seed " << seed << ": " << ActionName(a.type) << " "
                                     << a.key << "\n" << Describe(plan);
      creates += a.type == ActionType::kCreate;
    }
  }
  EXPECT_GT(creates, 100);
  EXPECT_GT(held, 100);
}

}  // namespace
}  // namespace rostersync
