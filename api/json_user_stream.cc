// Streaming User decoder (see json_user_stream.h).
#include "api/json_user_stream.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Handler.h>
#include <Poco/JSON/Parser.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "api/json_user_fields.h"
#include "api/json_user_simd.h"

namespace rostersync::api {

namespace {

using user_fields::Field;
using user_fields::Fields;
using user_fields::Find;
using user_fields::Kind;

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
  std::size_t Index() const { return user_fields::IndexOf(field_); }
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
  if (SimdDecodeUsers(text, list, users)) return Status::Ok();
  return PocoStreamDecodeUsers(text, list, users, fallback);
}

Status PocoStreamDecodeUsers(const std::string& text, bool list, std::vector<User>* users,
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
