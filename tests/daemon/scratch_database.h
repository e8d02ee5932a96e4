// A PostgreSQL database of its own for one e2e test on the test server (ROSTERSYNC_TEST_PG),
// created by psql and dropped afterwards, and the config edit that points a service at it.
#ifndef ROSTERSYNC_TESTS_DAEMON_SCRATCH_DATABASE_H_
#define ROSTERSYNC_TESTS_DAEMON_SCRATCH_DATABASE_H_

#include <string>

#include "tests/support/temp_dir.h"

namespace rostersync::testing {

class ScratchDatabase {
 public:
  // Creates `<prefix>_<pid>` on the test server (ROSTERSYNC_TEST_PG). Check ok(); error()
  // says why not (PostgreSQL is a prerequisite of these tests, not optional).
  explicit ScratchDatabase(const std::string& prefix);
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  // The server's conninfo with dbname replaced by this database.
  std::string conninfo() const;
  // The database goes away for its clients: no new connections, the open ones cut.
  bool Drop() const;

 private:
  bool Psql(const std::string& sql) const;
  std::string conninfo_;
  std::string name_;
  std::string error_;
};

// A config written by WriteConfig into `dir`, with its SQLite state database replaced by
// PostgreSQL at `conninfo`.
std::string WithPostgresState(const std::string& yaml, const TempDir& dir,
                              const std::string& conninfo);

}  // namespace rostersync::testing

#endif  // ROSTERSYNC_TESTS_DAEMON_SCRATCH_DATABASE_H_
