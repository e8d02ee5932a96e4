// Held sets: fingerprint, text form and the exact-approval check (held_set.h).
#include "sync/held_set.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <tuple>

#include "sync/planner_internal.h"

namespace rostersync {
namespace {

constexpr uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;

uint64_t Fnv(const std::string& data, uint64_t hash) {
  for (unsigned char c : data) {
    hash ^= c;
    hash *= kFnvPrime;
  }
  // A field separator no string contains as such: "ab"+"c" and "a"+"bc" hash differently.
  hash ^= 0x1f;
  return hash * kFnvPrime;
}

std::string Target(const Action& a) {
  if (!IsMembershipAction(a.type)) return "";
  return a.channel.empty() && a.channel_id.empty()
             ? a.team + "#" + a.team_id
             : a.team + "#" + a.team_id + "/" + a.channel + "#" + a.channel_id;
}

}  // namespace

bool ApprovableHold(const Action& a) {
  if (!a.held) return false;
  namespace pi = planner_internal;
  for (const char* guard :
       {pi::kGuardAmbiguous, pi::kGuardRejectedRow, pi::kGuardConflict, pi::kGuardGuests}) {
    const std::string prefix = std::string(guard) + ":";
    if (a.held_reason.compare(0, prefix.size(), prefix) == 0) return false;
  }
  return true;
}

HeldItem HeldItemOf(const Action& a) {
  HeldItem item{ActionName(a.type), a.key, Target(a), a.username, a.changes};
  std::stable_sort(item.changes.begin(), item.changes.end(),
                   [](const FieldChange& x, const FieldChange& y) { return x.field < y.field; });
  return item;
}

namespace {

auto Identity(const HeldItem& i) { return std::tie(i.key, i.action, i.target); }

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::vector<std::string> SplitEscaped(const std::string& line) {
  std::vector<std::string> parts(1);
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '\t') {
      parts.emplace_back();
    } else if (c == '\\' && i + 1 < line.size()) {
      char n = line[++i];
      parts.back() += n == 't' ? '\t' : n == 'n' ? '\n' : n;
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

std::string Quote(const FieldChange& c) {
  return c.field + ": \"" + c.from + "\" -> \"" + c.to + "\"";
}

std::string Describe(const HeldItem& i) {
  return i.key + " " + i.action + (i.target.empty() ? "" : " " + i.target);
}

std::string ChangesText(const std::vector<FieldChange>& changes) {
  if (changes.empty()) return "(no field changes)";
  std::string out;
  for (const FieldChange& c : changes) out += (out.empty() ? "" : ", ") + Quote(c);
  return out;
}

}  // namespace

std::vector<HeldItem> HeldItemsOf(const Plan& plan) {
  std::vector<HeldItem> items;
  for (const Action& a : plan.actions) {
    if (ApprovableHold(a)) items.push_back(HeldItemOf(a));
  }
  std::stable_sort(items.begin(), items.end(), [](const HeldItem& x, const HeldItem& y) {
    return Identity(x) < Identity(y);
  });
  return items;
}

std::string HeldSetId(const std::vector<HeldItem>& items) {
  if (items.empty()) return "";
  uint64_t h = Fnv(std::to_string(items.size()), kFnvOffset);
  for (const HeldItem& i : items) {
    h = Fnv(i.action, Fnv(i.key, Fnv(i.target, h)));
    h = Fnv(std::to_string(i.changes.size()), h);
    for (const FieldChange& c : i.changes) h = Fnv(c.to, Fnv(c.from, Fnv(c.field, h)));
  }
  static const char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int n = 15; n >= 0; --n, h >>= 4) out[n] = kHex[h & 0xf];
  return out;
}

std::string HeldSummary(const std::vector<HeldItem>& items) {
  std::map<std::string, int> counts;
  for (const HeldItem& i : items) ++counts[i.action];
  std::string out;
  for (int t = 0; t < kActionTypeCount; ++t) {
    const char* name = ActionName(static_cast<ActionType>(t));
    auto it = counts.find(name);
    if (it == counts.end()) continue;
    out += (out.empty() ? "" : ", ") + std::to_string(it->second) + " " + name;
  }
  return out;
}

std::string EncodeHeldItems(const std::vector<HeldItem>& items) {
  std::string out;
  for (const HeldItem& i : items) {
    out += Escape(i.action) + "\t" + Escape(i.key) + "\t" + Escape(i.target) + "\t" +
           Escape(i.username);
    for (const FieldChange& c : i.changes) {
      out += "\t" + Escape(c.field) + "\t" + Escape(c.from) + "\t" + Escape(c.to);
    }
    out += "\n";
  }
  return out;
}

Result<std::vector<HeldItem>> DecodeHeldItems(const std::string& text) {
  std::vector<HeldItem> items;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::vector<std::string> parts = SplitEscaped(text.substr(start, end - start));
    start = end + 1;
    if (parts.size() < 4 || (parts.size() - 4) % 3 != 0) {
      return Status::Invalid("held set: malformed item line " + std::to_string(items.size() + 1));
    }
    HeldItem item{parts[0], parts[1], parts[2], parts[3], {}};
    for (size_t p = 4; p + 2 < parts.size(); p += 3) {
      item.changes.push_back(FieldChange{parts[p], parts[p + 1], parts[p + 2]});
    }
    items.push_back(std::move(item));
  }
  return items;
}

