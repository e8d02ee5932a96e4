// FieldMapper: fields.* (docs/contract.md) compiled against one roster header. Evaluates a field
// for a row: a column, a template "{first_name}.{last_name}", a constant value, then the transforms
// in order, then the value map and default. Pure; immutable after construction, so const methods
// are thread-safe.
#ifndef ROSTERSYNC_ROSTER_FIELD_MAPPING_H_
#define ROSTERSYNC_ROSTER_FIELD_MAPPING_H_

#include <map>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/config_schema.h"
#include "sync/roster_source.h"
#include "sync/status.h"

namespace rostersync {

// MappableFields(), KnownTransforms() and the Transform table are the config schema's.

// Checks fields.* without a roster: known field names and transforms, exactly one of
// column/template/value per field, map values of `role`. Invalid lists every problem with
// its config line; for check-config.
Status ValidateFieldsConfig(const FieldsConfig& fields);

class FieldMapper {
 public:
  FieldMapper(const FieldsConfig& fields, const std::vector<std::string>& columns);

  // Problems that reject every row: "column 'title' (fields.position) is not in the roster
  // header" or an unknown transform. Empty when the fields fit the header.
  const std::vector<std::string>& problems() const { return problems_; }
  const std::vector<std::string>& missing_columns() const { return missing_columns_; }

  // Index of a field in MappableFields(), or -1; the int overloads below skip the lookup.
  static int FieldIndex(const std::string& field);
  bool Has(const std::string& field) const { return Has(FieldIndex(field)); }
  bool Has(int field) const { return field >= 0 && fields_[field].spec != nullptr; }
  bool FromTemplate(const std::string& field) const;
  // The roster column behind a field, or "fields.<name>" for a template or constant.
  std::string Label(const std::string& field) const;

  // Evaluates `field` for `row`. False with *reason set when the value maps to nothing
  // (not in the map, no default). An unmapped field gives "" and true.
  bool Eval(const std::string& field, const RawRow& row, std::string* out,
            std::string* reason) const {
    return Eval(FieldIndex(field), row, out, reason);
  }
  bool Eval(int field, const RawRow& row, std::string* out, std::string* reason) const;

 private:
  struct Part {
    bool column = false;
    std::string text;  // literal text, or the column name as written
    int index = -1;    // column index when column
  };
  struct Compiled {
    const FieldSpec* spec = nullptr;
    int column_index = -1;
    std::vector<Part> parts;  // template
    std::vector<Transform> transforms;  // the known ones, in the order listed
  };

  std::vector<Compiled> fields_;  // by FieldIndex; spec == nullptr when unmapped
  std::vector<std::string> problems_;
  std::vector<std::string> missing_columns_;
};

// Applies one transform; unknown names leave the value unchanged (ValidateFieldsConfig
// reports them).
std::string ApplyTransform(const std::string& name, const std::string& value);

}  // namespace rostersync

#endif  // ROSTERSYNC_ROSTER_FIELD_MAPPING_H_
