// Name and locale cleaning the server applies on save: model.SanitizeUnicode and the
// supported-locale check of user creation.
#include <set>

#include "emulator/user.h"

namespace mmemu {

namespace {

// filterBlocklist of model/utils.go (SanitizeUnicode). The zero-width characters
// U+200B..U+200F and the isolates U+2066..U+2069 are deliberately kept, as there.
bool Blocked(char32_t c) {
  return c == 0x0340 || c == 0x0341 || c == 0x17A3 || c == 0x17D3 || c == 0x2028 ||
         c == 0x2029 || (c >= 0x202A && c <= 0x202E) || (c >= 0x206A && c <= 0x206F) ||
         c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFC) || (c >= 0x1D173 && c <= 0x1D17A) ||
         (c >= 0xE0000 && c <= 0xE007F);
}

// Decodes one UTF-8 sequence at s[i]; returns its length (1 for an invalid byte, which is
// then kept as is).
size_t DecodeRune(const std::string& s, size_t i, char32_t* out) {
  unsigned char b = static_cast<unsigned char>(s[i]);
  size_t len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    *out = 0xFFFD;
    return 1;
  }
  char32_t c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
  for (size_t k = 1; k < len; ++k) {
    unsigned char cont = static_cast<unsigned char>(s[i + k]);
    if ((cont & 0xC0) != 0x80) {
      *out = 0xFFFD;
      return 1;
    }
    c = (c << 6) | (cont & 0x3F);
  }
  *out = c;
  return len;
}

}  // namespace

std::string SanitizeUnicode(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    char32_t c;
    size_t len = DecodeRune(s, i, &c);
    if (!Blocked(c)) out.append(s, i, len);
    i += len;
  }
  return out;
}

bool IsSupportedLocale(const std::string& locale) {
  // The translation files shipped in server/i18n of mattermost/mattermost for the 9.x and
  // 10.x releases (i18n.GetSupportedLocales reads that folder; with
  // LocalizationSettings.AvailableLocales empty, all of them are accepted). Newer releases
  // add a few; an unknown locale is replaced by DefaultClientLocale ("en").
  static const std::set<std::string> kLocales = {
      "bg", "de", "en",    "en-AU", "es", "fa", "fr", "hu", "it",    "ja",   "ko",
      "nl", "pl", "pt-BR", "ro",    "ru", "sv", "tr", "uk", "vi", "zh-CN", "zh-TW"};
  return kLocales.count(locale) > 0;
}

}  // namespace mmemu
