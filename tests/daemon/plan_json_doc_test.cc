// PlanJsonDocTest: docs/plan-json.md describes the real JSON. Every member the cycle wrapper
// (CycleResultToJson) and the plan (PlanToJson) write is named in the page's prose and
// tables, and every member the page's two main tables list is written.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "daemon/json_views.h"

namespace rostersync::daemon {
namespace {

// Every object member name in a JSON text (strings followed by ':').
std::set<std::string> JsonKeys(const std::string& json) {
  std::set<std::string> keys;
  for (size_t i = 0; i < json.size(); ++i) {
    if (json[i] != '"') continue;
    std::string text;
    size_t j = i + 1;
    for (; j < json.size() && json[j] != '"'; ++j) {
      if (json[j] == '\\') ++j;
      text += json[j];
    }
    i = j;
    if (j + 1 < json.size() && json[j + 1] == ':') keys.insert(text);
  }
  return keys;
}

std::string ReadDoc() {
  std::ifstream in(std::string(ROSTERSYNC_SOURCE_DIR) + "/docs/plan-json.md");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The page without its fenced examples (they would name every member trivially).
std::string Prose(const std::string& doc) {
  std::string out, line;
  std::istringstream in(doc);
  bool fenced = false;
  while (std::getline(in, line)) {
    if (line.rfind("```", 0) == 0) fenced = !fenced;
    if (!fenced) out += line + "\n";
  }
  return out;
}

bool NamesWord(const std::string& text, const std::string& word) {
  auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    bool before = at == 0 || !ident(text[at - 1]);
    bool after = at + word.size() >= text.size() || !ident(text[at + word.size()]);
    if (before && after) return true;
  }
  return false;
}

// The backticked first cells of the table rows between two headings.
std::set<std::string> TableNames(const std::string& doc, const std::string& from,
                                 const std::string& to) {
  std::set<std::string> names;
  size_t start = doc.find(from), end = doc.find(to, start);
  std::istringstream in(doc.substr(start, end - start));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("| `", 0) != 0) continue;
    std::string cell = line.substr(2, line.find(" |", 2) - 2);
    for (size_t a = cell.find('`'); a != std::string::npos; a = cell.find('`', a)) {
      size_t b = cell.find('`', a + 1);
      names.insert(cell.substr(a + 1, b - a - 1));
      a = b + 1;
    }
  }
  return names;
}

Action MakeAction(ActionType type, const std::string& key) {
  Action a;
  a.type = type;
  a.key = key;
  a.user_id = type == ActionType::kCreate ? "" : "u-" + key;
  a.username = "name-" + key;
  a.email = key + "@example.com";
  a.changes = {FieldChange{"last_name", "A", "B"}};
  a.patch.username = "new";
  a.patch.email = "new@example.com";
  a.patch.last_name = "B";
  a.roles = "system_user";
  a.auth_service = "saml";
  a.auth_data = "id";
  return a;
}

CycleResult SampleCycle() {
  CycleResult r;
  r.run_id = "r-1";
  r.result = RunResult::kHeld;
  r.exit_code = 4;
  r.planned = r.applied = true;
  r.capabilities = CapabilitiesFromMaps({{"Version", "10.2.0"}, {"EnableGuestAccounts", "true"}},
                                        {{"IsLicensed", "true"}, {"GuestAccounts", "true"}});
  Plan& p = r.plan;
  for (ActionType t : {ActionType::kReactivate, ActionType::kCreate, ActionType::kUpdate,
                       ActionType::kAuth, ActionType::kRole, ActionType::kGuest,
                       ActionType::kPromote, ActionType::kVerifyEmail,
                       ActionType::kPasswordReset, ActionType::kDeactivate}) {
    p.actions.push_back(MakeAction(t, "E1"));
  }
  p.actions.back().held = true;
  p.actions.back().held_reason = "max_deactivations: 1 deactivation";
  p.holds = {Hold{"max_deactivations", 1, "1 deactivation"}};
  p.notices = {"E2 adopts existing account x"};
  p.attention = {Attention{"E042", "morgan.reyes", "E042 morgan.reyes is a leaver"}};
  p.rejected = {RowError{"roster.csv:9", "E0077", "email", "not a valid email address"}};
  p.unmatched = {UnmatchedAccount{"u9", "ex.employee", "ex@example.com", ""}};
  r.roster.rejected = p.rejected;
  r.report.outcomes = {ActionOutcome{p.actions[0], Status::Ok(), "u-E1"}};
  r.report.ok = 1;
  r.report.drift = {"x: last_name differs"};
  return r;
}

TEST(PlanJsonDocTest, EveryMemberWrittenIsDocumented) {
  std::string doc = ReadDoc();
  ASSERT_FALSE(doc.empty()) << "docs/plan-json.md not found";
  std::string prose = Prose(doc);
  std::set<std::string> keys = JsonKeys(CycleResultToJson(SampleCycle()));
  EXPECT_GT(keys.size(), 40u);
  for (const std::string& key : keys) {
    EXPECT_TRUE(NamesWord(prose, key)) << "docs/plan-json.md does not describe member " << key;
  }
}

TEST(PlanJsonDocTest, EveryDocumentedTopLevelMemberIsWritten) {
  std::string doc = ReadDoc();
  std::set<std::string> keys = JsonKeys(CycleResultToJson(SampleCycle()));
  std::set<std::string> wrapper = TableNames(doc, "## The cycle wrapper", "## The plan");
  std::set<std::string> plan = TableNames(doc, "## The plan (", "### `summary`");
  EXPECT_GE(wrapper.size(), 8u);
  EXPECT_GE(plan.size(), 12u);
  for (const std::set<std::string>* names : {&wrapper, &plan}) {
    for (const std::string& name : *names) {
      EXPECT_EQ(keys.count(name), 1u) << "docs/plan-json.md names " << name
                                      << ", which the JSON does not have";
    }
  }
}

}  // namespace
}  // namespace rostersync::daemon
