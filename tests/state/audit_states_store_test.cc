// Typed audit states at the storage edge: every AuditAction and AuditResult is stored under
// its name and read back as itself (SQLite store and audit JSON), and a stored name this
// version does not know fails the read, naming it, instead of being mapped to a known one.
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "state/audit_json.h"
#include "state/open_store.h"
#include "tests/support/temp_dir.h"

namespace rostersync {
namespace {

using ::rostersync::testing::TempDir;

constexpr int kActions = static_cast<int>(AuditAction::kClick) + 1;
constexpr int kResults = static_cast<int>(AuditResult::kRefused) + 1;

AuditRecord Record(int64_t ts, AuditAction action, AuditResult result) {
  AuditRecord r;
  r.ts_ms = ts;
  r.run_id = "run-1";
  r.action = action;
  r.key = "E" + std::to_string(ts);
  r.result = result;
  return r;
}

class AuditStatesStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStateStore("sqlite:" + path_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }
  // Rewrites stored audit rows behind the store's back, as an older or newer version might.
  void Exec(const std::string& sql) {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session raw("SQLite", path_);
    raw << sql, Poco::Data::Keywords::now;
  }

  TempDir dir_;
  std::string path_ = dir_.File("state.db");
  std::unique_ptr<StateStore> store_;
};

TEST_F(AuditStatesStoreTest, StoresEveryActionAndResultAndReadsThemBack) {
  std::vector<AuditRecord> written;
  for (int a = 0; a < kActions; ++a) {
    for (int r = 0; r < kResults; ++r) {
      written.push_back(Record(1000 + a * kResults + r, static_cast<AuditAction>(a),
                               static_cast<AuditResult>(r)));
      ASSERT_TRUE(store_->AppendAudit(written.back()).ok());
    }
  }
  AuditQuery all;
  all.limit = 0;
  Result<std::vector<AuditRecord>> read = store_->QueryAudit(all);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(*read, written);
}

TEST_F(AuditStatesStoreTest, AStoredUnknownActionFailsTheQueryNamingIt) {
  ASSERT_TRUE(store_->AppendAudit(Record(1000, AuditAction::kUpdate, AuditResult::kOk)).ok());
  ASSERT_TRUE(store_->AppendAudit(Record(2000, AuditAction::kCreate, AuditResult::kOk)).ok());
  Exec("UPDATE audit SET action = 'merge' WHERE roster_key = 'E2000'");
  Result<std::vector<AuditRecord>> read = store_->QueryAudit(AuditQuery{});
  ASSERT_FALSE(read.ok()) << "an unknown action must not read as a known one";
  EXPECT_EQ(read.status().code(), Status::Code::kIoError);
  const std::string& message = read.status().message();
  EXPECT_NE(message.find("unknown audit action 'merge'"), std::string::npos) << message;
  EXPECT_NE(message.find("audit record of E2000"), std::string::npos) << message;
}

TEST_F(AuditStatesStoreTest, AStoredUnknownResultFailsTheQueryNamingIt) {
  ASSERT_TRUE(store_->AppendAudit(Record(1000, AuditAction::kApprove, AuditResult::kOk)).ok());
  Exec("UPDATE audit SET result = 'skipped'");
  Result<std::vector<AuditRecord>> read = store_->QueryAudit(AuditQuery{});
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.status().message().find("unknown audit result 'skipped'"), std::string::npos)
      << read.status().message();
}

TEST(AuditStatesJsonTest, EveryActionAndResultRoundTripsThroughTheAuditFileJson) {
  for (int a = 0; a < kActions; ++a) {
    for (int r = 0; r < kResults; ++r) {
      AuditRecord rec = Record(1000, static_cast<AuditAction>(a), static_cast<AuditResult>(r));
      Result<AuditRecord> back = AuditRecordFromJson(AuditRecordToJson(rec));
      ASSERT_TRUE(back.ok()) << back.status().ToString();
      EXPECT_EQ(*back, rec) << AuditRecordToJson(rec);
    }
  }
}

TEST(AuditStatesJsonTest, AnUnknownActionOrResultInJsonIsAnErrorThatNamesIt) {
  std::string json = AuditRecordToJson(Record(1000, AuditAction::kUpdate, AuditResult::kOk));
  std::string action = json;
  action.replace(action.find("\"update\""), 8, "\"upsert\"");
  Result<AuditRecord> a = AuditRecordFromJson(action);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("unknown audit action 'upsert'"), std::string::npos)
      << a.status().message();
  std::string result = json;
  result.replace(result.find("\"ok\""), 4, "\"done\"");
  Result<AuditRecord> r = AuditRecordFromJson(result);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("unknown audit result 'done'"), std::string::npos)
      << r.status().message();
}

}  // namespace
}  // namespace rostersync