ReleaseDecision MatchApproved(const std::vector<HeldItem>& approved,
                              const std::set<std::string>& only_keys, const Plan& current) {
  ReleaseDecision d;
  std::set<std::string> approved_keys;
  for (const HeldItem& i : approved) approved_keys.insert(i.key);
  for (const std::string& k : only_keys) {
    if (approved_keys.count(k) == 0) d.differences.push_back(k + ": not in this held set");
  }
  for (const HeldItem& want : approved) {
    if (!only_keys.empty() && only_keys.count(want.key) == 0) continue;
    bool found = false;
    for (size_t n = 0; n < current.actions.size() && !found; ++n) {
      const Action& a = current.actions[n];
      HeldItem now = HeldItemOf(a);
      if (Identity(now) != Identity(want)) continue;
      found = true;
      if (!a.held) {
        d.differences.push_back(Describe(want) + ": no longer held");
      } else if (!ApprovableHold(a)) {
        d.differences.push_back(Describe(want) + ": now held by a guard no approval releases (" +
                                a.held_reason.substr(0, a.held_reason.find(':')) + ")");
      } else if (now.changes != want.changes) {
        d.differences.push_back(Describe(want) + ": changed: was " + ChangesText(want.changes) +
                                ", now " + ChangesText(now.changes));
      } else {
        d.release.push_back(n);
      }
    }
    if (!found) d.differences.push_back(Describe(want) + ": no longer planned");
  }
  if (!d.differences.empty()) d.release.clear();
  return d;
}

void ReleaseActions(const ReleaseDecision& decision, Plan* plan) {
  for (size_t n : decision.release) {
    if (n >= plan->actions.size() || !plan->actions[n].held) continue;
    plan->actions[n].held = false;
    plan->actions[n].held_reason.clear();
  }
  // An action names only the first guard that held it, while several holds may count it
  // (an untrusted roster and max_deactivations): a hold that held actions keeps only those
  // still held under its name, and goes when none is left.
  std::vector<Hold> kept;
  for (Hold& h : plan->holds) {
    if (h.count == 0) {
      kept.push_back(h);  // a hold without actions (e.g. an untrusted roster) is not released
      continue;
    }
    int still = 0;
    for (const Action& a : plan->actions) {
      still += a.held && (a.held_reason == h.message ||
                          a.held_reason.rfind(h.guard + ":", 0) == 0);
    }
    if (still == 0) continue;
    h.count = still;
    kept.push_back(h);
  }
  plan->holds = std::move(kept);
}

}  // namespace rostersync
