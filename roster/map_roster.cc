// MapRoster: raw rows -> validated RosterEntry values; duplicates in roster_duplicates.cc.
#include <filesystem>
#include <system_error>
#include <utility>

#include "roster/field_mapping.h"
#include "roster/header_check.h"
#include "roster/roster_duplicates.h"
#include "roster/roster_loader.h"
#include "roster/row_notices.h"
#include "roster/text.h"
#include "roster/validation.h"

namespace rostersync {
namespace {

std::string List(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

bool ParseActive(const FieldSpec& spec, const std::string& raw, bool* active, std::string* reason) {
  static const std::vector<std::string> kTrue{"true", "yes", "1", "active"};
  static const std::vector<std::string> kFalse{"false", "no", "0", "inactive", "terminated"};
  const bool custom = !spec.true_values.empty() || !spec.false_values.empty();
  const auto& t = custom ? spec.true_values : kTrue;
  const auto& f = custom ? spec.false_values : kFalse;
  const std::string_view value = text::TrimView(raw);
  for (const auto& v : t) {
    if (text::EqualsIgnoreCase(text::TrimView(v), value)) return *active = true, true;
  }
  for (const auto& v : f) {
    if (text::EqualsIgnoreCase(text::TrimView(v), value)) return *active = false, true;
  }
  *reason = "status '" + std::string(value) + "' is neither an active value (" + List(t) +
            ") nor an inactive value (" + List(f) + "); add it to fields.active.true or " +
            "fields.active.false, or fix the roster";
  return false;
}

bool ParseRole(const std::string& raw, Role* role, std::string* reason) {
  const std::string_view v = text::TrimView(raw);
  auto is = [v](std::string_view name) { return text::EqualsIgnoreCase(v, name); };
  if (v.empty() || is("system_user") || is("user")) return *role = Role::kUser, true;
  if (is("guest") || is("system_guest")) return *role = Role::kGuest, true;
  if (is("admin") || is("system_admin") || is("system_user system_admin") ||
      is("system_admin system_user")) {
    return *role = Role::kAdmin, true;
  }
  *reason = "role '" + text::Trim(raw) +
            "' is not system_user, system_admin or guest; map it with fields.role.map";
  return false;
}

// A rejected row still names a person: its email and username (as far as they can be
// mapped) go to rejected_emails / rejected_usernames, whatever made the row invalid.
void ProtectRow(const FieldMapper& mapper, const RawTable& table, const RawRow& row,
                Roster* roster) {
  static const int kEmail = FieldMapper::FieldIndex("email");
  static const int kUsername = FieldMapper::FieldIndex("username");
  std::string email, username, why;
  if (!mapper.Eval(kEmail, row, &email, &why)) email.clear();
  if (!mapper.Eval(kUsername, row, &username, &why)) username.clear();
  ProtectNames(roster, text::Trim(email), text::Trim(username), table.Where(row));
}

// The server strips some invisible characters from these on save (SanitizeUnicode); clean
// them the same way so that the roster and the server agree and no patch repeats forever.
void CleanNames(RosterEntry* e) {
  for (std::string* name : {&e->username, &e->first_name, &e->last_name, &e->nickname}) {
    if (text::SanitizeMayChange(*name)) *name = text::SanitizeUnicode(*name);
  }
}

// A locale the server does not support would be replaced at create and differ every cycle:
// it is left unset, with one notice per value (counted over rows). `last` remembers the
// previous row's value and result (a roster has one or a few locales).
void CheckLocale(RosterEntry* e, const RawTable& table, const RawRow& row,
                 const std::string& column, std::pair<std::string, std::string>* last,
                 RowNotices* notices) {
  if (e->locale.empty()) return;
  if (e->locale != last->first) *last = {e->locale, SupportedLocale(e->locale)};
  const std::string& supported = last->second;
  if (supported.empty()) {
    notices->Add("locale '" + e->locale + "' (" + column + ")", table.Where(row),
                 "not a locale the server supports; left unset (the server's default applies)");
  }
  e->locale = supported;
}

// Why a table with no header at all (an empty file) cannot be trusted, naming the file and
// what to do rather than a missing key column. Stats the file only to tell 0 bytes from blanks.
std::string EmptyTableReason(const std::string& origin) {
  const bool is_file = !origin.empty() && origin.compare(0, 4, "sql:") != 0;
  if (!is_file) return "the roster query returned no columns; check roster.sql.query";
  const std::string name = std::filesystem::path(origin).filename().string();
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(origin, ec);
  const std::string todo = "the HR export wrote no header and no rows; check the job that writes " +
                           origin + " (or roster.csv.path), then run again";
  if (!ec && bytes > 0) {
    return name + " is empty (" + std::to_string(bytes) + " bytes, no header line): " + todo;
  }
  return name + " is empty (0 bytes): " + todo;
}

// The shared body of both MapRoster forms. When `owned` is given (the same table), each
// row's cells are released once mapped, so the table and the roster are never both whole
// in memory.
Roster Map(const RawTable& table, RawTable* owned, const FieldsConfig& fields,
           const std::string& key_column) {
  Roster roster;
  roster.origin = table.origin;
  roster.row_count = static_cast<int64_t>(table.rows.size() + table.errors.size());
  for (const RowError& error : table.errors) {
    roster.rejected.push_back(error);
    if (!error.key.empty()) roster.rejected_keys.insert(error.key);
  }
  const FieldMapper mapper(fields, table.columns);
  int key_index = -1;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (text::EqualsIgnoreCase(table.columns[i], text::Trim(key_column))) key_index = static_cast<int>(i);
  }
  std::vector<std::string> fatal = HeaderProblems(table.columns, mapper, key_column);
  if (table.columns.empty() && table.rows.empty() && table.errors.empty()) {
    fatal = {EmptyTableReason(table.origin)};  // not "key column ... not in the header"
  }
  if (!fatal.empty()) {
    roster.trusted = false;
    // Said once, with the count, however many rows it rejects.
    const std::string rows = table.rows.empty()
                                 ? ""
                                 : "; all " + std::to_string(table.rows.size()) +
                                       (table.rows.size() == 1 ? " row" : " rows") + " rejected";
    for (const auto& problem : fatal) {
      roster.untrusted_reasons.push_back(problem + rows + ": deactivations held");
    }
    for (const RawRow& row : table.rows) {
      std::string key = key_index >= 0 ? text::Trim(row.cell(key_index)) : "";
      roster.rejected.push_back(
          {table.Where(row), key, key_index < 0 ? key_column : "", fatal.front()});
      if (!key.empty()) roster.rejected_keys.insert(key);
      ProtectRow(mapper, table, row, &roster);
    }
    return roster;
  }
  const std::string& key_name = table.columns[key_index];

  enum : int { kUsername, kEmail, kFirst, kLast, kNick, kPosition, kLocale, kAuthService,
               kAuthData, kRole, kActive, kStart, kEnd, kFieldCount };
  const bool has_role = mapper.Has(kRole), has_active = mapper.Has(kActive);
  const FieldSpec* active_spec = has_active ? &fields.specs.at("active") : nullptr;
  std::string role, active, start_date, end_date, reason;
  RowNotices row_notices;
  const std::string locale_label = mapper.Label("locale");
  std::pair<std::string, std::string> last_locale;  // CheckLocale's memo
  size_t blank_status = 0;
  // Columns membership.* reads (fields.attribute_columns): carried as they are, trimmed.
  std::vector<std::pair<const std::string*, int>> attribute_columns;
  for (const std::string& name : fields.attribute_columns) {
    int index = -1;
    for (size_t i = 0; i < table.columns.size(); ++i) {
      if (text::EqualsIgnoreCase(table.columns[i], text::Trim(name))) index = static_cast<int>(i);
    }
    if (index < 0) {
      roster.notices.push_back("column '" + name + "' (membership) is not in the roster header: "
                               "the membership rules that read it match nobody");
      continue;
    }
    attribute_columns.emplace_back(&name, index);
  }
  roster.entries.reserve(table.rows.size());
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const RawRow& row = table.rows[r];
    std::string key = text::Trim(row.cell(key_index));
    auto reject = [&](const std::string& column, const std::string& why) {
      roster.rejected.push_back({table.Where(row), key, column, why});
      if (!key.empty()) roster.rejected_keys.insert(key);
      ProtectRow(mapper, table, row, &roster);
    };
    if (key.empty()) {
      reject(key_name, "the key column '" + key_name + "' is empty; every row needs a key (roster.key)");
      continue;
    }
    RosterEntry& e = roster.entries.emplace_back();
    std::string* const slots[kFieldCount] = {
        &e.username, &e.email,  &e.first_name,   &e.last_name, &e.nickname,
        &e.position, &e.locale, &e.auth_service, &e.auth_data, &role,
        &active,     &start_date, &end_date};
    bool ok = true;
    for (int f = 0; f < kFieldCount && ok; ++f) {
      if (!mapper.Eval(f, row, slots[f], &reason)) {
        reject(mapper.Label(MappableFields()[f]), reason);
        ok = false;
      }
    }
    if (ok && has_role && !ParseRole(role, &e.role, &reason)) {
      reject(mapper.Label("role"), reason);
      ok = false;
    }
    if (has_active && ok && text::TrimView(active).empty()) ++blank_status;
    if (ok && has_active && !ParseActive(*active_spec, active, &e.active, &reason)) {
      reject(mapper.Label("active"), reason);
      ok = false;
    }
    if (ok) {
      e.start_date = text::Trim(start_date);
      e.end_date = text::Trim(end_date);
      CleanNames(&e);
      CheckLocale(&e, table, row, locale_label, &last_locale, &row_notices);
      if (FieldProblem p = ValidateEntry(e); !p.ok()) {
        reject(mapper.Label(p.field), p.reason);
        ok = false;
      }
    }
    if (!ok) {
      roster.entries.pop_back();
      continue;
    }
    for (const auto& [name, index] : attribute_columns) {
      e.attributes[*name] = text::Trim(row.cell(index));
    }
    e.key = std::move(key);
    e.where = table.Where(row);
    if (owned != nullptr) {  // release the row's buffers now (an assignment might keep them)
      std::string().swap(owned->rows[r].text);
      std::vector<uint32_t>().swap(owned->rows[r].ends);
    }
  }

