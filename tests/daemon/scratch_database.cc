// A PostgreSQL database of its own for one e2e test (see scratch_database.h).
#include "tests/daemon/scratch_database.h"

#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "tests/daemon/e2e_support.h"
#include "tests/support/child_process.h"

namespace rostersync::testing {

ScratchDatabase::ScratchDatabase(const std::string& prefix)
    : conninfo_(PostgresConnInfo()), name_(prefix + "_" + std::to_string(getpid())) {
  if (conninfo_.empty()) {
    error_ = "PostgreSQL is a prerequisite, not optional: ROSTERSYNC_TEST_PG is unset "
             "(scripts/test starts a server); see scripts/start-postgres";
  } else if (!Psql("DROP DATABASE IF EXISTS " + name_) || !Psql("CREATE DATABASE " + name_)) {
    error_ = "cannot create a scratch database with psql";
  }
}

ScratchDatabase::~ScratchDatabase() {
  if (!conninfo_.empty()) Psql("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
}

std::string ScratchDatabase::conninfo() const {
  std::string out;
  std::istringstream in(conninfo_);
  for (std::string word; in >> word;) {
    if (word.rfind("dbname=", 0) == 0) word = "dbname=" + name_;
    out += (out.empty() ? "" : " ") + word;
  }
  return out;
}

bool ScratchDatabase::Drop() const {
  return Psql("ALTER DATABASE " + name_ + " ALLOW_CONNECTIONS false") &&
         Psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\\''" +
              name_ + "'\\''");
}

bool ScratchDatabase::Psql(const std::string& sql) const {
  std::string cmd =
      "psql '" + conninfo_ + "' -q -v ON_ERROR_STOP=1 -c '" + sql + "' >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

std::string WithPostgresState(const std::string& yaml, const TempDir& dir,
                              const std::string& conninfo) {
  return Replace(yaml, "\"sqlite:" + dir.File("state.db") + "\"",
                 "\"postgresql:" + conninfo + "\"");
}

}  // namespace rostersync::testing
