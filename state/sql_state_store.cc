// SqlStateStore on Poco Data. Reads go through RecordSet and Dynamic::Var conversions, which
// absorb the per-backend integer widths (SQLite INTEGER vs PostgreSQL int4/int8); nothing is
// bound as bool (PostgreSQL's binder quirk) and every column is NOT NULL. The ledger, the
// largest table, is streamed instead (sql_ledger.cc).
#include "state/sql_state_store.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "state/sql_internal.h"
#include "sync/redact.h"

namespace rostersync {
namespace {

using Poco::Data::RecordSet;
using Poco::Data::Session;
using sql_internal::Exec;
using sql_internal::I;
using sql_internal::S;
using sql_internal::Select;

ActionType ActionTypeFromName(const std::string& name) {
  for (int t = 0; t < kActionTypeCount; ++t) {
    if (name == ActionName(static_cast<ActionType>(t))) return static_cast<ActionType>(t);
  }
  throw Poco::DataException("journal: unknown action " + name);
}

const char kRunColumns[] =
    "run_id, command, started_ms, finished_ms, result, exit_code, actions_ok, actions_failed,"
    " actions_held, roster_rows, rejected_rows, message, server";

}  // namespace

SqlStateStore::SqlStateStore(SqlDialect dialect, std::string connection,
                             std::unique_ptr<Session> session, std::string secret, int lock_fd)
    : dialect_(dialect), connection_(std::move(connection)), session_(std::move(session)),
      secret_(std::move(secret)), lock_fd_(lock_fd) {}

Status SqlStateStore::PrepareSessionLocked() {
  if (dialect_ == SqlDialect::kSqlite) {
    if (lock_fd_ < 0) return Status::Ok();  // a reader beside the service holds no file
    struct stat open_file {}, at_path {};
    if (::fstat(lock_fd_, &open_file) == 0 && ::stat(connection_.c_str(), &at_path) == 0 &&
        open_file.st_dev == at_path.st_dev && open_file.st_ino == at_path.st_ino) {
      return Status::Ok();
    }
    return Status::IoError("state.database sqlite:" + connection_ +
                           " was removed or replaced while the service ran; restore it or "
                           "restart");
  }
  if (!reconnect_) return Status::Ok();
  try {
    try {
      session_->close();
    } catch (...) {
    }
    session_ = std::make_unique<Session>("PostgreSQL", connection_);
    reconnect_ = false;
    return Status::Ok();
  } catch (const Poco::Exception& e) {
    return Status::IoError(
        Scrub("state store: cannot reconnect to the PostgreSQL state database: " +
              e.displayText() + " (check state.database)"));
  }
}

SqlStateStore::~SqlStateStore() {
  try {
    session_->close();
  } catch (...) {
  }
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

std::string SqlStateStore::Sql(const std::string& query) const {
  if (dialect_ == SqlDialect::kSqlite) return query;
  std::string out;
  int n = 0;
  for (char c : query) {
    if (c == '?') {
      out += "$" + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

std::string SqlStateStore::Scrub(std::string message) const {
  // The password itself, then anything shaped like one (a driver may echo the conninfo).
  return redact::ConnectionString(redact::Token(std::move(message), secret_));
}

Result<std::unique_ptr<SqlStateStore>> SqlStateStore::Open(SqlDialect dialect,
                                                           const std::string& connection,
                                                           const std::string& secret,
                                                           int lock_fd, bool read_only) {
  std::unique_ptr<SqlStateStore> store;
  try {
    auto session = std::make_unique<Session>(
        dialect == SqlDialect::kSqlite ? "SQLite" : "PostgreSQL", connection);
    store.reset(new SqlStateStore(dialect, connection, std::move(session), secret, lock_fd));
    if (dialect == SqlDialect::kSqlite) {
      // WAL + FULL: a committed journal/audit row survives power loss.
      // A reader beside the service: WAL lets it read while the service writes.
      const std::vector<const char*> pragmas =
          read_only ? std::vector<const char*>{"PRAGMA busy_timeout=5000", "PRAGMA query_only=ON"}
                    : std::vector<const char*>{"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
                                               "PRAGMA busy_timeout=5000"};
      for (const char* pragma : pragmas) Select(*store->session_, pragma);
    }
  } catch (const Poco::Exception& e) {
    if (!store && lock_fd >= 0) ::close(lock_fd);
    std::string text = "cannot open the state database: " + e.displayText();
    if (!secret.empty()) {
      for (size_t p = text.find(secret); p != std::string::npos; p = text.find(secret, p)) {
        text.replace(p, secret.size(), "***");
      }
    }
    return Status::IoError(text + " (check state.database)");
  }
  if (read_only) {
    Result<int> version = store->SchemaVersion();
    if (!version.ok()) return Status::Invalid(version.status().message());
    if (*version != StateMigrations().back().version) {
      return Status::Invalid("the state database schema is version " +
                             std::to_string(*version) + "; this rostersync needs " +
                             std::to_string(StateMigrations().back().version));
    }
    return store;
  }
  if (Status s = store->Migrate(); !s.ok()) return s;
  return store;
}

Status SqlStateStore::Migrate() {
  int current = 0;
  Status s = Transaction("reading the schema version", [&] {
    Exec(*session_, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    RecordSet rs = Select(*session_, "SELECT MAX(version) FROM schema_version");
    current = rs.rowCount() > 0 ? static_cast<int>(I(rs, 0, 0)) : 0;
  });
  if (!s.ok()) return s;
  for (const Migration& m : StateMigrations()) {
    if (m.version <= current) continue;
    s = Transaction("migrating the schema to version " + std::to_string(m.version), [&] {
      for (std::string sql : m.statements) {
        auto replace = [&sql](const std::string& from, const std::string& to) {
          for (size_t p = sql.find(from); p != std::string::npos; p = sql.find(from, p)) {
            sql.replace(p, from.size(), to);
          }
        };
        bool pg = dialect_ == SqlDialect::kPostgres;
        replace("{ID}", pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT");
        replace("{BIGINT}", "BIGINT");
        Exec(*session_, sql);
      }
      Exec(*session_, Sql("INSERT INTO schema_version (version) VALUES (?)"), m.version);
    });
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Result<int> SqlStateStore::SchemaVersion() {
  int version = 0;
  Status s = Transaction("reading the schema version", [&] {
    RecordSet rs = Select(*session_, "SELECT MAX(version) FROM schema_version");
    version = static_cast<int>(I(rs, 0, 0));
  });
  if (!s.ok()) return s;
  return version;
}

Status SqlStateStore::BeginRun(const RunRecord& r) {
  return Transaction("recording run " + r.run_id, [&] {
    Exec(*session_,
         Sql(std::string("INSERT INTO runs (") + kRunColumns +
             ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
         r.run_id, std::string(ToString(r.command)), static_cast<Poco::Int64>(r.started_ms),
         static_cast<Poco::Int64>(r.finished_ms), std::string(ToString(r.result)), r.exit_code, r.actions_ok,
         r.actions_failed, r.actions_held, r.roster_rows, r.rejected_rows, r.message, r.server);
  });
}

Status SqlStateStore::FinishRun(const RunRecord& r) {
  return Transaction("finishing run " + r.run_id, [&] {
    Exec(*session_,
         Sql("UPDATE runs SET command = ?, started_ms = ?, finished_ms = ?, result = ?,"
             " exit_code = ?, actions_ok = ?, actions_failed = ?, actions_held = ?,"
             " roster_rows = ?, rejected_rows = ?, message = ?, server = ? WHERE run_id = ?"),
         std::string(ToString(r.command)), static_cast<Poco::Int64>(r.started_ms),
         static_cast<Poco::Int64>(r.finished_ms), std::string(ToString(r.result)), r.exit_code, r.actions_ok, r.actions_failed, r.actions_held, r.roster_rows,
         r.rejected_rows, r.message, r.server, r.run_id);
  });
}

Result<std::vector<RunRecord>> SqlStateStore::RecentRuns(int limit) {
  std::vector<RunRecord> runs;
  Status unknown;  // a command or result this version does not know
  Status s = Transaction("listing runs", [&] {
    RecordSet rs = Select(*session_,
                          Sql(std::string("SELECT ") + kRunColumns +
                              " FROM runs ORDER BY started_ms DESC, run_id DESC LIMIT ?"),
                          std::max(limit, 0));
    for (size_t row = 0; row < rs.rowCount(); ++row) {
      RunRecord r;
      r.run_id = S(rs, 0, row);
      Result<RunCommand> command = RunCommandFromString(S(rs, 1, row));
      Result<RunResult> result = RunResultFromString(S(rs, 4, row));
      if (!command.ok() || !result.ok()) {
        unknown = (command.ok() ? result.status() : command.status())
                      .Annotate("run " + r.run_id + " in state.database");
        continue;
      }
      r.command = *command;
      r.result = *result;
      r.started_ms = I(rs, 2, row);
      r.finished_ms = I(rs, 3, row);
      r.exit_code = static_cast<int>(I(rs, 5, row));
      r.actions_ok = static_cast<int>(I(rs, 6, row));
      r.actions_failed = static_cast<int>(I(rs, 7, row));
      r.actions_held = static_cast<int>(I(rs, 8, row));
      r.roster_rows = static_cast<int>(I(rs, 9, row));
      r.rejected_rows = static_cast<int>(I(rs, 10, row));
      r.message = S(rs, 11, row);
      r.server = S(rs, 12, row);
      runs.push_back(r);
    }
  });
  if (!s.ok()) return s;
  if (!unknown.ok()) return Status(Status::Code::kIoError, unknown.message());
  return runs;
}

Result<int64_t> SqlStateStore::JournalBegin(const JournalEntry& e) {
  int64_t id = 0;
  Status s = Transaction("journaling " + std::string(ActionName(e.type)) + " of " + e.key, [&] {
    Exec(*session_,
         Sql("INSERT INTO journal (run_id, action, roster_key, user_id, username, email, payload,"
             " state, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)"),
         e.run_id, std::string(ActionName(e.type)), e.key, e.user_id, e.username, e.email,
         e.payload, static_cast<Poco::Int64>(e.created_ms));
    RecordSet rs = Select(*session_, dialect_ == SqlDialect::kSqlite
                                         ? "SELECT last_insert_rowid()"
                                         : "SELECT lastval()");
    id = I(rs, 0, 0);
  });
  if (!s.ok()) return s;
  return id;
}

Status SqlStateStore::CompleteAction(int64_t id, JournalState state,
                                     const std::optional<AuditRecord>& audit,
                                     const std::optional<LedgerEntry>& ledger) {
  return Transaction("recording the outcome of journal entry " + std::to_string(id), [&] {
    Exec(*session_, Sql("UPDATE journal SET state = ? WHERE id = ?"),
         std::string(ToString(state)),
         static_cast<Poco::Int64>(id));
    if (audit) InsertAuditLocked(*audit);
    if (ledger) UpsertLedgerLocked(*ledger);
  });
}

Result<std::vector<JournalEntry>> SqlStateStore::PendingJournal() {
  std::vector<JournalEntry> out;
  Status s = Transaction("reading the journal", [&] {
    RecordSet rs = Select(*session_,
                          "SELECT id, run_id, action, roster_key, user_id, username, email,"
                          " payload, state, created_ms FROM journal WHERE state = 'pending'"
                          " ORDER BY id");
    for (size_t row = 0; row < rs.rowCount(); ++row) {
      JournalEntry e;
      e.id = I(rs, 0, row);
      e.run_id = S(rs, 1, row);
      e.type = ActionTypeFromName(S(rs, 2, row));
      e.key = S(rs, 3, row);
      e.user_id = S(rs, 4, row);
      e.username = S(rs, 5, row);
      e.email = S(rs, 6, row);
      e.payload = S(rs, 7, row);
      e.state = JournalState::kPending;  // the query selects pending entries only
      e.created_ms = I(rs, 9, row);
      out.push_back(e);
    }
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::optional<RosterFingerprint>> SqlStateStore::LastAcceptedRoster() {
  std::optional<RosterFingerprint> out;
  Status s = Transaction("reading the last accepted roster", [&] {
    RecordSet rs = Select(*session_,
                          "SELECT fingerprint, row_count, accepted_ms FROM roster_fingerprint"
                          " WHERE id = 1");
    if (rs.rowCount() > 0) out = RosterFingerprint{S(rs, 0, 0), I(rs, 1, 0), I(rs, 2, 0)};
  });
  if (!s.ok()) return s;
  return out;
}

Status SqlStateStore::SaveAcceptedRoster(const RosterFingerprint& f) {
  return Transaction("saving the accepted roster", [&] {
    Exec(*session_,
         Sql("INSERT INTO roster_fingerprint (id, fingerprint, row_count, accepted_ms)"
             " VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET fingerprint ="
             " excluded.fingerprint, row_count = excluded.row_count,"
             " accepted_ms = excluded.accepted_ms"),
         f.fingerprint, static_cast<Poco::Int64>(f.rows), static_cast<Poco::Int64>(f.accepted_ms));
  });
}

}  // namespace rostersync
