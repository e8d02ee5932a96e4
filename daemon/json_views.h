// JSON documents the CLI (--json) and the admin endpoint serve: runs, audit records and a
// cycle's outcome. Built with Poco::JSON; pure functions, thread-safe. Never holds a secret
// (records and plans carry none by construction).
#ifndef ROSTERSYNC_DAEMON_JSON_VIEWS_H_
#define ROSTERSYNC_DAEMON_JSON_VIEWS_H_

#include <string>
#include <vector>

#include "daemon/cycle.h"
#include "sync/state_store.h"

namespace rostersync::daemon {

std::string RunToJson(const RunRecord& run);
std::string RunsToJson(const std::vector<RunRecord>& runs);  // {"runs":[...]}
// {"records":[...]}, each record as in the audit file (state/audit_json.h).
std::string AuditToJson(const std::vector<AuditRecord>& records);
// {"run_id","exit_code","result","error","plan":{...},"report":{ok,failed,held,outcomes}}
std::string CycleResultToJson(const CycleResult& result);
// A JSON string literal (with quotes) for `text`.
std::string JsonString(const std::string& text);

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_JSON_VIEWS_H_
