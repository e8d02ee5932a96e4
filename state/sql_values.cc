// SqlStateStore: the state_values table (named values kept between processes;
// StateStore::GetValue in sync/state_store.h).
#include <optional>
#include <string>

#include "state/sql_internal.h"
#include "state/sql_state_store.h"

namespace rostersync {
namespace {

using Poco::Data::RecordSet;
using sql_internal::Exec;
using sql_internal::S;
using sql_internal::Select;

}  // namespace

Result<std::optional<std::string>> SqlStateStore::GetValue(const std::string& name) {
  std::optional<std::string> out;
  Status s = Transaction("reading state value " + name, [&] {
    RecordSet rs = Select(*session_, Sql("SELECT value FROM state_values WHERE name = ?"), name);
    if (rs.rowCount() > 0) out = S(rs, 0, 0);
  });
  if (!s.ok()) return s;
  return out;
}

Status SqlStateStore::PutValue(const std::string& name, const std::string& value,
                               int64_t updated_ms) {
  return Transaction("saving state value " + name, [&] {
    Exec(*session_,
         Sql("INSERT INTO state_values (name, value, updated_ms) VALUES (?, ?, ?)"
             " ON CONFLICT (name) DO UPDATE SET value = excluded.value,"
             " updated_ms = excluded.updated_ms"),
         name, value, static_cast<Poco::Int64>(updated_ms));
  });
}

}  // namespace rostersync
