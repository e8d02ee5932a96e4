// api::SdkClient: construction. The operations are in sdk_*_ops.cc.
#include "api/sdk/sdk_client.h"

#include <utility>

#include "api/transport.h"

namespace rostersync::api {

Result<std::unique_ptr<SdkClient>> SdkClient::Create(const ClientOptions& options) {
  auto transport = Transport::Create(options);
  if (!transport.ok()) return transport.status();
  return std::unique_ptr<SdkClient>(new SdkClient(std::move(transport).value()));
}

}  // namespace rostersync::api
