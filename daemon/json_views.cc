#include "daemon/json_views.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <set>
#include <sstream>

#include "state/audit_json.h"
#include "sync/plan_json.h"

namespace rostersync::daemon {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string Stringify(const Poco::Dynamic::Var& v) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(v, out);
  return out.str();
}

Object::Ptr RunObject(const RunRecord& run) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("run_id", run.run_id);
  o->set("command", std::string(ToString(run.command)));
  o->set("started", run.started_ms ? UtcTimestamp(run.started_ms) : "");
  o->set("finished", run.finished_ms ? UtcTimestamp(run.finished_ms) : "");
  o->set("result", std::string(ToString(run.result)));
  o->set("exit_code", run.exit_code);
  o->set("actions_ok", run.actions_ok);
  o->set("actions_failed", run.actions_failed);
  o->set("actions_held", run.actions_held);
  o->set("roster_rows", run.roster_rows);
  o->set("rejected_rows", run.rejected_rows);
  o->set("message", run.message);
  o->set("server", run.server);
  return o;
}

Array::Ptr StringArray(const std::set<std::string>& values) {
  Array::Ptr a = new Array;
  for (const std::string& v : values) a->add(v);
  return a;
}

// What the server allowed this cycle (docs/server-compatibility.md).
Object::Ptr ServerObject(const ServerCapabilities& c) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("summary", c.Summary());
  o->set("version", c.version);
  o->set("licensed", c.licensed);
  o->set("guest_accounts", c.GuestsAvailable());
  o->set("require_email_verification", c.require_email_verification);
  Object::Ptr password = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  password->set("min_length", c.password.min_length);
  password->set("lowercase", c.password.lowercase);
  password->set("uppercase", c.password.uppercase);
  password->set("number", c.password.number);
  password->set("symbol", c.password.symbol);
  o->set("password", password);
  Object::Ptr owned = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  owned->set("saml", StringArray(c.saml_owned));
  owned->set("ldap", StringArray(c.ldap_owned));
  o->set("provider_owned", owned);
  return o;
}

}  // namespace

std::string JsonString(const std::string& text) { return Stringify(Poco::Dynamic::Var(text)); }

std::string RunToJson(const RunRecord& run) { return Stringify(RunObject(run)); }

std::string RunsToJson(const std::vector<RunRecord>& runs) {
  Array::Ptr a = new Array;
  for (const RunRecord& run : runs) a->add(RunObject(run));
  Object::Ptr o = new Object;
  o->set("runs", a);
  return Stringify(o);
}

std::string AuditToJson(const std::vector<AuditRecord>& records) {
  std::string out = "{\"records\":[";
  for (size_t i = 0; i < records.size(); ++i) {
    if (i) out += ",";
    out += ::rostersync::AuditRecordToJson(records[i]);
  }
  return out + "]}";
}

std::string CycleResultToJson(const CycleResult& r) {
  Object::Ptr report = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  report->set("ok", r.report.ok);
  report->set("failed", r.report.failed);
  report->set("held", r.report.held);
  Array::Ptr outcomes = new Array;
  for (const ActionOutcome& o : r.report.outcomes) {
    Object::Ptr x = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    x->set("action", ActionName(o.action.type));
    x->set("key", o.action.key);
    x->set("username", o.action.username);
    x->set("user_id", o.user_id);
    x->set("result", o.action.held ? "held" : (o.status.ok() ? "ok" : "failed"));
    x->set("error", o.status.ok() ? "" : o.status.ToString());
    outcomes->add(x);
  }
  report->set("outcomes", outcomes);
  Array::Ptr drift = new Array;
  for (const std::string& d : r.report.drift) drift->add(d);
  report->set("drift", drift);
  Array::Ptr rejected = new Array;
  for (const RowError& e : r.roster.rejected) {
    Object::Ptr x = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    x->set("where", e.where);
    x->set("key", e.key);
    x->set("column", e.column);
    x->set("reason", e.reason);
    rejected->add(x);
  }
  // The plan is already a JSON document (plan_json.h): spliced in as is.
  const std::string server = r.capabilities.known ? Stringify(ServerObject(r.capabilities)) : "null";
  std::string out =
      "{\"run_id\":" + JsonString(r.run_id) + ",\"exit_code\":" + std::to_string(r.exit_code) +
      ",\"result\":" + JsonString(ToString(r.result)) +
      ",\"error\":" + JsonString(r.status.ok() ? "" : r.status.ToString()) +
      ",\"stage\":" + JsonString(r.stage) + ",\"server\":" + server +
      ",\"rejected_rows\":" + Stringify(rejected) +
      ",\"plan\":" + (r.planned ? PlanToJson(r.plan) : std::string("null"));
  if (r.applied) out += ",\"report\":" + Stringify(report);
  return out + "}";
}

}  // namespace rostersync::daemon
