#include "daemon/cycle_output.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "daemon/json_views.h"
#include "sync/plan_printer.h"
#include "sync/text.h"

namespace rostersync::daemon {

CycleOutput RenderCycle(const CycleResult& result, const std::string& command, bool json,
                        bool color, bool verbose) {
  CycleOutput o;
  o.exit_code = result.exit_code;
  if (json) {
    o.out = CycleResultToJson(result) + "\n";
  } else if (result.planned) {
    PlanTextOptions text;
    text.color = color;
    text.verbose = verbose;
    o.out = FormatPlanText(result.plan, text);
    if (result.capabilities.known) {  // the header's second line, after the summary
      size_t eol = o.out.find('\n');
      eol = eol == std::string::npos ? o.out.size() : eol + 1;
      o.out.insert(eol, "Server: " + EscapeControl(result.capabilities.Summary()) + "\n");
    }
  }
  if (!result.status.ok()) {
    o.err = "rostersync " + command + ": " + EscapeControl(result.status.ToString()) + "\n";
    return o;
  }
  if (json || !result.applied) return o;
  o.out += "Applied " + std::to_string(result.report.ok) + ", failed " +
           std::to_string(result.report.failed) + ", held " +
           std::to_string(result.report.held) + " (run " + result.run_id + ").\n";
  for (const ActionOutcome& a : result.report.outcomes) {
    if (!a.action.held && !a.status.ok()) {
      o.out += std::string("failed ") + ActionName(a.action.type) + " " +
               EscapeControl(a.action.username) +
               ": " + a.status.ToString() + "\n";
    }
  }
  return o;
}

std::string CycleOutputToJson(const CycleOutput& o) {
  return "{\"exit_code\":" + std::to_string(o.exit_code) + ",\"stdout\":" + JsonString(o.out) +
         ",\"stderr\":" + JsonString(o.err) + "}";
}

Result<CycleOutput> CycleOutputFromJson(const std::string& body) {
  try {
    Poco::JSON::Parser parser;
    auto root = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
    CycleOutput o;
    o.exit_code = root->getValue<int>("exit_code");
    o.out = root->optValue<std::string>("stdout", "");
    o.err = root->optValue<std::string>("stderr", "");
    return o;
  } catch (const std::exception& e) {
    return Status::Invalid(std::string("the service answered with unexpected JSON: ") + e.what());
  }
}

}  // namespace rostersync::daemon
