// api::Client: construction, the shared call path, and the rostersync::UsersApi methods.
#include "api/client.h"

#include <algorithm>
#include <atomic>
#include <string_view>
#include <thread>
#include <unordered_set>

#include "api/client_internal.h"
#include "api/http_errors.h"
#include "sync/flat_index.h"

namespace rostersync::api {

namespace {

constexpr int kPageSize = 200;           // the server's maximum per_page (docs/emulator.md)
constexpr std::size_t kEtagCacheMax = 4096;

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
  return transport_->Execute(request);
}

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

int64_t Client::ListingCap() {
  int64_t cap = transport_->options().max_listed_users;
  auto stats = GetTotalUsersStats();
  if (stats.ok() && stats->total_users_count >= 0) {
    cap = std::min<int64_t>(cap, stats->total_users_count * 10 + 10000);
  }
  return std::max<int64_t>(cap, kPageSize);
}

Result<std::vector<User>> Client::ListAllUsers() {
  // Workers take page numbers in order. A short page marks the end; pages past it are
  // not started. Every page up to the end must succeed, or the whole listing fails. The
  // listing also fails (never loops, never grows without bound) when a full page brings
  // no id not seen before (a server or proxy ignoring ?page=) or when it passes the cap.
  const int64_t cap = ListingCap();
  std::mutex mu;
  std::vector<std::optional<std::vector<User>>> pages;
  FlatIndex<char> seen;
  bool repeats = false;  // some page held an id an earlier-checked page had: Assemble dedupes
  Status failure;
  std::atomic<int> next_page{0};
  std::atomic<int> end_page{1 << 30};  // index of the first short page
  std::atomic<bool> failed{false};
  auto fail = [&](Status s) {  // with mu held
    if (!failed.exchange(true)) failure = std::move(s);
  };

  auto worker = [&] {
    for (;;) {
      const int page = next_page.fetch_add(1);
      if (page > end_page.load() || failed.load()) return;
      ListUsersQuery query;
      query.page = page;
      query.per_page = kPageSize;
      // Kept in the planner's form: no props/notify_props/timezone maps (json_codec.h).
      auto lean =
          CallJson<PlannerUsers>("GET", "/api/v4/users" + UsersQuery(query), "/api/v4/users");
      Result<std::vector<User>> result =
          lean.ok() ? Result<std::vector<User>>(std::move(lean->users)) : lean.status();
      std::lock_guard<std::mutex> lock(mu);
      if (!result.ok()) {
        if (page > end_page.load()) return;  // past the end: its answer is not needed
        fail(result.status().Annotate("listing all users, page " + std::to_string(page)));
        return;
      }
      if (static_cast<int>(result->size()) < kPageSize) {
        int current = end_page.load();
        while (page < current && !end_page.compare_exchange_weak(current, page)) {
        }
      }
      if (failed.load()) return;  // a failed page is gone: `seen` may view its ids
      Status trusted = CheckPage(*result, page, cap, &seen, &repeats);
      if (!trusted.ok()) {
        fail(std::move(trusted));
        return;
      }
      if (pages.size() <= static_cast<std::size_t>(page)) pages.resize(page + 1);
      pages[page] = std::move(result).value();
    }
  };
  const int threads = std::max(1, concurrency_);
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (int i = 1; i < threads; ++i) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();

  if (failed.load()) return failure;
  return Assemble(&pages, end_page.load(), repeats);
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

Result<User> Client::PatchUser(const std::string& user_id, const UserPatch& patch) {
  return CallJson<User>("PUT", "/api/v4/users/" + Seg(user_id) + "/patch",
                        "/api/v4/users/{user_id}/patch", EncodeUserPatch(patch));
}

Status Client::DeactivateUser(const std::string& user_id) { return DeleteUser(user_id).status(); }

Status Client::SetUserActive(const std::string& user_id, bool active) {
  return UpdateUserActive(user_id, active).status();
}

Status Client::UpdateUserRoles(const std::string& user_id, const std::string& roles) {
  return CallJson<StatusOK>("PUT", "/api/v4/users/" + Seg(user_id) + "/roles",
                            "/api/v4/users/{user_id}/roles", EncodeStringFields({{"roles", roles}}))
      .status();
}

Status Client::DemoteUserToGuest(const std::string& user_id) {
  return CallJson<StatusOK>("POST", "/api/v4/users/" + Seg(user_id) + "/demote",
                            "/api/v4/users/{user_id}/demote", "",
                            /*read_only_post=*/true)  // a repeat answers 501 "already guest"
      .status();
}

Status Client::PromoteGuestToUser(const std::string& user_id) {
  return CallJson<StatusOK>("POST", "/api/v4/users/" + Seg(user_id) + "/promote",
                            "/api/v4/users/{user_id}/promote", "",
                            /*read_only_post=*/true)  // a repeat answers 501 "already user"
      .status();
}

Status Client::UpdateUserAuth(const std::string& user_id, const std::string& auth_service,
                              const std::string& auth_data) {
  return UpdateUserAuthData(user_id, UserAuthData{auth_data, auth_service}).status();
}

Status Client::VerifyUserEmail(const std::string& user_id) {
  return VerifyUserEmailWithoutToken(user_id).status();
}

Status Client::SendPasswordResetEmail(const std::string& email) {
  return CallJson<StatusOK>("POST", "/api/v4/users/password/reset/send",
                            "/api/v4/users/password/reset/send",
                            EncodeStringFields({{"email", email}}))
      .status();
}

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

Status Client::RevokeUserAccessToken(const std::string& token_id) {
  return RevokeUserAccessTokenById(token_id).status();
}

}  // namespace rostersync::api
