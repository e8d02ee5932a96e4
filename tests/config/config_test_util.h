// Helpers for the config tests: a temp dir holding a 0600 token file and a minimal valid
// config that tests extend. One per test; not thread-safe.
#ifndef ROSTERSYNC_TESTS_CONFIG_CONFIG_TEST_UTIL_H_
#define ROSTERSYNC_TESTS_CONFIG_CONFIG_TEST_UTIL_H_

#include <sys/stat.h>

#include <string>
#include <vector>

#include "config/config_loader.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {

inline constexpr char kSecretToken[] = "s3cr3ttokenvalue0123456789";

class ConfigFixture {
 public:
  ConfigFixture() {
    token_file_ = dir_.Write("mm-token", std::string(kSecretToken) + "\n");
    ::chmod(token_file_.c_str(), 0600);
  }
  const TempDir& dir() const { return dir_; }
  const std::string& token_file() const { return token_file_; }

  // A complete valid config; `extra` is appended (top-level sections only).
  std::string Valid(const std::string& extra = "") const {
    return "mattermost:\n"
           "  url: https://chat.example.com\n"
           "  token_file: " +
           token_file_ +
           "\n"
           "roster:\n"
           "  key: employee_id\n"
           "  csv: {path: " +
           dir_.Write("roster.csv", "employee_id,email\n") + "}\n" + extra;
  }

 private:
  TempDir dir_;
  std::string token_file_;
};

// The problems whose key_path is `path`.
inline std::vector<ConfigProblem> ProblemsAt(const ConfigLoad& load, const std::string& path) {
  std::vector<ConfigProblem> out;
  for (const ConfigProblem& p : load.problems) {
    if (p.key_path == path) out.push_back(p);
  }
  return out;
}

}  // namespace rostersync::testing

#endif  // ROSTERSYNC_TESTS_CONFIG_CONFIG_TEST_UTIL_H_
