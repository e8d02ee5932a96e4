// Builders shared by the executor tests: actions, plans and a capturing audit sink.
#ifndef ROSTERSYNC_TESTS_EXECUTOR_EXECUTOR_TEST_UTIL_H_
#define ROSTERSYNC_TESTS_EXECUTOR_EXECUTOR_TEST_UTIL_H_

#include <mutex>
#include <string>
#include <vector>

#include "sync/audit_sink.h"
#include "sync/plan.h"

namespace rostersync::testing {

class CapturingSink : public AuditSink {
 public:
  void Write(const AuditRecord& record) override {
    std::lock_guard<std::mutex> lock(mu_);
    records_.push_back(record);
  }
  void CatchUp(const std::vector<AuditRecord>& committed) override {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& r : committed) {
      bool have = false;
      for (const auto& mine : records_) have = have || mine == r;
      if (!have) records_.push_back(r);
    }
  }
  std::vector<AuditRecord> records() const {
    std::lock_guard<std::mutex> lock(mu_);
    return records_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<AuditRecord> records_;
};

inline Action CreateAction(const std::string& key, const std::string& username,
                           const std::string& auth_service = "",
                           const std::string& auth_data = "") {
  Action a;
  a.type = ActionType::kCreate;
  a.key = key;
  a.username = username;
  a.email = username + "@example.com";
  a.new_user.username = username;
  a.new_user.email = a.email;
  a.new_user.first_name = "First " + key;
  a.new_user.last_name = "Last";
  a.new_user.auth_service = auth_service;
  a.new_user.auth_data = auth_data;
  a.changes = {{"email", "", a.email}};
  return a;
}

inline Action UserAction(ActionType type, const std::string& key, const std::string& user_id,
                         const std::string& username) {
  Action a;
  a.type = type;
  a.key = key;
  a.user_id = user_id;
  a.username = username;
  a.email = username + "@example.com";
  return a;
}

inline Action UpdateAction(const std::string& key, const std::string& user_id,
                           const std::string& username, const std::string& last_name) {
  Action a = UserAction(ActionType::kUpdate, key, user_id, username);
  a.patch.last_name = last_name;
  a.changes = {{"last_name", "?", last_name}};
  return a;
}

inline int CountAudit(const std::vector<AuditRecord>& records, AuditAction action,
                      AuditResult result) {
  int n = 0;
  for (const auto& r : records) n += (r.action == action && r.result == result) ? 1 : 0;
  return n;
}

}  // namespace rostersync::testing

#endif  // ROSTERSYNC_TESTS_EXECUTOR_EXECUTOR_TEST_UTIL_H_
