// simdjson user-list decoder (see json_user_simd.h).
#include "api/json_user_simd.h"

#include <simdjson.h>

#include <cmath>
#include <string_view>

#include "api/json_user_fields.h"

namespace rostersync::api {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using user_fields::Field;
using user_fields::Kind;

// A map value as the tree decoder writes it; false for a value only Poco may convert
// (nested values, non-integral or unsigned numbers).
bool MapValue(element v, std::string* out) {
  switch (v.type()) {
    case element_type::STRING: *out = std::string_view(v.get_string().value_unsafe()); return true;
    case element_type::BOOL: *out = v.get_bool().value_unsafe() ? "true" : "false"; return true;
    case element_type::NULL_VALUE: out->clear(); return true;
    case element_type::INT64: *out = std::to_string(v.get_int64().value_unsafe()); return true;
    default: return false;
  }
}

bool FillMap(element v, StringMap* map) {
  simdjson::dom::object obj;
  if (v.get_object().get(obj) != simdjson::SUCCESS) return false;
  map->clear();
  for (simdjson::dom::key_value_pair kv : obj) {
    if (!MapValue(kv.value, &(*map)[std::string(kv.key)])) return false;
  }
  return true;
}

bool FillInt(element v, int64_t* out) {
  if (v.type() == element_type::INT64) {
    *out = v.get_int64().value_unsafe();
    return true;
  }
  if (v.type() != element_type::DOUBLE) return false;
  const double d = v.get_double().value_unsafe();
  if (!std::isfinite(d) || std::floor(d) != d || std::fabs(d) > 9.0e18) return false;
  *out = static_cast<int64_t>(d);
  return true;
}

// Absent and null are the same to the tree decoder: the field keeps its default.
void Reset(const Field& f, User* u) {
  static const User kDefault;
  switch (f.kind) {
    case Kind::kStr: u->*(f.str) = kDefault.*(f.str); break;
    case Kind::kInt: u->*(f.i64) = kDefault.*(f.i64); break;
    case Kind::kBool: u->*(f.flag) = kDefault.*(f.flag); break;
    case Kind::kOptBool: u->*(f.opt) = kDefault.*(f.opt); break;
    case Kind::kMap: (u->*(f.map)).clear(); break;
  }
}

bool FillField(const Field& f, element v, bool keep_maps, User* u) {
  if (!keep_maps && f.kind == Kind::kMap) {
    return v.type() == element_type::OBJECT || v.type() == element_type::NULL_VALUE;
  }
  if (v.type() == element_type::NULL_VALUE) {
    Reset(f, u);
    return true;
  }
  switch (f.kind) {
    case Kind::kStr:
      if (v.type() != element_type::STRING) return false;
      u->*(f.str) = std::string_view(v.get_string().value_unsafe());
      return true;
    case Kind::kInt: return FillInt(v, &(u->*(f.i64)));
    case Kind::kBool:
      if (v.type() != element_type::BOOL) return false;
      u->*(f.flag) = v.get_bool().value_unsafe();
      return true;
    case Kind::kOptBool:
      if (v.type() != element_type::BOOL) return false;
      u->*(f.opt) = v.get_bool().value_unsafe();
      return true;
    case Kind::kMap: return FillMap(v, &(u->*(f.map)));
  }
  return false;
}

// Duplicate keys are visited in document order, so the last one wins, as in the tree decoder.
bool FillUser(element e, bool keep_maps, User* u) {
  simdjson::dom::object obj;
  if (e.get_object().get(obj) != simdjson::SUCCESS) return false;
  for (simdjson::dom::key_value_pair kv : obj) {
    const Field* f = user_fields::Find(kv.key);
    if (f != nullptr && !FillField(*f, kv.value, keep_maps, u)) return false;
  }
  return true;
}

}  // namespace

bool SimdDecodeUsers(const std::string& text, bool list, std::vector<User>* users,
                     bool keep_maps) {
  // A byte-order mark: simdjson may skip it where Poco does not; let Poco decide.
  if (!text.empty() && static_cast<unsigned char>(text[0]) == 0xEF) return false;
  thread_local simdjson::dom::parser parser;
  element root;
  if (parser.parse(text).get(root) != simdjson::SUCCESS) return false;
  std::vector<User> out;
  if (!list) {
    out.emplace_back();
    if (!FillUser(root, keep_maps, &out.back())) return false;
  } else {
    simdjson::dom::array array;
    if (root.get_array().get(array) != simdjson::SUCCESS) return false;
    out.reserve(array.size());
    for (element e : array) {
      out.emplace_back();
      if (!FillUser(e, keep_maps, &out.back())) return false;
    }
  }
  *users = std::move(out);
  return true;
}

}  // namespace rostersync::api
