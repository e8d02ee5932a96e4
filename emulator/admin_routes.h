// The emulator's own control routes under /__emu (stats, state dump, faults, rate limit,
// seeding, request log). Need "Authorization: Bearer <admin token>"; never subject to
// faults or rate limits. Borrows everything; thread-safe because its parts are.
#ifndef ROSTERSYNC_TESTS_EMULATOR_ADMIN_ROUTES_H_
#define ROSTERSYNC_TESTS_EMULATOR_ADMIN_ROUTES_H_

#include <string>

#include "emulator/api_types.h"
#include "emulator/faults.h"
#include "emulator/modes.h"
#include "emulator/rate_limiter.h"
#include "emulator/stats.h"
#include "emulator/user_store.h"

namespace mmemu {

class Webhooks;

class AdminRoutes {
 public:
  AdminRoutes(UserStore* store, Stats* stats, Faults* faults, RateLimiter* limiter, Modes* modes,
              std::string admin_token);
  // Normalized route name for stats ("GET /__emu/stats").
  static std::string RouteName(const std::string& method, const std::string& path);
  void Handle(const ApiRequest& req, ApiResponse* resp);
  // /__emu/posts, /__emu/click and the state dump's "posts" (webhooks.h); not owned.
  void set_webhooks(Webhooks* webhooks) { webhooks_ = webhooks; }

 private:
  std::string StateJson() const;
  // GET/PUT /__emu/faults: the fault config and the server modes in one object.
  void HandleFaults(const ApiRequest& req, ApiResponse* resp);
  // POST /__emu/users/{id}/confirm_email: the person clicks the verification link.
  void ConfirmEmail(const ApiRequest& req, const std::string& user_id, ApiResponse* resp);
  // GET/PUT /__emu/rate_limit: reads or sets the limiter.
  void HandleRateLimit(const ApiRequest& req, ApiResponse* resp);
  // POST /__emu/users: adds seed users (the seed file's JSON shape).
  void HandleAddUsers(const ApiRequest& req, ApiResponse* resp);
  // GET /__emu/requests?limit=N: the most recent requests.
  void HandleRequests(const ApiRequest& req, ApiResponse* resp);

  UserStore* store_;
  Stats* stats_;
  Faults* faults_;
  RateLimiter* limiter_;
  Modes* modes_;
  std::string admin_token_;
  Webhooks* webhooks_ = nullptr;
};

}  // namespace mmemu

#endif  // ROSTERSYNC_TESTS_EMULATOR_ADMIN_ROUTES_H_
