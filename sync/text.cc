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
