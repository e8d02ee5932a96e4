// api::Client over HTTPS against a loopback TLS server with a CA and certificates minted once
// per build by tests/api/make_test_certs.sh (not in every test process): valid, wrong host,
// expired, untrusted, a second "system" CA, and insecure mode.
#include <gtest/gtest.h>

#include <Poco/Net/Context.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "api/client.h"
#include "tests/api/test_server.h"

namespace rostersync::api {
namespace {

using rostersync::testing::Reply;
using rostersync::testing::Request;
using rostersync::testing::ScriptedServer;

// The directory the build filled with the certificates (tests/api/CMakeLists.txt).
std::string CertFile(const std::string& name) {
  return std::string(ROSTERSYNC_TLS_CERT_DIR) + "/" + name;
}

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ok_ = std::ifstream(CertFile("stamp")).good(); }

  static Poco::Net::Context::Ptr ServerContext(const std::string& name) {
    Poco::Net::Context::Params params;
    params.privateKeyFile = CertFile(name + ".key");
    params.certificateFile = CertFile(name + ".pem");
    params.verificationMode = Poco::Net::Context::VERIFY_NONE;
    return new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
  }

  static Result<User> GetMeVia(const std::string& cert, bool insecure, bool trust_ca = true) {
    ScriptedServer server([](const Request&) {
      Reply r;
      r.body = rostersync::testing::UserJson("me", "sync-bot");
      return r;
    }, ServerContext(cert));
    ClientOptions options;
    options.url = server.url();
    options.token = "tls-token";
    options.ca_file = trust_ca ? CertFile("ca.pem") : "";
    options.insecure_skip_verify = insecure;
    options.timeout_ms = 3000;
    options.max_attempts = 2;
    options.base_delay_ms = 1;
    auto client = Client::Create(options);
    if (!client.ok()) return client.status();
    return (*client)->GetMe();
  }

  static bool ok_;
};

bool TlsTest::ok_ = false;

TEST_F(TlsTest, ConnectsWhenTheCertificateIsValidForTheHost) {
  ASSERT_TRUE(ok_) << "the build did not make the certificates in " ROSTERSYNC_TLS_CERT_DIR;
  auto me = GetMeVia("good", false);
  ASSERT_TRUE(me.ok()) << me.status().ToString();
  EXPECT_EQ(me->username, "sync-bot");
}

TEST_F(TlsTest, RefusesACertificateForAnotherHost) {
  ASSERT_TRUE(ok_);
  auto me = GetMeVia("wronghost", false);
  ASSERT_FALSE(me.ok());
  EXPECT_EQ(me.status().code(), Status::Code::kInvalid) << me.status().ToString();
  EXPECT_EQ(me.status().message().find("tls-token"), std::string::npos);
}

TEST_F(TlsTest, RefusesAnExpiredCertificate) {
  ASSERT_TRUE(ok_);
  auto me = GetMeVia("expired", false);
  ASSERT_FALSE(me.ok());
  EXPECT_EQ(me.status().code(), Status::Code::kInvalid) << me.status().ToString();
}

TEST_F(TlsTest, RefusesAnUntrustedCertificate) {
  ASSERT_TRUE(ok_);
  auto me = GetMeVia("untrusted", false);
  ASSERT_FALSE(me.ok());
  EXPECT_EQ(me.status().code(), Status::Code::kInvalid) << me.status().ToString();
}

TEST_F(TlsTest, RefusesOurCaSignedCertificateWithoutTheCaFile) {
  ASSERT_TRUE(ok_);
  auto me = GetMeVia("good", false, /*trust_ca=*/false);
  ASSERT_FALSE(me.ok());
  EXPECT_EQ(me.status().code(), Status::Code::kInvalid) << me.status().ToString();
}

// ca_file adds to the system CAs: with ca_file set, a certificate signed by a CA of the
// system store (here SSL_CERT_FILE, which OpenSSL reads as its default store) still verifies.
TEST_F(TlsTest, CaFileAddsToTheSystemCasInsteadOfReplacingThem) {
  ASSERT_TRUE(ok_);
  ::setenv("SSL_CERT_FILE", CertFile("sysca.pem").c_str(), 1);
  auto via_system = GetMeVia("sysleaf", false, /*trust_ca=*/true);
  auto via_ca_file = GetMeVia("good", false, /*trust_ca=*/true);
  ::unsetenv("SSL_CERT_FILE");
  EXPECT_TRUE(via_system.ok()) << via_system.status().ToString();
  EXPECT_TRUE(via_ca_file.ok()) << via_ca_file.status().ToString();
}

TEST_F(TlsTest, InsecureModeAcceptsAnUntrustedCertificate) {
  ASSERT_TRUE(ok_);
  auto me = GetMeVia("untrusted", true);
  EXPECT_TRUE(me.ok()) << me.status().ToString();
}

}  // namespace
}  // namespace rostersync::api
