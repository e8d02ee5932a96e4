// ASCII case folding and word lists (sync/text.h).
#include "sync/text.h"

#include <algorithm>
#include <vector>

namespace rostersync {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = LowerAscii(c);
  return out;
}

bool IsLower(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a == b) return true;  // the usual case: one memcmp
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

bool HasWord(std::string_view words, std::string_view word) {
  if (word.empty()) return false;
  size_t pos = 0;
  while ((pos = words.find(word, pos)) != std::string_view::npos) {
    size_t end = pos + word.size();
    if ((pos == 0 || words[pos - 1] == ' ') && (end == words.size() || words[end] == ' ')) {
      return true;
    }
    pos = end;
  }
  return false;
}

static std::vector<std::string_view> SortedWords(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t start = i;
    while (i < s.size() && s[i] != ' ') ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool SameWords(std::string_view a, std::string_view b) { return SortedWords(a) == SortedWords(b); }

}  // namespace rostersync

namespace rostersync {
namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 if it is not one.
std::size_t Utf8Length(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
  }
  if (n == 2 && c < 0xC2) return 0;                                  // overlong
  if (n == 3 && c == 0xE0 && b(1) < 0xA0) return 0;                  // overlong
  if (n == 3 && c == 0xED && b(1) >= 0xA0) return 0;                 // surrogate
  if (n == 4 && (c > 0xF4 || (c == 0xF0 && b(1) < 0x90) || (c == 0xF4 && b(1) >= 0x90))) {
    return 0;
  }
  return n;
}

void AppendHex(unsigned char c, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->append("\\x");
  out->push_back(kHex[c >> 4]);
  out->push_back(kHex[c & 0xF]);
}

}  // namespace

std::string EscapeControl(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\\') {
      out.append("\\\\");
    } else if (c == '\n') {
      out.append("\\n");
    } else if (c == '\r') {
      out.append("\\r");
    } else if (c == '\t') {
      out.append("\\t");
    } else if (c < 0x20 || c == 0x7F) {
      AppendHex(c, &out);
    } else if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      std::size_t n = Utf8Length(s, i);
      if (n == 0) {
        AppendHex(c, &out);
        ++i;
        continue;
      }
      if (n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) {
        AppendHex(c, &out);  // a C1 control, U+0080..U+009F
        AppendHex(static_cast<unsigned char>(s[i + 1]), &out);
      } else {
        out.append(s.substr(i, n));
      }
      i += n;
      continue;
    }
    ++i;
  }
  return out;
}

}  // namespace rostersync
