// SqlStateStore: the ledger table. LoadLedger streams the rows in batches (no RecordSet of
// Dynamic::Vars for the whole table) and decodes their JSON columns with simdjson, falling
// back to the Poco decoders (audit_json.h) for anything but the plain shapes written here.
#include <Poco/Data/Statement.h>
#include <simdjson.h>

#include <vector>

#include "state/audit_json.h"
#include "state/sql_internal.h"
#include "state/sql_state_store.h"

namespace rostersync {
namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::limit;
using sql_internal::Exec;
using sql_internal::Value;

constexpr std::size_t kLedgerBatch = 2048;  // rows per fetch while loading the ledger

simdjson::dom::parser& Parser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

// {"field": "value", ...} as StringMapToJson writes it; other shapes go to the Poco decoder.
std::map<std::string, std::string> SetValues(const std::string& json) {
  std::map<std::string, std::string> out;
  simdjson::dom::object obj;
  if (Parser().parse(json).get_object().get(obj) == simdjson::SUCCESS) {
    bool plain = true;
    for (simdjson::dom::key_value_pair kv : obj) {
      std::string_view value;
      if (kv.value.get_string().get(value) != simdjson::SUCCESS) {
        plain = false;
        break;
      }
      out[std::string(kv.key)] = std::string(value);
    }
    if (plain) return out;
  }
  return Value(StringMapFromJson(json));
}

// ["name", ...] as StringSetToJson writes it; other shapes go to the Poco decoder.
std::set<std::string> Reported(const std::string& json) {
  if (json == "[]") return {};
  std::set<std::string> out;
  simdjson::dom::array array;
  if (Parser().parse(json).get_array().get(array) == simdjson::SUCCESS) {
    bool plain = true;
    for (simdjson::dom::element e : array) {
      std::string_view value;
      if (e.get_string().get(value) != simdjson::SUCCESS) {
        plain = false;
        break;
      }
      out.emplace(value);
    }
    if (plain) return out;
  }
  return Value(StringSetFromJson(json));
}

}  // namespace

Result<Ledger> SqlStateStore::LoadLedger() {
  Ledger ledger;
  Status s = Transaction("loading the ledger", [&] {
    std::vector<std::string> keys, user_ids, set_values, reported;
    std::vector<Poco::Int64> absent_since, absent_cycles;
    Poco::Data::Statement st(*session_);
    // CAST: one integer width for both backends (SQLite INTEGER, PostgreSQL int4/int8).
    st << "SELECT roster_key, user_id, set_values, CAST(absent_since_ms AS BIGINT),"
          " CAST(absent_cycles AS BIGINT), reported FROM ledger",
        into(keys), into(user_ids), into(set_values), into(absent_since), into(absent_cycles),
        into(reported), limit(kLedgerBatch);
    while (!st.done()) {
      st.execute();
      for (std::size_t i = 0; i < keys.size(); ++i) {
        LedgerEntry e;
        e.key = std::move(keys[i]);
        e.user_id = std::move(user_ids[i]);
        e.set_values = SetValues(set_values[i]);
        e.absent_since_ms = absent_since[i];
        e.absent_cycles = static_cast<int>(absent_cycles[i]);
        e.reported = Reported(reported[i]);
        std::string key = e.key;
        ledger.insert_or_assign(std::move(key), std::move(e));
      }
      for (auto* column : {&keys, &user_ids, &set_values, &reported}) column->clear();
      absent_since.clear();
      absent_cycles.clear();
    }
  });
  if (!s.ok()) return s;
  return ledger;
}

Status SqlStateStore::PutLedgerEntry(const LedgerEntry& entry) {
  return Transaction("saving ledger entry " + entry.key, [&] { UpsertLedgerLocked(entry); });
}

Status SqlStateStore::DeleteLedgerEntry(const std::string& key) {
  return Transaction("deleting ledger entry " + key, [&] {
    Exec(*session_, Sql("DELETE FROM ledger WHERE roster_key = ?"), key);
  });
}

Status SqlStateStore::PutLedger(const Ledger& ledger) {
  return Transaction("saving the ledger", [&] {
    for (const auto& [key, entry] : ledger) UpsertLedgerLocked(entry);
  });
}


void SqlStateStore::UpsertLedgerLocked(const LedgerEntry& e) {
  Exec(*session_,
       Sql("INSERT INTO ledger (roster_key, user_id, set_values, absent_since_ms, absent_cycles,"
           " reported) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (roster_key) DO UPDATE SET"
           " user_id = excluded.user_id, set_values = excluded.set_values,"
           " absent_since_ms = excluded.absent_since_ms, absent_cycles = excluded.absent_cycles,"
           " reported = excluded.reported"),
       e.key, e.user_id, StringMapToJson(e.set_values), static_cast<Poco::Int64>(e.absent_since_ms),
       e.absent_cycles, StringSetToJson(e.reported));
}

}  // namespace rostersync
