// Streaming User decoder (see json_user_stream.h).
#include "api/json_user_stream.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Handler.h>
#include <Poco/JSON/Parser.h>

#include <cmath>
#include <cstring>
#include <limits>

namespace rostersync::api {

namespace {

enum class Kind { kStr, kInt, kBool, kOptBool, kMap };

struct Field {
  const char* name;
  Kind kind;
  std::string User::*str = nullptr;
  int64_t User::*i64 = nullptr;
  bool User::*flag = nullptr;
  std::optional<bool> User::*opt = nullptr;
  StringMap User::*map = nullptr;
};

Field S(const char* n, std::string User::*m) { Field f{n, Kind::kStr}; f.str = m; return f; }
Field I(const char* n, int64_t User::*m) { Field f{n, Kind::kInt}; f.i64 = m; return f; }
Field B(const char* n, bool User::*m) { Field f{n, Kind::kBool}; f.flag = m; return f; }
Field O(const char* n, std::optional<bool> User::*m) { Field f{n, Kind::kOptBool}; f.opt = m; return f; }
Field M(const char* n, StringMap User::*m) { Field f{n, Kind::kMap}; f.map = m; return f; }

// The same known fields as Fill(User) in json_codec.cc.
const std::vector<Field>& Fields() {
  static const std::vector<Field> fields = {
      S("id", &User::id), I("create_at", &User::create_at), I("update_at", &User::update_at),
      I("delete_at", &User::delete_at), S("username", &User::username),
      S("first_name", &User::first_name), S("last_name", &User::last_name),
      S("nickname", &User::nickname), S("email", &User::email),
      O("email_verified", &User::email_verified), S("auth_service", &User::auth_service),
      S("roles", &User::roles), S("locale", &User::locale), S("position", &User::position),
      B("is_bot", &User::is_bot), S("bot_description", &User::bot_description),
      B("mfa_active", &User::mfa_active), I("last_password_update", &User::last_password_update),
      I("last_picture_update", &User::last_picture_update),
      I("failed_attempts", &User::failed_attempts),
      I("last_activity_at", &User::last_activity_at),
      S("terms_of_service_id", &User::terms_of_service_id),
      I("terms_of_service_create_at", &User::terms_of_service_create_at),
      S("remote_id", &User::remote_id), M("props", &User::props),
      M("notify_props", &User::notify_props), M("timezone", &User::timezone),
  };
  return fields;
}

const Field* Find(const std::string& key) {
  for (const Field& f : Fields()) {
    if (key == f.name) return &f;
  }
  return nullptr;
}

class UserHandler : public Poco::JSON::Handler {
 public:
  explicit UserHandler(bool list) : list_(list) {}

  Status status;
  bool fallback = false;
  std::vector<User> users;

  void reset() override {}
  void startObject() override { Open(true); }
  void endObject() override { Close(); }
  void startArray() override { Open(false); }
  void endArray() override { Close(); }
  void key(const std::string& k) override {
    if (in_map_ && depth_ == user_depth_ + 1) {
      map_key_ = k;
    } else if (depth_ == user_depth_) {
      field_ = Find(k);
    }
  }
  void null() override {
    if (Ignored()) return;
    if (MapScalar()) {
      (users.back().*(field_->map))[map_key_] = "";
    } else if (Top()) {
      if (field_ == nullptr) return;
      // Absent and null are the same to the tree decoder: the field keeps its default.
      static const User kDefault;
      User& u = users.back();
      switch (field_->kind) {
        case Kind::kStr: u.*(field_->str) = kDefault.*(field_->str); break;
        case Kind::kInt: u.*(field_->i64) = kDefault.*(field_->i64); break;
        case Kind::kBool: u.*(field_->flag) = kDefault.*(field_->flag); break;
        case Kind::kOptBool: u.*(field_->opt) = kDefault.*(field_->opt); break;
        case Kind::kMap: u.*(field_->map) = kDefault.*(field_->map); break;
      }
      Assigned();
    } else {
      Fail("expected object");
    }
  }
  void value(int v) override { Integer(v, false); }
  void value(unsigned v) override { Integer(static_cast<int64_t>(v), false); }
  void value(Poco::Int64 v) override { Integer(v, false); }
  void value(Poco::UInt64 v) override {
    Integer(static_cast<int64_t>(v), v > static_cast<Poco::UInt64>(std::numeric_limits<int64_t>::max()),
            Poco::Dynamic::Var(v));
  }
  void value(const std::string& v) override {
    if (Ignored()) return;
    if (MapScalar()) {
      (users.back().*(field_->map))[map_key_] = v;
    } else if (Top()) {
      if (field_ == nullptr) return;
      if (field_->kind == Kind::kStr) {
        users.back().*(field_->str) = v;
        Assigned();
      } else {
        WrongType();
      }
    } else {
      Fail("expected object");
    }
  }
  void value(double d) override {
    if (Ignored()) return;
    if (MapScalar()) {
      (users.back().*(field_->map))[map_key_] = Poco::Dynamic::Var(d).convert<std::string>();
    } else if (Top()) {
      if (field_ == nullptr) return;
      if (field_->kind != Kind::kInt || !std::isfinite(d) || std::floor(d) != d ||
          std::fabs(d) > 9.0e18) {
        WrongType();
        return;
      }
      users.back().*(field_->i64) = static_cast<int64_t>(d);
      Assigned();
    } else {
      Fail("expected object");
    }
  }
  void value(bool b) override {
    if (Ignored()) return;
    if (MapScalar()) {
      (users.back().*(field_->map))[map_key_] = b ? "true" : "false";
    } else if (Top()) {
      if (field_ == nullptr) return;
      if (field_->kind == Kind::kBool) {
        users.back().*(field_->flag) = b;
        Assigned();
      } else if (field_->kind == Kind::kOptBool) {
        users.back().*(field_->opt) = b;
        Assigned();
      } else {
        WrongType();
      }
    } else {
      Fail("expected object");
    }
  }

