#include "tests/daemon/e2e_support.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <sys/wait.h>

#include <cstdlib>
#include <chrono>
#include <sstream>
#include <thread>

#include "tests/support/http_client.h"

namespace rostersync::testing {

std::string RostersyncBinary() {
  const char* env = std::getenv("ROSTERSYNC_BIN");
  return env && *env ? env : ROSTERSYNC_BIN;
}

namespace {
std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}
}  // namespace

CliRun RunRostersync(const TempDir& dir, const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env) {
  std::string cmd = "env";
  for (const auto& [k, v] : env) cmd += " " + Quote(k + "=" + v);
  cmd += " timeout -k 5 120 " + Quote(RostersyncBinary());
  for (const auto& a : args) cmd += " " + Quote(a);
  std::string out = dir.File("cli.out"), err = dir.File("cli.err");
  cmd += " </dev/null >" + Quote(out) + " 2>" + Quote(err);
  int status = std::system(cmd.c_str());
  CliRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = TempDir::Read(out);
  run.err = TempDir::Read(err);
  return run;
}

const char kE2eSeed[] = R"({
  "users": [
    {"username": "carol", "email": "carol@example.com", "first_name": "Carol",
     "last_name": "Old", "roles": "system_user", "password": "Seed-passw0rd!"}
  ],
  "bots": [
    {"username": "build-bot", "display_name": "Build", "description": "CI bot"}
  ]
})";

const std::vector<std::vector<std::string>> kE2eRoster = {
    {"E1", "alice", "alice@example.com", "Alice", "Archer", "active"},
    {"E2", "bob", "bob@example.com", "Bob", "Builder", "active"},
    {"E3", "carol", "carol@example.com", "Carol", "Cooper", "active"},
};

std::string RosterCsv(const std::vector<std::vector<std::string>>& rows) {
  std::string out = "employee_id,username,email,first_name,last_name,status\n";
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + row[i];
    out += "\n";
  }
  return out;
}

std::string WriteConfig(const TempDir& dir, const E2eConfig& c) {
  dir.Write("mm-token", c.token + "\n");
  std::string roster = c.roster_path.empty() ? dir.File("roster.csv") : c.roster_path;
  std::string yaml =
      "mattermost:\n"
      "  url: " +
      c.url +
      "\n"
      "  token_file: " +
      dir.File("mm-token") +
      "\n"
      "  retries: {max_attempts: 2, base_delay: 10ms, max_delay: 50ms}\n"
      "  timeout: 5s\n"
      "roster:\n"
      "  source: csv\n"
      "  csv: {path: " +
      roster +
      ", settle: " + c.settle + "}\n"
      "  key: employee_id\n"
      "fields:\n"
      "  username: {column: username}\n"
      "  email: {column: email}\n"
      "  first_name: {column: first_name}\n"
      "  last_name: {column: last_name}\n"
      "  active: {column: status, true: [active], false: [terminated]}\n"
      "policy:\n"
      "  max_deactivations: 1\n"
      "schedule:\n"
      "  interval: 1h\n"
      "  jitter: 0\n"
      "state:\n"
      "  database: \"sqlite:" +
      dir.File("state.db") +
      "\"\n"
      "audit:\n"
      "  file: " +
      dir.File("audit.jsonl") +
      "\n"
      "admin:\n"
      "  listen: 127.0.0.1:" +
      std::to_string(c.admin_port) + "\n" + c.extra;
  return dir.Write("config.yaml", yaml);
}

std::vector<EmuUser> ParseEmuUsers(const std::string& state_json) {
  std::vector<EmuUser> users;
  try {
    Poco::JSON::Parser parser;
    auto root = parser.parse(state_json).extract<Poco::JSON::Object::Ptr>();
    auto list = root->getArray("users");
    for (size_t i = 0; list && i < list->size(); ++i) {
      auto o = list->getObject(static_cast<unsigned>(i));
      EmuUser u;
      u.id = o->optValue<std::string>("id", "");
      u.username = o->optValue<std::string>("username", "");
      u.email = o->optValue<std::string>("email", "");
      u.last_name = o->optValue<std::string>("last_name", "");
      u.roles = o->optValue<std::string>("roles", "");
      u.delete_at = o->optValue<Poco::Int64>("delete_at", 0);
      u.update_at = o->optValue<Poco::Int64>("update_at", 0);
      u.is_bot = o->optValue<bool>("is_bot", false);
      users.push_back(u);
    }
  } catch (const std::exception&) {
  }
  return users;
}

const EmuUser* FindUser(const std::vector<EmuUser>& users, const std::string& username) {
  for (const EmuUser& u : users) {
    if (u.username == username) return &u;
  }
  return nullptr;
}

