// Internal to state/: the Poco Data helpers the SqlStateStore files share (statements with
// bound arguments, RecordSet cell readers) and the definition of SqlStateStore::Transaction.
// Include only from state/sql_*.cc.
#ifndef ROSTERSYNC_STATE_SQL_INTERNAL_H_
#define ROSTERSYNC_STATE_SQL_INTERNAL_H_

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

#include "state/sql_state_store.h"

namespace rostersync {
namespace sql_internal {

template <typename... Args>
void Exec(Poco::Data::Session& session, const std::string& sql, Args... args) {
  Poco::Data::Statement st(session);
  st << sql;
  (void)std::initializer_list<int>{((void)(st, Poco::Data::Keywords::bind(args)), 0)...};
  st.execute();
}

template <typename... Args>
Poco::Data::RecordSet Select(Poco::Data::Session& session, const std::string& sql,
                             Args... args) {
  Poco::Data::Statement st(session);
  st << sql;
  (void)std::initializer_list<int>{((void)(st, Poco::Data::Keywords::bind(args)), 0)...};
  st.execute();
  return Poco::Data::RecordSet(st);
}

inline std::string S(Poco::Data::RecordSet& rs, size_t col, size_t row) {
  const Poco::Dynamic::Var& v = rs.value(col, row);
  return v.isEmpty() ? std::string() : v.convert<std::string>();
}

inline int64_t I(Poco::Data::RecordSet& rs, size_t col, size_t row) {
  const Poco::Dynamic::Var& v = rs.value(col, row);
  return v.isEmpty() ? 0 : v.convert<Poco::Int64>();
}

template <typename T>
T Value(Result<T> r) {  // a corrupt JSON column is a database failure, not a bug
  if (!r.ok()) throw Poco::DataException(r.status().message());
  return std::move(*r);
}

}  // namespace sql_internal

template <typename Fn>
Status SqlStateStore::Transaction(const std::string& what, Fn fn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (Status ready = PrepareSessionLocked(); !ready.ok()) return ready.Annotate(what);
  try {
    session_->begin();
    fn();
    session_->commit();
    return Status::Ok();
  } catch (const std::exception& e) {
    std::string text = e.what();
    if (auto* pe = dynamic_cast<const Poco::Exception*>(&e)) text = pe->displayText();
    try {
      if (session_->isTransaction()) session_->rollback();
    } catch (...) {
    }
    reconnect_ = dialect_ == SqlDialect::kPostgres;  // the session may be dead: renew it
    return Status::IoError(Scrub("state store: " + what + " failed: " + text));
  }
}

}  // namespace rostersync

#endif  // ROSTERSYNC_STATE_SQL_INTERNAL_H_
