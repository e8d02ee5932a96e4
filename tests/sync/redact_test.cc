// sync/redact.h: tokens, URL userinfo (the path kept), and connection strings in their
// PostgreSQL key=value, URI and MySQL forms. The one place these rules are tested.
#include "sync/redact.h"

#include <gtest/gtest.h>

namespace rostersync::redact {
namespace {

TEST(RedactTest, TokenReplacesEveryOccurrenceButNotShortSecrets) {
  EXPECT_EQ(Token("Bearer abcd1234 then abcd1234.", "abcd1234"),
            "Bearer [redacted] then [redacted].");
  EXPECT_EQ(Token("short ab", "ab"), "short ab");
  EXPECT_EQ(Token("nothing here", ""), "nothing here");
}

TEST(RedactTest, UrlUserinfoHidesThePasswordAndKeepsUserHostAndPath) {
  EXPECT_EQ(UrlUserinfo("https://bot:pw123@chat.example.com/mm/api?x=1"),
            "https://bot:***@chat.example.com/mm/api?x=1");
  EXPECT_EQ(UrlUserinfo("see postgres://u:p@db:5432/state and https://h/a@b"),
            "see postgres://u:***@db:5432/state and https://h/a@b");
  EXPECT_EQ(UrlUserinfo("https://chat.example.com/hooks/x"), "https://chat.example.com/hooks/x");
  EXPECT_EQ(UrlUserinfo("https://user@host/p"), "https://user@host/p") << "no password";
}

TEST(RedactTest, ConnectionStringsInEveryFormKeepTheirPath) {
  // PostgreSQL key=value (quoted values, blanks around '=', any case).
  EXPECT_EQ(ConnectionString("postgresql:host=db password=abc dbname=x"),
            "postgresql:host=db password=*** dbname=x");
  EXPECT_EQ(ConnectionString("postgresql:PASSWORD = 'a b' host=db"),
            "postgresql:PASSWORD=*** host=db");
  // PostgreSQL URI: the password goes, the database path stays.
  EXPECT_EQ(ConnectionString("postgresql://rs:s3cret@db.internal:5432/rostersync?sslmode=require"),
            "postgresql://rs:***@db.internal:5432/rostersync?sslmode=require");
  // MySQL's key=value;... form, with pwd and passwd spellings.
  EXPECT_EQ(ConnectionString("host=h;user=u;password=p4ss;db=hr"),
            "host=h;user=u;password=***;db=hr");
  EXPECT_EQ(ConnectionString("user=u;pwd=zz;passwd=\"q q\""), "user=u;pwd=***;passwd=***");
  // Not a password key, and SQLite paths are left alone.
  EXPECT_EQ(ConnectionString("nopwd=1 sqlite:/var/lib/state.db"), "nopwd=1 sqlite:/var/lib/state.db");
}

}  // namespace
}  // namespace rostersync::redact
