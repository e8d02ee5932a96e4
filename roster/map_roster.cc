// MapRoster: raw rows -> validated RosterEntry values, duplicates and username collisions.
#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "roster/field_mapping.h"
#include "roster/roster_loader.h"
#include "roster/text.h"
#include "roster/validation.h"

namespace rostersync {
namespace {

bool AllDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Key order: numeric keys numerically ("9" < "10"), everything else byte-wise.
bool KeyLess(const std::string& a, const std::string& b) {
  if (AllDigits(a) && AllDigits(b) && a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

std::string List(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

struct Candidate {
  RosterEntry entry;
  bool rejected = false;
};

bool ParseActive(const FieldSpec& spec, const std::string& raw, bool* active, std::string* reason) {
  static const std::vector<std::string> kTrue{"true", "yes", "1", "active"};
  static const std::vector<std::string> kFalse{"false", "no", "0", "inactive", "terminated"};
  const bool custom = !spec.true_values.empty() || !spec.false_values.empty();
  const auto& t = custom ? spec.true_values : kTrue;
  const auto& f = custom ? spec.false_values : kFalse;
  const std::string value = text::Trim(raw);
  for (const auto& v : t) {
    if (text::EqualsIgnoreCase(text::Trim(v), value)) return *active = true, true;
  }
  for (const auto& v : f) {
    if (text::EqualsIgnoreCase(text::Trim(v), value)) return *active = false, true;
  }
  *reason = "status '" + value + "' is neither an active value (" + List(t) +
            ") nor an inactive value (" + List(f) + "); add it to fields.active.true or " +
            "fields.active.false, or fix the roster";
  return false;
}

bool ParseRole(const std::string& raw, Role* role, std::string* reason) {
  const std::string v = text::AsciiLower(text::Trim(raw));
  if (v.empty() || v == "system_user" || v == "user") return *role = Role::kUser, true;
  if (v == "guest" || v == "system_guest") return *role = Role::kGuest, true;
  if (v == "admin" || v == "system_admin" || v == "system_user system_admin" ||
      v == "system_admin system_user") {
    return *role = Role::kAdmin, true;
  }
  *reason = "role '" + text::Trim(raw) +
            "' is not system_user, system_admin or guest; map it with fields.role.map";
  return false;
}

}  // namespace

Roster MapRoster(const RawTable& table, const FieldsConfig& fields, const std::string& key_column) {
  Roster roster;
  roster.origin = table.origin;
  roster.row_count = static_cast<int64_t>(table.rows.size() + table.errors.size());
  for (const RowError& error : table.errors) {
    roster.rejected.push_back(error);
    if (!error.key.empty()) roster.rejected_keys.insert(error.key);
  }
  const FieldMapper mapper(fields, table.columns);
  int key_index = -1;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (text::EqualsIgnoreCase(table.columns[i], text::Trim(key_column))) key_index = static_cast<int>(i);
  }
  std::vector<std::string> fatal = mapper.problems();
  if (key_index < 0) {
    fatal.insert(fatal.begin(), "key column '" + key_column +
                                    "' (roster.key) is not in the roster header; fix the "
                                    "export or roster.key");
  }
  if (!fatal.empty()) {
    roster.trusted = false;
    for (const auto& problem : fatal) roster.untrusted_reasons.push_back(problem + ": deactivations held");
    for (const RawRow& row : table.rows) {
      std::string key = key_index >= 0 ? text::Trim(row.cells[key_index]) : "";
      roster.rejected.push_back({row.where, key, key_index < 0 ? key_column : "", fatal.front()});
      if (!key.empty()) roster.rejected_keys.insert(key);
    }
    return roster;
  }

  std::vector<Candidate> candidates;
  candidates.reserve(table.rows.size());
  std::map<std::string, std::vector<std::string>> key_wheres;  // every row with a readable key
  for (const RowError& error : table.errors) {
    if (!error.key.empty()) key_wheres[error.key].push_back(error.where);
  }
  for (const RawRow& row : table.rows) {
    const std::string key = text::Trim(row.cells[key_index]);
    auto reject = [&](const std::string& column, const std::string& reason) {
      roster.rejected.push_back({row.where, key, column, reason});
      if (!key.empty()) roster.rejected_keys.insert(key);
    };
    if (key.empty()) {
      reject(table.columns[key_index], "the key column '" + table.columns[key_index] +
                                           "' is empty; every row needs a key (roster.key)");
      continue;
    }
    key_wheres[key].push_back(row.where);
    RosterEntry e;
    e.key = key;
    e.where = row.where;
    std::string reason;
    struct Slot {
      const char* field;
      std::string* out;
    };
    std::string role, active, start_date, end_date;
    const Slot slots[] = {{"username", &e.username},   {"email", &e.email},
                          {"first_name", &e.first_name}, {"last_name", &e.last_name},
                          {"nickname", &e.nickname},   {"position", &e.position},
                          {"locale", &e.locale},       {"auth_service", &e.auth_service},
                          {"auth_data", &e.auth_data}, {"role", &role},
                          {"active", &active},         {"start_date", &start_date},
                          {"end_date", &end_date}};
    bool ok = true;
    for (const Slot& slot : slots) {
      if (!mapper.Eval(slot.field, row, slot.out, &reason)) {
        reject(mapper.Label(slot.field), reason);
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    if (mapper.Has("role") && !ParseRole(role, &e.role, &reason)) {
      reject(mapper.Label("role"), reason);
      continue;
    }
    if (mapper.Has("active") && !ParseActive(fields.specs.at("active"), active, &e.active, &reason)) {
      reject(mapper.Label("active"), reason);
      continue;
    }
    e.start_date = text::Trim(start_date);
    e.end_date = text::Trim(end_date);
    if (FieldProblem p = ValidateEntry(e); !p.ok()) {
      reject(mapper.Label(p.field), p.reason);
      continue;
    }
    candidates.push_back({std::move(e), false});
  }

  // Duplicates reject every row involved: a key names one person, an email one account.
  auto reject_candidate = [&](Candidate& c, const std::string& column, const std::string& reason) {
    c.rejected = true;
    roster.rejected.push_back({c.entry.where, c.entry.key, column, reason});
    roster.rejected_keys.insert(c.entry.key);
  };
  for (Candidate& c : candidates) {
    const auto& wheres = key_wheres[c.entry.key];
    if (wheres.size() > 1) {
      reject_candidate(c, table.columns[key_index],
                       "key '" + c.entry.key + "' appears on " + std::to_string(wheres.size()) +
                           " rows (" + List(wheres) + "); keys must be unique: fix the export");
    }
  }
  // Duplicate keys among rejected rows are already protected through rejected_keys.
  auto reject_duplicates = [&](const std::string& field, auto get) {
    std::map<std::string, std::vector<Candidate*>> groups;
    for (Candidate& c : candidates) {
      if (!c.rejected) groups[get(c.entry)].push_back(&c);
    }
    for (auto& [value, group] : groups) {
      if (group.size() < 2) continue;
      std::vector<std::string> who;
      for (Candidate* c : group) who.push_back("key " + c->entry.key + " at " + c->entry.where);
      for (Candidate* c : group) {
        reject_candidate(*c, mapper.Label(field),
                         field + " '" + value + "' is shared by " + std::to_string(group.size()) +
                             " rows (" + List(who) + "); each person needs their own " + field +
                             ": fix the roster");
      }
    }
  };
  reject_duplicates("email", [](const RosterEntry& e) { return e.email; });
  if (!mapper.FromTemplate("username")) {
    reject_duplicates("username", [](const RosterEntry& e) { return e.username; });
  } else {
    std::set<std::string> used;
    std::map<std::string, std::vector<Candidate*>> groups;
    for (Candidate& c : candidates) {
      if (c.rejected) continue;
      used.insert(c.entry.username);
      groups[c.entry.username].push_back(&c);
    }
    for (auto& [base, group] : groups) {
      if (group.size() < 2) continue;
      std::sort(group.begin(), group.end(),
                [](Candidate* a, Candidate* b) { return KeyLess(a->entry.key, b->entry.key); });
      std::string notice = "username '" + base + "' is produced by fields.username for " +
                           std::to_string(group.size()) + " people: key " +
                           group[0]->entry.key + " keeps it";
      int suffix = 2;
      for (size_t i = 1; i < group.size(); ++i) {
        std::string name;
        for (int guard = 0; guard < 1'000'000; ++guard, ++suffix) {
          const std::string tail = std::to_string(suffix);
          name = base.substr(0, 64 - std::min<size_t>(64, tail.size())) + tail;
          if (used.insert(name).second) break;
        }
        ++suffix;
        group[i]->entry.username = name;
        notice += ", key " + group[i]->entry.key + " (" + group[i]->entry.where + ") gets '" +
                  name + "'";
      }
      roster.notices.push_back(notice);
    }
  }
  for (Candidate& c : candidates) {
    if (!c.rejected) roster.entries.push_back(std::move(c.entry));
  }
  return roster;
}

}  // namespace rostersync
