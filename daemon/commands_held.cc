// held, approve, reject: the held sets a guard left waiting and the decisions about them
// (held_sets.h).
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <iostream>
#include <set>
#include <sstream>

#include "daemon/admin_server.h"
#include "daemon/commands.h"
#include "daemon/cycle.h"
#include "daemon/cycle_output.h"
#include "daemon/exit_codes.h"
#include "daemon/handoff.h"
#include "daemon/held_sets.h"
#include "daemon/wiring.h"
#include "sync/text.h"

namespace rostersync::daemon {

namespace {

// A field of the service's JSON answer ("" when absent or not JSON).
std::string AnswerField(const std::string& body, const std::string& name, int* exit_code) {
  try {
    Poco::JSON::Parser parser;
    auto obj = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
    if (exit_code != nullptr && obj->has("exit_code")) *exit_code = obj->getValue<int>("exit_code");
    return obj->has(name) ? obj->getValue<std::string>(name) : "";
  } catch (const std::exception&) {
    return "";
  }
}

// Beside a running service: POST /v1/held/{id}/approve|reject on its admin endpoint (with
// admin.token_file's token); the service audits the decision as "admin-token". Prints one
// human line (what was decided, how many held actions applied), or with --json the service's
// JSON answer; exit as a local decision would (0, 3, 5), 1 otherwise.
int HandOffDecision(const CommandLine& cl, const Config& config, const HeldDecision& d) {
  std::string only;
  for (const std::string& k : d.only_keys) {
    std::string encoded;
    Poco::URI::encode(k, ",/?#&=+% ", encoded);
    only += (only.empty() ? "" : ",") + encoded;
  }
  const std::string path = "/v1/held/" + d.held_id + (d.approve ? "/approve" : "/reject") +
                           (only.empty() ? "" : "?only=" + only);
  Result<ServiceAnswer> answer = PostToService(config.admin, path);
  if (!answer.ok()) {
    std::fprintf(stderr, "rostersync %s: %s\n", cl.command.c_str(),
                 EscapeControl(answer.status().message()).c_str());
    return kExitError;
  }
  const int status = answer->status;
  int exit_code = status == 200 ? kExitOk : status == 409 ? kExitRefused : kExitError;
  std::string text = AnswerField(answer->body, status == 200 ? "message" : "error",
                                       status == 200 ? &exit_code : nullptr);
  if (cl.Has("--json") && !AnswerField(answer->body, status == 200 ? "held_id" : "error",
                                       nullptr).empty()) {
    // JSON escapes its strings; anything raw that a terminal would act on is escaped here.
    const std::string& body = answer->body;
    bool raw_control = false;
    for (size_t n = 0; n < body.size(); ++n) {
      const unsigned char c = static_cast<unsigned char>(body[n]);
      raw_control |= c < 0x20 || c == 0x7f ||
                     (c == 0xc2 && n + 1 < body.size() &&
                      static_cast<unsigned char>(body[n + 1]) < 0xa0);  // C1: U+0080..U+009F
    }
    std::fprintf(status == 200 ? stdout : stderr, "%s\n",
                 raw_control ? EscapeControl(body).c_str() : body.c_str());
    return exit_code;
  }
  const std::string kConflict = "Conflict: ";  // Status::ToString() of a 409
  if (status == 409 && text.rfind(kConflict, 0) == 0) text.erase(0, kConflict.size());
  const std::string shown = text.empty() ? "the running service at " + answer->address +
                                               " answered " + std::to_string(status) + ": " +
                                               answer->body
                                         : text;
  std::fprintf(exit_code == kExitOk ? stdout : stderr, "rostersync %s: %s\n", cl.command.c_str(),
               EscapeControl(shown).c_str());
  return exit_code;
}

}  // namespace

int CmdHeld(const CommandLine& cl) {
  std::optional<Config> config = LoadConfigOrReport(cl);
  if (!config) return kExitError;
  std::unique_ptr<StateStore> store = OpenStoreOrReport(cl, *config);
  if (!store) return kExitError;
  Result<std::vector<HeldSetRecord>> sets = store->RecentHeldSets(50);
  if (!sets.ok()) {
    PrintError(cl.command, sets.status());
    return kExitError;
  }
  std::cout << (cl.Has("--json") ? HeldSetsToJson(*sets) + "\n" : HeldSetsToText(*sets));
  std::cout.flush();
  return kExitOk;
}

int CmdDecide(const CommandLine& cl) {
  std::optional<Config> config = LoadConfigOrReport(cl);
  if (!config) return kExitError;
  HeldDecision decision;
  decision.held_id = cl.positionals.at(0);
  decision.approve = cl.command == "approve";
  decision.only_keys = ParseOnlyKeys(cl.Get("--only"));
  decision.approver = CliApprover();
  decision.approver_id = kCliApproverId;
  decision.second_approver_above = config->approvals.second_approver_above;
  std::unique_ptr<LeaderElection> leader = MakeLeaderElection(config->state.database);
  Status lock = decision.approve ? leader->Acquire() : Status::Ok();
  if (!lock.ok() && !lock.IsConflict()) {
    std::fprintf(stderr, "rostersync approve: %s\n", lock.ToString().c_str());
    return kExitError;
  }
  if (!lock.ok()) {
    std::fprintf(stderr,
                 "rostersync approve: standby: another rostersync instance holds the leader "
                 "lock; approve on the leader (its admin endpoint: POST /v1/held/%s/approve)\n",
                 EscapeControl(decision.held_id).c_str());
    return kExitError;
  }
  Result<std::unique_ptr<CycleRunner>> runner = CycleRunner::Create(*config, nullptr);
  if (!runner.ok() && runner.status().IsConflict()) {
    bool hex = !decision.held_id.empty();
    for (char c : decision.held_id) hex = hex && std::isxdigit(static_cast<unsigned char>(c));
    if (!hex) {
      std::fprintf(stderr, "rostersync %s: approval refused, nothing was applied: no held set "
                           "%s; `rostersync held` lists them\n",
                   cl.command.c_str(), EscapeControl(decision.held_id).c_str());
      return kExitRefused;
    }
    std::fprintf(stderr, "rostersync %s: the service holds the state database; handing the "
                         "decision to it at %s (audited as admin-token)\n",
                 cl.command.c_str(), AdminClientAddress(config->admin.listen).c_str());
    return HandOffDecision(cl, *config, decision);
  }
  if (!runner.ok()) {
    PrintError(cl.command, runner.status());
    return kExitError;
  }
  CycleRunner& run = **runner;
  DecisionOutcome out = DecideHeldSet(run.store(), run.audit(), decision, SystemClock().NowMs(),
                                      [&](const CycleRequest& r) { return run.Run(r); });
  if (cl.Has("--json")) {
    std::cout << DecisionToJson(decision.held_id, decision.approve, out) << "\n";
    return out.exit_code;
  }
  if (out.cycle_ran && out.exit_code != kExitRefused && out.cycle.status.ok()) {
    CycleOutput printed = RenderCycle(out.cycle, "approve", false, isatty(STDOUT_FILENO) == 1,
                                      false);
    std::cout << printed.out;
    std::cerr << printed.err;
  }
  std::fprintf(out.exit_code == kExitOk ? stdout : stderr, "rostersync %s: %s\n",
               cl.command.c_str(), EscapeControl(out.message).c_str());
  return out.exit_code;
}

}  // namespace rostersync::daemon
