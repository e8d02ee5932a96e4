// OpenStateStore: scheme dispatch, the SQLite lock file, connector registration.
#include "state/open_store.h"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <regex>

#include "state/sql_state_store.h"

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

}  // namespace

std::string RedactDatabaseUrl(const std::string& url) {
  static const std::regex kPassword(R"(((?:^|[\s:])password\s*=\s*)('[^']*'|\S+))");
  std::string out = std::regex_replace(url, kPassword, "$1***");
  static const std::regex kUserInfo(R"((://[^:/@\s]+:)[^@\s]+@)");
  return std::regex_replace(out, kUserInfo, "$1***@");
}

Result<std::unique_ptr<StateStore>> OpenStateStore(const std::string& url) {
  RegisterConnectors();
  if (StartsWith(url, "sqlite:")) {
    std::string path = url.substr(7);
    if (path.empty()) return Status::Invalid("state.database: sqlite: needs a file path");
    std::string lock_path = path + ".lock";
    int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
      return Status::IoError("cannot create the state lock file " + lock_path + ": " +
                             std::strerror(errno) + " (does the directory exist and is it "
                             "writable?)");
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      int err = errno;
      ::close(fd);
      if (err == EWOULDBLOCK) {
        return Status::IoError("the state database " + path +
                               " is in use by another rostersync process (lock " + lock_path +
                               " is held); stop that process or use another state.database");
      }
      return Status::IoError("cannot lock " + lock_path + ": " + std::strerror(err));
    }
    auto store = SqlStateStore::Open(SqlDialect::kSqlite, path, "", fd);
    if (!store.ok()) return store.status();
    return std::unique_ptr<StateStore>(std::move(*store));
  }
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

}  // namespace rostersync
