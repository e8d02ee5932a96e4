// ASCII transliteration of names through ICU: "Any-Latin; Latin-ASCII", then combining marks
// removed. One ICU Transliterator per thread (ICU's are not safe to share while in use), so
// the function is thread-safe. Used by text::AsciiFold; nothing else includes ICU.
#ifndef ROSTERSYNC_ROSTER_TRANSLITERATE_H_
#define ROSTERSYNC_ROSTER_TRANSLITERATE_H_

#include <string>
#include <string_view>

namespace rostersync::text {

// UTF-8 in, UTF-8 out (mostly ASCII): "Hương Nguyễn Thị" -> "Huong Nguyen Thi", "王秀英" ->
// "wang xiu ying", "Łukasz" -> "Lukasz". Characters with no Latin form may remain. If ICU
// cannot build the transliterator (data missing), `s` is returned unchanged.
std::string TransliterateToLatinAscii(std::string_view s);

}  // namespace rostersync::text

#endif  // ROSTERSYNC_ROSTER_TRANSLITERATE_H_
