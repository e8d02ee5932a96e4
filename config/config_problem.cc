// ConfigProblem / ConfigLoad formatting and the loader's small shared helpers.
#include <algorithm>

#include "config/config_internal.h"
#include "config/config_loader.h"

namespace rostersync {

std::string ConfigProblem::ToString() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line) + ":" + std::to_string(column);
  out += ": ";
  if (!key_path.empty()) out += key_path + ": ";
  if (warning) out += "warning: ";
  return out + message;
}

bool ConfigLoad::ok() const {
  return std::none_of(problems.begin(), problems.end(),
                      [](const ConfigProblem& p) { return !p.warning; });
}

std::string ConfigLoad::Report() const {
  std::string out;
  for (const ConfigProblem& p : problems) out += p.ToString() + "\n";
  return out;
}

namespace config_internal {

YAML::Mark LoadContext::MarkOf(const std::string& path) const {
  std::string p = path;
  while (!p.empty()) {
    auto it = marks_.find(p);
    if (it != marks_.end()) return it->second;
    const size_t dot = p.rfind('.');
    p = dot == std::string::npos ? "" : p.substr(0, dot);
  }
  return YAML::Mark::null_mark();
}

void LoadContext::Add(const YAML::Mark& mark, const std::string& path, std::string message,
                      bool warning) {
  ConfigProblem p;
  p.file = file_;
  if (!mark.is_null() && mark.line >= 0) {
    p.line = mark.line + 1;
    p.column = mark.column + 1;
  }
  p.key_path = path;
  p.message = std::move(message);
  p.warning = warning;
  out_->push_back(std::move(p));
}

int EditDistance(const std::string& a, const std::string& b) {
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      const int sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string DidYouMean(const std::string& word, const std::vector<std::string>& candidates) {
  if (word.empty() || word.size() > 64) return "";
  const std::string* best = nullptr;
  int best_distance = 0;
  for (const std::string& c : candidates) {
    if (c.empty()) continue;
    // A prefix ("warning" for "warn") counts as one edit: it is what people mistype.
    const bool prefix = word.compare(0, c.size(), c) == 0 || c.compare(0, word.size(), word) == 0;
    const int d = prefix ? 1 : EditDistance(word, c);
    if (best == nullptr || d < best_distance) {
      best = &c;
      best_distance = d;
    }
  }
  // Close enough to be a typo: at most 2 edits, or a third of the word.
  const int limit = std::max<int>(2, static_cast<int>(word.size()) / 3);
  if (best == nullptr || best_distance == 0 || best_distance > limit) return "";
  return "; did you mean '" + *best + "'?";
}

std::string JoinChoices(const std::vector<std::string>& choices) {
  std::string out;
  for (const std::string& c : choices) {
    if (!out.empty()) out += " | ";
    out += c.empty() ? "\"\"" : c;
  }
  return out;
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

YAML::Mark MarkOr(const YAML::Node& node, const YAML::Mark& fallback) {
  if (!node.IsDefined()) return fallback;
  const YAML::Mark m = node.Mark();
  return m.is_null() ? fallback : m;
}

std::string Describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsMap()) return "a map";
  if (node.IsSequence()) return "a list";
  return "a single value";
}

}  // namespace config_internal
}  // namespace rostersync
