// Minimal streaming JSON writer used to build response bodies quickly (the listing path
// concatenates pre-serialized users, so Poco::JSON's object model would be the bottleneck).
// A JsonWriter owns its output string; not thread-safe, use one per response.
#ifndef ROSTERSYNC_TESTS_EMULATOR_JSON_WRITER_H_
#define ROSTERSYNC_TESTS_EMULATOR_JSON_WRITER_H_

#include <cstdint>
#include <map>
#include <string>

namespace mmemu {

// Appends `s` to `out` as a quoted, escaped JSON string.
void AppendJsonString(std::string* out, const std::string& s);

class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(const std::string& key);
  JsonWriter& String(const std::string& value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Double(double value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // Inserts already-serialized JSON as one value.
  JsonWriter& Raw(const std::string& json);
  JsonWriter& StringMap(const std::map<std::string, std::string>& map);

  // Shorthands for a key followed by a value.
  JsonWriter& Field(const std::string& key, const std::string& value) {
    return Key(key).String(value);
  }
  JsonWriter& Field(const std::string& key, const char* value) { return Key(key).String(value); }
  JsonWriter& Field(const std::string& key, int64_t value) { return Key(key).Int(value); }
  JsonWriter& Field(const std::string& key, int value) { return Key(key).Int(value); }
  JsonWriter& Field(const std::string& key, bool value) { return Key(key).Bool(value); }

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void Separator();
  std::string out_;
  bool need_comma_ = false;
};

}  // namespace mmemu

#endif  // ROSTERSYNC_TESTS_EMULATOR_JSON_WRITER_H_
