// The /__emu control routes and the command line of mm-emulator.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <fstream>

#include "emulator/test/emu_client.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace mmemu::test {
namespace {

using rostersync::testing::Emulator;

// curl -X POST without -d sends neither Content-Length nor a body; the emulator must answer
// rather than wait for a body (or a close) that never comes.
TEST(EmulatorAdminRoutesTest, AnswersAPostWithoutContentLengthAsAnEmptyBody) {
  Emulator emu;
  ASSERT_TRUE(emu.ok());
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", emu.port()));
  socket.setReceiveTimeout(Poco::Timespan(10, 0));  // bounded: a hang fails, not blocks
  const std::string request = "POST /__emu/stats/reset HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              "Authorization: Bearer " + emu.admin_token() + "\r\n\r\n";
  ASSERT_EQ(socket.sendBytes(request.data(), static_cast<int>(request.size())),
            static_cast<int>(request.size()));
  std::string reply;
  char buf[1024];
  for (int i = 0; i < 16 && reply.find("\r\n") == std::string::npos; ++i) {
    int n = 0;
    try {
      n = socket.receiveBytes(buf, sizeof buf);
    } catch (const Poco::Exception& e) {
      FAIL() << "no reply to a POST without Content-Length: " << e.displayText();
    }
    if (n <= 0) break;
    reply.append(buf, static_cast<size_t>(n));
  }
  EXPECT_EQ(reply.rfind("HTTP/1.1 200", 0), 0u) << reply;
}

TEST(EmulatorAdminRoutesTest, CountsRequestsByNormalizedRouteAndStatus) {
  Emulator emu;
  ASSERT_TRUE(emu.ok());
  EmuClient admin(emu.port(), emu.admin_token());
  std::string id = CreateUser(admin, "counted");
  admin.Get("/api/v4/users/" + id);
  admin.Put("/api/v4/users/" + id + "/patch", R"({"nickname":"n"})");
  admin.Get("/api/v4/users/username/ghost");
  auto stats = Obj(admin.Get("/__emu/stats").body);
  EXPECT_EQ(stats->getValue<int>("requests_total"), 4);
  EXPECT_EQ(stats->getValue<int>("writes_total"), 2);
  auto routes = stats->getObject("by_route");
  EXPECT_EQ(routes->getValue<int>("GET /api/v4/users/{id}"), 1);
  EXPECT_EQ(routes->getValue<int>("PUT /api/v4/users/{id}/patch"), 1);
  EXPECT_EQ(routes->getValue<int>("POST /api/v4/users"), 1);
  EXPECT_EQ(stats->getObject("by_status")->getValue<int>("404"), 1);
  EXPECT_EQ(emu.WritesTotal(), 2);
  auto recent = Arr(admin.Get("/__emu/requests?limit=2").body);
  ASSERT_EQ(recent->size(), 2u);
  EXPECT_EQ(recent->getObject(1)->getValue<int>("status"), 404);
  ASSERT_EQ(admin.Post("/__emu/stats/reset", "").status, 200);
  EXPECT_EQ(Obj(admin.Get("/__emu/stats").body)->getValue<int>("requests_total"), 0);
}

TEST(EmulatorAdminRoutesTest, AdminRoutesNeedTheAdminToken) {
  Emulator emu;
  ASSERT_TRUE(emu.ok());
  EmuClient admin(emu.port(), emu.admin_token());
  std::string id = CreateUser(admin, "nosy");
  auto tok = Obj(admin.Post("/api/v4/users/" + id + "/tokens", R"({"description":"t"})").body);
  EmuClient user(emu.port(), tok->getValue<std::string>("token"));
  EXPECT_EQ(user.Get("/__emu/stats").status, 401);
  EXPECT_EQ(EmuClient(emu.port(), "").Get("/__emu/state").status, 401);
}

TEST(EmulatorAdminRoutesTest, SeedsUsersWithTokensAtRuntime) {
  Emulator emu;
  ASSERT_TRUE(emu.ok());
  EmuClient admin(emu.port(), emu.admin_token());
  auto r =
      admin.Post("/__emu/users", R"({"users":[{"username":"seeded","email":"seeded@example.com",
      "auth_service":"ldap","auth_data":"uid=seeded","token":"seeded-token"}],
      "bots":[{"username":"robot","description":"beep"}]})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Obj(r.body)->getValue<int>("added"), 2);
  EmuClient seeded(emu.port(), "seeded-token");
  EXPECT_EQ(Obj(seeded.Get("/api/v4/users/me").body)->getValue<std::string>("username"), "seeded");
  auto bot = Obj(admin.Get("/api/v4/users/username/robot").body);
  EXPECT_TRUE(bot->getValue<bool>("is_bot"));
  EXPECT_EQ(
      admin.Post("/__emu/users", R"({"users":[{"username":"seeded","email":"x@example.com"}]})")
          .status,
      400);
  std::string state = admin.Get("/__emu/state").body;
  EXPECT_EQ(state.find("seeded-token"), std::string::npos) << "token secrets must not be dumped";
  EXPECT_EQ(state.find(emu.admin_token()), std::string::npos);
}

TEST(EmulatorAdminRoutesTest, LoadsSeedFileAndGeneratesUsersAtStart) {
  rostersync::testing::TempDir dir;
  std::string path = dir.path() + "/seed.json";
  std::ofstream(path) << R"({"users":[{"username":"fromfile","email":"fromfile@example.com",
      "first_name":"From","roles":"system_user","token":"file-token"}]})";
  Emulator emu({"--seed", path, "--generate", "25"});
  ASSERT_TRUE(emu.ok());
  EmuClient admin(emu.port(), emu.admin_token());
  EXPECT_EQ(Arr(admin.Get("/api/v4/users?per_page=200").body)->size(), 27u);
  EXPECT_EQ(admin.Get("/api/v4/users/username/user000025").status, 200);
  EXPECT_EQ(EmuClient(emu.port(), "file-token").Get("/api/v4/users/me").status, 200);
}