  row_notices.AppendTo(&roster.notices);
  if (has_active && blank_status > 1 && blank_status == table.rows.size()) {
    roster.trusted = false;  // a whole blank column is a broken export, not N leavers
    roster.untrusted_reasons.push_back(
        "column '" + mapper.Label("active") + "' (fields.active) is blank on all " +
        std::to_string(blank_status) + " rows; check the export's status column: deactivations held");
  }
  // Duplicates reject every row involved: a key names one person, an email one account.
  std::vector<char> dropped(roster.entries.size(), 0);
  RejectDuplicateKeys(&roster, &dropped, key_name);
  RejectSharedValues(&roster, &dropped, &RosterEntry::email, "email", mapper.Label("email"));
  RejectSharedAuthData(&roster, &dropped, mapper.Label("auth_data"));
  if (mapper.FromTemplate("username")) {
    ResolveUsernameCollisions(&roster, dropped);
  } else {
    RejectSharedValues(&roster, &dropped, &RosterEntry::username, "username",
                       mapper.Label("username"));
  }
  size_t kept = 0;
  for (size_t i = 0; i < roster.entries.size(); ++i) {
    if (dropped[i]) continue;
    if (kept != i) roster.entries[kept] = std::move(roster.entries[i]);
    ++kept;
  }
  roster.entries.resize(kept);
  return roster;
}

}  // namespace

Roster MapRoster(const RawTable& table, const FieldsConfig& fields, const std::string& key_column) {
  return Map(table, nullptr, fields, key_column);
}

Roster MapRosterConsuming(RawTable&& table, const FieldsConfig& fields,
                          const std::string& key_column) {
  return Map(table, &table, fields, key_column);
}

}  // namespace rostersync
