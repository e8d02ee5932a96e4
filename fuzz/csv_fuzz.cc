// libFuzzer target: arbitrary bytes through the CSV parser (whole and in odd chunks, which
// must agree), then MapRoster and the integrity gate. The first byte picks the delimiter
// and header mode, and (high bit) tiny row/cell/key limits.
// Build: cmake -DROSTERSYNC_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "roster/csv_parser.h"
#include "roster/csv_table.h"
#include "roster/roster_loader.h"

namespace {

rostersync::FieldsConfig Fields() {
  using rostersync::FieldSpec;
  rostersync::FieldsConfig f;
  FieldSpec username;
  username.templ = "{first_name}.{last_name}";
  username.transform = {"ascii", "lower", "mattermost_username"};
  f.specs["username"] = username;
  f.specs["email"].column = "email";
  f.specs["email"].transform = {"trim", "lower"};
  f.specs["first_name"].column = "first_name";
  f.specs["last_name"].column = "last_name";
  f.specs["nickname"].column = "nickname";
  f.specs["nickname"].transform = {"upper", "trim"};
  f.specs["role"].column = "kind";
  f.specs["role"].map = {{"admin", "system_admin"}, {"guest", "guest"}};
  f.specs["role"].default_value = "system_user";
  f.specs["active"].column = "status";
  f.specs["start_date"].column = "start";
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char kDelims[] = {',', ';', '\t', '|'};
  const uint8_t mode = data[0];
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);

  rostersync::CsvOptions options;
  options.delimiter = kDelims[mode & 3];
  options.header = (mode & 4) == 0;
  options.origin = "fuzz.csv";
  options.key_column = "employee_id";
  if (mode & 0x80) {  // tiny roster.limits: long rows, cells and keys become row errors
    options.max_row_bytes = 200;
    options.max_field_bytes = 50;
    options.max_key_bytes = 10;
  }
  auto whole = rostersync::ParseCsvTable(input, options);

  rostersync::CsvTableBuilder chunked(options);
  const size_t step = 1 + (mode >> 3);
  for (size_t i = 0; i < input.size(); i += step) chunked.Feed(input.substr(i, step));
  auto parts = chunked.Finish();
  if (whole.ok() != parts.ok()) std::abort();
  if (!whole.ok()) return 0;
  if (whole->columns != parts->columns || whole->rows.size() != parts->rows.size() ||
      whole->errors.size() != parts->errors.size() || whole->fingerprint != parts->fingerprint) {
    std::abort();
  }
  for (size_t i = 0; i < whole->rows.size(); ++i) {
    if (whole->rows[i].Cells() != parts->rows[i].Cells() ||
        whole->rows[i].line != parts->rows[i].line) {
      std::abort();
    }
  }

  static const rostersync::FieldsConfig fields = Fields();
  rostersync::Roster roster = rostersync::MapRoster(*whole, fields, "employee_id");
  if (roster.entries.size() + roster.rejected.size() != static_cast<size_t>(roster.row_count)) {
    std::abort();  // every row is either accepted or rejected
  }
  rostersync::RosterConfig config;
  config.min_rows = 1;
  rostersync::ApplyIntegrityGate(&roster, config, rostersync::Threshold{},
                                 rostersync::RosterFingerprint{"x", 3, 0}, 0, 0);
  for (const auto& e : roster.entries) {
    if (e.username.empty() || e.username.size() > 64 || e.email.empty()) std::abort();
  }
  return 0;
}
