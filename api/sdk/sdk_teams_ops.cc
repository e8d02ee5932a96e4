// api::SdkClient: the paged team lists (every page of GET /teams and of a team's members),
// which the product does not read (api/README.md, "Teams and channels").
#include <string>
#include <unordered_set>

#include "api/client_internal.h"
#include "api/sdk/sdk_client.h"

namespace rostersync::api {

namespace {

constexpr int kPageSize = 200;     // the server clamps per_page to 200
constexpr int kMaxPages = 100000;  // 20M rows: far past any real team

const std::string kTeams = "/api/v4/teams";

// Reads every page of an offset-paged list through `page_fn`, de-duplicated by `key`.
// A full page without a new key means the server ignores ?page=: Invalid.
template <typename T, typename PageFn, typename KeyFn>
Result<std::vector<T>> AllPages(const std::string& what, PageFn page_fn, KeyFn key) {
  std::vector<T> out;
  std::unordered_set<std::string> seen;
  for (int page = 0; page < kMaxPages; ++page) {
    Result<std::vector<T>> part = page_fn(page);
    if (!part.ok()) return part.status().Annotate(what + ", page " + std::to_string(page));
    std::size_t fresh = 0;
    for (T& item : *part) {
      if (seen.insert(key(item)).second) {
        out.push_back(std::move(item));
        ++fresh;
      }
    }
    if (static_cast<int>(part->size()) < kPageSize) return out;
    if (fresh == 0) {
      return Status::Invalid(what + ": page " + std::to_string(page) +
                             " repeats rows already read; the server (or a proxy) ignores ?page=");
    }
  }
  return Status::Invalid(what + ": more than " + std::to_string(kMaxPages) + " pages");
}

}  // namespace

Result<std::vector<Team>> SdkClient::GetTeams() {
  return AllPages<Team>(
      "listing all teams",
      [&](int page) {
        Query q;
        q.Int("page", page).Int("per_page", kPageSize);
        return CallJson<std::vector<Team>>("GET", kTeams + q.str(), kTeams);
      },
      [](const Team& t) { return t.id; });
}

Result<std::vector<TeamMember>> SdkClient::GetTeamMembers(const std::string& team_id) {
  return AllPages<TeamMember>(
      "listing the members of team " + team_id,
      [&](int page) {
        Query q;
        q.Int("page", page).Int("per_page", kPageSize);
        return CallJson<std::vector<TeamMember>>(
            "GET", kTeams + "/" + Seg(team_id) + "/members" + q.str(),
            kTeams + "/{team_id}/members");
      },
      [](const TeamMember& m) { return m.user_id; });
}

}  // namespace rostersync::api
