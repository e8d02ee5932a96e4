#include "emulator/modes.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "emulator/json_writer.h"

namespace mmemu {

namespace {

const std::set<std::string>& AttributeFields() {
  static const std::set<std::string> kFields = {"first_name", "last_name", "nickname", "position"};
  return kFields;
}

std::vector<std::string> SplitCsv(const std::string& csv) {
  std::vector<std::string> out;
  std::stringstream in(csv);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

void SetMembers(JsonWriter* w, const char* key, const std::set<std::string>& values) {
  w->Key(key).BeginArray();
  for (const auto& v : values) w->String(v);
  w->EndArray();
}

bool ReadOwned(const Poco::JSON::Object::Ptr& obj, const char* key, std::set<std::string>* out,
               std::string* error) {
  if (!obj->has(key)) return true;
  auto list = obj->getArray(key);
  if (!list) {
    *error = std::string(key) + " must be an array of field names";
    return false;
  }
  std::string csv;
  for (const auto& v : *list) csv += v.convert<std::string>() + ",";
  return ParseOwnedFields(csv, out, error);
}

}  // namespace

ServerModes RealisticModes() {
  ServerModes m;
  m.licensed = true;
  m.license_guest_accounts = true;
  m.guest_accounts_enabled = false;  // the server's default
  m.require_email_verification = true;
  m.password_min_length = 40;
  m.password_lowercase = m.password_uppercase = m.password_number = m.password_symbol = true;
  m.saml_owned = {"first_name", "last_name"};
  m.listing_skew = true;
  m.replica_lag_ms = 100;
  m.rate_limit_per_ip = true;
  m.sanitize_unicode = true;
  m.replace_unsupported_locale = true;
  return m;
}

std::string ModesJsonMembers(const ServerModes& m) {
  JsonWriter w;
  w.BeginObject();
  w.Field("licensed", m.licensed).Field("license_guest_accounts", m.license_guest_accounts);
  w.Field("guest_accounts_enabled", m.guest_accounts_enabled);
  w.Field("allow_permanent_delete", m.allow_permanent_delete);
  w.Field("require_email_verification", m.require_email_verification);
  w.Field("password_min_length", m.password_min_length);
  w.Field("password_lowercase", m.password_lowercase);
  w.Field("password_uppercase", m.password_uppercase);
  w.Field("password_number", m.password_number).Field("password_symbol", m.password_symbol);
  SetMembers(&w, "saml_owned", m.saml_owned);
  SetMembers(&w, "ldap_owned", m.ldap_owned);
  w.Field("user_limit", m.user_limit).Field("listing_skew", m.listing_skew);
  w.Field("replica_lag_ms", m.replica_lag_ms).Field("rate_limit_per_ip", m.rate_limit_per_ip);
  w.Field("sanitize_unicode", m.sanitize_unicode);
  w.Field("replace_unsupported_locale", m.replace_unsupported_locale);
  w.Field("max_users_per_team", m.max_users_per_team);
  w.EndObject();
  std::string json = w.Take();
  return json.substr(1, json.size() - 2);
}

bool ParseModes(const std::string& json, ServerModes* m, std::string* error) {
  try {
    Poco::JSON::Parser parser;
    auto obj = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
    struct BoolKey {
      const char* key;
      bool* dst;
    } bools[] = {{"licensed", &m->licensed},
                 {"license_guest_accounts", &m->license_guest_accounts},
                 {"guest_accounts_enabled", &m->guest_accounts_enabled},
                 {"allow_permanent_delete", &m->allow_permanent_delete},
                 {"require_email_verification", &m->require_email_verification},
                 {"password_lowercase", &m->password_lowercase},
                 {"password_uppercase", &m->password_uppercase},
                 {"password_number", &m->password_number},
                 {"password_symbol", &m->password_symbol},
                 {"listing_skew", &m->listing_skew},
                 {"rate_limit_per_ip", &m->rate_limit_per_ip},
                 {"sanitize_unicode", &m->sanitize_unicode},
                 {"replace_unsupported_locale", &m->replace_unsupported_locale}};
    for (auto& b : bools) {
      if (!obj->has(b.key)) continue;
      if (!obj->get(b.key).isBoolean()) {
        *error = std::string(b.key) + " must be true or false";
        return false;
      }
      *b.dst = obj->getValue<bool>(b.key);
    }
    if (obj->has("password_min_length")) {
      int v = obj->getValue<int>("password_min_length");
      if (v < 1 || v > 72) {
        *error = "password_min_length must be between 1 and 72";
        return false;
      }
      m->password_min_length = v;
    }
    for (auto [key, dst] : {std::pair<const char*, int*>{"user_limit", &m->user_limit},
                            {"replica_lag_ms", &m->replica_lag_ms}}) {
      if (!obj->has(key)) continue;
      int v = obj->getValue<int>(key);
      if (v < 0) {
        *error = std::string(key) + " must not be negative";
        return false;
      }
      *dst = v;
    }
    if (obj->has("max_users_per_team")) {
      int v = obj->getValue<int>("max_users_per_team");
      if (v < 1) {
        *error = "max_users_per_team must be > 0";
        return false;
      }
      m->max_users_per_team = v;
    }
    return ReadOwned(obj, "saml_owned", &m->saml_owned, error) &&
           ReadOwned(obj, "ldap_owned", &m->ldap_owned, error);
  } catch (const std::exception& e) {
    *error = std::string("body must be a JSON object of settings: ") + e.what();
    return false;
  }
}

bool ParseOwnedFields(const std::string& csv, std::set<std::string>* out, std::string* error) {
  std::set<std::string> fields;
  for (const auto& f : SplitCsv(csv)) {
    if (!AttributeFields().count(f)) {
      *error = "unknown provider-owned field '" + f +
               "' (first_name, last_name, nickname, position)";
      return false;
    }
    fields.insert(f);
  }
  *out = std::move(fields);
  return true;
}

bool ParsePasswordClasses(const std::string& csv, ServerModes* m, std::string* error) {
  m->password_lowercase = m->password_uppercase = m->password_number = m->password_symbol = false;
  for (const auto& c : SplitCsv(csv)) {
    if (c == "lower") {
      m->password_lowercase = true;
    } else if (c == "upper") {
      m->password_uppercase = true;
    } else if (c == "number") {
      m->password_number = true;
    } else if (c == "symbol") {
      m->password_symbol = true;
    } else {
      *error = "unknown password class '" + c + "' (lower, upper, number, symbol)";
      return false;
    }
  }
  return true;
}

}  // namespace mmemu
