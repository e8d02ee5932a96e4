// ReadMattermostToken and ToPlannerOptions: what the rest of the program takes from a Config.
#include <cstdlib>

#include "config/config_loader.h"
#include "config/host_and_secrets.h"

namespace rostersync {
namespace {

std::string Trim(const std::string& s) {
  const char* ws = " \t\r\n\v\f";
  const size_t b = s.find_first_not_of(ws);
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

// Paths are shown; a value without '/' may be a token pasted in the wrong place.
std::string ShownPath(const std::string& path) {
  return path.find('/') == std::string::npos ? "(value not shown)" : path;
}

Result<std::string> CheckToken(std::string token, const std::string& where) {
  token = Trim(token);
  if (token.empty()) return Status::Invalid(where + " is empty; it must hold the access token");
  if (token.find_first_of(" \t\r\n") != std::string::npos) {
    return Status::Invalid(where + " holds more than one word; it must hold only the access token");
  }
  return token;
}

}  // namespace

Result<std::string> ReadMattermostToken(const MattermostConfig& mm) {
  if (!mm.token_file.empty() && !mm.token_env.empty()) {
    return Status::Invalid("mattermost: set only one of token_file or token_env");
  }
  if (!mm.token_file.empty()) {
    const std::string where = "mattermost.token_file " + ShownPath(mm.token_file);
    Result<std::string> text = ReadSecretFile(mm.token_file, where);
    if (!text.ok()) return text.status();
    return CheckToken(*text, where);
  }
  if (!mm.token_env.empty()) {
    const char* value = std::getenv(mm.token_env.c_str());
    if (value == nullptr) {
      return Status::Invalid("the environment variable named by mattermost.token_env is not set");
    }
    return CheckToken(value, "the environment variable named by mattermost.token_env");
  }
  return Status::Invalid(
      "no Mattermost token configured: set mattermost.token_file or mattermost.token_env");
}

PlannerOptions ToPlannerOptions(const Config& config) {
  PlannerOptions o;
  o.policy = config.policy;
  o.scope = config.scope;
  o.match = config.match;
  o.update_fields = std::set<std::string>(config.fields.update.begin(), config.fields.update.end());
  o.mapped_fields.clear();
  for (const auto& [name, spec] : config.fields.specs) o.mapped_fields.insert(name);
  return o;
}

}  // namespace rostersync
