#include "roster/roster_duplicates.h"

#include <algorithm>
#include <deque>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace rostersync {
namespace {

bool AllDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string List(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// "roster.csv:9" before "roster.csv:10": same prefix, so shorter first, then bytes.
bool WhereLess(const std::string& a, const std::string& b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

// Groups (each in roster order, groups ordered by first index) of the not-dropped entries
// whose `member` values are equal; singletons are left out. No allocation per entry.
std::vector<std::vector<size_t>> Shared(const Roster& roster, const std::vector<char>& dropped,
                                        std::string RosterEntry::*member) {
  const auto& entries = roster.entries;
  std::unordered_map<std::string_view, size_t> first;
  first.reserve(entries.size());
  std::unordered_map<size_t, std::vector<size_t>> groups;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (dropped[i]) continue;
    auto [it, inserted] = first.emplace(entries[i].*member, i);
    if (inserted) continue;
    auto& group = groups[it->second];
    if (group.empty()) group.push_back(it->second);
    group.push_back(i);
  }
  std::vector<std::vector<size_t>> out;
  out.reserve(groups.size());
  for (auto& [index, group] : groups) out.push_back(std::move(group));
  std::sort(out.begin(), out.end());
  return out;
}

void Drop(Roster* roster, std::vector<char>* dropped, size_t i, const std::string& column,
          const std::string& reason) {
  (*dropped)[i] = 1;
  const RosterEntry& e = roster->entries[i];
  roster->rejected.push_back({e.where, e.key, column, reason});
  roster->rejected_keys.insert(e.key);
}

}  // namespace

bool KeyLess(const std::string& a, const std::string& b) {
  if (AllDigits(a) && AllDigits(b) && a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

void RejectDuplicateKeys(Roster* roster, std::vector<char>* dropped, const std::string& key_column) {
  std::unordered_map<std::string_view, int> count;
  count.reserve(roster->entries.size() + roster->rejected.size());
  for (const auto& e : roster->entries) ++count[e.key];
  for (const auto& r : roster->rejected) {
    if (!r.key.empty()) ++count[r.key];
  }
  std::unordered_map<std::string, std::vector<std::string>> wheres;
  for (const auto& [key, n] : count) {
    if (n > 1) wheres[std::string(key)];
  }
  if (wheres.empty()) return;
  for (const auto& e : roster->entries) {
    if (auto it = wheres.find(e.key); it != wheres.end()) it->second.push_back(e.where);
  }
  for (const auto& r : roster->rejected) {
    if (auto it = wheres.find(r.key); it != wheres.end()) it->second.push_back(r.where);
  }
  for (auto& [key, list] : wheres) std::sort(list.begin(), list.end(), WhereLess);
  for (size_t i = 0; i < roster->entries.size(); ++i) {
    auto it = wheres.find(roster->entries[i].key);
    if (it == wheres.end()) continue;
    Drop(roster, dropped, i, key_column,
         "key '" + it->first + "' appears on " + std::to_string(it->second.size()) + " rows (" +
             List(it->second) + "); keys must be unique: fix the export");
  }
}

void RejectSharedValues(Roster* roster, std::vector<char>* dropped, std::string RosterEntry::*member,
                        const std::string& field, const std::string& column) {
  for (const auto& group : Shared(*roster, *dropped, member)) {
    const std::string value = roster->entries[group[0]].*member;
    std::vector<std::string> who;
    for (size_t i : group) {
      who.push_back("key " + roster->entries[i].key + " at " + roster->entries[i].where);
    }
    for (size_t i : group) {
      Drop(roster, dropped, i, column,
           field + " '" + value + "' is shared by " + std::to_string(group.size()) + " rows (" +
               List(who) + "); each person needs their own " + field + ": fix the roster");
    }
  }
}

void ResolveUsernameCollisions(Roster* roster, const std::vector<char>& dropped) {
  auto& entries = roster->entries;
  auto collisions = Shared(*roster, dropped, &RosterEntry::username);
  if (collisions.empty()) return;
  std::unordered_set<std::string_view> used;
  used.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!dropped[i]) used.insert(entries[i].username);
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
        if (used.count(name) == 0) {
          fresh.push_back(std::move(name));
          used.insert(fresh.back());
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
  // Only now: `used` holds views into the old names until here.
  used.clear();
  for (auto& [index, name] : renames) entries[index].username = std::move(*name);
}

}  // namespace rostersync
