#include "emulator/admin_routes.h"

#include <Poco/JSON/Parser.h>

#include <mutex>
#include <shared_mutex>

#include "emulator/json_writer.h"
#include "emulator/seed.h"
#include "emulator/users_routes.h"
#include "emulator/webhooks.h"

namespace mmemu {

AdminRoutes::AdminRoutes(UserStore* store, Stats* stats, Faults* faults,
                         RateLimiter* limiter, Modes* modes, std::string admin_token)
    : store_(store),
      stats_(stats),
      faults_(faults),
      limiter_(limiter),
      modes_(modes),
      admin_token_(std::move(admin_token)) {}

void AdminRoutes::HandleFaults(const ApiRequest& req, ApiResponse* resp) {
  if (req.method == "PUT") {
    FaultConfig config = faults_->config();
    ServerModes modes = modes_->Get();
    std::string error;
    if (!ParseFaultConfig(req.body, &config, &error) || !ParseModes(req.body, &modes, &error)) {
      return SetAppError(req, resp, 400, "api.emulator.bad_faults", error);
    }
    faults_->Configure(config);
    modes_->Set(modes);
  }
  std::string json = FaultConfigJson(faults_->config());
  json.pop_back();  // merge the two objects
  resp->body = json + "," + ModesJsonMembers(modes_->Get()) + "}";
}

void AdminRoutes::ConfirmEmail(const ApiRequest& req, const std::string& user_id,
                               ApiResponse* resp) {
  std::unique_lock lock(store_->mu());
  EmuUser* user = store_->FindById(user_id);
  if (!user) return SetUserNotFound(req, resp);
  if (user->pending_email.empty()) {
    return SetAppError(req, resp, 400, "api.emulator.no_pending_email",
                       "The user has no email change waiting for verification.");
  }
  if (EmuUser* other = store_->FindByEmail(user->pending_email); other && other != user) {
    return SetAppError(req, resp, 400, "app.user.save.email_exists.app_error",
                       "An account with that email already exists.");
  }
  EmuUser before = *user;
  user->email = user->pending_email;  // VerifyUserEmail(userID, email) of the token
  user->pending_email.clear();
  user->email_verified = true;
  BumpAndSave(store_, user, before);
  resp->body = UserToJson(*user, UserView::kState);
}

std::string AdminRoutes::RouteName(const std::string& method, const std::string& path) {
  return method + " " + path;
}

std::string AdminRoutes::StateJson() const {
  std::shared_lock lock(store_->mu());
  JsonWriter w;
  w.BeginObject().Key("users").BeginArray();
  for (const EmuUser* u : store_->Sorted()) w.Raw(UserToJson(*u, UserView::kState));
  w.EndArray();
  w.Key("sessions").BeginArray();
  for (const auto& [user_id, list] : store_->sessions()) {
    for (const auto& s : list) {
      w.BeginObject()
          .Field("id", s.id)
          .Field("user_id", s.user_id)
          .Field("create_at", s.create_at)
          .Field("last_activity_at", s.last_activity_at)
          .EndObject();
    }
  }
  w.EndArray();
  w.Key("tokens").BeginArray();
  for (const TokenRecord* t : store_->AllTokens()) w.Raw(TokenJson(*t, false));
  w.EndArray();
  w.Key("password_reset_sent").BeginArray();
  for (const auto& e : store_->password_resets()) w.String(e);
  w.EndArray();
  w.Raw(TeamsStateJsonMember(store_->teams()));  // "teams":[...] as one more member
  if (webhooks_ != nullptr) w.Raw(webhooks_->StateMember());  // "posts":[...]
  w.EndObject();
  return w.Take();
}

void AdminRoutes::Handle(const ApiRequest& req, ApiResponse* resp) {
  if (req.token != admin_token_) {
    return SetAppError(req, resp, 401, "api.emulator.admin_token_required",
                       "Emulator admin routes need 'Authorization: Bearer <admin token>'.");
  }
  const std::string& p = req.path;
  const std::string& m = req.method;
  if (m == "GET" && p == "/__emu/stats") {
    resp->body = stats_->Json();
  } else if (m == "POST" && p == "/__emu/stats/reset") {
    stats_->Reset();
    SetStatusOk(resp);
  } else if (m == "GET" && p == "/__emu/state") {
    resp->body = StateJson();
  } else if (webhooks_ != nullptr && m == "GET" && p == "/__emu/posts") {
    webhooks_->HandlePosts(req, resp);
  } else if (webhooks_ != nullptr && m == "POST" && p == "/__emu/click") {
    webhooks_->HandleClick(req, resp);
  } else if ((m == "GET" || m == "PUT") && p == "/__emu/faults") {
    HandleFaults(req, resp);
  } else if (m == "POST" && p.rfind("/__emu/users/", 0) == 0 &&
             p.size() > 27 && p.compare(p.size() - 14, 14, "/confirm_email") == 0) {
    ConfirmEmail(req, p.substr(13, p.size() - 13 - 14), resp);
  } else if ((m == "PUT" || m == "GET") && p == "/__emu/rate_limit") {
    HandleRateLimit(req, resp);
  } else if (m == "POST" && p == "/__emu/users") {
    HandleAddUsers(req, resp);
  } else if (m == "GET" && p == "/__emu/requests") {
    HandleRequests(req, resp);
  } else {
    SetAppError(req, resp, 404, "api.emulator.unknown_admin_route",
                "Unknown emulator admin route " + m + " " + p + ".");
  }
}

void AdminRoutes::HandleRateLimit(const ApiRequest& req, ApiResponse* resp) {
  if (req.method == "PUT") {
    try {
      Poco::JSON::Parser parser;
      auto obj = parser.parse(req.body).extract<Poco::JSON::Object::Ptr>();
      double per_second = obj->has("per_second") ? obj->getValue<double>("per_second") : 0;
      int burst = obj->has("burst") ? obj->getValue<int>("burst") : 0;
      limiter_->Configure(per_second, burst);
    } catch (const std::exception& e) {
      return SetAppError(req, resp, 400, "api.emulator.bad_rate_limit",
                         std::string("body must be {\"per_second\":N,\"burst\":B}: ") + e.what());
    }
  }
  JsonWriter w;
  w.BeginObject().Key("per_second").Double(limiter_->per_second());
  w.Field("burst", limiter_->burst()).EndObject();
  resp->body = w.Take();
}

void AdminRoutes::HandleAddUsers(const ApiRequest& req, ApiResponse* resp) {
  int added;
  std::string error;
  {
    std::unique_lock lock(store_->mu());
    added = LoadSeedJson(store_, req.body, &error);
  }
  if (added < 0) return SetAppError(req, resp, 400, "api.emulator.bad_seed", error);
  JsonWriter w;
  w.BeginObject().Field("added", added).EndObject();
  resp->status = 201;
  resp->body = w.Take();
}

void AdminRoutes::HandleRequests(const ApiRequest& req, ApiResponse* resp) {
  size_t limit = 100;
  auto it = req.query.find("limit");
  if (it != req.query.end()) {
    try {
      limit = static_cast<size_t>(std::stoul(it->second));
    } catch (const std::exception&) {
      return SetAppError(req, resp, 400, "api.emulator.bad_limit", "limit must be a number");
    }
  }
  resp->body = stats_->RecentJson(limit);
}

}  // namespace mmemu
