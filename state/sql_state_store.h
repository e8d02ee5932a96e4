// SqlStateStore: the StateStore on Poco Data, for SQLite and PostgreSQL with one schema and
// versioned migrations (schema_version table; see sql_schema.cc). Owns one database session
// (and, for SQLite, the lock file that keeps a second process away). Thread-safe: one mutex
// serializes every call; each method is one transaction. Create it with OpenStateStore().
#ifndef ROSTERSYNC_STATE_SQL_STATE_STORE_H_
#define ROSTERSYNC_STATE_SQL_STATE_STORE_H_

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "sync/state_store.h"

namespace Poco::Data {
class Session;
}

namespace rostersync {

enum class SqlDialect { kSqlite, kPostgres };

class SqlStateStore : public StateStore {
 public:
  // Connects, then runs the migrations. `connection` is a file path (SQLite) or a libpq
  // conninfo (PostgreSQL); `secret` (a password, may be "") is scrubbed from every error.
  // `lock_fd` (SQLite lock file, or -1) is closed by the store. read_only (SQLite): no
  // migration and PRAGMA query_only; Invalid when the schema is not the current one.
  static Result<std::unique_ptr<SqlStateStore>> Open(SqlDialect dialect,
                                                     const std::string& connection,
                                                     const std::string& secret, int lock_fd,
                                                     bool read_only = false);
  ~SqlStateStore() override;
  SqlStateStore(const SqlStateStore&) = delete;
  SqlStateStore& operator=(const SqlStateStore&) = delete;

  Result<int> SchemaVersion();  // the highest applied migration

  Result<Ledger> LoadLedger() override;
  Status PutLedgerEntry(const LedgerEntry& entry) override;
  Status DeleteLedgerEntry(const std::string& key) override;
  Status PutLedger(const Ledger& ledger) override;  // upserts; keys not given are kept
  Status BeginRun(const RunRecord& run) override;
  Status FinishRun(const RunRecord& run) override;
  Result<std::vector<RunRecord>> RecentRuns(int limit) override;
  Result<int64_t> JournalBegin(const JournalEntry& entry) override;
  Status CompleteAction(int64_t id, JournalState state,
                        const std::optional<AuditRecord>& audit,
                        const std::optional<LedgerEntry>& ledger) override;
  Result<std::vector<JournalEntry>> PendingJournal() override;
  Status AppendAudit(const AuditRecord& record) override;
  // The newest `limit` matches, returned oldest first.
  Result<std::vector<AuditRecord>> QueryAudit(const AuditQuery& query) override;
  Result<std::optional<RosterFingerprint>> LastAcceptedRoster() override;
  Status SaveAcceptedRoster(const RosterFingerprint& fingerprint) override;
  Status PutHeldSet(const HeldSetRecord& record) override;
  Result<std::vector<HeldSetRecord>> RecentHeldSets(int limit) override;
  Result<std::optional<std::string>> GetValue(const std::string& name) override;
  Status PutValue(const std::string& name, const std::string& value, int64_t updated_ms) override;

 private:
  SqlStateStore(SqlDialect dialect, std::string connection,
                std::unique_ptr<Poco::Data::Session> session, std::string secret, int lock_fd);
  // Under mu_, before every transaction. PostgreSQL: after a failed transaction the session
  // is opened anew (the server may have restarted; a dead session never recovers by itself).
  // SQLite with the lock: IoError when the path no longer names the file this store has open
  // (removed or replaced under the service: a second writer would start on a new file).
  Status PrepareSessionLocked();
  Status Migrate();
  // Runs fn inside a transaction under the mutex; Poco exceptions become IoError naming
  // `what`, with the secret scrubbed.
  template <typename Fn>
  Status Transaction(const std::string& what, Fn fn);
  std::string Sql(const std::string& query) const;  // '?' -> '$n' for PostgreSQL
  std::string Scrub(std::string message) const;
  void UpsertLedgerLocked(const LedgerEntry& entry);
  void InsertAuditLocked(const AuditRecord& record);
  // Under the transaction: the roster keys whose audit records ever carried the name.
  std::set<std::string> KeysNamed(const std::string& lower_name);

  const SqlDialect dialect_;
  const std::string connection_;  // the SQLite path or the libpq conninfo
  std::unique_ptr<Poco::Data::Session> session_;
  bool reconnect_ = false;  // mu_; PostgreSQL: renew the session before the next transaction
  const std::string secret_;
  int lock_fd_;
  std::mutex mu_;
};

// The migrations: statements per version, in order (sql_schema.cc).
struct Migration {
  int version;
  std::vector<std::string> statements;  // {ID} and {BIGINT} are replaced per dialect
};
const std::vector<Migration>& StateMigrations();

}  // namespace rostersync

#endif  // ROSTERSYNC_STATE_SQL_STATE_STORE_H_
