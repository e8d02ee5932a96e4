// OpenStateStore: scheme dispatch, the SQLite lock file, connector registration.
#include "state/open_store.h"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <regex>
#include <sstream>

#include "state/sql_state_store.h"
#include "sync/redact.h"

namespace rostersync {
namespace {

void RegisterConnectors() {
  static std::once_flag once;
  std::call_once(once, [] {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::PostgreSQL::Connector::registerConnector();
  });
}

// The value of password=... in a libpq conninfo ('' quoting allowed), or "".
std::string ConnInfoPassword(const std::string& conninfo) {
  static const std::regex kPassword(R"((?:^|\s)password\s*=\s*('([^']*)'|(\S+)))");
  std::smatch m;
  if (!std::regex_search(conninfo, m, kPassword)) return "";
  return m[2].matched ? m[2].str() : m[3].str();
}

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

Result<std::unique_ptr<StateStore>> OpenPostgres(const std::string& url);

}  // namespace

std::string RedactDatabaseUrl(const std::string& url) { return redact::ConnectionString(url); }

int FlockHolderPid(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  char id[64];
  std::snprintf(id, sizeof id, "%02x:%02x:%llu", major(st.st_dev), minor(st.st_dev),
                static_cast<unsigned long long>(st.st_ino));
  std::ifstream locks("/proc/locks");
  // "1: FLOCK  ADVISORY  WRITE 4242 08:01:1234 0 EOF"
  for (std::string line; std::getline(locks, line);) {
    std::istringstream in(line);
    std::string n, kind, advisory, mode, pid, dev_ino;
    if (!(in >> n >> kind >> advisory >> mode >> pid >> dev_ino)) continue;
    if (kind == "FLOCK" && dev_ino == id) return std::atoi(pid.c_str());
  }
  return 0;
}

namespace {

// Opens (creating 0600) and flocks the SQLite file itself; the fd is the store's to close.
Result<int> LockSqliteFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::IoError("cannot create or open the state database " + path + ": " +
                           std::strerror(errno) +
                           " (does the directory exist and is it writable?)");
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(fd);
    if (err != EWOULDBLOCK) return Status::IoError("cannot lock " + path + ": " + std::strerror(err));
    int pid = FlockHolderPid(path);
    std::string holder = pid > 0 ? "process " + std::to_string(pid) : "another process";
    if (pid == ::getpid()) holder = "this process (pid " + std::to_string(pid) + ")";
    return Status::Conflict("the state database " + path +
                            " is in use by another rostersync process: " + holder +
                            " holds its lock; stop it, or use the running service (read-only "
                            "commands work beside it), or use another state.database");
  }
  return fd;
}

}  // namespace

Result<std::unique_ptr<StateStore>> OpenStateStore(const std::string& url) {
  RegisterConnectors();
  if (StartsWith(url, "sqlite:")) {
    std::string path = url.substr(7);
    if (path.empty()) return Status::Invalid("state.database: sqlite: needs a file path");
    Result<int> fd = LockSqliteFile(path);
    if (!fd.ok()) return fd.status();
    auto store = SqlStateStore::Open(SqlDialect::kSqlite, path, "", *fd);
    if (!store.ok()) return store.status();
    return std::unique_ptr<StateStore>(std::move(*store));
  }
  return OpenPostgres(url);
}

Result<std::unique_ptr<StateStore>> OpenStateStoreForReading(const std::string& url) {
  RegisterConnectors();
  if (!StartsWith(url, "sqlite:")) return OpenStateStore(url);
  std::string path = url.substr(7);
  struct stat st {};
  if (path.empty() || ::stat(path.c_str(), &st) != 0 || st.st_size == 0) {
    return OpenStateStore(url);  // nothing to read yet: create it like any first run
  }
  auto store = SqlStateStore::Open(SqlDialect::kSqlite, path, "", -1, /*read_only=*/true);
  if (store.ok()) return std::unique_ptr<StateStore>(std::move(*store));
  if (store.status().code() == Status::Code::kInvalid) return OpenStateStore(url);  // schema behind
  return store.status();
}

namespace {

Result<std::unique_ptr<StateStore>> OpenPostgres(const std::string& url) {
  std::string conninfo;
  if (StartsWith(url, "postgresql:")) conninfo = url.substr(11);
  else if (StartsWith(url, "postgres:")) conninfo = url.substr(9);
  else {
    return Status::Invalid("state.database \"" + RedactDatabaseUrl(url) +
                           "\": use sqlite:/path/state.db or postgresql:host=... dbname=...");
  }
  auto store = SqlStateStore::Open(SqlDialect::kPostgres, conninfo, ConnInfoPassword(conninfo), -1);
  if (!store.ok()) return store.status();
  return std::unique_ptr<StateStore>(std::move(*store));
}

}  // namespace
}  // namespace rostersync
