// Validation of a mapped RosterEntry against the Mattermost server's rules (docs/server-facts.md
// "Validation rules" and its corrections), before anything is planned. Pure; thread-safe.
#ifndef ROSTERSYNC_ROSTER_VALIDATION_H_
#define ROSTERSYNC_ROSTER_VALIDATION_H_

#include <string>

#include "sync/roster.h"

namespace rostersync {

struct FieldProblem {
  std::string field;   // "username", "email", …; empty when ok
  std::string reason;  // what is wrong and what to do
  bool ok() const { return field.empty(); }
};

// The first rule `entry` breaks, or ok(). Checks: username 1–64 of [a-z0-9.-_] and not
// reserved; email present, ≤128, lower-case, one '@', a bare address; first/last/nickname
// ≤64 runes; position ≤128 runes; locale ≤5 bytes; auth_data ≤128 bytes; auth_service one
// of "" ldap saml gitlab google office365 openid; auth_data needs auth_service; dates
// YYYY-MM-DD.
FieldProblem ValidateEntry(const RosterEntry& entry);

// The server's spelling of `value` ("pt_br" -> "pt-BR", "EN" -> "en") when it is one of the
// locales the server supports (validation.cc says which list), else "". The server replaces
// an unsupported locale at create, so such a value is left unset with a notice.
std::string SupportedLocale(const std::string& value);

// True for a real calendar date written YYYY-MM-DD.
bool IsIsoDate(const std::string& s);
// A light check of a bare e-mail address (what Go's mail.ParseAddress accepts, roughly,
// without display names, comments or quoting). Empty reason when fine.
std::string EmailProblem(const std::string& email);

}  // namespace rostersync

#endif  // ROSTERSYNC_ROSTER_VALIDATION_H_
