// User-listing decoder benchmark: the simdjson decoder against the Poco streaming decoder on
// 100k users in 500 pages of 200, shaped like mm-emulator's GET /api/v4/users answer
// (notify_props and timezone maps included). Both decode the same bytes into User values.
// Run: build/<dir>/bench/user_decode_bench   (docs/PERFORMANCE.md, "Memory and CPU")
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "api/json_user_simd.h"
#include "api/json_user_stream.h"

namespace rostersync::api {
namespace {

constexpr int kUsers = 100'000;
constexpr int kPerPage = 200;

std::string UserJson(int k) {
  char buf[1024];
  std::snprintf(buf, sizeof buf,
                R"({"id":"%026d","create_at":1700000000000,"update_at":1700000000000,)"
                R"("username":"user%06d","auth_data":"","auth_service":"",)"
                R"("email":"user%06d@example.com","nickname":"","first_name":"Ada",)"
                R"("last_name":"Lovelace","position":"Engineer","roles":"system_user",)"
                R"("notify_props":{"channel":"true","comments":"never","desktop":"mention",)"
                R"("desktop_sound":"true","email":"true","first_name":"false","mention_keys":"",)"
                R"("push":"mention","push_status":"away"},"last_password_update":1700000000000,)"
                R"("locale":"en","timezone":{"automaticTimezone":"","manualTimezone":"",)"
                R"("useAutomaticTimezone":"true"},"disable_welcome_email":false})",
                k, k, k);
  return buf;
}

const std::vector<std::string>& Pages() {
  static const std::vector<std::string> pages = [] {
    std::vector<std::string> out;
    for (int first = 1; first <= kUsers; first += kPerPage) {
      std::string page = "[";
      for (int k = first; k < first + kPerPage && k <= kUsers; ++k) {
        if (k != first) page += ',';
        page += UserJson(k);
      }
      out.push_back(page + "]");
    }
    return out;
  }();
  return pages;
}

void BM_PocoStream(benchmark::State& state) {
  for (auto _ : state) {
    std::size_t n = 0;
    for (const std::string& page : Pages()) {
      std::vector<User> users;
      bool fallback = false;
      if (!PocoStreamDecodeUsers(page, true, &users, &fallback).ok() || fallback) std::abort();
      n += users.size();
    }
    benchmark::DoNotOptimize(n);
  }
  state.SetItemsProcessed(state.iterations() * kUsers);
}

void BM_Simdjson(benchmark::State& state) {
  for (auto _ : state) {
    std::size_t n = 0;
    for (const std::string& page : Pages()) {
      std::vector<User> users;
      if (!SimdDecodeUsers(page, true, &users)) std::abort();
      n += users.size();
    }
    benchmark::DoNotOptimize(n);
  }
  state.SetItemsProcessed(state.iterations() * kUsers);
}

BENCHMARK(BM_PocoStream)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Simdjson)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace rostersync::api

BENCHMARK_MAIN();
