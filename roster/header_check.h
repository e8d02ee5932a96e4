// Header checks shared by MapRoster and check-config: the key column and every column that
// fields.* names must be in the header, and a header read as one column that holds ';',
// tab, ',' or '|' is named as a wrong delimiter rather than as N missing columns.
// Pure; thread-safe. Internal to roster/.
#ifndef ROSTERSYNC_ROSTER_HEADER_CHECK_H_
#define ROSTERSYNC_ROSTER_HEADER_CHECK_H_

#include <string>
#include <vector>

#include "roster/field_mapping.h"

namespace rostersync {

// "the header was read as one column ('employee_id;email;...') that contains ';': the file
// looks ';'-separated; set roster.csv.delimiter: \";\"", or "" when it does not look so.
std::string WrongDelimiterReason(const std::vector<std::string>& columns);

// Every problem that rejects all rows, first the key column's: a wrong delimiter (alone),
// else the missing key column and the mapper's problems. Empty when the header fits.
std::vector<std::string> HeaderProblems(const std::vector<std::string>& columns,
                                        const FieldMapper& mapper, const std::string& key_column);

}  // namespace rostersync

#endif  // ROSTERSYNC_ROSTER_HEADER_CHECK_H_
