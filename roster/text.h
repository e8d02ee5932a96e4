// Small UTF-8 text helpers for the roster: validation, rune counts, case mapping, the
// server's SanitizeUnicode, and ASCII transliteration (ICU, see transliterate.h).
// Pure functions over std::string; no locale, no Poco. Thread-safe.
#ifndef ROSTERSYNC_ROSTER_TEXT_H_
#define ROSTERSYNC_ROSTER_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace rostersync::text {

// True if `s` is well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF).
bool IsValidUtf8(std::string_view s);
// Number of code points; invalid bytes count one each.
size_t RuneCount(std::string_view s);
// Strips ASCII whitespace at both ends.
std::string Trim(std::string_view s);
inline std::string_view TrimView(std::string_view s) {
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  size_t b = 0, e = s.size();
  while (b < e && space(s[b])) ++b;
  while (e > b && space(s[e - 1])) --e;
  return s.substr(b, e - b);
}
bool IsAscii(std::string_view s);
// Lower/upper case for ASCII, Latin-1 Supplement and Latin Extended-A; other runes kept.
std::string Lower(std::string_view s);
std::string Upper(std::string_view s);
// ASCII-only lower case (for case-insensitive header / value matching).
std::string AsciiLower(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
// Transliterates to ASCII with ICU ("Any-Latin; Latin-ASCII", marks removed): "José Ñúñez"
// -> "Jose Nunez", "Hương" -> "Huong", "Øyvind" -> "Oyvind", ß -> ss, ł -> l, "王秀英" ->
// "wang xiu ying". Whatever is still not ASCII afterwards (emoji, symbols) is removed.
std::string AsciiFold(std::string_view s);
// The server's SanitizeUnicode (model/utils.go, filterBlocklist), applied on save to
// username, first_name, last_name and nickname: strips exactly U+0340, U+0341, U+17A3,
// U+17D3, U+2028, U+2029, U+202A..U+202E, U+206A..U+206F, U+FEFF, U+FFF9..U+FFFC,
// U+1D173..U+1D17A and U+E0000..U+E007F (and invalid bytes); keeps the zero-width
// characters U+200B..U+200F and the isolates U+2066..U+2069.
std::string SanitizeUnicode(std::string_view s);
// False when SanitizeUnicode(s) == s for certain (valid UTF-8 without a lead byte of a
// stripped rune): the common case, decided without decoding runes.
bool SanitizeMayChange(std::string_view s);
bool IsServerStrippedRune(uint32_t cp);
// Mattermost username: ASCII fold, lower case, whitespace -> '.', other characters outside
// [a-z0-9.-_] removed, runs of '.' collapsed, leading/trailing [._-] trimmed, cut to 64,
// and a reserved name (all, channel, matterbot, system) gets the suffix "1".
std::string MattermostUsername(std::string_view s);
bool IsReservedUsername(std::string_view s);
// 64-bit FNV-1a, as 16 lower-case hex digits; Fnv1a64 continues from `hash`.
constexpr uint64_t kFnvOffset = 14695981039346656037ULL;
uint64_t Fnv1a64(std::string_view data, uint64_t hash = kFnvOffset);
std::string Hex64(uint64_t value);
// A faster 64-bit hash (8 bytes per step, FNV prime, xor-shift mixing) for in-memory
// digests; unlike Fnv1a64 it cannot be continued across chunk boundaries.
uint64_t Hash64(std::string_view data, uint64_t hash = kFnvOffset);

// Hash64's mixing over a stream fed in pieces: the result depends only on the bytes, not
// on where the pieces were cut (a partial word waits for the next piece).
class StreamHash {
 public:
  void Update(std::string_view data);
  uint64_t Finish() const;

 private:
  uint64_t hash_ = kFnvOffset;
  uint64_t size_ = 0;
  char pending_[8] = {};
  size_t pending_size_ = 0;
};

}  // namespace rostersync::text

#endif  // ROSTERSYNC_ROSTER_TEXT_H_
