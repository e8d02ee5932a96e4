// A PostgreSQL database of its own for one e2e test on the test server (ROSTERSYNC_TEST_PG),
// created by psql and dropped afterwards, and the config edit that points a service at it.
#ifndef ROSTERSYNC_TESTS_DAEMON_SCRATCH_DATABASE_H_
#define ROSTERSYNC_TESTS_DAEMON_SCRATCH_DATABASE_H_

#include <string>

#include "tests/support/temp_dir.h"

namespace rostersync::testing {

class ScratchDatabase {
 public:
  // Creates `<prefix>_<pid>` on the server `conninfo` names; check ok().
  ScratchDatabase(const std::string& conninfo, const std::string& prefix);
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  bool ok() const { return ok_; }
  // The server's conninfo with dbname replaced by this database.
  std::string conninfo() const;
  // The database goes away for its clients: no new connections, the open ones cut.
  bool Drop() const;

 private:
  bool Psql(const std::string& sql) const;
  std::string conninfo_;
  std::string name_;
  bool ok_ = false;
};

// A config written by WriteConfig into `dir`, with its SQLite state database replaced by
// PostgreSQL at `conninfo`.
std::string WithPostgresState(const std::string& yaml, const TempDir& dir,
                              const std::string& conninfo);

}  // namespace rostersync::testing

#endif  // ROSTERSYNC_TESTS_DAEMON_SCRATCH_DATABASE_H_
