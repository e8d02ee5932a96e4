#include "daemon/leader_lock.h"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Exception.h>
#include <spdlog/spdlog.h>

namespace rostersync::daemon {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

LeaderLock::LeaderLock(std::string database) {
  for (const char* prefix : {"postgresql:", "postgres:"}) {
    std::string p(prefix);
    if (database.rfind(p, 0) == 0) conninfo_ = database.substr(p.size());
  }
}

LeaderLock::~LeaderLock() = default;  // closing the session releases the lock

bool LeaderLock::TryAcquire() {
  if (!needed()) return held_ = true;
  try {
    if (session_ && held_) {
      int one = 0;
      *session_ << "SELECT 1", into(one), now;  // still connected: still ours
      return true;
    }
    if (!session_ || !session_->isConnected()) {
      Poco::Data::PostgreSQL::Connector::registerConnector();
      session_ = std::make_unique<Poco::Data::Session>("PostgreSQL", conninfo_);
    }
    int got = 0;
    *session_ << "SELECT CASE WHEN pg_try_advisory_lock(" + std::to_string(kLockKey) +
                     ") THEN 1 ELSE 0 END",
        into(got), now;
    if (got && !held_) spdlog::info("took the leader lock: this instance applies changes");
    held_ = got == 1;
  } catch (const Poco::Exception& e) {
    if (held_) spdlog::error("lost the leader lock session; standing by");
    // Never echo the conninfo: it may hold a password.
    spdlog::warn("leader lock: PostgreSQL state database unavailable ({})", e.name());
    session_.reset();
    held_ = false;
  }
  return held_;
}

}  // namespace rostersync::daemon
