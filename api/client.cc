// api::Client: construction, the shared call path, and the rostersync::UsersApi methods.
#include "api/client.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_set>

#include "api/client_internal.h"
#include "api/http_errors.h"
#include "sync/flat_index.h"
#include "sync/http_date.h"

namespace rostersync::api {

namespace {

constexpr int kPageSize = 200;           // the server's maximum per_page (docs/emulator.md)
constexpr std::size_t kEtagCacheMax = 4096;
// The Date of the last answer Call() received on this thread (Client::LastServerTimeMs).
thread_local std::optional<int64_t> t_last_server_time_ms;

// Adds a page's ids to `seen`. Fails when the listing cannot be trusted: a full page without
// a new id (the server or a proxy ignores ?page=) or more users than `cap`. `seen` views the
// ids in place: every page that passed stays alive (in `pages`) while `seen` is used.
Status CheckPage(const std::vector<User>& users, int page, int64_t cap, FlatIndex<char>* seen,
                 bool* repeats) {
  std::size_t fresh = 0;
  for (const User& u : users) fresh += seen->Emplace(u.id, 0).second ? 1 : 0;
  if (fresh != users.size()) *repeats = true;
  if (static_cast<int>(users.size()) >= kPageSize && fresh == 0) {
    return Status::Invalid("listing all users: page " + std::to_string(page) +
                           " repeats users already listed; the server (or a proxy) ignores "
                           "?page=, so the listing cannot be trusted");
  }
  if (static_cast<int64_t>(seen->size()) > cap) {
    return Status::Invalid("listing all users: more than " + std::to_string(cap) +
                           " users listed, far more than the server reports; stopped");
  }
  return Status::Ok();
}

// Pages 0..last in order, de-duplicated by id when `repeats` (some page repeated an id).
Result<std::vector<User>> Assemble(std::vector<std::optional<std::vector<User>>>* pages,
                                   int last, bool repeats) {
  std::size_t total = 0;
  for (int page = 0; page <= last; ++page) {
    if (static_cast<std::size_t>(page) >= pages->size() || !(*pages)[page]) {
      return Status::Internal("listing all users: page " + std::to_string(page) + " is missing");
    }
    total += (*pages)[page]->size();
  }
  std::vector<User> users;
  users.reserve(total);  // never reallocates below: `seen` views ids in `users`
  FlatIndex<char> seen;
  if (repeats) seen.Reserve(total);
  for (int page = 0; page <= last; ++page) {
    for (User& u : *(*pages)[page]) {
      if (repeats && seen.Find(u.id) != nullptr) continue;
      users.push_back(std::move(u));
      if (repeats) seen.Emplace(users.back().id, 0);
    }
    std::vector<User>().swap(*(*pages)[page]);  // the moved-from users go as soon as read
  }
  return users;
}


// The shared state of one ListAllUsers: the pages kept, the ids seen, the first short page
// and the first failure. Fetch is called from several threads.
class Listing {
 public:
  static constexpr int kNoEnd = 1 << 30;
  Listing(int64_t cap, int64_t expected) : cap_(cap) {
    if (expected > 0) seen_.Reserve(static_cast<std::size_t>(std::min(expected, cap)) + kPageSize);
  }
  // Fetches page `page` with `list` and keeps it; false when the listing is over (this page
  // was short, or the listing ended or failed).
  bool Fetch(int page, const std::function<Result<std::vector<User>>(int)>& list) {
    if (page > end_page_.load() || failed_.load()) return false;
    auto result = list(page);
    std::lock_guard<std::mutex> lock(mu_);
    if (!result.ok()) {
      if (page > end_page_.load()) return false;  // past the end: its answer is not needed
      Fail(result.status().Annotate("listing all users, page " + std::to_string(page)));
      return false;
    }
    const bool short_page = static_cast<int>(result->size()) < kPageSize;
    if (short_page) {
      int current = end_page_.load();
      while (page < current && !end_page_.compare_exchange_weak(current, page)) {
      }
    }
    if (failed_.load()) return false;  // a failed page is gone: `seen_` may view its ids
    Status trusted = CheckPage(*result, page, cap_, &seen_, &repeats_);
    if (!trusted.ok()) {
      Fail(std::move(trusted));
      return false;
    }
    if (pages_.size() <= static_cast<std::size_t>(page)) pages_.resize(page + 1);
    pages_[page] = std::move(result).value();
    return !short_page;
  }
  // True once the end (a short page) was seen or a page failed.
  bool Over(int page) const { return page >= end_page_.load() || failed_.load(); }
  bool EndFound() const { return end_page_.load() != kNoEnd; }
  bool Failed() const { return failed_.load(); }
  Result<std::vector<User>> Finish() {
    if (failed_.load()) return failure_;
    return Assemble(&pages_, end_page_.load(), repeats_);
  }

