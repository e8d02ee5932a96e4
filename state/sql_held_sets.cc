// SqlStateStore: the held_sets table (approvals: daemon/held_sets.h, sync/held_set.h).
#include <algorithm>
#include <vector>

#include "state/sql_internal.h"
#include "state/sql_state_store.h"

namespace rostersync {
namespace {

using Poco::Data::RecordSet;
using sql_internal::Exec;
using sql_internal::I;
using sql_internal::S;
using sql_internal::Select;

}  // namespace

Status SqlStateStore::PutHeldSet(const HeldSetRecord& h) {
  return Transaction("saving held set " + h.held_id, [&] {
    Exec(*session_,
         Sql("INSERT INTO held_sets (held_id, created_ms, run_id, summary, items, decision,"
             " approvers, decided_ms, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
             " ON CONFLICT (held_id) DO UPDATE SET created_ms = excluded.created_ms,"
             " run_id = excluded.run_id, summary = excluded.summary, items = excluded.items,"
             " decision = excluded.decision, approvers = excluded.approvers,"
             " decided_ms = excluded.decided_ms, detail = excluded.detail"),
         h.held_id, static_cast<Poco::Int64>(h.created_ms), h.run_id, h.summary, h.items,
         h.decision, h.approvers, static_cast<Poco::Int64>(h.decided_ms), h.detail);
  });
}

Result<std::vector<HeldSetRecord>> SqlStateStore::RecentHeldSets(int limit) {
  std::vector<HeldSetRecord> out;
  Status s = Transaction("listing held sets", [&] {
    RecordSet rs = Select(*session_,
                          Sql("SELECT held_id, created_ms, run_id, summary, items, decision,"
                              " approvers, decided_ms, detail FROM held_sets"
                              " ORDER BY created_ms DESC, held_id DESC LIMIT ?"),
                          std::max(limit, 0));
    for (size_t row = 0; row < rs.rowCount(); ++row) {
      out.push_back(HeldSetRecord{S(rs, 0, row), I(rs, 1, row), S(rs, 2, row), S(rs, 3, row),
                                  S(rs, 4, row), S(rs, 5, row), S(rs, 6, row), I(rs, 7, row),
                                  S(rs, 8, row)});
    }
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace rostersync
