// Incoming webhooks and button clicks (webhooks.h).
#include "emulator/webhooks.h"

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <sstream>

#include "emulator/json_writer.h"

namespace mmemu {
namespace {

std::string Stringify(const Poco::Dynamic::Var& v) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(v, out);
  return out.str();
}

std::string Str(const Poco::JSON::Object::Ptr& o, const std::string& key) {
  return o && o->has(key) && o->get(key).isString() ? o->getValue<std::string>(key) : "";
}

// Sends the integration request; {status, body}, status 0 when the URL cannot be reached.
std::pair<int, std::string> SendIntegration(const std::string& url, const std::string& body) {
  try {
    Poco::URI uri(url);
    Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
    session.setTimeout(Poco::Timespan(120, 0));
    Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathAndQuery(),
                               Poco::Net::HTTPMessage::HTTP_1_1);
    req.setContentType("application/json");
    req.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    std::istream& in = session.receiveResponse(resp);
    std::string answer;
    Poco::StreamCopier::copyToString(in, answer);
    return {static_cast<int>(resp.getStatus()), answer};
  } catch (const std::exception& e) {
    return {0, e.what()};
  }
}

}  // namespace

void Webhooks::HandleHook(const ApiRequest& req, ApiResponse* resp) {
  Post post;
  try {
    Poco::JSON::Parser parser;
    auto obj = parser.parse(req.body).extract<Poco::JSON::Object::Ptr>();
    post.message = Str(obj, "text");
    if (obj->has("attachments")) post.attachments = obj->getArray("attachments");
  } catch (const std::exception&) {
    return SetAppError(req, resp, 400, "web.incoming_webhook.parse.app_error",
                       "Unable to parse incoming data");
  }
  std::lock_guard<std::mutex> lock(mu_);
  post.id = "post" + std::to_string(posts_.size() + 1);
  post.hook = req.path.substr(7);
  posts_.push_back(std::move(post));
  resp->content_type = "text/plain";
  resp->body = "ok";
}

void Webhooks::HandleClick(const ApiRequest& req, ApiResponse* resp) {
  std::string action, user_id, url, context;
  size_t index = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    try {
      Poco::JSON::Parser parser;
      auto obj = parser.parse(req.body).extract<Poco::JSON::Object::Ptr>();
      action = Str(obj, "action");
      user_id = Str(obj, "user_id");
      index = obj->has("post") ? obj->getValue<size_t>("post") : posts_.size() - 1;
      if (posts_.empty() || index >= posts_.size() || !posts_[index].attachments) throw 1;
      for (size_t a = 0; a < posts_[index].attachments->size(); ++a) {
        auto att = posts_[index].attachments->getObject(static_cast<unsigned>(a));
        auto actions = att && att->has("actions") ? att->getArray("actions") : nullptr;
        for (size_t b = 0; actions && b < actions->size(); ++b) {
          auto act = actions->getObject(static_cast<unsigned>(b));
          if (Str(act, "id") != action) continue;
          auto integration = act->getObject("integration");
          url = Str(integration, "url");
          context = Stringify(integration->get("context"));
        }
      }
      if (url.empty()) throw 2;
    } catch (...) {
      return SetAppError(req, resp, 400, "api.emulator.bad_click",
                         "body must be {\"post\":N,\"action\":ID,\"user_id\":ID} naming a "
                         "recorded post with a button of that id");
    }
  }
  std::string user_name;
  {
    std::shared_lock lock(store_->mu());
    if (const EmuUser* u = store_->FindById(user_id)) user_name = u->username;
  }
  JsonWriter w;
  w.BeginObject().Field("user_id", user_id).Field("user_name", user_name);
  w.Field("channel_id", "emuchannel").Field("team_id", "emuteam");
  w.Field("post_id", "post" + std::to_string(index + 1)).Field("trigger_id", "emutrigger");
  w.Field("type", "button").Key("context").Raw(context).EndObject();
  auto [status, answer] = SendIntegration(url, w.Take());
  std::lock_guard<std::mutex> lock(mu_);
  Post& post = posts_[index];
  post.clicks.push_back(Click{user_id, action, status, answer});
  try {  // the server replaces the post with `update` (its props too, when given)
    Poco::JSON::Parser parser;
    auto obj = parser.parse(answer).extract<Poco::JSON::Object::Ptr>();
    if (status == 200 && obj->has("update")) {
      auto update = obj->getObject("update");
      if (update->has("message")) post.message = Str(update, "message");
      if (update->has("props")) {
        auto props = update->getObject("props");
        post.attachments = props->has("attachments") ? props->getArray("attachments") : nullptr;
      }
    }
  } catch (const std::exception&) {
  }
  JsonWriter out;
  out.BeginObject().Field("status", status).Field("answer", answer).EndObject();
  resp->body = out.Take();
}

std::string Webhooks::PostJson(const Post& post) const {
  JsonWriter w;
  w.BeginObject().Field("id", post.id).Field("hook", post.hook).Field("message", post.message);
  w.Key("attachments").Raw(post.attachments ? Stringify(post.attachments) : "[]");
  w.Key("clicks").BeginArray();
  for (const Click& c : post.clicks) {
    w.BeginObject().Field("user_id", c.user_id).Field("action", c.action);
    w.Field("status", c.status).Field("answer", c.answer).EndObject();
  }
  w.EndArray().Field("text", RenderText(post)).EndObject();
  return w.Take();
}

std::string Webhooks::RenderText(const Post& post) {
  std::string out = post.message + "\n";
  for (size_t a = 0; post.attachments && a < post.attachments->size(); ++a) {
    auto att = post.attachments->getObject(static_cast<unsigned>(a));
    if (!att) continue;
    out += "| " + Str(att, "title") + "\n";
    std::istringstream text(Str(att, "text"));
    for (std::string line; std::getline(text, line);) out += "| " + line + "\n";
    auto actions = att->has("actions") ? att->getArray("actions") : nullptr;
    std::string buttons;
    for (size_t b = 0; actions && b < actions->size(); ++b) {
      buttons += "[ " + Str(actions->getObject(static_cast<unsigned>(b)), "name") + " ] ";
    }
    if (!buttons.empty()) out += "| " + buttons.substr(0, buttons.size() - 1) + "\n";
  }
  return out;
}

void Webhooks::HandlePosts(const ApiRequest& req, ApiResponse* resp) {
  auto format = req.query.find("format");
  if (format != req.query.end() && format->second == "text") {
    std::lock_guard<std::mutex> lock(mu_);
    resp->content_type = "text/plain; charset=utf-8";
    for (const Post& p : posts_) resp->body += "--- " + p.id + "\n" + RenderText(p);
    return;
  }
  resp->body = "{" + StateMember() + "}";
}

std::string Webhooks::StateMember() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out = "\"posts\":[";
  for (size_t i = 0; i < posts_.size(); ++i) out += (i ? "," : "") + PostJson(posts_[i]);
  return out + "]";
}

}  // namespace mmemu
