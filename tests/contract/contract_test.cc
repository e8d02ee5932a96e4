// UsersApi contract: one typed suite, run against FakeUsersApi and against mm-emulator via
// api::Client. Each case creates its own uniquely named users, so shared state is harmless.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>

#include "api/client.h"
#include "tests/fakes/fake_users_api.h"
#include "tests/support/child_process.h"

namespace rostersync {
namespace {

std::string Unique(const std::string& base) {
  static std::atomic<int> n{0};
  return base + std::to_string(::getpid() % 10000) + "x" + std::to_string(n++);
}

struct FakeBackend {
  static bool Available() { return true; }
  UsersApi& api() { return fake; }
  testing::FakeUsersApi fake;
};

struct EmulatorBackend {
  static bool Available() { return true; }
  EmulatorBackend() {
    if (!emulator().ok()) return;
    api::ClientOptions options;
    options.url = emulator().url();
    options.token = emulator().admin_token();
    options.max_attempts = 2;
    auto c = api::Client::Create(options);
    if (c.ok()) client = std::move(*c);
  }
  static testing::Emulator& emulator() {
    static testing::Emulator e;  // one per process, stopped at exit
    return e;
  }
  UsersApi& api() { return *client; }
  std::unique_ptr<api::Client> client;
};

template <typename Backend>
class UsersApiContractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if constexpr (std::is_same_v<Backend, EmulatorBackend>) {
      ASSERT_TRUE(backend_.client) << "mm-emulator did not start";
    }
  }
  UsersApi& api() { return backend_.api(); }
  Result<User> Create(const std::string& username, const std::string& email = "") {
    NewUser u;
    u.username = username;
    u.email = email.empty() ? username + "@example.com" : email;
    u.first_name = "First";
    u.password = "Passw0rd-long-enough";
    return api().CreateUser(u);
  }
  Backend backend_;
};

using Backends = ::testing::Types<FakeBackend, EmulatorBackend>;
class BackendNames {
 public:
  template <typename T>
  static std::string GetName(int) {
    return std::is_same_v<T, FakeBackend> ? "Fake" : "Emulator";
  }
};
TYPED_TEST_SUITE(UsersApiContractTest, Backends, BackendNames);

TYPED_TEST(UsersApiContractTest, CreateLowerCasesUsernameAndEmailAndGivesSystemUser) {
  std::string name = Unique("Mixed.Case");
  auto created = this->Create(name, name + "@Example.COM");
  // The server lower-cases the username, but an upper-case email is invalid.
  if (!created.ok()) {
    EXPECT_EQ(created.status().code(), Status::Code::kInvalid) << created.status().ToString();
    created = this->Create(name, "lower." + Unique("e") + "@example.com");
  }
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  std::string lower = name;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(created->username, lower);
  EXPECT_TRUE(created->HasRole("system_user"));
  auto fetched = this->api().GetUserByUsername(lower);
  ASSERT_TRUE(fetched.ok()) << fetched.status().ToString();
  EXPECT_EQ(fetched->id, created->id);
}

TYPED_TEST(UsersApiContractTest, CreateRejectsATakenUsernameAsConflict) {
  std::string name = Unique("dup");
  ASSERT_TRUE(this->Create(name).ok());
  auto again = this->Create(name, Unique("other") + "@example.com");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Status::Code::kConflict) << again.status().ToString();
}

TYPED_TEST(UsersApiContractTest, CreateRejectsAnInvalidUsername) {
  auto bad = this->Create("bad name!" + Unique(""), Unique("bad") + "@example.com");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Status::Code::kInvalid) << bad.status().ToString();
}

TYPED_TEST(UsersApiContractTest, PatchToATakenEmailIsAConflict) {
  auto a = this->Create(Unique("pa"));
  auto b = this->Create(Unique("pb"));
  ASSERT_TRUE(a.ok() && b.ok());
  UserPatch patch;
  patch.email = a->email;
  auto patched = this->api().PatchUser(b->id, patch);
  ASSERT_FALSE(patched.ok());
  EXPECT_EQ(patched.status().code(), Status::Code::kConflict) << patched.status().ToString();
}

TYPED_TEST(UsersApiContractTest, PatchChangesOnlyTheFieldsSent) {
  auto u = this->Create(Unique("patchy"));
  ASSERT_TRUE(u.ok());
  UserPatch patch;
  patch.last_name = "Smith-Jones";
  auto patched = this->api().PatchUser(u->id, patch);
  ASSERT_TRUE(patched.ok()) << patched.status().ToString();
  EXPECT_EQ(patched->last_name, "Smith-Jones");
  EXPECT_EQ(patched->first_name, "First");
}

TYPED_TEST(UsersApiContractTest, DeactivateAndReactivateShowInDeleteAt) {
  auto u = this->Create(Unique("leaver"));
  ASSERT_TRUE(u.ok());
  ASSERT_TRUE(this->api().DeactivateUser(u->id).ok());
  auto off = this->api().GetUser(u->id);
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->active());
  ASSERT_TRUE(this->api().SetUserActive(u->id, true).ok());
  EXPECT_TRUE(this->api().GetUser(u->id)->active());
}

TYPED_TEST(UsersApiContractTest, RolesMustKeepABaseRole) {
  auto u = this->Create(Unique("roley"));
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(this->api().UpdateUserRoles(u->id, "system_admin").code(), Status::Code::kInvalid);
  ASSERT_TRUE(this->api().UpdateUserRoles(u->id, "system_user system_admin").ok());
  EXPECT_TRUE(this->api().GetUser(u->id)->HasRole("system_admin"));
}

TYPED_TEST(UsersApiContractTest, PromotingANonGuestIsNotImplemented) {
  auto u = this->Create(Unique("member"));
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(this->api().PromoteGuestToUser(u->id).code(), Status::Code::kNotImplemented);
}

TYPED_TEST(UsersApiContractTest, UnknownUsersAreNotFound) {
  EXPECT_TRUE(this->api().GetUser("nosuchuserid0000000000000a").status().IsNotFound());
  EXPECT_TRUE(this->api().GetUserByUsername(Unique("nobody")).status().IsNotFound());
}

TYPED_TEST(UsersApiContractTest, ListsNeverShowEmailVerified) {
  NewUser n;
  n.username = Unique("verified");
  n.email = n.username + "@example.com";
  n.password = "Passw0rd-long-enough";
  n.email_verified = true;
  auto u = this->api().CreateUser(n);
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  auto all = this->api().ListAllUsers();
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  bool seen = false;
  for (const auto& listed : *all) {
    if (listed.id != u->id) continue;
    seen = true;
    EXPECT_FALSE(listed.email_verified.value_or(false));
  }
  EXPECT_TRUE(seen);
}

TYPED_TEST(UsersApiContractTest, UpdateAuthOfAnUnknownIdAnswersOk) {
  EXPECT_TRUE(this->api().UpdateUserAuth("nosuchuserid0000000000000b", "saml", Unique("x")).ok());
}

}  // namespace
}  // namespace rostersync
