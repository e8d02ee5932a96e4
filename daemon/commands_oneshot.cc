// check-config, plan, sync, sync-user, status, audit, version.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <limits>

#include "config/config_loader.h"
#include "daemon/admin_server.h"
#include "daemon/commands.h"
#include "daemon/cycle.h"
#include "daemon/cycle_output.h"
#include "daemon/exit_codes.h"
#include "daemon/handoff.h"
#include "daemon/json_views.h"
#include "daemon/logging.h"
#include "daemon/wiring.h"
#include "roster/roster_loader.h"
#include "state/audit_json.h"
#include "sync/plan_printer.h"
#include "sync/text.h"

#ifndef ROSTERSYNC_VERSION
#define ROSTERSYNC_VERSION "0.0.0"
#endif

namespace rostersync::daemon {

void PrintError(const std::string& command, const Status& status) {
  std::fprintf(stderr, "rostersync %s: %s\n", command.c_str(), status.ToString().c_str());
}

std::unique_ptr<StateStore> OpenStoreOrReport(const CommandLine& cl, const Config& config) {
  Result<std::unique_ptr<StateStore>> store = OpenStoreForReading(config);
  if (!store.ok()) {
    PrintError(cl.command, store.status());
    return nullptr;
  }
  return std::move(store).value();
}

std::optional<Config> LoadConfigOrReport(const CommandLine& cl) {
  ConfigLoad load = LoadConfigFile(cl.config_path);
  std::string report = load.Report();
  if (!load.ok()) {
    std::fprintf(stderr,
                 "rostersync %s: the config %s has errors; nothing was done. Fix them "
                 "(`rostersync check-config` lists them all) and run again:\n%s",
                 cl.command.c_str(), cl.config_path.c_str(), report.c_str());
    if (!report.empty() && report.back() != '\n') std::fputc('\n', stderr);
    return std::nullopt;
  }
  if (!report.empty()) {
    std::fputs(report.c_str(), stderr);
    if (report.back() != '\n') std::fputc('\n', stderr);
  }
  Status s = SetupLogging(load.config.logging.level, load.config.logging.format);
  if (!s.ok()) std::fprintf(stderr, "rostersync: %s\n", s.message().c_str());
  return std::move(load.config);
}

namespace {

// The CSV roster as a cycle would open it (roster/csv_source: a FIFO, a directory, a /proc
// file or an oversized file is refused). A missing file is left to the loader's warning.
bool CheckRosterFile(const std::string& config_path, const Config& config) {
  if (config.roster.source != "csv" || config.roster.csv.path.empty()) return true;
  struct stat st {};
  if (::stat(config.roster.csv.path.c_str(), &st) != 0) return true;
  Result<std::unique_ptr<RosterSource>> source = MakeRosterSource(config.roster);
  if (!source.ok()) return true;
  Result<RawTable> table = (*source)->Read();
  if (table.ok() || table.status().code() != Status::Code::kIoError) return true;
  std::printf("%s: roster: %s\n", config_path.c_str(),
              EscapeControl(table.status().message()).c_str());
  return false;
}

// What the server allows, when it can be reached now. Unreachable is a note; a server that
// refuses the token (401/403) is an error: every cycle would fail the same way.
bool CheckServer(const std::string& config_path, const Config& config) {
  Result<ServerCapabilities> server = ReadServerCapabilities(config);
  if (server.ok()) {
    std::printf("%s: server: %s\n", config_path.c_str(), EscapeControl(server->Summary()).c_str());
    return true;
  }
  const Status::Code code = server.status().code();
  if (code == Status::Code::kUnauthorized || code == Status::Code::kForbidden) {
    std::printf("%s: server: the token in mattermost.token_file is refused (%s); check the "
                "token and that its account is a system admin\n",
                config_path.c_str(), EscapeControl(server.status().ToString()).c_str());
    return false;
  }
  std::printf("%s: server: not checked (%s)\n", config_path.c_str(),
              EscapeControl(server.status().ToString()).c_str());
  return true;
}

}  // namespace

int CmdCheckConfig(const CommandLine& cl) {
  ConfigLoad load = LoadConfigFile(cl.config_path);
  std::string report = load.Report();
  if (!report.empty()) {
    std::fputs(report.c_str(), stdout);
    if (report.back() != '\n') std::fputc('\n', stdout);
  }
  bool ok = load.ok();
  if (ok) {
    Result<std::string> token = ReadMattermostToken(load.config.mattermost);
    if (!token.ok()) {
      std::printf("%s: mattermost: %s\n", cl.config_path.c_str(), token.status().message().c_str());
      ok = false;
    }
  }
  if (load.ok()) {  // the roster file and header, when the file is readable now
    ok = CheckRosterFile(cl.config_path, load.config) && ok;
    for (const std::string& problem : CheckRosterHeader(load.config)) {
      std::printf("%s: roster: %s\n", cl.config_path.c_str(), EscapeControl(problem).c_str());
      ok = false;
    }
  }
  if (ok) ok = CheckServer(cl.config_path, load.config);
  if (ok) {
    std::printf("%s: OK\n", cl.config_path.c_str());
    return kExitOk;
  }
  std::printf("%s: has errors; rostersync will not start with it\n", cl.config_path.c_str());
  return kExitError;
}

namespace {

void Print(const CycleOutput& output) {
  std::cout << output.out;
  std::cout.flush();
  std::cerr << output.err;
  std::cerr.flush();
}

// plan: a reader beside a running service. sync / sync-user: the writer; when the service
// holds the SQLite lock, the cycle is handed to it over the admin endpoint.
int RunOneCycle(const CommandLine& cl, const CycleRequest& request, bool json) {
  std::optional<Config> config = LoadConfigOrReport(cl);
  if (!config) return kExitError;
  std::unique_ptr<StateStore> reader;
  if (!request.apply) {
    reader = OpenStoreOrReport(cl, *config);
    if (!reader) return kExitError;
  }
  // PostgreSQL HA: a one-shot sync applies only while holding the leader lock. Standby only
  // when another instance really holds it; an unreachable database is an error (exit 1).
  std::unique_ptr<LeaderElection> leader = MakeLeaderElection(config->state.database);
  Status lock = request.apply ? leader->Acquire() : Status::Ok();
  if (!lock.ok() && !lock.IsConflict()) {
    PrintError(cl.command, lock);
    return kExitError;
  }
  if (!lock.ok()) {
    std::fprintf(stderr,
                 "rostersync %s: standby: another rostersync instance holds the leader lock "
                 "on the state database and applies the changes; nothing was done here. Run "
                 "it on the leader (its admin endpoint: POST /v1/sync, "
                 "/v1/users/{key}/sync).\n",
                 cl.command.c_str());
    return request.only_key.empty() ? kExitOk : kExitError;
  }
  Result<std::unique_ptr<CycleRunner>> runner =
      CycleRunner::Create(*config, nullptr, reader.get());
  if (!runner.ok() && request.apply && runner.status().IsConflict()) {
    if (request.force && config->admin.token_file.empty()) {
      // The service refuses force without a token (403); say so instead of dropping --force.
      std::fprintf(stderr, "rostersync %s: the service holds the state database and %s\n",
                   cl.command.c_str(), kForceNeedsToken);
      return kExitError;
    }
    std::fprintf(stderr, "rostersync %s: the service holds the state database; handing the %s "
                         "to it at %s\n",
                 cl.command.c_str(), cl.command.c_str(),
                 AdminClientAddress(config->admin.listen).c_str());
    Result<CycleOutput> output =
        HandOffSync(config->admin, request.only_key, request.force, json, request.full);
    if (!output.ok()) {
      PrintError(cl.command, runner.status());
      PrintError(cl.command, output.status());
      return kExitError;
    }
    Print(*output);
    return output->exit_code;
  }
  if (!runner.ok()) {
    PrintError(cl.command, runner.status());
    return kExitError;
  }
  CycleResult result = (*runner)->Run(request);
  Print(RenderCycle(result, cl.command, json, isatty(STDOUT_FILENO) == 1, cl.Has("--verbose")));
  return result.exit_code;
}

}  // namespace

int CmdPlan(const CommandLine& cl) {
  CycleRequest request;
  request.apply = false;
  request.detailed_exitcode = cl.Has("--detailed-exitcode");
  request.command = RunCommand::kPlan;
  return RunOneCycle(cl, request, cl.Has("--json"));
}

int CmdSync(const CommandLine& cl) {
  CycleRequest request;
  request.apply = true;
  request.force = cl.Has("--force");
  request.full = cl.Has("--full");
  request.command = cl.command == "sync-user" ? RunCommand::kSyncUser : RunCommand::kSync;
  if (cl.command == "sync-user") request.only_key = cl.positionals.at(0);
  bool json = cl.Has("--json");
  request.progress = !json && isatty(STDERR_FILENO) == 1;
  return RunOneCycle(cl, request, json);
}

int CmdStatus(const CommandLine& cl) {
  std::optional<Config> config = LoadConfigOrReport(cl);
  if (!config) return kExitError;
  std::unique_ptr<StateStore> store = OpenStoreOrReport(cl, *config);
  if (!store) return kExitError;
  Result<std::vector<RunRecord>> runs = store->RecentRuns(20);
  if (!runs.ok()) {
    PrintError(cl.command, runs.status());
    return kExitError;
  }
  if (cl.Has("--json")) {
    std::cout << RunsToJson(*runs) << std::endl;
    return kExitOk;
  }
  if (runs->empty()) {
    std::printf("No runs recorded yet in %s.\n", DatabaseForDisplay(config->state.database).c_str());
    return kExitOk;
  }
  for (const RunRecord& r : *runs) {  // the newest run that read the server
    if (r.server.empty()) continue;
    std::printf("Server (as of %s): %s\n\n", UtcTimestamp(r.started_ms).c_str(),
                EscapeControl(r.server).c_str());
    break;
  }
  std::printf("%-22s %-10s %-8s %4s %4s %4s  %s\n", "STARTED", "COMMAND", "RESULT", "OK", "FAIL",
              "HELD", "MESSAGE");
  for (const RunRecord& r : *runs) {
    std::printf("%-22s %-10s %-8s %4d %4d %4d  %s\n", UtcTimestamp(r.started_ms).c_str(),
                ToString(r.command), ToString(r.result), r.actions_ok, r.actions_failed, r.actions_held,
                EscapeControl(r.message).c_str());
  }
  return kExitOk;
}

int CmdAudit(const CommandLine& cl) {
  std::optional<Config> config = LoadConfigOrReport(cl);
  if (!config) return kExitError;
  AuditQuery query;
  if (cl.Has("--since")) {
    Result<int64_t> ms = ParseDuration(cl.Get("--since"));
    if (!ms.ok()) {
      PrintError(cl.command, ms.status().Annotate("--since"));
      return kExitError;
    }
    query.since_ms = SystemClock().NowMs() - *ms;
  }
  query.username = cl.Get("--user");
  query.limit = 0;  // all records in the --since window unless --limit says otherwise
  if (cl.Has("--limit")) {
    const std::string text = cl.Get("--limit");
    char* end = nullptr;
    errno = 0;
    long long n = text.empty() ? -1 : std::strtoll(text.c_str(), &end, 10);
    if (n <= 0 || errno != 0 || *end != '\0' || n > std::numeric_limits<int>::max()) {
      PrintError(cl.command, Status::Invalid("--limit: '" + text +
                                                     "' is not a positive whole number of "
                                                     "records (e.g. --limit 5000)"));
      return kExitError;
    }
    query.limit = static_cast<int>(n);
  }
  std::unique_ptr<StateStore> store = OpenStoreOrReport(cl, *config);
  if (!store) return kExitError;
  Result<std::vector<AuditRecord>> records = store->QueryAudit(query);
  if (!records.ok()) {
    PrintError(cl.command, records.status());
    return kExitError;
  }
  for (const AuditRecord& r : *records) {
    if (cl.Has("--json")) {
      std::cout << ::rostersync::AuditRecordToJson(r) << "\n";
      continue;
    }
    // Roster and server strings are escaped: a cell cannot forge a line or move the cursor.
    std::string changes;
    for (const FieldChange& c : r.changes) {
      changes += " " + EscapeControl(c.field) + ": \"" + EscapeControl(c.from) + "\" -> \"" +
                 EscapeControl(c.to) + "\"";
    }
    const std::string error = r.error.empty() ? "" : "  error: " + EscapeControl(r.error);
    std::printf("%s %-7s %-13s %-16s key=%s%s%s\n", UtcTimestamp(r.ts_ms).c_str(),
                ToString(r.result), ToString(r.action),
                EscapeControl(r.username).c_str(), EscapeControl(r.key).c_str(), changes.c_str(),
                error.c_str());
  }
  std::cout.flush();
  return kExitOk;
}

int CmdVersion() {
  std::printf("rostersync %s\n", ROSTERSYNC_VERSION);
  return kExitOk;
}

}  // namespace rostersync::daemon