 private:
  // A scalar directly inside the user object (depth == user depth).
  bool Top() const { return user_depth_ > 0 && depth_ == user_depth_ && !skipping_; }
  bool MapScalar() const { return in_map_ && depth_ == user_depth_ + 1; }
  // Inside an unknown field's nested value, or nested inside a map (fallback).
  bool Ignored() const { return skipping_ || (in_map_ && depth_ > user_depth_ + 1); }
  std::size_t Index() const { return static_cast<std::size_t>(field_ - Fields().data()); }
  // The last value of a key wins (duplicate keys), as in the tree decoder.
  void Assigned() { field_errors_[Index()] = false; }

  void Open(bool object) {
    ++depth_;
    if (skipping_ || (in_map_ && depth_ > user_depth_ + 1)) {
      if (in_map_ && !skipping_) fallback = true;  // nested value inside a map
      return;
    }
    const int element_depth = list_ ? 2 : 1;
    if (depth_ == 1 && list_) {
      if (object) Fail("expected array");
      return;
    }
    if (depth_ == element_depth) {
      if (!object) {
        Fail("expected object");
        return;
      }
      users.emplace_back();
      user_depth_ = depth_;
      field_ = nullptr;
      field_errors_.assign(Fields().size(), false);
      return;
    }
    if (depth_ == user_depth_ + 1) {
      if (field_ != nullptr && field_->kind == Kind::kMap) {
        if (!object) {
          WrongType();
          skipping_ = true;
          skip_depth_ = depth_;
          return;
        }
        in_map_ = true;
        (users.back().*(field_->map)).clear();
        Assigned();
        return;
      }
      if (field_ != nullptr) WrongType();  // an object/array where a scalar belongs
      skipping_ = true;                      // unknown field with a nested value
      skip_depth_ = depth_;
    }
  }

  void Close() {
    if (skipping_ && depth_ == skip_depth_) skipping_ = false;
    if (in_map_ && depth_ == user_depth_ + 1) in_map_ = false;
    if (depth_ == user_depth_) {
      for (std::size_t i = 0; i < field_errors_.size(); ++i) {
        if (field_errors_[i] && status.ok()) {
          static const char* kExpected[] = {"string", "integer", "boolean", "boolean", "object"};
          status = Status::Invalid("body[" + std::to_string(users.size() - 1) +
                                   "]: JSON field '" + Fields()[i].name + "': expected " +
                                   kExpected[static_cast<int>(Fields()[i].kind)]);
        }
      }
      user_depth_ = 0;
    }
    --depth_;
  }

  void Integer(int64_t v, bool overflow, const Poco::Dynamic::Var& original = {}) {
    if (Ignored()) return;
    if (MapScalar()) {
      (users.back().*(field_->map))[map_key_] =
          original.isEmpty() ? std::to_string(v) : original.convert<std::string>();
    } else if (Top()) {
      if (field_ == nullptr) return;
      if (field_->kind != Kind::kInt || overflow) {
        WrongType();
        return;
      }
      users.back().*(field_->i64) = v;
      Assigned();
    } else {
      Fail("expected object");
    }
  }

  // Recorded per field and reported when the user object closes, since a later duplicate
  // key may still replace the wrong value.
  void WrongType() { field_errors_[Index()] = true; }
  void Fail(const char* what) {
    if (status.ok()) status = Status::Invalid(std::string("JSON field 'body': ") + what);
  }

  const bool list_;
  int depth_ = 0;
  int user_depth_ = 0;
  bool skipping_ = false;
  int skip_depth_ = 0;
  bool in_map_ = false;
  const Field* field_ = nullptr;
  std::string map_key_;
  std::vector<bool> field_errors_;
};

}  // namespace

Status StreamDecodeUsers(const std::string& text, bool list, std::vector<User>* users,
                         bool* fallback) {
  *fallback = false;
  Poco::SharedPtr<UserHandler> handler = new UserHandler(list);
  try {
    Poco::JSON::Parser parser(handler);
    parser.parse(text);
  } catch (const Poco::Exception& e) {
    return Status::Invalid("malformed JSON in server answer: " + e.displayText());
  } catch (const std::exception& e) {
    return Status::Invalid(std::string("malformed JSON in server answer: ") + e.what());
  }
  if (handler->fallback) {
    *fallback = true;
    return Status::Ok();
  }
  if (!handler->status.ok()) return handler->status;
  if (!list && handler->users.size() != 1) return Status::Invalid("JSON field 'body': expected object");
  *users = std::move(handler->users);
  return Status::Ok();
}

}  // namespace rostersync::api
