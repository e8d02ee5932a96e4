// Internal to config/: the problem collector and the validators the loader is split into.
// Not part of the public API. LoadContext is single-threaded, one per ParseConfig call.
#ifndef ROSTERSYNC_CONFIG_CONFIG_INTERNAL_H_
#define ROSTERSYNC_CONFIG_CONFIG_INTERNAL_H_

#include <yaml-cpp/yaml.h>

#include <map>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/config_loader.h"

namespace rostersync::config_internal {

// Collects problems for one file and remembers where each key was written.
class LoadContext {
 public:
  LoadContext(std::string file, std::vector<ConfigProblem>* out)
      : file_(std::move(file)), out_(out) {}

  void Error(const YAML::Mark& mark, const std::string& path, std::string message) {
    Add(mark, path, std::move(message), false);
  }
  void Warn(const YAML::Mark& mark, const std::string& path, std::string message) {
    Add(mark, path, std::move(message), true);
  }
  // At the place `path` was written, else at its closest written parent, else placeless.
  void ErrorAt(const std::string& path, std::string message) {
    Add(MarkOf(path), path, std::move(message), false);
  }
  void WarnAt(const std::string& path, std::string message) {
    Add(MarkOf(path), path, std::move(message), true);
  }

  void Remember(const std::string& path, const YAML::Mark& mark) { marks_[path] = mark; }
  bool Has(const std::string& path) const { return marks_.count(path) > 0; }
  YAML::Mark MarkOf(const std::string& path) const;
  const std::string& file() const { return file_; }

 private:
  void Add(const YAML::Mark& mark, const std::string& path, std::string message, bool warning);

  std::string file_;
  std::vector<ConfigProblem>* out_;
  std::map<std::string, YAML::Mark> marks_;  // dotted path -> where its value was written
};

// Levenshtein distance, for did-you-mean.
int EditDistance(const std::string& a, const std::string& b);
// "; did you mean 'timeout'?" for the closest candidate within a small distance, else "".
std::string DidYouMean(const std::string& word, const std::vector<std::string>& candidates);
// "a | b | c"; "" shows as "\"\"".
std::string JoinChoices(const std::vector<std::string>& choices);
bool Contains(const std::vector<std::string>& v, const std::string& s);
// A node's mark, or `fallback` when the node has none (null values).
YAML::Mark MarkOr(const YAML::Node& node, const YAML::Mark& fallback);
// "a map", "a list", "a value", "nothing".
std::string Describe(const YAML::Node& node);

// config_fields.cc: one `fields.<name>` spec (map or null) into fields.specs[name].
void ParseFieldSpec(const std::string& name, const YAML::Node& key, const YAML::Node& node,
                    LoadContext& ctx, FieldsConfig& fields);
// config_membership.cc: membership.teams / membership.channels (a list of maps).
void ParseMembershipList(const std::string& path, const YAML::Node& node, const YAML::Mark& at,
                         LoadContext& ctx, Config& config);

// config_fields.cc: defaults when nothing is mapped, required fields, fields.update entries.
void CheckFields(LoadContext& ctx, Config& config);
// config_checks.cc: required keys, tokens and other referenced files, cross-key rules.
void CheckConfig(LoadContext& ctx, Config& config);

}  // namespace rostersync::config_internal

#endif  // ROSTERSYNC_CONFIG_CONFIG_INTERNAL_H_
