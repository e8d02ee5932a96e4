#include "daemon/cli.h"

#include <cstdio>
#include <set>

#include "daemon/commands.h"
#include "daemon/exit_codes.h"

namespace rostersync::daemon {
namespace {

struct FlagSpec {
  const char* name;   // "--json"
  const char* value;  // nullptr: a switch; else the value's name ("DURATION")
  const char* help;
};

struct CommandSpec {
  const char* name;
  const char* args;  // "KEY" or ""
  const char* summary;
  const char* details;
  std::vector<FlagSpec> flags;
};

const std::vector<CommandSpec>& Commands() {
  static const std::vector<CommandSpec> kCommands = {
      {"check-config",
       "",
       "validate the config and its referenced files; print every problem",
       "Reads the config file, checks every key, type and referenced file (token, CA bundle,\n"
       "roster, audit directory) and prints each problem with file:line and key path.\n"
       "Exit 0 when the config is usable (warnings allowed), 1 when it has errors.",
       {}},
      {"plan",
       "",
       "read roster + server, print the plan; changes nothing",
       "Reads the roster and the server's users and prints the actions a sync would take,\n"
       "one line per action, with held actions and why. Writes nothing anywhere.",
       {{"--json", nullptr, "print the plan as one JSON document (stable for scripts)"},
        {"--detailed-exitcode", nullptr,
         "exit 2 when the plan has changes, 4 when a guard held some or a person must act, 0 "
         "when none; without it plan exits 0 whatever it found (1 only on an error)"},
        {"--verbose", nullptr,
         "list every adoption note, rejected row and unmatched account (not the first 10)"}}},
      {"sync",
       "",
       "one full cycle (plan + apply) then exit",
       "Plans and applies: creates, updates, deactivates ... as the roster demands, journaling\n"
       "each action first and auditing each outcome. Exit 0 ok, 3 some actions failed,\n"
       "4 a safety guard held part of the plan or a person must act (! attention), 1 the cycle\n"
       "could not run.",
       {{"--force", nullptr, "override the safety guards (max_deactivations, untrusted roster)"},
        {"--full", nullptr,
         "list every account (a full reconciliation) even where the running service would "
         "run an incremental cycle; a one-shot sync is always full"},
        {"--json", nullptr, "print the plan and the outcome as one JSON document"},
        {"--verbose", nullptr,
         "list every adoption note, rejected row and unmatched account (not the first 10)"}}},
      {"sync-user",
       "KEY",
       "plan and apply for one roster key only",
       "Plans and applies for the person with roster key KEY only. Guards still apply.",
       {}},
      {"run",
       "",
       "the long-running service: scheduler + admin HTTP endpoint",
       "Runs cycles every schedule.interval (+ jitter), when the roster file changes and on\n"
       "POST /v1/sync; serves /healthz, /readyz, /metrics, /v1/* on admin.listen.\n"
       "SIGHUP reloads the config (an invalid one is refused and the old one kept) and reopens\n"
       "the audit file; SIGTERM/SIGINT stop it after the running cycle.",
       {{"--daemon", nullptr,
         "detach from the terminal (not needed under systemd); logs go to --logfile, else to "
         "the journal, else to the stderr it was started with"},
        {"--logfile", "FILE", "with --daemon: append the log to FILE (never a symlink)"},
        {"--pidfile", "FILE", "write the process id to FILE (never a symlink)"}}},
      {"status",
       "",
       "the last runs and their outcomes, from the state store",
       "Lists the most recent runs recorded in state.database, newest first.",
       {{"--json", nullptr, "print the runs as JSON"}}},
      {"held",
       "",
       "what a guard holds back, by held id, and who decided what",
       "Lists the held sets recorded in state.database, newest first: the held id, when it\n"
       "was first held, its actions and whether it waits, was approved or rejected (by whom).",
       {{"--json", nullptr, "print the held sets and their actions as JSON"}}},
      {"approve",
       "HELD_ID",
       "apply exactly the held actions of HELD_ID if the plan still holds them unchanged",
       "Plans again and, if the plan still holds every action of HELD_ID unchanged, applies a\n"
       "cycle in which exactly those held actions are released (other held actions stay held).\n"
       "Anything that changed or vanished refuses the whole approval with the difference.\n"
       "Exit 0 applied, 3 some released actions failed, 5 refused (nothing applied), 1 error.\n"
       "The decision is audited with the OS user as approver (user_id \"cli\"). Beside a\n"
       "running `rostersync run` it is handed to the service's admin endpoint (audited as\n"
       "admin-token); either way one line says what was applied.",
       {{"--only", "KEY[,KEY...]", "approve the held actions of these roster keys only "
                                   "(repeatable)"},
        {"--json", nullptr, "print the decision as JSON (beside a running service: its answer)"}}},
      {"reject",
       "HELD_ID",
       "dismiss a held set until the plan changes",
       "Marks HELD_ID rejected: it stays held and is not offered again; a plan whose held\n"
       "actions differ gets a new held id. Exit 0, 5 refused (unknown or already decided).",
       {{"--json", nullptr, "print the decision as JSON (beside a running service: its answer)"}}},
      {"audit",
       "",
       "query the audit trail",
       "Prints audit records from the state store, oldest first.",
       {{"--since", "DURATION", "only records newer than this (90s, 15m, 2h, 3d)"},
        {"--user", "NAME", "only records of this username or roster key"},
        {"--limit", "N", "print at most the N newest records (default: all in the window)"},
        {"--json", nullptr, "print the records as JSON lines"}}},
      {"demo",
       "",
       "self-contained tour on the bundled Mattermost emulator",
       "Starts the bundled mm-emulator on a free loopback port, writes a sample roster and\n"
       "config into a temporary directory and shows plan -> sync -> plan (No changes.).\n"
       "Leaves no process or file behind.",
       {}},
      {"version", "", "print the version", "Prints the rostersync version.", {}},
  };
  return kCommands;
}

const CommandSpec* FindCommand(const std::string& name) {
  for (const auto& c : Commands()) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

std::string Usage(const CommandSpec& c) {
  std::string out = std::string("rostersync [--config FILE] ") + c.name;
  for (const auto& f : c.flags) {
    out += std::string(" [") + f.name + (f.value ? std::string(" ") + f.value : "") + "]";
  }
  if (*c.args) out += std::string(" ") + c.args;
  return out;
}

}  // namespace

std::string HelpText(const std::string& command) {
  if (const CommandSpec* c = FindCommand(command)) {
    std::string out = "Usage: " + Usage(*c) + "\n\n" + c->details + "\n";
    if (!c->flags.empty()) out += "\nOptions:\n";
    for (const auto& f : c->flags) {
      std::string left = std::string(f.name) + (f.value ? std::string(" ") + f.value : "");
      left.resize(std::max<size_t>(left.size() + 2, 24), ' ');
      out += "  " + left + f.help + "\n";
    }
    out += "\nGlobal options:\n  --config FILE           the config file (default " +
           std::string(kDefaultConfigPath) + ")\n";
    return out;
  }
  std::string out =
      "rostersync keeps Mattermost user accounts in step with an HR roster.\n\n"
      "Usage: rostersync [--config FILE] COMMAND [OPTIONS]\n\nCommands:\n";
  for (const auto& c : Commands()) {
    std::string left = std::string(c.name) + (*c.args ? std::string(" ") + c.args : "");
    left.resize(std::max<size_t>(left.size() + 2, 16), ' ');
    out += "  " + left + c.summary + "\n";
  }
  out +=
      "\nGlobal options:\n"
      "  --config FILE   the config file (default " +
      std::string(kDefaultConfigPath) +
      ")\n"
      "  --help          this help; `rostersync COMMAND --help` describes one command\n\n"
      "Exit codes: 0 success or no changes; 1 error (bad config, roster unreadable, server\n"
      "unreachable or unauthorised); 2 plan --detailed-exitcode found changes; 3 some\n"
      "actions failed; 4 a safety guard held back part of the plan, or a person must act;\n"
      "5 an approval or rejection was refused (nothing applied). plan exits 0 whatever it\n"
      "found, changes, held actions and attention items included (1 only on an error),\n"
      "unless --detailed-exitcode asks for 2 and 4.\n";
  return out;
}

namespace {

// One argument, with an inline "--name=value" split off.
struct SplitArg {
  std::string name;
  std::string value;
  bool has_inline = false;
};

SplitArg SplitInline(const std::string& raw) {
  SplitArg a{raw, "", false};
  if (raw.rfind("--", 0) != 0) return a;
  auto eq = raw.find('=');
  if (eq == std::string::npos) return a;
  a.value = raw.substr(eq + 1);
  a.name = raw.substr(0, eq);
  a.has_inline = true;
  return a;
}

// An option's value: the inline one, else the next argument (advancing *i).
Result<std::string> TakeValue(const std::vector<std::string>& args, size_t* i, const SplitArg& a,
                              const CommandSpec* spec) {
  if (a.has_inline) return a.value;
  if (*i + 1 >= args.size()) {
    return Status::Invalid("option " + a.name + " needs a value; see rostersync " +
                           (spec ? std::string(spec->name) + " " : "") + "--help");
  }
  return args[++*i];
}

// Records `a`, one of the command's own options (not --help/--config), in *cl.
Status ApplyCommandFlag(const std::vector<std::string>& args, size_t* i, const SplitArg& a,
                        const CommandSpec* spec, CommandLine* cl) {
  const std::string& arg = a.name;
  if (spec == nullptr) {
    return Status::Invalid("unknown option " + arg + " before the command; see rostersync --help");
  }
  const FlagSpec* flag = nullptr;
  for (const auto& f : spec->flags) {
    if (arg == f.name) flag = &f;
  }
  if (flag == nullptr) {
    return Status::Invalid("unknown option " + arg + " for " + spec->name + "; see rostersync " +
                           spec->name + " --help");
  }
  if (!flag->value) {
    if (a.has_inline) return Status::Invalid("option " + arg + " takes no value");
    cl->opts[arg] = "";
    return Status::Ok();
  }
  Result<std::string> v = TakeValue(args, i, a, spec);
  if (!v.ok()) return v.status();
  const bool more = arg == "--only" && cl->Has(arg);  // repeatable: joined by ','
  cl->opts[arg] = more ? cl->Get(arg) + "," + *v : *v;
  return Status::Ok();
}

// Invalid unless the command got exactly as many positional arguments as it takes.
Status CheckPositionals(const CommandSpec& spec, const CommandLine& cl) {
  size_t want = *spec.args ? 1 : 0;
  if (cl.positionals.size() == want) return Status::Ok();
  return Status::Invalid(
      std::string(spec.name) +
      (want ? " needs exactly one " + std::string(spec.args) : std::string(" takes no arguments")) +
      "; see rostersync " + spec.name + " --help");
}

}  // namespace

Result<CommandLine> ParseCommandLine(const std::vector<std::string>& args) {
  CommandLine cl;
  const CommandSpec* spec = nullptr;
  for (size_t i = 0; i < args.size(); ++i) {
    const SplitArg a = SplitInline(args[i]);
    const std::string& arg = a.name;
    if (arg == "--help" || arg == "-h") {
      cl.help = true;
    } else if (arg == "--config" || arg == "-c") {
      Result<std::string> v = TakeValue(args, &i, a, spec);
      if (!v.ok()) return v.status();
      cl.config_path = *v;
      cl.config_given = true;
    } else if (arg == "--version" && spec == nullptr) {
      cl.command = "version";
      spec = FindCommand("version");
    } else if (arg.size() > 1 && arg[0] == '-') {
      Status st = ApplyCommandFlag(args, &i, a, spec, &cl);
      if (!st.ok()) return st;
    } else if (spec == nullptr) {
      spec = FindCommand(arg);
      if (spec == nullptr) {
        return Status::Invalid("unknown command \"" + arg +
                               "\"; see rostersync --help for the list");
      }
      cl.command = arg;
    } else {
      cl.positionals.push_back(arg);
    }
  }
  if (spec != nullptr && !cl.help) {
    Status st = CheckPositionals(*spec, cl);
    if (!st.ok()) return st;
  }
  return cl;
}

int RunCli(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  Result<CommandLine> parsed = ParseCommandLine(args);
  if (!parsed.ok()) {
    std::fprintf(stderr, "rostersync: %s\n", parsed.status().message().c_str());
    return kExitError;
  }
  CommandLine& cl = *parsed;
  if (argc > 0) cl.program = argv[0];
  if (cl.help || cl.command.empty()) {
    std::fputs(HelpText(cl.command).c_str(), cl.help ? stdout : stderr);
    return cl.help ? kExitOk : kExitError;
  }
  const std::string& c = cl.command;
  if (c == "check-config") return CmdCheckConfig(cl);
  if (c == "plan") return CmdPlan(cl);
  if (c == "sync" || c == "sync-user") return CmdSync(cl);
  if (c == "status") return CmdStatus(cl);
  if (c == "audit") return CmdAudit(cl);
  if (c == "held") return CmdHeld(cl);
  if (c == "approve" || c == "reject") return CmdDecide(cl);
  if (c == "run") return CmdRun(cl, argc, argv);
  if (c == "demo") return CmdDemo(cl);
  return CmdVersion();
}

}  // namespace rostersync::daemon
