// The one redactor (redact.h).
#include "sync/redact.h"

#include <cctype>
#include <cstring>

namespace rostersync::redact {

namespace {

// The length of a password key at text[i] ("password", "passwd", "pwd"), or 0.
size_t PasswordKeyAt(const std::string& text, size_t i) {
  for (const char* key : {"password", "passwd", "pwd"}) {
    const size_t n = std::strlen(key);
    if (i + n > text.size()) continue;
    bool match = true;
    for (size_t k = 0; k < n && match; ++k) {
      match = std::tolower(static_cast<unsigned char>(text[i + k])) == key[k];
    }
    // A whole word: not the tail of a longer name ("nopwd=").
    if (match && (i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1])))) return n;
  }
  return 0;
}

// The end of a value starting at j: after its closing quote, or at a blank, ';' or newline.
size_t ValueEnd(const std::string& text, size_t j) {
  if (j < text.size() && (text[j] == '\'' || text[j] == '"')) {
    const size_t close = text.find(text[j], j + 1);
    return close == std::string::npos ? text.size() : close + 1;
  }
  while (j < text.size() && text[j] != ' ' && text[j] != ';' && text[j] != '\n' &&
         text[j] != '\t') {
    ++j;
  }
  return j;
}

std::string KeyValuePasswords(const std::string& text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t key_len = PasswordKeyAt(text, i);
    size_t j = i + key_len;
    while (key_len > 0 && j < text.size() && text[j] == ' ') ++j;
    if (key_len == 0 || j >= text.size() || text[j] != '=') {
      out.push_back(text[i++]);
      continue;
    }
    out.append(text, i, key_len).append("=***");
    ++j;
    while (j < text.size() && text[j] == ' ') ++j;
    i = ValueEnd(text, j);
  }
  return out;
}

}  // namespace

std::string Token(std::string text, const std::string& secret) {
  if (secret.size() < 4) return text;
  for (size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos)) {
    text.replace(pos, secret.size(), "[redacted]");
  }
  return text;
}

std::string UrlUserinfo(std::string text) {
  for (size_t at = text.find("://"); at != std::string::npos; at = text.find("://", at + 3)) {
    const size_t start = at + 3;
    const size_t end = text.find_first_of("/?# \t\n\"'", start);  // the authority ends here
    const size_t limit = end == std::string::npos ? text.size() : end;
    const size_t sign = text.rfind('@', limit);
    if (sign == std::string::npos || sign < start || sign >= limit) continue;
    const size_t colon = text.find(':', start);
    if (colon == std::string::npos || colon > sign) continue;
    text.replace(colon + 1, sign - colon - 1, "***");
  }
  return text;
}

std::string ConnectionString(std::string text) { return UrlUserinfo(KeyValuePasswords(text)); }

}  // namespace rostersync::redact
