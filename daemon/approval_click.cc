// Approve/Reject buttons: parsing, signing and checking a click (approval_click.h).
#include "daemon/approval_click.h"

#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA2Engine.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace rostersync::daemon {
namespace {

// Poco's HMACEngine needs a BLOCK_SIZE / DIGEST_SIZE pair: SHA-256 with the right sizes.
class Sha256Engine : public Poco::SHA2Engine {
 public:
  enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
  Sha256Engine() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};

bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

std::string StringField(const Poco::JSON::Object::Ptr& obj, const std::string& name,
                        bool* ok) {
  if (!obj->has(name)) return "";
  Poco::Dynamic::Var v = obj->get(name);
  if (!v.isString()) {
    *ok = false;
    return "";
  }
  return v.extract<std::string>();
}

}  // namespace

Result<ButtonClick> ParseButtonClick(const std::string& body) {
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var root = parser.parse(body);
    if (root.type() != typeid(Poco::JSON::Object::Ptr)) {
      return Status::Invalid("the request body is not a JSON object");
    }
    auto obj = root.extract<Poco::JSON::Object::Ptr>();
    bool ok = true;
    ButtonClick click;
    click.user_id = StringField(obj, "user_id", &ok);
    click.user_name = StringField(obj, "user_name", &ok);
    click.post_id = StringField(obj, "post_id", &ok);
    click.channel_id = StringField(obj, "channel_id", &ok);
    Poco::JSON::Object::Ptr ctx = obj->has("context") ? obj->getObject("context") : nullptr;
    if (!ok || click.user_id.empty() || ctx.isNull()) {
      return Status::Invalid("the request needs a string user_id and a context object");
    }
    click.context.held_id = StringField(ctx, "held_id", &ok);
    click.context.action = StringField(ctx, "action", &ok);
    click.context.sig = StringField(ctx, "sig", &ok);
    Poco::Dynamic::Var expires = ctx->has("expires") ? ctx->get("expires") : Poco::Dynamic::Var();
    if (!ok || !expires.isInteger()) {
      return Status::Invalid("context needs strings held_id, action, sig and an integer expires");
    }
    click.context.expires_ms = expires.convert<Poco::Int64>();
    return click;
  } catch (const std::exception& e) {  // Poco::Exception and JSON syntax errors alike
    return Status::Invalid("the request body is not valid JSON");
  }
}

std::string SignButton(const std::string& key, const std::string& held_id,
                       const std::string& action, int64_t expires_ms) {
  Poco::HMACEngine<Sha256Engine> hmac(key);
  hmac.update(held_id + "|" + action + "|" + std::to_string(expires_ms));
  return Poco::DigestEngine::digestToHex(hmac.digest());
}

Status VerifyButton(const std::string& key, const ButtonContext& c, int64_t now_ms) {
  const std::string want = SignButton(key, c.held_id, c.action, c.expires_ms);
  if (!ConstantTimeEquals(want, c.sig)) {
    return Status::Forbidden("the button's signature does not match");
  }
  if (now_ms > c.expires_ms) return Status::Conflict("the button expired; see `rostersync held`");
  if (c.action != "approve" && c.action != "reject") {
    return Status::Forbidden("unknown button action");
  }
  return Status::Ok();
}

Result<std::string> ReadHmacKey(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot read approvals.hmac_key_file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string key = ss.str();
  const auto b = key.find_first_not_of(" \t\r\n");
  const auto e = key.find_last_not_of(" \t\r\n");
  key = b == std::string::npos ? "" : key.substr(b, e - b + 1);
  if (key.size() < 16) {
    return Status::Invalid("approvals.hmac_key_file " + path +
                           " holds fewer than 16 bytes; write a random key, e.g. `openssl rand "
                           "-hex 32 > " + path + "`");
  }
  return key;
}

bool MayApprove(const User& user, const ApprovalsConfig& approvals) {
  if (user.delete_at != 0 || user.is_bot || user.username.empty()) return false;
  if (approvals.system_admins && user.HasRole("system_admin")) return true;
  return std::find(approvals.usernames.begin(), approvals.usernames.end(), user.username) !=
         approvals.usernames.end();
}

}  // namespace rostersync::daemon
