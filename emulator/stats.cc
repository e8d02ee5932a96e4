#include "emulator/stats.h"

#include "emulator/json_writer.h"

namespace mmemu {

void Stats::Record(const std::string& route, const std::string& method, const std::string& path,
                   int status, bool api_write, bool applied_write, bool rate_limited) {
  std::lock_guard lock(mu_);
  ++requests_total_;
  if (api_write) ++writes_total_;
  if (applied_write) ++writes_applied_total_;
  if (rate_limited) ++rate_limited_total_;
  ++by_route_[route];
  ++by_status_[std::to_string(status)];
  log_.push_back(Entry{method, path, status});
  if (log_.size() > kMaxLog) log_.pop_front();
}

void Stats::AddBytes(int64_t request_body, int64_t response_body) {
  std::lock_guard lock(mu_);
  request_bytes_total_ += request_body;
  response_bytes_total_ += response_body;
}

void Stats::Reset() {
  std::lock_guard lock(mu_);
  requests_total_ = writes_total_ = writes_applied_total_ = rate_limited_total_ = 0;
  request_bytes_total_ = response_bytes_total_ = 0;
  by_route_.clear();
  by_status_.clear();
  log_.clear();
}

std::string Stats::Json() const {
  std::lock_guard lock(mu_);
  JsonWriter w;
  w.BeginObject()
      .Field("requests_total", requests_total_)
      .Field("writes_total", writes_total_)
      .Field("writes_applied_total", writes_applied_total_)
      .Field("request_bytes_total", request_bytes_total_)
      .Field("response_bytes_total", response_bytes_total_);
  w.Key("by_route").BeginObject();
  for (const auto& [k, v] : by_route_) w.Field(k, v);
  w.EndObject();
  w.Key("by_status").BeginObject();
  for (const auto& [k, v] : by_status_) w.Field(k, v);
  w.EndObject();
  w.Field("rate_limited_total", rate_limited_total_);
  w.EndObject();
  return w.Take();
}

std::string Stats::RecentJson(size_t limit) const {
  std::lock_guard lock(mu_);
  JsonWriter w;
  w.BeginArray();
  size_t start = log_.size() > limit ? log_.size() - limit : 0;
  for (size_t i = start; i < log_.size(); ++i) {
    w.BeginObject()
        .Field("method", log_[i].method)
        .Field("path", log_[i].path)
        .Field("status", log_[i].status)
        .EndObject();
  }
  w.EndArray();
  return w.Take();
}

}  // namespace mmemu
