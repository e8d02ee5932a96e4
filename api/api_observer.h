// ApiObserver: a hook the client calls after every HTTP exchange, so that the daemon can
// feed Prometheus metrics without api/ depending on prometheus-cpp.
// Not owned by the client; must outlive it. Called from several threads at once.
#ifndef ROSTERSYNC_API_API_OBSERVER_H_
#define ROSTERSYNC_API_API_OBSERVER_H_

#include <string>

namespace rostersync::api {

class ApiObserver {
 public:
  virtual ~ApiObserver() = default;
  // One call per attempt (retries count separately). route_template is e.g.
  // "/api/v4/users/{user_id}" so label cardinality stays bounded; http_status is 0 when no
  // answer arrived (reset, timeout, refused).
  virtual void OnRequest(const std::string& method, const std::string& route_template,
                         int http_status, double seconds) = 0;
  // One call per 429 answer received.
  virtual void OnRateLimited() = 0;
};

}  // namespace rostersync::api

#endif  // ROSTERSYNC_API_API_OBSERVER_H_
