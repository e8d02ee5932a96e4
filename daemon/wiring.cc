// Production wiring of CycleRunner: the api client, the state store and the audit file.
#include "daemon/wiring.h"

#include <spdlog/spdlog.h>

#include <memory>

#include "api/client.h"
#include "api/client_options.h"
#include "api/rate_limiter.h"
#include "config/config_loader.h"
#include "daemon/cycle.h"
#include "daemon/leader_lock.h"
#include "daemon/logging.h"
#include "state/audit_file.h"
#include "state/audit_json.h"
#include "state/leader_lock.h"
#include "state/open_store.h"
#include "state/owned_file.h"
#include "sync/redact.h"

namespace rostersync::daemon {

namespace {

// The password in "scheme://user:password@host...", or "".
std::string UrlPassword(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return "";
  auto host_start = scheme + 3;
  auto at = url.find('@', host_start);
  auto end = url.find_first_of("/?#", host_start);
  if (at == std::string::npos || (end != std::string::npos && at > end)) return "";
  auto colon = url.find(':', host_start);
  if (colon == std::string::npos || colon > at) return "";
  return url.substr(colon + 1, at - colon - 1);
}

}  // namespace

std::string ScrubUrlPassword(std::string text, const std::string& url) {
  const std::string secret = UrlPassword(url);
  if (secret.empty()) return text;
  for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos)) {
    text.replace(pos, secret.size(), "***");
  }
  return text;
}

std::string UrlForDisplay(const std::string& url) { return redact::UrlUserinfo(url); }

std::string DatabaseForDisplay(const std::string& database_url) {
  return RedactDatabaseUrl(database_url);
}

Result<std::unique_ptr<StateStore>> OpenStore(const Config& config) {
  Result<std::unique_ptr<StateStore>> store = OpenStateStore(config.state.database);
  if (!store.ok()) {
    // The message of the store never holds the password; add where and what to do.
    return store.status().Annotate("state.database " + RedactDatabaseUrl(config.state.database) +
                                   " (check that it exists and is writable)");
  }
  return store;
}

Result<std::unique_ptr<StateStore>> OpenStoreForReading(const Config& config) {
  Result<std::unique_ptr<StateStore>> store = OpenStateStoreForReading(config.state.database);
  if (!store.ok()) {
    return store.status().Annotate("state.database " + RedactDatabaseUrl(config.state.database) +
                                   " (check that it exists and is readable)");
  }
  return store;
}

namespace {

// `limiter`, when given, is the client's rate limiter (to keep its state between processes).
Result<std::unique_ptr<api::Client>> MakeClient(const Config& config, api::ApiObserver* observer,
                                                const StopToken* stop = nullptr,
                                                std::shared_ptr<api::RateLimiter> limiter = {}) {
  Result<std::string> token = ReadMattermostToken(config.mattermost);
  if (!token.ok()) return token.status().Annotate("mattermost token");
  api::ClientOptions options;
  options.url = config.mattermost.url;
  options.token = *token;
  options.ca_file = config.mattermost.ca_file;
  options.insecure_skip_verify = config.mattermost.insecure_skip_verify;
  options.timeout_ms = config.mattermost.timeout_ms;
  options.concurrency = config.mattermost.concurrency;
  options.rate_per_second = config.mattermost.rate_per_second;
  options.rate_burst = config.mattermost.rate_burst;
  options.max_attempts = config.mattermost.retry_max_attempts;
  options.base_delay_ms = config.mattermost.retry_base_delay_ms;
  options.max_delay_ms = config.mattermost.retry_max_delay_ms;
  options.observer = observer;
  options.stop = stop;
  options.rate_limiter = std::move(limiter);
  Result<std::unique_ptr<api::Client>> client = api::Client::Create(options);
  if (!client.ok()) {
    const std::string message = redact::Token(client.status().message(), *token);
    return Status(client.status().code(), ScrubUrlPassword(message, config.mattermost.url))
        .Annotate("mattermost.url " + UrlForDisplay(config.mattermost.url));
  }
  return client;
}

}  // namespace

Result<ServerCapabilities> ReadServerCapabilities(const Config& config) {
  Config quick = config;
  quick.mattermost.retry_max_attempts = 1;
  quick.mattermost.timeout_ms = std::min<int64_t>(quick.mattermost.timeout_ms, 10000);
  Result<std::unique_ptr<api::Client>> client = MakeClient(quick, nullptr);
  if (!client.ok()) return client.status();
  Result<ServerCapabilities> capabilities = (*client)->GetServerCapabilities();
  if (!capabilities.ok()) {
    return Status(capabilities.status().code(),
                  ScrubUrlPassword(capabilities.status().message(), config.mattermost.url));
  }
  return capabilities;
}

Result<std::unique_ptr<CycleRunner>> CycleRunner::Create(const Config& config,
                                                         api::ApiObserver* observer,
                                                         StateStore* shared_store,
                                                         const StopToken* stop) {
  auto limiter = std::make_shared<api::RateLimiter>(
      config.mattermost.rate_per_second, config.mattermost.rate_burst,
      api::RateLimiter::LowWaterFor(config.mattermost.concurrency));
  Result<std::unique_ptr<api::Client>> client = MakeClient(config, observer, stop, limiter);
  if (!client.ok()) return client.status();
  std::unique_ptr<StateStore> owned_store;
  if (shared_store == nullptr) {
    Result<std::unique_ptr<StateStore>> store = OpenStore(config);
    if (!store.ok()) return store.status();
    owned_store = std::move(store).value();
  }
  std::unique_ptr<AuditFile> audit;
  if (!config.audit.file.empty()) {
    Result<std::unique_ptr<AuditFile>> opened = AuditFile::Open(config.audit.file);
    if (!opened.ok()) return opened.status();  // names audit.file and what to fix
    audit = std::move(opened).value();
  }
  std::unique_ptr<CycleRunner> runner(new CycleRunner(config, Env::Default()));
  runner->owned_api_ = std::move(client).value();
  runner->owned_store_ = std::move(owned_store);
  runner->api_ = runner->owned_api_.get();
  runner->stop_ = stop;
  runner->store_ = shared_store != nullptr ? shared_store : runner->owned_store_.get();
  if (audit) {
    AuditFile* file = audit.get();
    runner->reopen_audit_ = [file] {
      Status s = file->Reopen();
      (void)s;
    };
    runner->owned_audit_ = std::move(audit);
    runner->audit_ = runner->owned_audit_.get();
  }
  runner->decode_action_ = [](const std::string& payload) { return ActionFromJson(payload); };
  // The server's rate-limit state outlives the process: a new one starts paced when the
  // last one left the server's bucket empty, and each cycle saves it for the next.
  StateStore* store = runner->store_;
  api::RestoreRateLimitState(*store, *limiter, Env::Default().NowMs());
  runner->save_rate_limit_ = [store, limiter] {
    Status s = api::SaveRateLimitState(*store, *limiter, Env::Default().NowMs());
    if (!s.ok()) spdlog::warn("cannot save the rate-limit state: {}", s.ToString());
  };
  return runner;
}

std::unique_ptr<LeaderElection> MakeLeaderElection(const std::string& database) {
  return std::make_unique<LoggedLeaderElection>(OpenLeaderElection(database));
}

Status CheckDaemonFile(const std::string& what, const std::string& path, const struct stat& st) {
  return CheckOwnedFile(what, path, st);
}

Result<int> OpenDaemonFile(const std::string& what, const std::string& path, int flags,
                           mode_t mode) {
  return OpenOwnedFile(what, path, flags, mode);
}

}  // namespace rostersync::daemon
