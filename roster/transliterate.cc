#include "roster/transliterate.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <memory>

namespace rostersync::text {
namespace {

// Any-Latin romanizes other scripts (Han, Cyrillic, Greek, Vietnamese stays Latin);
// Latin-ASCII folds ł, ß, æ, đ, ø and friends; NFD + removing marks drops what is left of
// accents (a decomposed "e\u0301" as well as "ễ").
constexpr char kRules[] = "Any-Latin; Latin-ASCII; NFD; [:Nonspacing Mark:] Remove; NFC";

icu::Transliterator* ThreadTransliterator() {
  thread_local std::unique_ptr<icu::Transliterator> instance;
  thread_local bool tried = false;
  if (!tried) {
    tried = true;
    UErrorCode status = U_ZERO_ERROR;
    instance.reset(icu::Transliterator::createInstance(icu::UnicodeString::fromUTF8(kRules),
                                                       UTRANS_FORWARD, status));
    if (U_FAILURE(status)) instance.reset();
  }
  return instance.get();
}

}  // namespace

std::string TransliterateToLatinAscii(std::string_view s) {
  icu::Transliterator* t = ThreadTransliterator();
  if (t == nullptr) return std::string(s);
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  t->transliterate(u);
  std::string out;
  u.toUTF8String(out);
  return out;
}

}  // namespace rostersync::text
