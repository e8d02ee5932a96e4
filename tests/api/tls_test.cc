// api::Client over HTTPS against a loopback TLS server with a CA and certificates made by
// the openssl CLI in a temp dir: valid, wrong host, expired, untrusted, insecure mode.
#include <gtest/gtest.h>

#include <Poco/Net/Context.h>

#include <cstdlib>

#include "api/client.h"
#include "tests/api/test_server.h"
#include "tests/support/temp_dir.h"

namespace rostersync::api {
namespace {

using rostersync::testing::Reply;
using rostersync::testing::Request;
using rostersync::testing::ScriptedServer;
using rostersync::testing::TempDir;

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const std::string d = dir_->path();
    // A CA, a leaf for 127.0.0.1, a leaf for another name, an expired leaf, and a
    // self-signed certificate nobody trusts.
    std::string script =
        "set -e; cd '" + d + "';"
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2"
        " -subj /CN=test-ca 2>/dev/null;"
        "mk() { openssl req -newkey rsa:2048 -nodes -keyout $1.key -out $1.csr -subj /CN=$2"
        " 2>/dev/null; printf 'subjectAltName=%s\\n' \"$3\" > $1.ext;"
        " openssl x509 -req -in $1.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out $1.pem"
        " -extfile $1.ext $4 2>/dev/null; };"
        "mk good 127.0.0.1 'IP:127.0.0.1,DNS:localhost' '-days 2';"
        "mk wronghost other.example 'DNS:other.example' '-days 2';"
        "mk expired 127.0.0.1 'IP:127.0.0.1' '-days -1';"  // notAfter lies in the past
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout untrusted.key -out untrusted.pem"
        " -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null;"
        // A second CA standing in for the system store (SSL_CERT_FILE), and its leaf.
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout sysca.key -out sysca.pem -days 2"
        " -subj /CN=system-ca 2>/dev/null;"
        "openssl req -newkey rsa:2048 -nodes -keyout sysleaf.key -out sysleaf.csr"
        " -subj /CN=127.0.0.1 2>/dev/null; printf 'subjectAltName=IP:127.0.0.1\\n' > sysleaf.ext;"
        " openssl x509 -req -in sysleaf.csr -CA sysca.pem -CAkey sysca.key -CAcreateserial"
        " -out sysleaf.pem -extfile sysleaf.ext -days 2 2>/dev/null;";
    ok_ = std::system(("bash -c \"" + Escape(script) + "\"").c_str()) == 0;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string Escape(const std::string& s) {
    std::string out;
    for (char c : s) {
      if (c == '"' || c == '$' || c == '\\' || c == '`') out.push_back('\\');
      out.push_back(c);
    }
    return out;
  }

  static Poco::Net::Context::Ptr ServerContext(const std::string& name) {
    Poco::Net::Context::Params params;
    params.privateKeyFile = dir_->File(name + ".key");
    params.certificateFile = dir_->File(name + ".pem");
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
    options.ca_file = trust_ca ? dir_->File("ca.pem") : "";
    options.insecure_skip_verify = insecure;
    options.timeout_ms = 3000;
    options.max_attempts = 2;
    options.base_delay_ms = 1;
    auto client = Client::Create(options);
    if (!client.ok()) return client.status();
    return (*client)->GetMe();
  }

  static TempDir* dir_;
  static bool ok_;
};

TempDir* TlsTest::dir_ = nullptr;
bool TlsTest::ok_ = false;

TEST_F(TlsTest, ConnectsWhenTheCertificateIsValidForTheHost) {
  ASSERT_TRUE(ok_) << "openssl could not make the test certificates";
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
  ::setenv("SSL_CERT_FILE", dir_->File("sysca.pem").c_str(), 1);
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
