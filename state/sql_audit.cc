// SqlStateStore: the audit table (append, query by time, roster key or any name a person
// had). A stored action or result this version does not know fails the query, naming it.
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>

#include <algorithm>
#include <limits>
#include <set>

#include "state/audit_json.h"
#include "state/sql_internal.h"
#include "state/sql_state_store.h"

namespace rostersync {
namespace {

using Poco::Data::RecordSet;
using Poco::Data::Statement;
using Poco::Data::Keywords::bind;
using sql_internal::Exec;
using sql_internal::I;
using sql_internal::S;
using sql_internal::Select;
using sql_internal::Value;

const char kAuditColumns[] =
    "ts_ms, run_id, action, roster_key, user_id, username, changes, result, http_status,"
    " request_id, error";

// One row of kAuditColumns; Invalid, naming the value and the record, for an action or
// result this version does not know (never mapped to a known one).
Result<AuditRecord> AuditRow(RecordSet& rs, size_t row) {
  AuditRecord r;
  r.ts_ms = I(rs, 0, row);
  r.run_id = S(rs, 1, row);
  Result<AuditAction> action = AuditActionFromString(S(rs, 2, row));
  r.key = S(rs, 3, row);
  r.user_id = S(rs, 4, row);
  r.username = S(rs, 5, row);
  r.changes = Value(ChangesFromJson(S(rs, 6, row)));
  Result<AuditResult> result = AuditResultFromString(S(rs, 7, row));
  if (!action.ok() || !result.ok()) {
    return (action.ok() ? result.status() : action.status())
        .Annotate("audit record of " + EscapeControl(r.key) + " at " + IsoTimestampMs(r.ts_ms) +
                  " (run " + EscapeControl(r.run_id) + ") in state.database");
  }
  r.action = *action;
  r.result = *result;
  r.http_status = static_cast<int>(I(rs, 8, row));
  r.request_id = S(rs, 9, row);
  r.error = S(rs, 10, row);
  return r;
}

}  // namespace

void SqlStateStore::InsertAuditLocked(const AuditRecord& r) {
  Exec(*session_,
       Sql(std::string("INSERT INTO audit (") + kAuditColumns +
           ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
       static_cast<Poco::Int64>(r.ts_ms), r.run_id, std::string(ToString(r.action)), r.key,
       r.user_id, r.username, ChangesToJson(r.changes), std::string(ToString(r.result)),
       r.http_status, r.request_id, r.error);
}

Status SqlStateStore::AppendAudit(const AuditRecord& record) {
  return Transaction("appending an audit record", [&] { InsertAuditLocked(record); });
}

// The roster keys whose records ever carried `lower_name` (AuditRecordCarriesName). SQL
// narrows the rows (LIKE may over-match: `_` is a wildcard); the check itself is in C++.
std::set<std::string> SqlStateStore::KeysNamed(const std::string& lower_name) {
  std::set<std::string> keys;
  RecordSet rs = Select(*session_,
                        Sql("SELECT DISTINCT roster_key, username, changes FROM audit"
                            " WHERE lower(username) = ? OR lower(roster_key) = ?"
                            " OR lower(changes) LIKE ?"),
                        lower_name, lower_name, "%" + lower_name + "%");
  for (size_t row = 0; row < rs.rowCount(); ++row) {
    AuditRecord r;
    r.key = S(rs, 0, row);
    r.username = S(rs, 1, row);
    r.changes = Value(ChangesFromJson(S(rs, 2, row)));
    if (!r.key.empty() && AuditRecordCarriesName(r, lower_name)) keys.insert(r.key);
  }
  return keys;
}

Result<std::vector<AuditRecord>> SqlStateStore::QueryAudit(const AuditQuery& q) {
  std::vector<AuditRecord> out;
  Status unknown;  // an action or result this version does not know
  Status s = Transaction("querying the audit trail", [&] {
    std::string sql = std::string("SELECT ") + kAuditColumns + " FROM audit WHERE ts_ms >= ?";
    Poco::Int64 since = q.since_ms;
    // limit <= 0 means no limit (`rostersync audit` without --limit).
    int limit = q.limit > 0 ? q.limit : std::numeric_limits<int>::max();
    std::vector<std::string> args;  // bound after `since`, before `limit`
    if (!q.key.empty()) {
      sql += " AND roster_key = ?";
      args.push_back(q.key);
    }
    if (!q.username.empty()) {
      const std::string name = Lower(q.username);
      std::set<std::string> keys = KeysNamed(name);
      sql += " AND (lower(username) = ?";
      args.push_back(name);
      for (const auto& key : keys) {
        sql += " OR roster_key = ?";
        args.push_back(key);
      }
      sql += ")";
    }
    Statement st(*session_);
    st << Sql(sql + " ORDER BY id DESC LIMIT ?"), bind(since);
    for (const auto& a : args) (void)(st, bind(a));
    (void)(st, bind(limit));
    st.execute();
    RecordSet rs(st);
    for (size_t row = 0; row < rs.rowCount(); ++row) {
      Result<AuditRecord> r = AuditRow(rs, row);
      if (!r.ok()) {
        unknown = r.status();
        break;
      }
      out.push_back(std::move(*r));
    }
  });
  if (!s.ok()) return s;
  if (!unknown.ok()) return Status(Status::Code::kIoError, unknown.message());
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace rostersync
