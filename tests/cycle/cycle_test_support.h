// Test doubles for the cycle core's seams (cycle/seams.h): a roster source over a fixed
// table, a loader that hands back a prepared Roster, a state store whose calls can fail,
// and a log that keeps its lines. Used by tests/cycle/*_test.cc.
#ifndef ROSTERSYNC_TESTS_CYCLE_CYCLE_TEST_SUPPORT_H_
#define ROSTERSYNC_TESTS_CYCLE_CYCLE_TEST_SUPPORT_H_

#include <mutex>
#include <string>
#include <vector>

#include "cycle/cycle_core.h"
#include "cycle/users_snapshot.h"
#include "sync/env.h"
#include "tests/fakes/fake_users_api.h"
#include "tests/fakes/memory_state_store.h"

namespace rostersync::cycle::testing {

class TableSource : public RosterSource {
 public:
  Result<RawTable> Read() override {
    ++reads;
    if (!fail.ok()) return fail;
    return RawTable{};
  }
  std::string Describe() const override { return "test:roster"; }
  Status fail;
  int reads = 0;
};

// Reads the source (so its failure stops the cycle) and returns `roster`.
class PreparedLoader : public RosterLoader {
 public:
  Result<Roster> Load(RosterSource& source, const std::optional<RosterFingerprint>&,
                      int64_t) override {
    Result<RawTable> table = source.Read();
    if (!table.ok()) return table.status();
    return roster;
  }
  Roster roster;
};

// MemoryStateStore whose ledger loads can fail from the `fail_ledger_from`-th call on
// (1-based; 0: never) and whose ledger writes can fail; counts the loads.
class FaultyStore : public rostersync::testing::MemoryStateStore {
 public:
  Result<Ledger> LoadLedger() override {
    ++ledger_loads;
    if (fail_ledger_from > 0 && ledger_loads >= fail_ledger_from) {
      return Status::IoError("ledger table unreadable");
    }
    return MemoryStateStore::LoadLedger();
  }
  Status PutLedger(const Ledger& ledger) override {
    if (fail_put_ledger) return Status::IoError("disk full");
    return MemoryStateStore::PutLedger(ledger);
  }
  int ledger_loads = 0;
  int fail_ledger_from = 0;
  bool fail_put_ledger = false;
};

class RecordingLog : public CycleLog {
 public:
  void Info(const std::string& line) override { Add("I " + line); }
  void Warn(const std::string& line) override { Add("W " + line); }
  void Error(const std::string& line) override { Add("E " + line); }
  std::string All() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::string out;
    for (const std::string& l : lines_) out += l + "\n";
    return out;
  }

 private:
  void Add(std::string line) {
    std::lock_guard<std::mutex> lock(mu_);
    lines_.push_back(std::move(line));
  }
  mutable std::mutex mu_;
  std::vector<std::string> lines_;
};

inline RosterEntry Person(const std::string& key, const std::string& name) {
  RosterEntry e;
  e.key = key;
  e.username = name;
  e.email = name + "@example.com";
  e.first_name = name;
  e.last_name = "Test";
  e.where = "row " + key;
  return e;
}

// The cycle core over the doubles above, for fixtures to derive from: a FakeUsersApi (or
// the subclass Api), a FaultyStore, a FakeEnv clock at `now_ms`, a log (Log) and options with
// a server URL and a deactivation cap of 100. Incremental tests also wire deps_.snapshot.
template <typename Api = rostersync::testing::FakeUsersApi, typename Log = RecordingLog>
class CycleFixture {
 protected:
  explicit CycleFixture(int64_t now_ms) : clock_(now_ms) {
    options_.server = "http://mm.example";
    options_.planner.policy.max_deactivations = Threshold{true, 100};
    deps_.roster = &source_;
    deps_.loader = &loader_;
    deps_.api = &api_;
    deps_.store = &store_;
    deps_.env = &clock_;
    deps_.log = &log_;
  }
  // The roster: alice, bob and carol (E1..E3), fingerprint "fp-3".
  void LoadThreePeople() {
    loader_.roster.entries = {Person("E1", "alice"), Person("E2", "bob"), Person("E3", "carol")};
    loader_.roster.fingerprint = "fp-3";
    loader_.roster.row_count = 3;
  }

  TableSource source_;
  PreparedLoader loader_;
  Api api_;
  FaultyStore store_;
  FakeEnv clock_;
  Log log_;
  UsersSnapshot snapshot_;
  CycleDeps deps_;
  CycleOptions options_;
};

}  // namespace rostersync::cycle::testing

#endif  // ROSTERSYNC_TESTS_CYCLE_CYCLE_TEST_SUPPORT_H_
