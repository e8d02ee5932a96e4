#include "emulator/api_types.h"

#include "emulator/json_writer.h"

namespace mmemu {

void SetAppError(const ApiRequest& req, ApiResponse* resp, int status, const std::string& id,
                 const std::string& message, const std::string& detailed) {
  JsonWriter w;
  w.BeginObject()
      .Field("id", id)
      .Field("message", message)
      .Field("detailed_error", detailed)
      .Field("request_id", req.request_id)
      .Field("status_code", status)
      .EndObject();
  resp->status = status;
  resp->content_type = "application/json";
  resp->body = w.Take();
}

void SetStatusOk(ApiResponse* resp) {
  resp->status = 200;
  resp->content_type = "application/json";
  resp->body = "{\"status\":\"OK\"}";
}

}  // namespace mmemu
