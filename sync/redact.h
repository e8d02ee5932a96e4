// One redactor for the secrets rostersync handles: API tokens, passwords in URL userinfo,
// and passwords in database connection strings (key=value, postgres://, mysql). Every error
// text, log line and display of a configured URL goes through these. Standard library only.
#ifndef ROSTERSYNC_SYNC_REDACT_H_
#define ROSTERSYNC_SYNC_REDACT_H_

#include <string>

namespace rostersync::redact {

// Replaces every occurrence of `secret` by "[redacted]". Secrets shorter than 4 characters
// are left alone (they would match ordinary text).
std::string Token(std::string text, const std::string& secret);

// The password of every URL's userinfo in `text`, scheme://user:pw@host/path ->
// scheme://user:***@host/path. Scheme, user, host, path and query are kept.
std::string UrlUserinfo(std::string text);

// Connection-string passwords in `text`: key=value passwords (password=, passwd=, pwd=,
// any case, blanks around '=', a 'quoted value' or one up to a blank or ';') become
// key=***, and URL userinfo passwords (postgres://user:pw@host/db, mysql://...) too.
// Covers PostgreSQL key=value and URI forms and MySQL's "user=..;password=..;".
std::string ConnectionString(std::string text);

}  // namespace rostersync::redact

#endif  // ROSTERSYNC_SYNC_REDACT_H_
