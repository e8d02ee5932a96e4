// OwnPostgres: a PostgreSQL server of one test's own (scripts/start-postgres in a fresh
// directory on a free port), which the test may stop and start again without disturbing the
// suite's shared server. Removed with its directory when the object goes.
#ifndef ROSTERSYNC_TESTS_SUPPORT_OWN_POSTGRES_H_
#define ROSTERSYNC_TESTS_SUPPORT_OWN_POSTGRES_H_

#include <stdlib.h>

#include <cstdlib>
#include <string>

#include "tests/support/child_process.h"

namespace rostersync::testing {

class OwnPostgres {
 public:
  OwnPostgres() : port_(FreePort()) {
    char tmpl[] = "/tmp/rs-own-pg-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) return;
    dir_ = tmpl;
    ok_ = Script("") == 0;
  }
  ~OwnPostgres() {
    if (dir_.empty()) return;
    Script("--stop");
    std::system(("rm -rf '" + dir_ + "'").c_str());
  }
  OwnPostgres(const OwnPostgres&) = delete;
  OwnPostgres& operator=(const OwnPostgres&) = delete;

  bool ok() const { return ok_; }
  std::string url() const {
    return "postgresql:host=127.0.0.1 port=" + std::to_string(port_) +
           " dbname=rostersync_test user=postgres";
  }
  int Stop() { return Script("--stop"); }
  int Start() { return Script(""); }

 private:
  int Script(const std::string& flag) {
    std::string cmd = "ROSTERSYNC_PG_PORT=" + std::to_string(port_) + " bash '" + SourceDir() +
                      "/scripts/start-postgres' " + flag + " '" + dir_ + "' >/dev/null 2>&1";
    return std::system(cmd.c_str());
  }
  int port_;
  std::string dir_;
  bool ok_ = false;
};

}  // namespace rostersync::testing

#endif  // ROSTERSYNC_TESTS_SUPPORT_OWN_POSTGRES_H_
