// ApplyIntegrityGate and the roster digest: may this roster drive deactivations?
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "roster/roster_loader.h"
#include "roster/text.h"

namespace rostersync {
namespace {

std::string Duration(int64_t ms) {
  const int64_t s = ms / 1000;
  char buf[64];
  if (s >= 86400) {
    std::snprintf(buf, sizeof(buf), "%lldd %lldh", static_cast<long long>(s / 86400),
                  static_cast<long long>(s % 86400 / 3600));
  } else if (s >= 3600) {
    std::snprintf(buf, sizeof(buf), "%lldh %lldm", static_cast<long long>(s / 3600),
                  static_cast<long long>(s % 3600 / 60));
  } else if (s >= 60) {
    std::snprintf(buf, sizeof(buf), "%lldm %llds", static_cast<long long>(s / 60),
                  static_cast<long long>(s % 60));
  } else {
    std::snprintf(buf, sizeof(buf), "%llds", static_cast<long long>(s));
  }
  return buf;
}

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}

std::string ThresholdText(const Threshold& t) { return Number(t.value) + (t.percent ? "%" : ""); }

}  // namespace

std::string RosterDigest(const Roster& roster) {
  // Each entry is hashed on its own and the hashes are mixed and summed, so the digest does
  // not depend on row order (keys are unique among accepted entries) and needs no sort.
  uint64_t sum = 0;
  for (const RosterEntry& e : roster.entries) {
    uint64_t h = text::kFnvOffset;
    for (const std::string* f : {&e.key, &e.username, &e.email, &e.first_name, &e.last_name,
                                 &e.nickname, &e.position, &e.locale, &e.auth_service,
                                 &e.auth_data, &e.start_date, &e.end_date}) {
      h = text::Hash64(*f, h);
    }
    h = text::Hash64(RoleName(e.role), h);
    h = text::Hash64(e.active ? "1" : "0", h);
    h ^= h >> 33;  // splitmix-style finaliser before summing
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    sum += h;
  }
  return text::Hex64(text::Fnv1a64(std::to_string(roster.entries.size()), sum));
}

RosterFingerprint AcceptedFingerprint(const Roster& roster, int64_t now_ms) {
  RosterFingerprint fp;
  fp.fingerprint = roster.fingerprint.empty() ? RosterDigest(roster) : roster.fingerprint;
  fp.rows = static_cast<int64_t>(roster.entries.size());
  fp.accepted_ms = now_ms;
  return fp;
}

void ApplyIntegrityGate(Roster* roster, const RosterConfig& config,
                        const Threshold& max_deactivations,
                        const std::optional<RosterFingerprint>& last_accepted,
                        int64_t modified_ms, int64_t now_ms) {
  roster->fingerprint = RosterDigest(*roster);
  auto hold = [roster](const std::string& reason) {
    roster->trusted = false;
    roster->untrusted_reasons.push_back(reason + ": deactivations held");
  };
  const auto rows = static_cast<int64_t>(roster->entries.size());
  if (rows < config.min_rows) {
    std::string why = rows == 0 && roster->row_count == 0
                          ? "roster is empty (no data rows)"
                          : "roster has " + std::to_string(rows) + " valid rows";
    if (!roster->rejected.empty()) {
      why += " (" + std::to_string(roster->rejected.size()) + " rejected)";
    }
    hold(why + ", fewer than roster.min_rows=" + std::to_string(config.min_rows));
  }
  if (config.max_age_ms > 0 && modified_ms > 0 && now_ms - modified_ms > config.max_age_ms) {
    hold("roster file was last modified " + Duration(now_ms - modified_ms) +
         " ago, longer than roster.max_age=" + Duration(config.max_age_ms) +
         " (is the HR export still running?)");
  }
  const auto keyless = std::count_if(roster->rejected.begin(), roster->rejected.end(),
                                     [](const RowError& e) { return e.key.empty(); });
  if (keyless > 0) {
    hold(std::to_string(keyless) + " rejected row" + (keyless == 1 ? "" : "s") +
         " had no readable key (first at " +
         std::find_if(roster->rejected.begin(), roster->rejected.end(),
                      [](const RowError& e) { return e.key.empty(); })->where +
         "), so the people in them cannot be protected; fix those rows");
  }
  if (last_accepted && last_accepted->rows > 0 && rows < last_accepted->rows) {
    const int64_t shrink = last_accepted->rows - rows;
    const double percent = 100.0 * static_cast<double>(shrink) / static_cast<double>(last_accepted->rows);
    const bool over = max_deactivations.percent ? percent > max_deactivations.value
                                                : static_cast<double>(shrink) > max_deactivations.value;
    if (over) {
      char pct[32];
      std::snprintf(pct, sizeof(pct), "%.1f%%", percent);
      hold("roster has " + std::to_string(rows) + " valid rows, " + std::to_string(shrink) +
           " fewer (" + pct + ") than the last accepted roster (" +
           std::to_string(last_accepted->rows) + " rows), more than policy.max_deactivations=" +
           ThresholdText(max_deactivations) + "; check the export, or run sync --force if the "
           "people really left");
    }
  }
}

}  // namespace rostersync
