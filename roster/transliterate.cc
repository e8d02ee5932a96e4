#include "roster/transliterate.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

namespace rostersync::text {
namespace {

// Any-Latin romanizes other scripts (Han, Cyrillic, Greek; Vietnamese is Latin already);
// Latin-ASCII folds ł, ß, æ, đ, ø and friends; NFD + removing marks drops what is left of
// accents (a decomposed "e\u0301" as well as "ễ").
constexpr char kAnyRules[] = "Any-Latin; Latin-ASCII; NFD; [:Nonspacing Mark:] Remove; NFC";
// The same without Any-Latin, which is by far the slowest step: for text that is Latin
// already (every rune below U+0370) the result is identical.
constexpr char kLatinRules[] = "Latin-ASCII; NFD; [:Nonspacing Mark:] Remove; NFC";

// Names repeat (first names, family names): results are memoized per thread, bounded.
constexpr size_t kCacheEntries = 1 << 16;

struct ThreadState {
  std::unique_ptr<icu::Transliterator> any, latin;
  bool tried_any = false, tried_latin = false;
  std::unordered_map<std::string, std::string> cache;
  std::unordered_map<uint64_t, std::string> short_cache;  // inputs of at most 7 bytes
};

std::unique_ptr<icu::Transliterator> Create(const char* rules) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
      icu::UnicodeString::fromUTF8(rules), UTRANS_FORWARD, status));
  return U_FAILURE(status) ? nullptr : std::move(t);
}

// Each transliterator is built on first use: a roster of Latin names never pays for
// Any-Latin (building one costs milliseconds).
ThreadState& State() {
  thread_local ThreadState state;
  return state;
}
icu::Transliterator* Any(ThreadState& state) {
  if (!state.tried_any) {
    state.tried_any = true;
    state.any = Create(kAnyRules);
  }
  return state.any.get();
}
icu::Transliterator* Latin(ThreadState& state) {
  if (!state.tried_latin) {
    state.tried_latin = true;
    state.latin = Create(kLatinRules);
  }
  return state.latin.get();
}

// True when every byte sequence decodes below U+0370 (Latin, IPA, combining marks): lead
// bytes up to 0xCD.
bool LatinOnly(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0xCE) return false;
  }
  return true;
}

// Up to 7 bytes (a run like "é" or "ñú") packed with their count: the short runs' cache key.
uint64_t PackShort(std::string_view s) {
  uint64_t key = s.size();
  for (size_t i = 0; i < s.size(); ++i) {
    key |= uint64_t{static_cast<unsigned char>(s[i])} << (8 * (i + 1));
  }
  return key;
}

// Appends the transliteration of `s` to *out (results are cached by input: a Latin-only
// input gives the same result through either transliterator).
void Transliterate(ThreadState& state, icu::Transliterator* t, std::string_view s,
                   std::string* out) {
  const bool small = s.size() <= 7;
  if (small) {
    if (auto hit = state.short_cache.find(PackShort(s)); hit != state.short_cache.end()) {
      out->append(hit->second);
      return;
    }
  } else if (auto hit = state.cache.find(std::string(s)); hit != state.cache.end()) {
    out->append(hit->second);
    return;
  }
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  t->transliterate(u);
  std::string result;
  u.toUTF8String(result);
  out->append(result);
  if (small) {
    if (state.short_cache.size() >= kCacheEntries) state.short_cache.clear();
    state.short_cache.emplace(PackShort(s), std::move(result));
  } else {
    if (state.cache.size() >= kCacheEntries) state.cache.clear();
    state.cache.emplace(std::string(s), std::move(result));
  }
}

}  // namespace

std::string TransliterateToLatinAscii(std::string_view s) {
  ThreadState& state = State();
  icu::Transliterator* const latin = LatinOnly(s) ? Latin(state) : nullptr;
  if (latin == nullptr) {
    icu::Transliterator* const any = Any(state);
    if (any == nullptr) return std::string(s);
    std::string out;
    Transliterate(state, any, s, &out);
    return out;
  }
  // Latin text folds character by character: only the non-ASCII runs ("é", "ñú") go
  // through ICU, and those few runs are what the cache holds.
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    size_t j = i;
    while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0x80) == 0) ++j;
    out.append(s.substr(i, j - i));
    i = j;
    while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0x80) != 0) ++j;
    if (j > i) Transliterate(state, latin, s.substr(i, j - i), &out);
    i = j;
  }
  return out;
}

}  // namespace rostersync::text