std::optional<EmuUser> FindEmuUser(const std::string& state_json, const std::string& username) {
  std::vector<EmuUser> users = ParseEmuUsers(state_json);
  const EmuUser* user = FindUser(users, username);
  if (user == nullptr) return std::nullopt;
  return *user;
}

std::unique_ptr<ChildProcess> StartService(const std::string& config, const std::string& log,
                                           int admin_port) {
  auto run = std::make_unique<ChildProcess>(
      RostersyncBinary(), std::vector<std::string>{"--config", config, "run"}, log);
  if (!run->running() || !WaitForPort(admin_port, 30'000)) return nullptr;
  return run;
}

bool Eventually(const std::function<bool()>& done, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

int CountOf(const std::string& text, const std::string& what) {
  int n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

std::pair<int, std::string> HttpGet(int port, const std::string& path) {
  HttpCall call;
  call.path = path;
  HttpAnswer answer = SendHttp(port, call);
  return {answer.status, answer.body};
}

int HttpPost(int port, const std::string& path, const std::string& bearer) {
  HttpCall call;
  call.method = "POST";
  call.path = path;
  call.bearer = bearer;
  return SendHttp(port, call).status;
}

long ChangingRequests(const Emulator& emu) {
  try {
    Poco::JSON::Parser parser;
    auto stats = parser.parse(emu.Get("/__emu/stats")).extract<Poco::JSON::Object::Ptr>();
    long writes = stats->getValue<long>("writes_total");
    auto routes = stats->getObject("by_route");
    for (const char* read : {"POST /api/v4/users/ids", "POST /api/v4/users/usernames"}) {
      if (routes && routes->has(read)) writes -= routes->getValue<long>(read);
    }
    return writes;
  } catch (const std::exception&) {
    return -1;
  }
}

std::vector<std::string> E2eBed::EmulatorFlags(const TempDir& dir,
                                               const std::vector<std::string>& flags,
                                               bool seeded) {
  std::vector<std::string> out;
  if (seeded) out = {"--seed", dir.Write("seed.json", kE2eSeed)};
  out.insert(out.end(), flags.begin(), flags.end());
  return out;
}

std::unique_ptr<Emulator> SeededEmulator(const TempDir& dir) {
  return std::make_unique<Emulator>(
      std::vector<std::string>{"--seed", dir.Write("seed.json", kE2eSeed)});
}

std::vector<std::vector<std::string>> NumberedPeople(int n) {
  std::vector<std::vector<std::string>> rows;
  for (int i = 1; i <= n; ++i) {
    const std::string id = std::to_string(i);
    rows.push_back({"P" + id, "person" + id, "person" + id + "@example.com", "Person", id,
                    "active"});
  }
  return rows;
}

std::string HeldId(const std::string& json, const std::string& decision) {
  auto at = json.find("\"decision\":\"" + decision + "\"");
  if (at == std::string::npos) return "";
  auto id = json.rfind("\"held_id\":\"", at);
  return id == std::string::npos ? "" : json.substr(id + 11, 16);
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  auto pos = s.find(from);
  return pos == std::string::npos ? s : s.replace(pos, from.size(), to);
}

namespace {
constexpr char kQuietEnv[] = "ROSTERSYNC_INTERNAL_ROSTER_QUIET_MS";
}  // namespace

QuietTime::QuietTime(int ms) {
  if (const char* v = std::getenv(kQuietEnv)) {
    had_ = true;
    previous_ = v;
  }
  setenv(kQuietEnv, std::to_string(ms).c_str(), 1);
}

QuietTime::~QuietTime() {
  if (had_) {
    setenv(kQuietEnv, previous_.c_str(), 1);
  } else {
    unsetenv(kQuietEnv);
  }
}

int CyclesTotal(int port, const std::string& result) {
  auto [status, text] = HttpGet(port, "/metrics");
  if (status != 200) return -1;
  const std::string prefix = "rostersync_cycles_total{result=\"";
  int total = 0;
  for (size_t pos = text.find(prefix); pos != std::string::npos;
       pos = text.find(prefix, pos + 1)) {
    if (pos > 0 && text[pos - 1] != '\n') continue;
    const size_t name_end = text.find('"', pos + prefix.size());
    const size_t value = text.find("} ", pos);
    if (name_end == std::string::npos || value == std::string::npos) return -1;
    if (!result.empty() && text.compare(pos + prefix.size(), name_end - pos - prefix.size(),
                                        result) != 0) {
      continue;
    }
    total += std::atoi(text.c_str() + value + 2);
  }
  return total;
}

}  // namespace rostersync::testing
