// api::SdkClient: statistics, reports, limits, per-user listings and profile images.
#include <random>

#include "api/client_internal.h"
#include "api/sdk/sdk_client.h"

namespace rostersync::api {

namespace {
Query ReportFilters(const UserReportQuery& r) {
  Query q;
  q.Opt("role_filter", r.role_filter)
      .Opt("team_filter", r.team_filter)
      .Bool("has_no_team", r.has_no_team)
      .Bool("hide_active", r.hide_active)
      .Bool("hide_inactive", r.hide_inactive)
      .Opt("search_term", r.search_term);
  return q;
}
}  // namespace

Result<UsersStats> SdkClient::GetTotalUsersStatsFiltered(const UsersStatsFilter& f) {
  Query q;
  q.Opt("in_team", f.in_team)
      .Opt("in_channel", f.in_channel)
      .Bool("include_deleted", f.include_deleted)
      .Bool("include_bots", f.include_bots)
      .Opt("roles", f.roles)
      .Opt("channel_roles", f.channel_roles)
      .Opt("team_roles", f.team_roles);
  return CallJson<UsersStats>("GET", kUsers + "/stats/filtered" + q.str(),
                              kUsers + "/stats/filtered");
}

Result<std::vector<UserReport>> SdkClient::GetUsersForReporting(const UserReportQuery& r) {
  Query q;
  q.Opt("sort_column", r.sort_column)
      .Opt("direction", r.direction)
      .Opt("sort_direction", r.sort_direction);
  if (r.page_size) q.Int("page_size", *r.page_size);
  q.Opt("from_column_value", r.from_column_value)
      .Opt("from_id", r.from_id)
      .Opt("date_range", r.date_range);
  std::string filters = ReportFilters(r).str();
  std::string query = q.str();
  if (!filters.empty()) query += (query.empty() ? "?" : "&") + filters.substr(1);
  return CallJson<std::vector<UserReport>>("GET", "/api/v4/reports/users" + query,
                                           "/api/v4/reports/users");
}

Result<int64_t> SdkClient::GetUserCountForReporting(const UserReportQuery& r) {
  auto count = CallJson<double>("GET", "/api/v4/reports/users/count" + ReportFilters(r).str(),
                                "/api/v4/reports/users/count");
  if (!count.ok()) return count.status();
  return static_cast<int64_t>(*count);
}

Result<ServerLimits> SdkClient::GetServerLimits() {
  // The server sends one object; the spec says an array. Accept both.
  auto response = Call("GET", "/api/v4/limits/server", "/api/v4/limits/server");
  if (!response.ok()) return response.status();
  if (!IsJsonContentType(response->content_type)) {
    return Status::Invalid("GET /api/v4/limits/server: expected a JSON answer");
  }
  const std::string& body = response->body;
  std::size_t first = body.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && body[first] == '[') {
    auto list = Decode<std::vector<ServerLimits>>(body);
    if (!list.ok()) return list.status().Annotate("GET /api/v4/limits/server");
    if (list->empty()) return Status::Invalid("GET /api/v4/limits/server: empty answer");
    return list->front();
  }
  auto limits = Decode<ServerLimits>(body);
  if (!limits.ok()) return limits.status().Annotate("GET /api/v4/limits/server");
  return limits;
}

Result<std::vector<ChannelMemberWithTeamData>> SdkClient::GetChannelMembersWithTeamDataForUser(
    const std::string& user_id, int page, int per_page) {
  Query q;
  q.Int("page", page).Int("pageSize", per_page);
  return CallJson<std::vector<ChannelMemberWithTeamData>>(
      "GET", UserPath(user_id, "/channel_members") + q.str(), kUsers + "/{user_id}/channel_members");
}

Result<std::vector<UploadSession>> SdkClient::GetUploadsForUser(const std::string& user_id) {
  return CallJson<std::vector<UploadSession>>("GET", UserPath(user_id, "/uploads"),
                                              kUsers + "/{user_id}/uploads");
}

Result<std::vector<Audit>> SdkClient::GetUserAudits(const std::string& user_id) {
  return CallJson<std::vector<Audit>>("GET", UserPath(user_id, "/audits"),
                                      kUsers + "/{user_id}/audits");
}

Result<UserTermsOfService> SdkClient::GetUserTermsOfService(const std::string& user_id) {
  return CallJson<UserTermsOfService>("GET", UserPath(user_id, "/terms_of_service"),
                                      kUsers + "/{user_id}/terms_of_service");
}

Result<Blob> SdkClient::GetBlob(const std::string& path, const std::string& route) {
  HttpRequest request;
  request.method = "GET";
  request.path = path;
  request.route = route;
  request.accept = "image/*, */*";
  auto response = transport().Execute(request);
  if (!response.ok()) return response.status();
  return Blob{response->content_type, std::move(response->body)};
}

Result<Blob> SdkClient::GetProfileImage(const std::string& user_id, std::optional<double> cache_buster) {
  Query q;
  if (cache_buster) q.Int("_", static_cast<int64_t>(*cache_buster));
  return GetBlob(UserPath(user_id, "/image") + q.str(), kUsers + "/{user_id}/image");
}

Result<Blob> SdkClient::GetDefaultProfileImage(const std::string& user_id) {
  return GetBlob(UserPath(user_id, "/image/default"), kUsers + "/{user_id}/image/default");
}

Result<StatusOK> SdkClient::SetProfileImage(const std::string& user_id, const std::string& image,
                                         const std::string& filename) {
  std::string boundary = "rostersync-";
  std::mt19937_64 rng{std::random_device{}()};
  for (int i = 0; i < 24; ++i) boundary.push_back("0123456789abcdef"[rng() % 16]);
  std::string safe_name;
  for (char c : filename) safe_name.push_back(c == '"' || c == '\r' || c == '\n' ? '_' : c);
  std::string body = "--" + boundary + "\r\n" +
                     "Content-Disposition: form-data; name=\"image\"; filename=\"" + safe_name +
                     "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + image + "\r\n--" +
                     boundary + "--\r\n";
  HttpRequest request;
  request.method = "POST";
  request.path = UserPath(user_id, "/image");
  request.route = kUsers + "/{user_id}/image";
  request.body = std::move(body);
  request.content_type = "multipart/form-data; boundary=" + boundary;
  request.post_is_read_only = true;  // setting the same picture twice is harmless
  auto response = transport().Execute(request);
  if (!response.ok()) return response.status();
  auto decoded = Decode<StatusOK>(response->body);
  if (!decoded.ok()) return decoded.status().Annotate("POST " + request.route);
  return decoded;
}

Result<StatusOK> SdkClient::SetDefaultProfileImage(const std::string& user_id) {
  return CallJson<StatusOK>("DELETE", UserPath(user_id, "/image"), kUsers + "/{user_id}/image");
}

}  // namespace rostersync::api
