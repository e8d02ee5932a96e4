#include "roster/text.h"

#include "roster/transliterate.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>

namespace rostersync::text {
namespace {

// Decodes the rune at s[i]. Returns its length (1-4) and sets *cp; 0 if the bytes there
// are not well-formed UTF-8.
size_t DecodeRune(std::string_view s, size_t i, uint32_t* cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  size_t len;
  uint32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, min = 0x80, *cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, min = 0x800, *cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, min = 0x10000, *cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    *cp = (*cp << 6) | (b & 0x3F);
  }
  if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF)) return 0;
  return len;
}

void AppendRune(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Upper-case letters of Latin Extended-A: in 0100-0137 and 014A-0177 the even code point
// is upper case; in 0139-0148 and 0179-017E the odd one is.
bool IsExtAUpper(uint32_t cp) {
  if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177)) return cp % 2 == 0;
  if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) return cp % 2 == 1;
  return false;
}
bool IsExtALower(uint32_t cp) {
  if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177)) return cp % 2 == 1;
  if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) return cp % 2 == 0;
  return false;
}

uint32_t LowerRune(uint32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 0x20;
  if (cp == 0x130) return 'i';  // İ
  if (cp == 0x178) return 0xFF;  // Ÿ
  if (IsExtAUpper(cp)) return cp + 1;
  return cp;
}

uint32_t UpperRune(uint32_t cp) {
  if (cp >= 'a' && cp <= 'z') return cp - 32;
  if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7) return cp - 0x20;
  if (cp == 0xFF) return 0x178;
  if (IsExtALower(cp)) return cp - 1;
  return cp;
}

template <typename Fn>
std::string MapRunes(std::string_view s, Fn fn) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    uint32_t cp;
    size_t len = DecodeRune(s, i, &cp);
    if (len == 0) {  // keep invalid bytes as they are
      out.push_back(s[i++]);
      continue;
    }
    AppendRune(fn(cp), &out);
    i += len;
  }
  return out;
}

// True if one of the 8 bytes at p is >= 0x80.
bool HasHighByte(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, 8);
  return (word & 0x8080808080808080ULL) != 0;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    if (i + 8 <= s.size() && !HasHighByte(s.data() + i)) {  // ASCII fast path, a word at a time
      i += 8;
      continue;
    }
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    if (b0 >= 0xC2 && b0 <= 0xDF) {  // two bytes (Latin letters): no overlong, no surrogate
      if (i + 1 < s.size() && (static_cast<unsigned char>(s[i + 1]) & 0xC0) == 0x80) {
        i += 2;
        continue;
      }
      return false;
    }
    uint32_t cp;
    size_t len = DecodeRune(s, i, &cp);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

size_t RuneCount(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++n) {
    if (i + 8 <= s.size() && !HasHighByte(s.data() + i)) {  // 8 ASCII runes at a time
      i += 8;
      n += 7;  // and the loop's ++n
      continue;
    }
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    uint32_t cp;
    size_t len = DecodeRune(s, i, &cp);
    i += len == 0 ? 1 : len;
  }
  return n;
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && IsSpace(s[b])) ++b;
  while (e > b && IsSpace(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c & 0x80) return MapRunes(s, LowerRune);
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c & 0x80) return MapRunes(s, UpperRune);
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  return out;
}

bool IsAscii(std::string_view s) {
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    if (HasHighByte(s.data() + i)) return false;
  }
  for (; i < s.size(); ++i) {
    if (s[i] & 0x80) return false;
  }
  return true;
}


std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

std::string AsciiFold(std::string_view s) {
  if (IsAscii(s)) return std::string(s);
  std::string out = TransliterateToLatinAscii(s);
  // What ICU left outside ASCII (emoji, symbols) is dropped, in place.
  out.erase(std::remove_if(out.begin(), out.end(), [](char c) { return (c & 0x80) != 0; }),
            out.end());
  return out;
}

bool IsServerStrippedRune(uint32_t cp) {
  return cp == 0x340 || cp == 0x341 || cp == 0x17A3 || cp == 0x17D3 || cp == 0x2028 ||
         cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x206A && cp <= 0x206F) ||
         cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFC) || (cp >= 0x1D173 && cp <= 0x1D17A) ||
         (cp >= 0xE0000 && cp <= 0xE007F);
}

