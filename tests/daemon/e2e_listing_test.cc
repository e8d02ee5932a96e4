// End to end: a user listing cut short by a proxy in front of mm-emulator (every page after
// the first empty, the first page 10 users) is not trusted. The ledger's missing users are
// confirmed with POST /users/ids, and the cycle holds every deactivation and identity
// change with an "implausible_listing" hold (exit 4), changing nothing on the server.
#include <gtest/gtest.h>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <sstream>
#include <string>

#include "tests/api/test_server.h"
#include "tests/daemon/e2e_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {
namespace {

// Forwards to the emulator; GET /api/v4/users lists at most 10 users and nothing after page 0.
Reply CutListing(int emu_port, const Request& req) {
  std::string target = req.target;
  const bool listing = req.method == "GET" && req.path == "/api/v4/users";
  if (listing && req.query.count("page") && req.query.at("page") != "0") {
    Reply empty;
    empty.body = "[]";
    return empty;
  }
  if (listing) target = "/api/v4/users?page=0&per_page=10";
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(emu_port));
  Poco::Net::HTTPRequest out(req.method, target, Poco::Net::HTTPMessage::HTTP_1_1);
  out.set("Authorization", req.Header("authorization"));
  if (!req.body.empty()) {
    out.setContentType("application/json");
    out.setContentLength(static_cast<std::streamsize>(req.body.size()));
  }
  session.sendRequest(out) << req.body;
  Poco::Net::HTTPResponse in;
  std::istream& body = session.receiveResponse(in);
  Reply reply;
  reply.status = static_cast<int>(in.getStatus());
  reply.content_type = in.getContentType();
  std::ostringstream text;
  Poco::StreamCopier::copyStream(body, text);
  reply.body = text.str();
  return reply;
}

TEST(E2eListingTest, AListingCutShortHoldsDeactivationsAndIdentityChanges) {
  TempDir dir;
  Emulator emu;
  ASSERT_TRUE(emu.ok()) << "mm-emulator did not start: " << EmulatorBinary();
  std::vector<std::vector<std::string>> roster;
  for (int i = 10; i < 40; ++i) {
    const std::string n = std::to_string(i);
    roster.push_back({"E" + n, "person" + n, "person" + n + "@example.com", "P", "N" + n,
                      "active"});
  }
  dir.Write("roster.csv", RosterCsv(roster));
  E2eConfig c;
  c.url = emu.url();
  std::string config = WriteConfig(dir, c);
  CliRun first = RunRostersync(dir, {"--config", config, "sync"});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;

  ScriptedServer proxy([&](const Request& req) { return CutListing(emu.port(), req); });
  c.url = proxy.url();
  config = WriteConfig(dir, c);
  roster.pop_back();                        // E39 leaves
  roster.push_back({"E40", "person40", "person40@example.com", "P", "N40", "active"});
  dir.Write("roster.csv", RosterCsv(roster));
  CliRun plan = RunRostersync(dir, {"--config", config, "plan", "--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 4) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("implausible_listing"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("of the 30 managed users"), std::string::npos) << plan.out;

  CliRun sync = RunRostersync(dir, {"--config", config, "sync"});
  EXPECT_EQ(sync.exit_code, 4) << sync.out << sync.err;
  // (POST /users/ids counts as a write in the emulator's stats: look at the state instead.)
  std::vector<EmuUser> users = ParseEmuUsers(emu.Get("/__emu/state"));
  const EmuUser* leaver = FindUser(users, "person39");
  ASSERT_NE(leaver, nullptr);
  EXPECT_EQ(leaver->delete_at, 0) << "the leaver is held, not deactivated: " << sync.out;
  EXPECT_EQ(FindUser(users, "person40"), nullptr) << "the joiner is held, not created";
}

}  // namespace
}  // namespace rostersync::testing
