// Helpers for roster tests: a typical fields config and CSV -> Roster in one call.
#ifndef ROSTERSYNC_TESTS_ROSTER_ROSTER_TEST_UTIL_H_
#define ROSTERSYNC_TESTS_ROSTER_ROSTER_TEST_UTIL_H_

#include <string>

#include "config/config.h"
#include "roster/csv_table.h"
#include "roster/roster_loader.h"

namespace rostersync::testing {

inline FieldSpec Column(const std::string& column, std::vector<std::string> transform = {}) {
  FieldSpec spec;
  spec.column = column;
  spec.transform = std::move(transform);
  return spec;
}

// docs/contract.md's example, reduced to the columns of kHeader.
inline FieldsConfig TypicalFields() {
  FieldsConfig f;
  FieldSpec username;
  username.templ = "{first_name}.{last_name}";
  username.transform = {"ascii", "lower", "mattermost_username"};
  f.specs["username"] = username;
  f.specs["email"] = Column("email", {"trim", "lower"});
  f.specs["first_name"] = Column("first_name");
  f.specs["last_name"] = Column("last_name");
  FieldSpec role = Column("kind");
  role.map = {{"admin", "system_admin"}, {"staff", "system_user"}, {"contractor", "guest"}};
  role.default_value = "system_user";
  f.specs["role"] = role;
  FieldSpec active = Column("status");
  active.true_values = {"active", "leave"};
  active.false_values = {"terminated"};
  f.specs["active"] = active;
  return f;
}

constexpr char kHeader[] = "employee_id,first_name,last_name,email,kind,status\n";

inline Roster MapCsv(const std::string& csv, const FieldsConfig& fields = TypicalFields(),
                     const std::string& origin = "roster.csv") {
  CsvOptions options;
  options.origin = origin;
  options.key_column = "employee_id";
  Result<RawTable> table = ParseCsvTable(csv, options);
  if (!table.ok()) {
    Roster failed;
    failed.trusted = false;
    failed.untrusted_reasons.push_back("READ FAILED: " + table.status().ToString());
    return failed;
  }
  return MapRoster(*table, fields, "employee_id");
}

}  // namespace rostersync::testing

#endif  // ROSTERSYNC_TESTS_ROSTER_ROSTER_TEST_UTIL_H_
