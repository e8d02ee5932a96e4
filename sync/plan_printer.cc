// The text plan: summary first, then attention, held, deactivations, creates, updates,
// role/guest/auth changes, rejected rows, unmatched accounts and notes (plan_printer.h).
#include "sync/plan_printer.h"

#include <algorithm>
#include <array>
#include <functional>
#include <string_view>

#include "sync/text.h"

namespace rostersync {

namespace {

constexpr int kTypeCount = kActionTypeCount;
constexpr size_t kListed = 10;  // rows of a long list shown when not verbose

const char* Color(ActionType type) {
  switch (type) {
    case ActionType::kCreate: return "\033[32m";
    case ActionType::kDeactivate: return "\033[31m";
    case ActionType::kReactivate: return "\033[36m";
    case ActionType::kRole:
    case ActionType::kPromote:
    case ActionType::kGuest:
    case ActionType::kAuth: return "\033[35m";
    default: return "\033[33m";
  }
}
constexpr const char* kReset = "\033[0m";
constexpr const char* kHeldColor = "\033[1;31m";
constexpr const char* kNoteColor = "\033[2m";

std::string E(const std::string& s) { return EscapeControl(s); }

std::string Pad(const std::string& s, size_t width) {
  return s.size() >= width ? s + "  " : s + std::string(width - s.size(), ' ');
}

void RTrim(std::string* s) {
  while (!s->empty() && s->back() == ' ') s->pop_back();
}

std::string Quote(const std::string& s) { return "\"" + E(s) + "\""; }

std::string Plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// A create's own follow-ups (no account id yet) shown on the create's line.
bool IsCreateFollowUp(const Action& a) {
  return a.user_id.empty() &&
         (a.type == ActionType::kVerifyEmail || a.type == ActionType::kPasswordReset);
}

struct Widths {
  size_t name = 12, user = 13, email = 25;
};

std::string Rest(const Action& a, const Widths& w) {
  std::string key = "key=" + E(a.key);
  std::string detail = a.detail.empty() ? "" : "  " + E(a.detail);
  switch (a.type) {
    case ActionType::kCreate:
      return Pad(E(a.email), w.email) + key + detail;
    case ActionType::kUpdate: {
      std::string out;
      for (const FieldChange& c : a.changes) {
        if (!out.empty()) out += ", ";
        out += E(c.field) + ": " + Quote(c.from) + " -> " + Quote(c.to);
      }
      return out;
    }
    case ActionType::kDeactivate:
    case ActionType::kReactivate:
      return key + detail;
    case ActionType::kVerifyEmail:
    case ActionType::kPasswordReset:
      return E(a.email);
    case ActionType::kJoinTeam:
    case ActionType::kLeaveTeam:
      return "team " + E(a.team) + detail;
    case ActionType::kJoinChannel:
    case ActionType::kLeaveChannel:
      return "channel " + E(a.team) + "/" + E(a.channel) + detail;
    default:
      return E(a.detail);
  }
}

class Printer {
 public:
  Printer(const Plan& plan, const PlanTextOptions& options) : plan_(plan), opt_(options) {
    for (const Action& a : plan.actions) {
      if (IsCreateFollowUp(a)) continue;  // shown on the create's line
      w_.name = std::max(w_.name, std::string(ActionName(a.type)).size() + 2);
      w_.user = std::max(w_.user, E(a.username).size() + 2);
      if (a.type == ActionType::kCreate) w_.email = std::max(w_.email, E(a.email).size() + 2);
    }
  }
  std::string Run();

 private:
  std::string Summary() const;
  std::string ActionLine(const Action& a) const;
  void Marked(const char* mark, const char* word, const std::string& text, const char* color);
  void Section(const std::string& title, const std::function<bool(const Action&)>& pick);
  void HeldSection();
  void RejectedSection();
  void UnmatchedSection();
  void Notes();

