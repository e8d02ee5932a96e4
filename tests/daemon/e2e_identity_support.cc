#include "tests/daemon/e2e_identity_support.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <fstream>

#include "tests/daemon/e2e_support.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {

std::map<std::string, StateUser> ReadState(const Emulator& emu) {
  std::map<std::string, StateUser> users;
  try {
    Poco::JSON::Parser parser;
    auto root = parser.parse(emu.Get("/__emu/state")).extract<Poco::JSON::Object::Ptr>();
    std::map<std::string, int> sessions;
    auto list = root->getArray("sessions");
    for (size_t i = 0; list && i < list->size(); ++i) {
      ++sessions[list->getObject(static_cast<unsigned>(i))->optValue<std::string>("user_id", "")];
    }
    list = root->getArray("users");
    for (size_t i = 0; list && i < list->size(); ++i) {
      auto o = list->getObject(static_cast<unsigned>(i));
      StateUser u;
      u.id = o->optValue<std::string>("id", "");
      u.username = o->optValue<std::string>("username", "");
      u.email = o->optValue<std::string>("email", "");
      u.first_name = o->optValue<std::string>("first_name", "");
      u.last_name = o->optValue<std::string>("last_name", "");
      u.auth_service = o->optValue<std::string>("auth_service", "");
      u.auth_data = o->optValue<std::string>("auth_data", "");
      u.roles = o->optValue<std::string>("roles", "");
      u.delete_at = o->optValue<Poco::Int64>("delete_at", 0);
      u.sessions = sessions[u.id];
      users[u.username] = u;
    }
  } catch (const std::exception&) {
  }
  return users;
}

bool EditFile(const std::string& path, const std::string& from, const std::string& to) {
  std::string text = TempDir::Read(path);
  size_t at = text.find(from);
  if (at == std::string::npos) return false;
  text.replace(at, from.size(), to);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  return true;
}

std::string AsWindows1252(const std::string& utf8) {
  static const std::map<uint32_t, char> kExtras = {
      {0x20AC, '\x80'}, {0x201E, '\x84'}, {0x2026, '\x85'}, {0x0160, '\x8A'},
      {0x0152, '\x8C'}, {0x017D, '\x8E'}, {0x2018, '\x91'}, {0x2019, '\x92'},
      {0x201C, '\x93'}, {0x201D, '\x94'}, {0x2013, '\x96'}, {0x2014, '\x97'},
      {0x0161, '\x9A'}, {0x0153, '\x9C'}, {0x017E, '\x9E'}, {0x0178, '\x9F'}};
  std::string out;
  for (size_t i = 0; i < utf8.size();) {
    auto c = static_cast<unsigned char>(utf8[i]);
    int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    uint32_t cp = len == 1 ? c : c & (0x3F >> (len - 1));
    for (int k = 1; k < len && i + k < utf8.size(); ++k) cp = (cp << 6) | (utf8[i + k] & 0x3F);
    i += len;
    if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) {
      out += static_cast<char>(cp);
    } else {
      auto it = kExtras.find(cp);
      out += it == kExtras.end() ? '?' : it->second;
    }
  }
  return out;
}

void OpenSession(const Emulator& emu, const std::string& token) {
  HttpPost(emu.port(), "/api/v4/users/ids", token);  // 400 (no body), but authenticated
}

}  // namespace rostersync::testing
