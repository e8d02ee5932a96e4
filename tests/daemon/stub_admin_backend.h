// An AdminBackend for the admin endpoint's unit tests: ready, "up 1" metrics, and "{}" for
// every other route. Tests derive from it and override only what they look at.
#ifndef ROSTERSYNC_TESTS_DAEMON_STUB_ADMIN_BACKEND_H_
#define ROSTERSYNC_TESTS_DAEMON_STUB_ADMIN_BACKEND_H_

#include <string>

#include "daemon/admin_server.h"

namespace rostersync::testing {

class StubAdminBackend : public daemon::AdminBackend {
 public:
  bool Ready(std::string*) override { return true; }
  std::string MetricsText() override { return "up 1\n"; }
  std::string StatusJson() override { return "{}"; }
  Result<std::string> RunsJson() override { return std::string("{}"); }
  Result<std::string> PlanJson(bool) override { return std::string("{}"); }
  Result<std::string> AuditJson(const AuditQuery&) override { return std::string("{}"); }
  std::string TriggerSync() override { return "{}"; }
  Result<std::string> SyncUser(const std::string&) override { return std::string("{}"); }
  Result<std::string> SyncAndWait(const std::string&, bool, bool) override {
    return std::string("{}");
  }
};

}  // namespace rostersync::testing

#endif  // ROSTERSYNC_TESTS_DAEMON_STUB_ADMIN_BACKEND_H_