  const Plan& plan_;
  const PlanTextOptions& opt_;
  Widths w_;
  std::string out_;
};

std::string Printer::ActionLine(const Action& a) const {
  std::string line = opt_.color ? (a.held ? kHeldColor : Color(a.type)) : "";
  line += ActionSymbol(a.type);
  line += ' ';
  line += Pad(ActionName(a.type), w_.name);
  if (opt_.color) line += kReset;
  line += Pad(a.username.empty() ? "(" + E(a.key) + ")" : E(a.username), w_.user);
  line += Rest(a, w_);
  if (a.type == ActionType::kCreate) {
    for (const Action& f : plan_.actions) {
      if (f.key == a.key && IsCreateFollowUp(f)) line += std::string("  +") + ActionName(f.type);
    }
  }
  RTrim(&line);
  if (a.held) {
    std::string guard = a.held_reason.substr(0, a.held_reason.find(':'));
    // A change held for a rejected row names that row (file:line) on its own line.
    constexpr std::string_view kNamed = "is named in rejected row ";
    if (size_t at = a.held_reason.find(kNamed); at != std::string::npos) {
      at += kNamed.size();
      guard += " " + E(a.held_reason.substr(at, a.held_reason.find(' ', at) - at));
    }
    line += opt_.color ? std::string("  ") + kHeldColor + "[held: " + guard + "]" + kReset
                       : "  [held: " + guard + "]";
  }
  return line + "\n";
}

void Printer::Marked(const char* mark, const char* word, const std::string& text,
                     const char* color) {
  out_ += std::string(opt_.color ? color : "") + mark + " " + Pad(word, w_.name) +
          (opt_.color && color != kNoteColor ? kReset : "") + text +
          (opt_.color && color == kNoteColor ? kReset : "") + "\n";
}

void Printer::Section(const std::string& title, const std::function<bool(const Action&)>& pick) {
  std::string lines;
  size_t count = 0;
  for (const Action& a : plan_.actions) {
    if (a.held || IsCreateFollowUp(a) || !pick(a)) continue;
    lines += ActionLine(a);
    ++count;
  }
  if (count == 0) return;
  out_ += "\n" + title + " (" + std::to_string(count) + "):\n" + lines;
}

void Printer::HeldSection() {
  // The count is of the lines shown: a held create's follow-ups are on its line. A guard
  // can hold with no action to show (an untrusted roster that plans nothing): no count then.
  std::string lines;
  size_t held = 0;
  for (const Action& a : plan_.actions) {
    if (!a.held || IsCreateFollowUp(a)) continue;
    lines += ActionLine(a);
    ++held;
  }
  if (held == 0 && plan_.holds.empty()) return;
  out_ += held == 0 ? std::string("\nHeld:\n") : "\nHeld (" + std::to_string(held) + "):\n";
  for (const Hold& h : plan_.holds) Marked("!", "held", E(h.message), kHeldColor);
  out_ += lines;
}

void Printer::RejectedSection() {
  const auto& rows = plan_.rejected;
  if (rows.empty()) return;
  out_ += "\nRejected rows (" + std::to_string(rows.size()) + "):\n";
  size_t shown = opt_.verbose ? rows.size() : std::min(rows.size(), kListed);
  for (size_t i = 0; i < shown; ++i) {
    const RowError& r = rows[i];
    std::string text = E(r.where) + (r.key.empty() ? "" : "  key=" + E(r.key)) + "  " +
                       (r.column.empty() ? "" : E(r.column) + ": ") + E(r.reason);
    Marked("x", "rejected", text, kNoteColor);
  }
  if (shown < rows.size()) {
    out_ += "  ... and " + std::to_string(rows.size() - shown) + " more (--verbose or --json lists all)\n";
  }
}

void Printer::UnmatchedSection() {
  const auto& accounts = plan_.unmatched;
  if (accounts.empty()) return;
  out_ += "\nUnmatched accounts (" + std::to_string(accounts.size()) +
          "; in scope, in no roster row and no ledger entry; policy.unmatched_accounts):\n";
  size_t shown = opt_.verbose ? accounts.size() : std::min(accounts.size(), kListed);
  for (size_t i = 0; i < shown; ++i) {
    const UnmatchedAccount& u = accounts[i];
    Marked("?", "unmatched", Pad(E(u.username), w_.user) + E(u.email), kNoteColor);
  }
  if (shown < accounts.size()) {
    out_ += "  ... and " + std::to_string(accounts.size() - shown) + " more (--verbose or --json lists all)\n";
  }
}

void Printer::Notes() {
  constexpr const char* kAdopts = " adopts existing account ";
  size_t adoptions = 0;
  for (const std::string& n : plan_.notices) adoptions += n.find(kAdopts) != std::string::npos;
  bool collapse = adoptions > 1 && !opt_.verbose;
  if (plan_.notices.empty()) return;
  out_ += "\nNotes (" + std::to_string(plan_.notices.size()) + "):\n";
  if (collapse) {
    Marked("*", "note", Plural(adoptions, "roster row adopts", "roster rows adopt") +
                            " an existing account (--verbose lists them)", kNoteColor);
  }
  for (const std::string& n : plan_.notices) {
    if (collapse && n.find(kAdopts) != std::string::npos) continue;
    Marked("*", "note", E(n), kNoteColor);
  }
}

std::string Printer::Summary() const {
  int active = plan_.CountActive();
  int held = plan_.CountHeld();
  std::array<int, kTypeCount> counts{};
  for (const Action& a : plan_.actions) {
    if (!a.held) ++counts[static_cast<int>(a.type)];
  }
  std::string out;
  if (active == 0 && held == 0) {
    out = plan_.holds.empty() && plan_.attention.empty()
              ? "No changes."
              : plan_.holds.empty() ? "No changes applied: attention needed (see ! attention)."
                                    : "No changes applied: a guard holds (see ! held).";
  } else {
    std::string by_type;
    for (int t = 0; t < kTypeCount; ++t) {
      if (counts[t] == 0) continue;
      by_type += (by_type.empty() ? "" : ", ") + std::to_string(counts[t]) + " " +
                 ActionName(static_cast<ActionType>(t));
    }
    out = "Plan: " + Plural(active, "action", "actions") +
          (by_type.empty() ? "" : " (" + by_type + ")");
    if (held > 0) out += ", " + std::to_string(held) + " held";
  }
  std::string extra;
  auto add = [&](size_t n, const char* one, const char* many) {
    if (n > 0) extra += (extra.empty() ? "" : ", ") + Plural(n, one, many);
  };
  add(plan_.attention.size(), "attention item", "attention items");
  add(plan_.rejected.size(), "rejected row", "rejected rows");
  add(plan_.unmatched.size(), "unmatched account", "unmatched accounts");
  add(plan_.notices.size(), "notice", "notices");
  if (active == 0 && held == 0) {  // "No changes. 1 notice."
    return out + (extra.empty() ? "" : " " + extra + ".") + "\n";
  }
  return out + (extra.empty() ? "" : ", " + extra) + ".\n";
}

std::string Printer::Run() {
  out_ = Summary();
  if (!plan_.attention.empty()) {
    out_ += "\nAttention (" + std::to_string(plan_.attention.size()) + "):\n";
    for (const Attention& a : plan_.attention) Marked("!", "attention", E(a.message), kHeldColor);
  }
  HeldSection();
  using T = ActionType;
  Section("Deactivations", [](const Action& a) { return a.type == T::kDeactivate; });
  Section("Creates", [](const Action& a) { return a.type == T::kCreate; });
  Section("Updates", [](const Action& a) {
    return a.type == T::kUpdate || a.type == T::kReactivate || a.type == T::kVerifyEmail ||
           a.type == T::kPasswordReset;
  });
  Section("Role, guest and auth changes", [](const Action& a) {
    return a.type == T::kRole || a.type == T::kGuest || a.type == T::kPromote ||
           a.type == T::kAuth;
  });
  Section("Memberships", [](const Action& a) { return IsMembershipAction(a.type); });
  RejectedSection();
  UnmatchedSection();
  Notes();
  return out_;
}

}  // namespace

const char kRevokesTokensNote[] =
    "and revokes the person's access tokens (a reactivation does not restore them)";

void NoteTokenRevocations(Plan* plan) {
  for (Action& a : plan->actions) {
    if (a.type != ActionType::kDeactivate) continue;
    a.detail += (a.detail.empty() ? "" : "; ") + std::string(kRevokesTokensNote);
  }
}

char ActionSymbol(ActionType type) {
  switch (type) {
    case ActionType::kCreate: return '+';
    case ActionType::kUpdate: return '~';
    case ActionType::kDeactivate: return '-';
    case ActionType::kReactivate: return '>';
    case ActionType::kRole: return '^';
    case ActionType::kPromote: return '^';
    case ActionType::kGuest: return 'v';
    case ActionType::kAuth: return '#';
    case ActionType::kVerifyEmail: return '~';
    case ActionType::kPasswordReset: return '~';
    case ActionType::kJoinTeam:
    case ActionType::kJoinChannel: return '+';
    case ActionType::kLeaveChannel:
    case ActionType::kLeaveTeam: return '-';
  }
  return '?';
}

std::string FormatPlanText(const Plan& plan, const PlanTextOptions& options) {
  return Printer(plan, options).Run();
}

std::string FormatPlanText(const Plan& plan, bool color) {
  PlanTextOptions options;
  options.color = color;
  return FormatPlanText(plan, options);
}

}  // namespace rostersync
