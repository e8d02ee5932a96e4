// api fetch benchmark (not a test): mm-emulator --generate N, then api::Client::ListAllUsers
// at several concurrencies. Prints requests/s, users/s and RSS growth per 100k users, then
// runs `wrk` against the same page endpoint for comparison (if wrk is installed).
// Usage: api_fetch_bench [users=100000] [runs=3]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "api/client.h"
#include "tests/support/child_process.h"

namespace {

long RssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

std::string RunWrk(const std::string& url, const std::string& token) {
  const std::string cmd = "wrk -t2 -c8 -d5s -H 'Authorization: Bearer " + token + "' '" + url +
                          "' 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return "";
  std::string out;
  char buf[512];
  while (fgets(buf, sizeof buf, pipe) != nullptr) out += buf;
  pclose(pipe);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const int users = argc > 1 ? std::stoi(argv[1]) : 100000;
  const int runs = argc > 2 ? std::stoi(argv[2]) : 3;
  rostersync::testing::Emulator emu({"--generate", std::to_string(users)});
  if (!emu.ok()) {
    std::cerr << "mm-emulator did not start\n";
    return 1;
  }
  std::printf("users=%d (+ admin), page size 200, emulator %s\n", users, emu.url().c_str());
  for (int concurrency : {1, 4, 8}) {
    rostersync::api::ClientOptions options;
    options.url = emu.url();
    options.token = emu.admin_token();
    options.concurrency = concurrency;
    auto client = rostersync::api::Client::Create(options);
    if (!client.ok()) {
      std::cerr << client.status().ToString() << "\n";
      return 1;
    }
    for (int run = 0; run < runs; ++run) {
      const long rss_before = RssKb();
      const auto start = std::chrono::steady_clock::now();
      auto all = (*client)->ListAllUsers();
      const double secs =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const long rss_after = RssKb();
      if (!all.ok()) {
        std::cerr << all.status().ToString() << "\n";
        return 1;
      }
      const double pages = static_cast<double>(all->size() / 200 + 1);
      std::printf(
          "concurrency=%d run=%d users=%zu time=%.3fs requests/s=%.0f users/s=%.0f "
          "rss_growth_per_100k=%.1fMiB (rss %ld->%ld KiB; result held)\n",
          concurrency, run, all->size(), secs, pages / secs, all->size() / secs,
          (rss_after - rss_before) / 1024.0 * 100000.0 / static_cast<double>(all->size()),
          rss_before, rss_after);
    }
  }
  std::printf("peak RSS of this process: %ld KiB\n", [] {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
  }());
  const std::string page_url = emu.url() + "/api/v4/users?page=7&per_page=200";
  std::string wrk = RunWrk(page_url, emu.admin_token());
  if (wrk.empty()) {
    std::printf("wrk: not run\n");
  } else {
    std::printf("wrk -t2 -c8 -d5s %s:\n%s", page_url.c_str(), wrk.c_str());
  }
  return 0;
}
