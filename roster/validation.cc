#include "roster/validation.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "roster/text.h"

namespace rostersync {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

FieldProblem TooLong(const std::string& field, size_t n, size_t max, const char* unit) {
  return {field, field + " is " + std::to_string(n) + " " + unit + " long, more than the " +
                     std::to_string(max) + " the server accepts; shorten it in the roster"};
}

}  // namespace

bool IsIsoDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!IsDigit(s[i])) return false;
  }
  const int year = std::stoi(s.substr(0, 4));
  const int month = std::stoi(s.substr(5, 2));
  const int day = std::stoi(s.substr(8, 2));
  if (month < 1 || month > 12 || day < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int max = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  return day <= max;
}

std::string EmailProblem(const std::string& email) {
  if (email.empty()) return "email is empty; every person needs an email address";
  if (email.size() > 128) {
    return "email is " + std::to_string(email.size()) +
           " characters long, more than the 128 the server accepts";
  }
  static const auto kBad = [] {
    std::array<bool, 256> bad{};
    for (int c = 0; c <= ' '; ++c) bad[c] = true;
    bad[0x7F] = true;
    for (const char* p = "<>()[],;:\"\\"; *p; ++p) bad[static_cast<unsigned char>(*p)] = true;
    return bad;
  }();
  // One pass for what the checks below look at, in their order.
  bool upper = false, high = false, bad = false, double_dot = false;
  size_t ats = 0, at = std::string::npos;
  for (size_t i = 0; i < email.size(); ++i) {
    const auto c = static_cast<unsigned char>(email[i]);
    upper = upper || (c >= 'A' && c <= 'Z');
    high = high || c >= 0x80;
    bad = bad || kBad[c];
    double_dot = double_dot || (c == '.' && i > 0 && email[i - 1] == '.');
    if (c == '@' && ats++ == 0) at = i;
  }
  if (upper || (high && text::Lower(email) != email)) {
    return "email '" + email + "' has upper-case letters; add transform [trim, lower] to fields.email";
  }
  if (ats != 1) return "email '" + email + "' must contain exactly one '@'";
  if (bad) {
    return "email '" + email +
           "' must be a bare address (no spaces, display name, quotes or brackets)";
  }
  const std::string_view local = std::string_view(email).substr(0, at);
  const std::string_view domain = std::string_view(email).substr(at + 1);
  if (local.empty() || domain.empty() || domain.front() == '.' || domain.back() == '.' ||
      local.front() == '.' || local.back() == '.' || double_dot) {
    return "email '" + email + "' is not a valid address (local@domain)";
  }
  if (high && !text::IsValidUtf8(email)) return "email is not valid UTF-8";
  return "";
}

std::string SupportedLocale(const std::string& value) {
  // The locales the Mattermost server ships translations for (server/i18n/*.json; the
  // server's i18n.GetSupportedLocales() lists that directory), as in its v9 and v10
  // releases: the languages the product documents as supported. A create with any other
  // locale is stored as DefaultClientLocale (roster/README.md, "Mapping and validation").
  static const char* const kLocales[] = {
      "bg", "cs", "de", "en", "en-AU", "es", "fa", "fr", "hu", "it", "ja", "ko", "nl",
      "pl", "pt-BR", "ro", "ru", "sv", "tr", "uk", "vi", "zh-CN", "zh-TW"};
  std::string wanted = text::AsciiLower(text::Trim(value));
  for (char& c : wanted) {
    if (c == '_') c = '-';
  }
  for (const char* locale : kLocales) {
    if (text::AsciiLower(locale) == wanted) return locale;
  }
  return "";
}

FieldProblem ValidateEntry(const RosterEntry& e) {
  if (e.username.empty()) {
    return {"username", "username is empty; map fields.username to a column or template that "
                        "has a value for every person"};
  }
  if (e.username.size() > 64) return TooLong("username", e.username.size(), 64, "characters");
  for (char c : e.username) {
    const bool ok = (c >= 'a' && c <= 'z') || IsDigit(c) || c == '.' || c == '-' || c == '_';
    if (!ok) {
      return {"username", "username '" + e.username +
                              "' may hold only a-z 0-9 . - _; add transform "
                              "mattermost_username to fields.username"};
    }
  }
  if (text::IsReservedUsername(e.username)) {
    return {"username", "username '" + e.username +
                            "' is reserved by Mattermost (all, channel, matterbot, system); "
                            "add transform mattermost_username or change the roster"};
  }
  if (std::string why = EmailProblem(e.email); !why.empty()) return {"email", why};
  struct Runes {
    const char* field;
    const std::string* value;
    size_t max;
  };
  for (const Runes& r : {Runes{"first_name", &e.first_name, 64}, Runes{"last_name", &e.last_name, 64},
                         Runes{"nickname", &e.nickname, 64}, Runes{"position", &e.position, 128}}) {
    const size_t n = text::RuneCount(*r.value);
    if (n > r.max) return TooLong(r.field, n, r.max, "characters");
  }
  if (e.locale.size() > 5) return TooLong("locale", e.locale.size(), 5, "bytes");
  if (e.auth_data.size() > 128) return TooLong("auth_data", e.auth_data.size(), 128, "bytes");
  static const char* const kServices[] = {"", "ldap", "saml", "gitlab", "google", "office365",
                                          "openid"};
  bool known = false;
  for (const char* s : kServices) known = known || e.auth_service == s;
  if (!known) {
    return {"auth_service", "auth_service '" + e.auth_service +
                                "' is not one of \"\" (email/password), ldap, saml, gitlab, "
                                "google, office365, openid; fix fields.auth_service"};
  }
  if (!e.auth_data.empty() && e.auth_service.empty()) {
    return {"auth_data", "auth_data is set but auth_service is empty; the server refuses "
                         "auth_data without an auth_service: map fields.auth_service"};
  }
  for (const auto& [field, value] : {std::pair<const char*, const std::string*>{"start_date", &e.start_date},
                                     {"end_date", &e.end_date}}) {
    if (!value->empty() && !IsIsoDate(*value)) {
      return {field, std::string(field) + " '" + *value +
                         "' is not a date written YYYY-MM-DD; fix the roster"};
    }
  }
  return {};
}

}  // namespace rostersync
