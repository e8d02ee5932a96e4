// ASCII text helpers shared by the planner and the executor: case folding the way the server
// normalizes usernames and emails (ASCII only, like Go's strings.ToLower on those fields),
// and word lists such as a roles string. Pure functions; thread-safe. Internal to sync/.
#ifndef ROSTERSYNC_SYNC_TEXT_H_
#define ROSTERSYNC_SYNC_TEXT_H_

#include <string>
#include <string_view>

namespace rostersync {

inline char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

std::string Lower(std::string_view s);                          // ASCII letters lower-cased
bool IsLower(std::string_view s);                               // no ASCII upper-case letter
bool EqualsIgnoreCase(std::string_view a, std::string_view b);  // ASCII case folded
bool HasWord(std::string_view words, std::string_view word);    // "a b c" has "b"
bool SameWords(std::string_view a, std::string_view b);         // same set of words, any order

// `s` safe for a terminal or one text log line: C0 controls, DEL and the C1 range
// (U+0080..U+009F) become \xNN (\n, \r and \t as such), a backslash becomes \\, and
// bytes that are not valid UTF-8 become \xNN. Printable UTF-8 passes unchanged. The one
// escaper for strings from the roster or the server (plan text, log lines, CLI output).
std::string EscapeControl(std::string_view s);

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_TEXT_H_