bool SanitizeMayChange(std::string_view s) {
  if (IsAscii(s)) return false;
  // The lead bytes of every stripped rune: U+0340/1 (CD), U+17A3/U+17D3 (E1), U+2028..
  // U+206F (E2), U+FEFF and U+FFF9.. (EF), U+1D173.. (F0), U+E0000.. (F3).
  static const auto kLead = [] {
    std::array<bool, 256> lead{};
    for (int b : {0xCD, 0xE1, 0xE2, 0xEF, 0xF0, 0xF3}) lead[b] = true;
    return lead;
  }();
  for (unsigned char c : s) {
    if (kLead[c]) return true;
  }
  return !IsValidUtf8(s);
}

std::string SanitizeUnicode(std::string_view s) {
  if (IsAscii(s) || !SanitizeMayChange(s)) return std::string(s);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    uint32_t cp;
    const size_t len = DecodeRune(s, i, &cp);
    if (len == 0) {  // invalid bytes are dropped, like Go's strings.ToValidUTF8(s, "")
      ++i;
      continue;
    }
    if (!IsServerStrippedRune(cp)) out.append(s.substr(i, len));
    i += len;
  }
  return out;
}

bool IsReservedUsername(std::string_view s) {
  return s == "all" || s == "channel" || s == "matterbot" || s == "system";
}

std::string MattermostUsername(std::string_view s) {
  std::string folded_storage;
  std::string_view folded = s;
  if (!IsAscii(s)) folded = folded_storage = AsciiFold(s);
  std::string out;
  out.reserve(folded.size());
  for (char c : folded) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (IsSpace(c)) c = '.';
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
                    c == '_';
    if (!ok) continue;
    if (c == '.' && !out.empty() && out.back() == '.') continue;
    out.push_back(c);
  }
  auto is_punct = [](char c) { return c == '.' || c == '-' || c == '_'; };
  size_t b = 0;
  while (b < out.size() && is_punct(out[b])) ++b;
  out.erase(0, b);
  if (out.size() > 64) out.resize(64);
  while (!out.empty() && is_punct(out.back())) out.pop_back();
  if (IsReservedUsername(out)) out += "1";
  return out;
}

uint64_t Fnv1a64(std::string_view data, uint64_t hash) {
  for (unsigned char c : data) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

uint64_t Hash64(std::string_view data, uint64_t hash) {
  constexpr uint64_t kPrime = 1099511628211ULL;
  size_t i = 0;
  for (; i + 8 <= data.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, data.data() + i, 8);
    hash = (hash ^ word) * kPrime;
    hash ^= hash >> 29;
  }
  for (; i < data.size(); ++i) hash = (hash ^ static_cast<unsigned char>(data[i])) * kPrime;
  hash ^= data.size();
  return hash * kPrime;
}

namespace {
constexpr uint64_t kWordPrime = 1099511628211ULL;
uint64_t MixWord(uint64_t hash, const char* bytes) {
  uint64_t word;
  std::memcpy(&word, bytes, 8);
  hash = (hash ^ word) * kWordPrime;
  return hash ^ (hash >> 29);
}
}  // namespace

void StreamHash::Update(std::string_view data) {
  size_ += data.size();
  size_t i = 0;
  if (pending_size_ > 0) {
    const size_t take = std::min(data.size(), 8 - pending_size_);
    std::memcpy(pending_ + pending_size_, data.data(), take);
    pending_size_ += take;
    i = take;
    if (pending_size_ < 8) return;
    hash_ = MixWord(hash_, pending_);
    pending_size_ = 0;
  }
  for (; i + 8 <= data.size(); i += 8) hash_ = MixWord(hash_, data.data() + i);
  pending_size_ = data.size() - i;
  std::memcpy(pending_, data.data() + i, pending_size_);
}

uint64_t StreamHash::Finish() const {
  uint64_t hash = hash_;
  for (size_t i = 0; i < pending_size_; ++i) {
    hash = (hash ^ static_cast<unsigned char>(pending_[i])) * kWordPrime;
  }
  hash ^= size_;
  return hash * kWordPrime;
}

std::string Hex64(uint64_t value) {
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(value));
  return buf;
}

}  // namespace rostersync::text