 private:
  void Fail(Status s) {  // with mu_ held
    if (!failed_.exchange(true)) failure_ = std::move(s);
  }
  const int64_t cap_;
  std::mutex mu_;
  std::vector<std::optional<std::vector<User>>> pages_;
  FlatIndex<char> seen_;  // views the ids in pages_ (their buffers never move)
  bool repeats_ = false;  // some page repeated an id: Assemble de-duplicates
  Status failure_;
  std::atomic<int> end_page_{kNoEnd};  // index of the first short page
  std::atomic<bool> failed_{false};
};

}  // namespace

Result<std::unique_ptr<Client>> Client::Create(const ClientOptions& options) {
  auto transport = Transport::Create(options);
  if (!transport.ok()) return transport.status();
  return std::unique_ptr<Client>(new Client(std::move(transport).value()));
}

Client::Client(std::unique_ptr<Transport> transport)
    : transport_(std::move(transport)), concurrency_(transport_->options().concurrency) {}

Client::~Client() = default;

Result<HttpResponse> Client::Call(const std::string& method, const std::string& path,
                                  const std::string& route, const std::string& json_body,
                                  bool read_only_post) {
  HttpRequest request;
  request.method = method;
  request.path = path;
  request.route = route;
  request.body = json_body;
  if (!json_body.empty()) request.content_type = "application/json";
  request.post_is_read_only = read_only_post;
  Result<HttpResponse> response = transport_->Execute(request);
  if (response.ok()) t_last_server_time_ms = ParseHttpDate(response->date);
  return response;
}

std::optional<int64_t> Client::LastServerTimeMs() const { return t_last_server_time_ms; }

Result<User> Client::GetUserCached(const std::string& path, const std::string& route) {
  HttpRequest request;
  request.method = "GET";
  request.path = path;
  request.route = route;
  std::string cached_etag;
  {
    std::lock_guard<std::mutex> lock(etag_mu_);
    auto it = etag_cache_.find(path);
    if (it != etag_cache_.end()) request.if_none_match = cached_etag = it->second.first;
  }
  auto response = transport_->Execute(request);
  if (!response.ok()) return response.status();
  const std::string what = "GET " + route;
  if (response->status == 304) {
    std::lock_guard<std::mutex> lock(etag_mu_);
    auto it = etag_cache_.find(path);
    if (it != etag_cache_.end()) return it->second.second;
    return Status::Internal(what + ": 304 without a cached copy");
  }
  if (!IsJsonContentType(response->content_type)) {
    return Status::Invalid(what + ": expected a JSON answer, got content type '" +
                           response->content_type.substr(0, 80) + "'");
  }
  auto user = Decode<User>(response->body);
  if (!user.ok()) return user.status().Annotate(what);
  if (!response->etag.empty()) {
    std::lock_guard<std::mutex> lock(etag_mu_);
    if (etag_cache_.size() >= kEtagCacheMax) etag_cache_.clear();
    etag_cache_[path] = {response->etag, *user};
  }
  return user;
}

std::string Client::LastRequestId() const { return Transport::LastRequestIdOnThisThread(); }

Result<User> Client::GetMe() {
  const std::string route = "/api/v4/users/me";
  auto response = Call("GET", route, route, "", false);
  if (!response.ok()) return response.status();
  // A proxy or a failing server can answer 200 with an AppError body ({"id":
  // "api.context.session_expired.app_error", ..., "status_code": 401}). It has an "id", so
  // it would decode as a user: it is an error, never the self user.
  const AppError error = ParseAppError(response->body);
  if (error.status_code != 0 || error.id.find(".app_error") != std::string::npos) {
    const int code = error.status_code >= 400 && error.status_code < 600 ? error.status_code : 500;
    return MapHttpError(code, response->body, response->request_id, "GET " + route,
                        transport_->options().token)
        .Annotate("HTTP " + std::to_string(response->status) + " with an error as the answer");
  }
  auto me = CallJsonDecode<User>(*response, "GET " + route);
  if (me.ok() && (me->id.empty() || me->username.empty())) {
    return Status::Invalid("GET " + route + ": the answer is not a user (no id or username)");
  }
  return me;
}

Result<ServerCapabilities> Client::GetServerCapabilities() {
  // Both routes answer any valid token; without format=old they answer 400/501.
  auto config = CallJson<StringMap>("GET", "/api/v4/config/client?format=old",
                                    "/api/v4/config/client");
  if (!config.ok()) return config.status().Annotate("reading the server's client config");
  auto license = CallJson<StringMap>("GET", "/api/v4/license/client?format=old",
                                     "/api/v4/license/client");
  if (!license.ok()) return license.status().Annotate("reading the server's client license");
  return CapabilitiesFromMaps(*config, *license);
}

namespace {

std::string UsersQuery(const ListUsersQuery& q) {
  Query query;
  query.Int("page", q.page).Int("per_page", q.per_page);
  if (q.active_only) query.Bool("active", true);
  if (q.inactive_only) query.Bool("inactive", true);
  query.AddNonEmpty("role", q.role)
      .AddNonEmpty("in_team", q.in_team)
      .AddNonEmpty("not_in_team", q.not_in_team)
      .AddNonEmpty("in_channel", q.in_channel)
      .AddNonEmpty("not_in_channel", q.not_in_channel)
      .AddNonEmpty("sort", q.sort);
  if (q.without_team) query.Bool("without_team", true);
  return query.str();
}

}  // namespace

Result<std::vector<User>> Client::ListUsers(const ListUsersQuery& q) {
  return CallJson<std::vector<User>>("GET", "/api/v4/users" + UsersQuery(q), "/api/v4/users");
}

int64_t Client::ListingCap(int64_t* active_users) {
  int64_t cap = transport_->options().max_listed_users;
  auto stats = GetTotalUsersStats();
  *active_users = -1;
  if (stats.ok() && stats->total_users_count >= 0) {
    *active_users = stats->total_users_count;
    cap = std::min<int64_t>(cap, stats->total_users_count * 10 + 10000);
  }
  return std::max<int64_t>(cap, kPageSize);
}

Result<std::vector<User>> Client::ListAllUsers() {
  // Pages that are certainly full (the server counts at least that many active users, or
  // the previous listing had that many) are fetched by `concurrency` workers in order; the
  // rest one at a time, so no page past the first short one is ever requested. Without a
  // count every page is fetched in parallel and a few past the end may be. Every page up to
  // the end must succeed, or the whole listing fails. The listing also fails (never loops,
  // never grows without bound) when a full page brings no id not seen before (a server or
  // proxy ignoring ?page=) or when it passes the cap.
  int64_t active_users = -1;
  const int64_t cap = ListingCap(&active_users);
  const int64_t known = std::max<int64_t>(active_users, last_listed_.load());
  const int full_pages = active_users < 0 ? Listing::kNoEnd
                                          : static_cast<int>(std::min(known, cap) / kPageSize);
  Listing listing(cap, known);
  auto list = [this](int page) -> Result<std::vector<User>> {
    ListUsersQuery query;
    query.page = page;
    query.per_page = kPageSize;
    // Kept in the planner's form: no props/notify_props/timezone maps (json_codec.h).
    auto lean =
        CallJson<PlannerUsers>("GET", "/api/v4/users" + UsersQuery(query), "/api/v4/users");
    if (!lean.ok()) return lean.status();
    return std::move(lean->users);
  };
  std::atomic<int> next_page{0};
  auto worker = [&] {
    for (;;) {
      const int page = next_page.fetch_add(1);
      if (page >= full_pages) return;  // the tail goes one page at a time, below
      listing.Fetch(page, list);
      if (listing.Over(page)) return;
    }
  };
  const int threads = std::max(1, std::min(concurrency_, std::max(1, full_pages)));
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (int i = 1; i < threads; ++i) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  for (int page = full_pages; !listing.Failed() && !listing.EndFound(); ++page) {
    if (!listing.Fetch(page, list)) break;
  }
  auto users = listing.Finish();
  if (users.ok()) last_listed_.store(static_cast<int64_t>(users->size()));
  return users;
}

Result<User> Client::GetUser(const std::string& user_id) {
  return GetUserCached("/api/v4/users/" + Seg(user_id), "/api/v4/users/{user_id}");
}

Result<User> Client::GetUserByUsername(const std::string& username) {
  return GetUserCached("/api/v4/users/username/" + Seg(username), "/api/v4/users/username/{username}");
}

Result<User> Client::GetUserByEmail(const std::string& email) {
  return GetUserCached("/api/v4/users/email/" + Seg(email), "/api/v4/users/email/{email}");
}

Result<User> Client::CreateUser(const NewUser& user) { return CreateUser(user, "", ""); }

Result<std::vector<UserAccessToken>> Client::GetUserAccessTokens(const std::string& user_id) {
  std::vector<UserAccessToken> tokens;
  for (int page = 0; page < 10000; ++page) {
    auto batch = GetUserAccessTokensForUser(user_id, page, kPageSize);
    if (!batch.ok()) return batch.status();
    for (const auto& t : *batch) tokens.push_back({t.id, t.user_id, t.description, t.is_active, ""});
    if (static_cast<int>(batch->size()) < kPageSize) return tokens;
  }
  return Status::Internal("listing access tokens: more than 10000 pages");
}

}  // namespace rostersync::api
