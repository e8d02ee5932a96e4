// The text plan of SPEC.md: one line per action, "! held" lines, notices and the summary.
#include "sync/plan_printer.h"

#include <algorithm>
#include <array>

namespace rostersync {

namespace {

constexpr int kTypeCount = static_cast<int>(ActionType::kDeactivate) + 1;

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

std::string Pad(const std::string& s, size_t width) {
  return s.size() >= width ? s + "  " : s + std::string(width - s.size(), ' ');
}

void RTrim(std::string* s) {
  while (!s->empty() && s->back() == ' ') s->pop_back();
}

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

std::string Rest(const Action& a, size_t email_width) {
  std::string key = "key=" + a.key;
  switch (a.type) {
    case ActionType::kCreate:
      return Pad(a.email, email_width) + key + (a.detail.empty() ? "" : "  " + a.detail);
    case ActionType::kUpdate: {
      std::string out;
      for (const FieldChange& c : a.changes) {
        if (!out.empty()) out += ", ";
        out += c.field + ": " + Quote(c.from) + " -> " + Quote(c.to);
      }
      return out;
    }
    case ActionType::kDeactivate:
      return key + (a.detail.empty() ? "" : "  " + a.detail);
    case ActionType::kReactivate:
      return key + (a.detail.empty() ? "" : "  " + a.detail);
    case ActionType::kVerifyEmail:
    case ActionType::kPasswordReset:
      return a.email;
    default:
      return a.detail;
  }
}

}  // namespace

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
  }
  return '?';
}

std::string FormatPlanText(const Plan& plan, bool color) {
  size_t name_width = 12, user_width = 13, email_width = 25;
  for (const Action& a : plan.actions) {
    name_width = std::max(name_width, std::string(ActionName(a.type)).size() + 2);
    user_width = std::max(user_width, a.username.size() + 2);
    if (a.type == ActionType::kCreate) email_width = std::max(email_width, a.email.size() + 2);
  }
  std::string out;
  std::array<int, kTypeCount> counts{};
  for (const Action& a : plan.actions) {
    if (!a.held) ++counts[static_cast<int>(a.type)];
    std::string line;
    const char* on = color ? (a.held ? kHeldColor : Color(a.type)) : "";
    line += on;
    line += ActionSymbol(a.type);
    line += ' ';
    line += Pad(ActionName(a.type), name_width);
    if (color) line += kReset;
    line += Pad(a.username.empty() ? "(" + a.key + ")" : a.username, user_width);
    line += Rest(a, email_width);
    RTrim(&line);
    if (a.held) {
      std::string guard = a.held_reason.substr(0, a.held_reason.find(':'));
      line += color ? std::string("  ") + kHeldColor + "[held: " + guard + "]" + kReset
                    : "  [held: " + guard + "]";
    }
    out += line + "\n";
  }
  for (const Hold& h : plan.holds) {
    std::string line = std::string(color ? kHeldColor : "") + "! " + Pad("held", name_width) +
                       (color ? kReset : "") + h.message;
    out += line + "\n";
  }
  for (const std::string& n : plan.notices) {
    out += std::string(color ? kNoteColor : "") + "* " + Pad("note", name_width) + n +
           (color ? kReset : "") + "\n";
  }
  int active = plan.CountActive();
  int held = plan.CountHeld();
  if (active == 0 && held == 0) {
    // A guard can hold with nothing to hold yet (an untrusted roster): that is not "no changes".
    return out + (plan.holds.empty() ? "No changes.\n" : "No changes applied: a guard holds (see ! held).\n");
  }
  std::string summary;
  for (int t = 0; t < kTypeCount; ++t) {
    if (counts[t] == 0) continue;
    if (!summary.empty()) summary += ", ";
    summary += std::to_string(counts[t]) + " " + ActionName(static_cast<ActionType>(t));
  }
  out += "Plan: " + std::to_string(active) + (active == 1 ? " action" : " actions");
  if (!summary.empty()) out += " (" + summary + ")";
  if (held > 0) out += ", " + std::to_string(held) + " held";
  if (!plan.notices.empty()) {
    out += ", " + std::to_string(plan.notices.size()) +
           (plan.notices.size() == 1 ? " notice" : " notices");
  }
  out += ".\n";
  return out;
}

}  // namespace rostersync
