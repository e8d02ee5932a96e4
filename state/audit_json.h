// JSON for the state layer (Poco JSON): audit records as docs/contract.md defines them, journal
// payloads back into Actions, and the JSON text columns of the store. Pure functions,
// thread-safe. Decoders return Invalid (with what was wrong) on malformed input.
#ifndef ROSTERSYNC_STATE_AUDIT_JSON_H_
#define ROSTERSYNC_STATE_AUDIT_JSON_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "sync/plan.h"
#include "sync/state_store.h"
#include "sync/status.h"

namespace rostersync {

// One line of the audit file: {"ts":"2026-11-29T13:02:23.123Z","run_id":..,"action":..,
// "key":..,"user_id":..,"username":..,"changes":{field:{from,to}},"result":..,
// "http_status":..,"request_id":..,"error":..}. No newline.
std::string AuditRecordToJson(const AuditRecord& record);
Result<AuditRecord> AuditRecordFromJson(const std::string& json);

// "2026-11-29T13:02:23.123Z" (UTC, milliseconds).
std::string IsoTimestampMs(int64_t ms);

// Decodes an action written by sync/plan_json.h ActionToJson (the journal payload). Invalid
// for malformed JSON or an unknown action name.
Result<Action> ActionFromJson(const std::string& json);

// Store columns.
std::string StringMapToJson(const std::map<std::string, std::string>& map);
Result<std::map<std::string, std::string>> StringMapFromJson(const std::string& json);
std::string StringSetToJson(const std::set<std::string>& set);
Result<std::set<std::string>> StringSetFromJson(const std::string& json);
std::string ChangesToJson(const std::vector<FieldChange>& changes);  // [{field,from,to}]
Result<std::vector<FieldChange>> ChangesFromJson(const std::string& json);

}  // namespace rostersync

#endif  // ROSTERSYNC_STATE_AUDIT_JSON_H_