TEST(EmulatorAdminRoutesTest, StateDumpIncludesAuthDataAndVerification) {
  Emulator emu;
  ASSERT_TRUE(emu.ok());
  EmuClient admin(emu.port(), emu.admin_token());
  ASSERT_EQ(admin
                .Post("/api/v4/users", R"({"username":"dumped","email":"dumped@example.com",
      "auth_service":"saml","auth_data":"dumped-key"})")
                .status,
            201);
  auto state = Obj(admin.Get("/__emu/state").body);
  auto users = state->getArray("users");
  bool found = false;
  for (size_t i = 0; i < users->size(); ++i) {
    auto u = users->getObject(i);
    if (u->getValue<std::string>("username") != "dumped") continue;
    found = true;
    EXPECT_EQ(u->getValue<std::string>("auth_data"), "dumped-key");
    EXPECT_FALSE(u->has("password"));
  }
  EXPECT_TRUE(found);
  EXPECT_TRUE(state->has("sessions"));
  EXPECT_TRUE(state->has("tokens"));
}

TEST(EmulatorAdminRoutesTest, StopsCleanlyOnSigterm) {
  Emulator emu;
  ASSERT_TRUE(emu.ok());
  int status = emu.process().Signal(SIGTERM, true);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(EmulatorAdminRoutesTest, RefusesToStartWithoutAdminToken) {
  rostersync::testing::ChildProcess p(rostersync::testing::EmulatorBinary(), {"--port", "0"});
  EXPECT_EQ(p.ReadLine(10000), "");
  int status = p.Signal(0, true);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
}

// The error texts of the seed loader and the admin routes, and a bot's defaults.
TEST(EmulatorAdminRoutesTest, SeedAndAdminErrorsSayWhatIsWrong) {
  Emulator emu;
  ASSERT_TRUE(emu.ok());
  EmuClient admin(emu.port(), emu.admin_token());
  auto message = [&](const std::string& body) {
    auto r = admin.Post("/__emu/users", body);
    EXPECT_EQ(r.status, 400) << r.body;
    return r.status == 400 ? Obj(r.body)->getValue<std::string>("message") : r.body;
  };
  EXPECT_EQ(message(R"({"users":{}})"), R"("users" must be an array)");
  EXPECT_EQ(message(R"({"bots":[1]})"), "bots[0] is not an object");
  EXPECT_EQ(message(R"({"users":[{"username":"ok1","email":"ok1@example.com"},{"username":5}]})"),
            "users[1]: a field has the wrong JSON type");
  EXPECT_NE(message(R"({"users":[{"username":"admin","email":"a2@example.com"}]})")
                .find("users[0] (admin): duplicate username admin"),
            std::string::npos);
  auto bot =
      admin.Post("/__emu/users", R"({"bots":[{"username":"Robo","display_name":"Robo D"}]})");
  ASSERT_EQ(bot.status, 201) << bot.body;
  auto robo = Obj(admin.Get("/api/v4/users/username/robo").body);
  EXPECT_EQ(robo->getValue<std::string>("email"), "robo@localhost");
  EXPECT_EQ(robo->getValue<std::string>("first_name"), "Robo D");
  EXPECT_EQ(admin.Get("/__emu/requests?limit=many").status, 400);
  EXPECT_EQ(admin.Put("/__emu/rate_limit", "not json").status, 400);
  ASSERT_EQ(admin.Put("/__emu/rate_limit", R"({"per_second":7,"burst":9})").status, 200);
  auto limit = Obj(admin.Get("/__emu/rate_limit").body);
  EXPECT_EQ(limit->getValue<int>("burst"), 9);
  EXPECT_EQ(admin.Get("/__emu/nowhere").status, 404);
}

// mm-emulator's flag errors: exit 2 and the first stderr line names the problem.
TEST(EmulatorAdminRoutesTest, FlagErrorsNameTheFlag) {
  rostersync::testing::TempDir dir;
  int run = 0;
  auto first_error = [&](const std::vector<std::string>& args) {
    const std::string err = dir.path() + "/stderr" + std::to_string(++run);
    rostersync::testing::ChildProcess p(rostersync::testing::EmulatorBinary(), args, err);
    EXPECT_EQ(p.ReadLine(10000), "");
    int status = p.Signal(0, true);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2);
    std::ifstream in(err);
    std::string line;
    std::getline(in, line);
    return line;
  };
  EXPECT_EQ(first_error({"--port", "0", "--admin-token", "t", "--threads", "x"}),
            "mm-emulator: bad value 'x' for --threads");
  EXPECT_EQ(first_error({"--port", "0", "--admin-token", "t", "--frob", "1"}),
            "mm-emulator: unknown flag --frob");
  EXPECT_EQ(first_error({"--port", "0", "--admin-token"}),
            "mm-emulator: --admin-token needs a value");
  EXPECT_EQ(first_error({"--port", "0", "--admin-token", "t", "--threads", "0"}),
            "mm-emulator: --threads must be >= 1 and --generate >= 0");
  EXPECT_EQ(first_error({"--admin-token", "t"}),
            "mm-emulator: --port is required (0 picks a free port)");
}

}  // namespace
}  // namespace mmemu::test
