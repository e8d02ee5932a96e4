#include "roster/roster_duplicates.h"

#include <algorithm>
#include <deque>
#include <string_view>
#include <unordered_map>

#include "sync/flat_index.h"
#include "sync/text.h"

namespace rostersync {
namespace {

bool AllDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// At most this many members are named in one duplicate message; the rest are counted, so a
// group of 10,000 rows costs 10,000 short messages, not 10,000 x 10,000 names.
constexpr size_t kNamedMembers = 3;

// "a, b, c and 2997 more": the first kNamedMembers of `items`, then a count of the rest.
std::string BoundedList(const std::vector<std::string>& items, size_t total) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < kNamedMembers; ++i) {
    out += (out.empty() ? "" : ", ") + items[i];
  }
  if (total > kNamedMembers) out += " and " + std::to_string(total - kNamedMembers) + " more";
  return out;
}

// "roster.csv:9" before "roster.csv:10": same prefix, so shorter first, then bytes.
bool WhereLess(const std::string& a, const std::string& b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

// Groups (each in roster order, groups ordered by first index) of the not-dropped entries
// whose values (values[i] belongs to entry i) are equal and not empty; singletons are left
// out. No allocation per entry.
std::vector<std::vector<size_t>> SharedValues(const std::vector<std::string_view>& values,
                                              const std::vector<char>& dropped) {
  FlatIndex<size_t> first;
  first.Reserve(values.size());
  std::unordered_map<size_t, std::vector<size_t>> groups;
  for (size_t i = 0; i < values.size(); ++i) {
    if (dropped[i] || values[i].empty()) continue;
    auto [index, inserted] = first.Emplace(values[i], i);
    if (inserted) continue;
    auto& group = groups[*index];
    if (group.empty()) group.push_back(*index);
    group.push_back(i);
  }
  std::vector<std::vector<size_t>> out;
  out.reserve(groups.size());
  for (auto& [index, group] : groups) out.push_back(std::move(group));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::vector<size_t>> Shared(const Roster& roster, const std::vector<char>& dropped,
                                        std::string RosterEntry::*member) {
  std::vector<std::string_view> values;
  values.reserve(roster.entries.size());
  for (const auto& e : roster.entries) values.emplace_back(e.*member);
  return SharedValues(values, dropped);
}

void Drop(Roster* roster, std::vector<char>* dropped, size_t i, const std::string& column,
          const std::string& reason) {
  (*dropped)[i] = 1;
  const RosterEntry& e = roster->entries[i];
  roster->rejected.push_back({e.where, e.key, column, reason});
  roster->rejected_keys.insert(e.key);
  ProtectNames(roster, e.email, e.username, e.where);
}

// Rejects every member of each group. `value_of(first index)` words the shared value
// ("email 'a@b'"); each row's reason names the first few rows of its group and a count.
template <typename ValueOf>
void RejectGroups(Roster* roster, std::vector<char>* dropped,
                  const std::vector<std::vector<size_t>>& groups, ValueOf value_of,
                  const std::string& field, const std::string& column) {
  for (const auto& group : groups) {
    std::vector<std::string> who;
    for (size_t k = 0; k < group.size() && k < kNamedMembers; ++k) {
      const RosterEntry& e = roster->entries[group[k]];
      who.push_back("key " + e.key + " at " + e.where);
    }
    const std::string reason = value_of(group[0]) + " is shared by " +
                               std::to_string(group.size()) + " rows (" +
                               BoundedList(who, group.size()) + "); each person needs their own " +
                               field + ": fix the roster";
    for (size_t i : group) Drop(roster, dropped, i, column, reason);
  }
}

}  // namespace

bool KeyLess(const std::string& a, const std::string& b) {
  if (AllDigits(a) && AllDigits(b) && a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

void RejectDuplicateKeys(Roster* roster, std::vector<char>* dropped, const std::string& key_column) {
  // Each distinct key's slot in `counts` (FlatIndex: no allocation per key).
  FlatIndex<size_t> slot;
  slot.Reserve(roster->entries.size() + roster->rejected.size());
  std::vector<int> counts;
  std::vector<std::string_view> keys;
  auto count = [&](std::string_view key) {
    auto [index, inserted] = slot.Emplace(key, counts.size());
    if (inserted) {
      counts.push_back(0);
      keys.push_back(key);
    }
    ++counts[*index];
  };
  for (const auto& e : roster->entries) count(e.key);
  for (const auto& r : roster->rejected) {
    if (!r.key.empty()) count(r.key);
  }
  std::unordered_map<std::string, std::vector<std::string>> wheres;
  for (size_t k = 0; k < counts.size(); ++k) {
    if (counts[k] > 1) wheres[std::string(keys[k])];
  }
  if (wheres.empty()) return;
  for (const auto& e : roster->entries) {
    if (auto it = wheres.find(e.key); it != wheres.end()) it->second.push_back(e.where);
  }
  for (const auto& r : roster->rejected) {
    if (auto it = wheres.find(r.key); it != wheres.end()) it->second.push_back(r.where);
  }
  std::unordered_map<std::string, std::string> reasons;  // one bounded message per key
  for (auto& [key, list] : wheres) {
    std::partial_sort(list.begin(), list.begin() + std::min(list.size(), kNamedMembers),
                      list.end(), WhereLess);
    reasons[key] = "key '" + key + "' appears on " + std::to_string(list.size()) + " rows (" +
                   BoundedList(list, list.size()) + "); keys must be unique: fix the export";
    std::vector<std::string>().swap(list);
  }
  for (size_t i = 0; i < roster->entries.size(); ++i) {
    auto it = reasons.find(roster->entries[i].key);
    if (it != reasons.end()) Drop(roster, dropped, i, key_column, it->second);
  }
}

void RejectSharedValues(Roster* roster, std::vector<char>* dropped, std::string RosterEntry::*member,
                        const std::string& field, const std::string& column) {
  RejectGroups(
      roster, dropped, Shared(*roster, *dropped, member),
      [&](size_t i) { return field + " '" + roster->entries[i].*member + "'"; }, field, column);
}

void RejectSharedAuthData(Roster* roster, std::vector<char>* dropped, const std::string& column) {
  // auth_service + NUL + auth_data: the same id under two services is two identities.
  // All of them end to end in one buffer (sized first, so the views stay valid).
  size_t bytes = 0;
  for (const RosterEntry& e : roster->entries) {
    if (!e.auth_data.empty()) bytes += e.auth_service.size() + 1 + e.auth_data.size();
  }
  std::string composite;
  composite.reserve(bytes);
  std::vector<std::string_view> values(roster->entries.size());
  for (size_t i = 0; i < roster->entries.size(); ++i) {
    const RosterEntry& e = roster->entries[i];
    if (e.auth_data.empty()) continue;
    const size_t begin = composite.size();
    composite.append(e.auth_service).append(1, '\0').append(e.auth_data);
    values[i] = std::string_view(composite.data() + begin, composite.size() - begin);
  }
  RejectGroups(
      roster, dropped, SharedValues(values, *dropped),
      [&](size_t i) {
        const RosterEntry& e = roster->entries[i];
        return "auth_data '" + e.auth_data + "' (auth_service " + e.auth_service + ")";
      },
      "sign-in identity (auth_data)", column);
}

void ProtectNames(Roster* roster, const std::string& email, const std::string& username,
                  const std::string& where) {
  for (const std::string* name : {&email, &username}) {
    if (name->empty()) continue;
    std::string lower = Lower(*name);
    (name == &email ? roster->rejected_emails : roster->rejected_usernames).insert(lower);
    if (!where.empty()) roster->rejected_where.emplace(std::move(lower), where);  // first row wins
  }
}

void ResolveUsernameCollisions(Roster* roster, const std::vector<char>& dropped) {
  auto& entries = roster->entries;
  auto collisions = Shared(*roster, dropped, &RosterEntry::username);
  if (collisions.empty()) return;
  FlatIndex<char> used;
  used.Reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!dropped[i]) used.Emplace(entries[i].username, 0);
  }
  std::deque<std::string> fresh;  // new names; views into it stay valid
  std::vector<std::pair<size_t, std::string*>> renames;
  for (auto& group : collisions) {
    std::sort(group.begin(), group.end(),
              [&](size_t a, size_t b) { return KeyLess(entries[a].key, entries[b].key); });
    const std::string base = entries[group[0]].username;
    std::string notice = "username '" + base + "' is produced by fields.username for " +
                         std::to_string(group.size()) + " people: key " + entries[group[0]].key +
                         " keeps it";
    int suffix = 2;
    for (size_t g = 1; g < group.size(); ++g) {
      for (int guard = 0; guard < 10'000'000; ++guard, ++suffix) {
        const std::string tail = std::to_string(suffix);
        std::string name = base.substr(0, 64 - std::min<size_t>(64, tail.size())) + tail;
        if (used.Find(name) == nullptr) {
          fresh.push_back(std::move(name));
          used.Emplace(fresh.back(), 0);
          break;
        }
      }
      ++suffix;
      const RosterEntry& e = entries[group[g]];
      notice += ", key " + e.key + " (" + e.where + ") gets '" + fresh.back() + "'";
      renames.emplace_back(group[g], &fresh.back());
    }
    roster->notices.push_back(std::move(notice));
  }
  // Only now: `used` holds views into the old names until here (and is not used again).
  for (auto& [index, name] : renames) entries[index].username = std::move(*name);
}

}  // namespace rostersync
