// PgLeaderLock: see state/leader_lock.h.
#include "state/leader_lock.h"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Exception.h>

#include <regex>

#include "sync/redact.h"

namespace rostersync {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

std::unique_ptr<LeaderElection> OpenLeaderElection(const std::string& database) {
  for (const char* prefix : {"postgresql:", "postgres:"}) {
    std::string p(prefix);
    if (database.rfind(p, 0) == 0 && database.size() > p.size()) {
      return std::make_unique<PgLeaderLock>(database.substr(p.size()));
    }
  }
  return std::make_unique<SoleLeader>();
}

PgLeaderLock::PgLeaderLock(std::string conninfo) : conninfo_(std::move(conninfo)) {}

PgLeaderLock::~PgLeaderLock() = default;

namespace {

// The value of password=... in a libpq conninfo ('' quoting allowed), or "".
std::string ConnInfoPassword(const std::string& conninfo) {
  static const std::regex kPassword(R"((?:^|\s)password\s*=\s*('([^']*)'|(\S+)))");
  std::smatch m;
  if (!std::regex_search(conninfo, m, kPassword)) return "";
  return m[2].matched ? m[2].str() : m[3].str();
}

}  // namespace

Status PgLeaderLock::Acquire() {
  try {
    if (session_ && held_) {
      int one = 0;
      *session_ << "SELECT 1", into(one), now;  // still connected: still ours
      return Status::Ok();
    }
    if (!session_ || !session_->isConnected()) {
      Poco::Data::PostgreSQL::Connector::registerConnector();
      session_ = std::make_unique<Poco::Data::Session>("PostgreSQL", conninfo_);
    }
    int got = 0;
    *session_ << "SELECT CASE WHEN pg_try_advisory_lock(" + std::to_string(kLockKey) +
                     ") THEN 1 ELSE 0 END",
        into(got), now;
    held_ = got == 1;
  } catch (const Poco::Exception& e) {
    session_.reset();
    held_ = false;
    // The driver may echo the conninfo: mask its password, then anything shaped like one.
    std::string text = redact::ConnectionString(
        redact::Token(e.displayText(), ConnInfoPassword(conninfo_)));
    return Status::IoError("cannot reach the PostgreSQL state database to take the leader "
                           "lock: " + text + " (check state.database)");
  }
  if (held_) return Status::Ok();
  return Status::Conflict("another rostersync instance holds the leader lock");
}

}  // namespace rostersync
