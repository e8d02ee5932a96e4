// RecordServerAnswer: the server's answer to a create or patch, held against what was asked.
// The ledger records what the server stored (it lower-cases usernames and emails, strips
// some characters from names, replaces an unsupported locale at create, and keeps the old
// email while a new one awaits verification); anything else it changed is reported drift.
#include "sync/executor.h"
#include "sync/text.h"

namespace rostersync {
namespace {

struct Asked {
  const char* field;
  const std::string* asked;   // what was sent
  const std::string* stored;  // what the server answered with
  std::string* as_stored;     // the same field in the as-stored copy of the action
  bool folded;                // the server lower-cases it
};

void Restore(const std::map<std::string, std::string>& before, const std::string& field,
             LedgerEntry* entry) {
  auto it = before.find(field);
  if (it == before.end()) {
    entry->set_values.erase(field);
  } else {
    entry->set_values[field] = it->second;
  }
}

std::vector<Asked> AskedFields(const Action& a, const User& u, Action* copy) {
  std::vector<Asked> out;
  if (a.type == ActionType::kCreate) {
    const NewUser& n = a.new_user;
    NewUser& c = copy->new_user;
    out = {{"username", &n.username, &u.username, &c.username, true},
           {"email", &n.email, &u.email, &c.email, true},
           {"first_name", &n.first_name, &u.first_name, &c.first_name, false},
           {"last_name", &n.last_name, &u.last_name, &c.last_name, false},
           {"nickname", &n.nickname, &u.nickname, &c.nickname, false},
           {"position", &n.position, &u.position, &c.position, false},
           {"locale", &n.locale, &u.locale, &c.locale, false}};
    return out;
  }
  const UserPatch& p = a.patch;
  UserPatch& c = copy->patch;
  auto add = [&](const char* field, const std::optional<std::string>& asked,
                 const std::string& stored, std::optional<std::string>& slot, bool folded) {
    if (asked) out.push_back({field, &*asked, &stored, &*slot, folded});
  };
  add("username", p.username, u.username, c.username, true);
  add("email", p.email, u.email, c.email, true);
  add("first_name", p.first_name, u.first_name, c.first_name, false);
  add("last_name", p.last_name, u.last_name, c.last_name, false);
  add("nickname", p.nickname, u.nickname, c.nickname, false);
  add("position", p.position, u.position, c.position, false);
  add("locale", p.locale, u.locale, c.locale, false);
  return out;
}

}  // namespace

void RecordServerAnswer(const Action& action, const User& answer,
                        const std::map<std::string, std::string>& before, LedgerEntry* entry,
                        std::vector<std::string>* drift, std::string* note, Action* as_stored) {
  *as_stored = action;
  if (action.type != ActionType::kCreate && action.type != ActionType::kUpdate) return;
  const bool create = action.type == ActionType::kCreate;
  for (const Asked& f : AskedFields(action, answer, as_stored)) {
    if (f.asked->empty() && create) continue;  // not asked: the server's default is fine
    const std::string field = f.field;
    const std::string want = f.folded ? Lower(*f.asked) : *f.asked;
    if (*f.stored == want) {
      entry->set_values[field] = want;
      entry->set_values.erase("requested:" + field);
      if (field == "email") entry->set_values.erase("email_pending");
      continue;
    }
    *f.as_stored = *f.stored;
    const std::string& service = answer.auth_service;
    const bool can_pend = service.empty() || service == "email" || service == "saml";
    if (field == "email" && !create && can_pend) {
      // RequireEmailVerification: the server keeps the old email and mails a link to the
      // new one. Recorded as pending; not re-sent, not "verified" by us. (OAuth accounts'
      // emails are silently kept instead: that is drift, below.)
      entry->set_values["email_pending"] = want;
      Restore(before, "email", entry);
      Restore(before, "email_verified", entry);
      *note = "email change to " + EscapeControl(want) +
              " pending verification by the person (the server keeps " +
              EscapeControl(*f.stored) + " until then)";
      continue;
    }
    entry->set_values[field] = *f.stored;
    entry->set_values["requested:" + field] = *f.asked;
    drift->push_back(EscapeControl(answer.username) + ": the server stored " + field + " \"" +
                     EscapeControl(*f.stored) + "\", not \"" + EscapeControl(*f.asked) +
                     "\" as asked; recorded as stored, not sent again");
  }
}

}  // namespace rostersync
