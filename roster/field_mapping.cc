#include "roster/field_mapping.h"

#include <algorithm>

#include "roster/text.h"

namespace rostersync {
namespace {

int FindColumn(const std::vector<std::string>& columns, const std::string& name) {
  const std::string want = text::Trim(name);
  for (size_t i = 0; i < columns.size(); ++i) {
    if (text::EqualsIgnoreCase(columns[i], want)) return static_cast<int>(i);
  }
  return -1;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

// MappableFields() and the Transform table are the config schema's (config/config_schema.h).

namespace {
// In place; the ASCII cases (nearly every roster value) allocate nothing.
void ApplyTransformInPlace(Transform transform, std::string* value) {
  switch (transform) {
    case Transform::kTrim: {
      const std::string_view t = text::TrimView(*value);
      if (t.size() != value->size()) *value = std::string(t);
      return;
    }
    case Transform::kLower:
      if (text::IsAscii(*value)) {
        for (char& c : *value) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
      } else {
        *value = text::Lower(*value);
      }
      return;
    case Transform::kUpper:
      *value = text::Upper(*value);
      return;
    case Transform::kAscii:
      if (!text::IsAscii(*value)) *value = text::AsciiFold(*value);
      return;
    case Transform::kMattermostUsername:
      *value = text::MattermostUsername(*value);
      return;
  }
}
}  // namespace

std::string ApplyTransform(const std::string& name, const std::string& value) {
  std::string out = value;
  if (const std::optional<Transform> t = TransformFromName(name)) ApplyTransformInPlace(*t, &out);
  return out;
}

Status ValidateFieldsConfig(const FieldsConfig& fields) {
  std::vector<std::string> problems;
  const auto& known = MappableFields();
  for (const auto& [name, spec] : fields.specs) {
    const std::string at =
        "fields." + name + (spec.line > 0 ? " (line " + std::to_string(spec.line) + ")" : "");
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      problems.push_back(at + ": unknown field; known: " + Join(known));
      continue;
    }
    const int sources = !spec.column.empty() + !spec.templ.empty() + spec.value.has_value();
    if (sources != 1) {
      problems.push_back(at + ": give exactly one of column, template or value");
    }
    for (const auto& t : spec.transform) {
      if (!TransformFromName(t)) {
        problems.push_back(at + ": unknown transform '" + t + "'; known: " +
                           Join(KnownTransforms()));
      }
    }
    if (name == "role") {
      for (const auto& [from, to] : spec.map) {
        if (to != "system_user" && to != "system_admin" && to != "guest" &&
            to != "system_guest") {
          problems.push_back(at + ": map value '" + to + "' for '" + from +
                             "' must be system_user, system_admin or guest");
        }
      }
    }
  }
  if (problems.empty()) return Status::Ok();
  std::string msg = "invalid fields config: ";
  for (size_t i = 0; i < problems.size(); ++i) msg += (i ? "; " : "") + problems[i];
  return Status::Invalid(msg);
}

int FieldMapper::FieldIndex(const std::string& field) {
  const auto& all = MappableFields();
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i] == field) return static_cast<int>(i);
  }
  return -1;
}

FieldMapper::FieldMapper(const FieldsConfig& fields, const std::vector<std::string>& columns)
    : fields_(MappableFields().size()) {
  for (const auto& item : fields.specs) {
    const std::string& name = item.first;
    const FieldSpec& spec = item.second;
    const int index = FieldIndex(name);
    if (index < 0) {
      problems_.push_back("fields." + name + " is not a known field; known: " +
                          Join(MappableFields()));
      continue;
    }
    Compiled compiled;
    compiled.spec = &spec;
    auto need = [&](const std::string& column) {
      int index = FindColumn(columns, column);
      if (index < 0) {
        missing_columns_.push_back(text::Trim(column));
        problems_.push_back("column '" + text::Trim(column) + "' (fields." + name +
                            ") is not in the roster header; fix the export or fields." + name);
      }
      return index;
    };
    if (spec.value.has_value()) {
      // constant
    } else if (!spec.templ.empty()) {
      const std::string& t = spec.templ;
      std::string literal;
      for (size_t i = 0; i < t.size(); ++i) {
        size_t close = t[i] == '{' ? t.find('}', i + 1) : std::string::npos;
        if (close == std::string::npos) {
          literal.push_back(t[i]);
          continue;
        }
        if (!literal.empty()) compiled.parts.push_back({false, literal, -1});
        literal.clear();
        std::string column = t.substr(i + 1, close - i - 1);
        compiled.parts.push_back({true, column, need(column)});
        i = close;
      }
      if (!literal.empty()) compiled.parts.push_back({false, literal, -1});
    } else if (!spec.column.empty()) {
      compiled.column_index = need(spec.column);
    }
    for (const auto& tr : spec.transform) {
      if (const std::optional<Transform> t = TransformFromName(tr)) {
        compiled.transforms.push_back(*t);
      } else {
        problems_.push_back("fields." + name + " lists unknown transform '" + tr +
                            "'; known: " + Join(KnownTransforms()));
      }
    }
    if (index >= 0) fields_[index] = std::move(compiled);
  }
}

bool FieldMapper::FromTemplate(const std::string& field) const {
  const int i = FieldIndex(field);
  return Has(i) && !fields_[i].spec->templ.empty() && !fields_[i].spec->value;
}

std::string FieldMapper::Label(const std::string& field) const {
  const int i = FieldIndex(field);
  if (Has(i) && !fields_[i].spec->value && fields_[i].spec->templ.empty() &&
      !fields_[i].spec->column.empty()) {
    return text::Trim(fields_[i].spec->column);
  }
  return "fields." + field;
}

bool FieldMapper::Eval(int index, const RawRow& row, std::string* out, std::string* reason) const {
  out->clear();
  if (!Has(index)) return true;
  const Compiled& c = fields_[index];
  const FieldSpec& spec = *c.spec;
  auto cell = [&](int index) -> std::string_view {
    return index >= 0 && static_cast<size_t>(index) < row.size() ? row.cell(index)
                                                                  : std::string_view();
  };
  if (spec.value) {
    *out = *spec.value;
  } else if (!spec.templ.empty()) {
    for (const auto& part : c.parts) {
      if (part.column) {
        out->append(text::TrimView(cell(part.index)));
      } else {
        out->append(part.text);
      }
    }
  } else {
    *out = text::TrimView(cell(c.column_index));  // a column value never keeps outer blanks
  }
  for (Transform tr : c.transforms) ApplyTransformInPlace(tr, out);
  if (spec.map.empty()) {
    if (out->empty() && spec.default_value) *out = *spec.default_value;
    return true;
  }
  auto hit = spec.map.find(*out);
  if (hit == spec.map.end()) {
    const std::string trimmed = text::Trim(*out);
    for (auto m = spec.map.begin(); m != spec.map.end(); ++m) {
      if (text::EqualsIgnoreCase(text::Trim(m->first), trimmed)) {
        hit = m;
        break;
      }
    }
  }
  if (hit != spec.map.end()) {
    *out = hit->second;
    return true;
  }
  if (spec.default_value) {
    *out = *spec.default_value;
    return true;
  }
  const std::string& field = MappableFields()[index];
  std::vector<std::string> keys;
  for (const auto& m : spec.map) keys.push_back(m.first);
  *reason = "value '" + *out + "' is not in fields." + field + ".map (" + Join(keys) +
            ") and fields." + field + " has no default; add it to the map or set a default";
  return false;
}

}  // namespace rostersync
