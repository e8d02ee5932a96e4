// FakeUsersApi: the server rules that depend on its settings (ServerCapabilities): unicode
// cleaning of names, supported locales, password policy and guest availability.
#include <set>

#include "tests/fakes/fake_users_api_internal.h"

namespace rostersync::testing::fake_internal {
namespace {

// model/utils.go filterBlocklist: the code points SanitizeUnicode strips.
bool Blocked(char32_t c) {
  return c == 0x0340 || c == 0x0341 || c == 0x17A3 || c == 0x17D3 || c == 0x2028 ||
         c == 0x2029 || (c >= 0x202A && c <= 0x202E) || (c >= 0x206A && c <= 0x206F) ||
         c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFC) || (c >= 0x1D173 && c <= 0x1D17A) ||
         (c >= 0xE0000 && c <= 0xE007F);
}

}  // namespace

std::string SanitizeUnicode(const std::string& in) {
  std::string out;
  for (size_t i = 0; i < in.size();) {
    unsigned char b = static_cast<unsigned char>(in[i]);
    size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 1;
    if (i + n > in.size()) n = 1;
    char32_t c = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
    for (size_t k = 1; k < n; ++k) c = (c << 6) | (static_cast<unsigned char>(in[i + k]) & 0x3F);
    if (!Blocked(c)) out.append(in, i, n);
    i += n;
  }
  return out;
}

std::string SupportedLocaleOr(const std::string& locale, const std::string& fallback) {
  static const std::set<std::string> kSupported{
      "bg", "de", "en", "en-AU", "es", "fa", "fr", "hu", "it", "ja", "ko", "nl", "pl",
      "pt-BR", "ro", "ru", "sv", "tr", "uk", "vi", "zh-CN", "zh-TW"};
  return kSupported.count(locale) > 0 ? locale : fallback;
}

Status CheckPassword(const std::string& password, const PasswordPolicy& policy) {
  bool lower = false, upper = false, digit = false, symbol = false;
  static const std::string kSymbols = " !\"\\#$%&'()*+,-./:;<=>?@[]^_`|~";
  for (char c : password) {
    lower |= c >= 'a' && c <= 'z';
    upper |= c >= 'A' && c <= 'Z';
    digit |= c >= '0' && c <= '9';
    symbol |= kSymbols.find(c) != std::string::npos;
  }
  const int min = std::min(policy.min_length, 72);
  if (static_cast<int>(password.size()) < min || password.size() > 72 ||
      (policy.lowercase && !lower) || (policy.uppercase && !upper) ||
      (policy.number && !digit) || (policy.symbol && !symbol)) {
    return Http(Status::Invalid("password does not meet the server's policy"), 400,
                "model.user.is_valid.pwd_lowercase_uppercase_number_symbol.app_error");
  }
  return Status::Ok();
}

std::optional<Status> DemoteRefused(const ServerCapabilities& c) {
  if (!c.known) return std::nullopt;
  if (!c.licensed) {
    return Http(Status::NotImplemented("guest accounts need a license"), 501,
                "api.team.demote_user_to_guest.license.error");
  }
  if (!c.license_guest_accounts) {
    return Http(Status::Forbidden("the license lacks guest accounts"), 403,
                "api.team.demote_user_to_guest.license.error");
  }
  if (!c.guest_accounts_enabled) {
    return Http(Status::NotImplemented("guest accounts are disabled"), 501,
                "api.team.demote_user_to_guest.disabled.error");
  }
  return std::nullopt;
}

}  // namespace rostersync::testing::fake_internal
