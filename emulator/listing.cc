// Two ways the real server's listing is not a snapshot: the listing-skew fault (a rename
// between page reads of GET /users moves a user across a page boundary, so one listing
// misses an unrelated user) and replica lag (reads soon after a write see the state before
// it). See docs/emulator.md.
#include <mutex>
#include <shared_mutex>

#include "emulator/users_routes.h"

namespace mmemu {

namespace {

// The bot the skew fault renames. Its early name sorts before every generated user, the
// late one after them.
constexpr char kSkewEarly[] = "0-listing-skew";
constexpr char kSkewLate[] = "zzzz-listing-skew";

}  // namespace

void UsersRoutes::SkewBeforePage(long long page) {
  if (!modes_->ListingSkew()) return;
  std::unique_lock lock(store_->mu());
  EmuUser* bot = skew_user_id_.empty() ? nullptr : store_->FindById(skew_user_id_);
  if (!bot) {
    if (store_->FindByUsername(kSkewEarly) || store_->FindByUsername(kSkewLate)) return;
    auto u = std::make_unique<EmuUser>();
    u->id = store_->NewId();
    u->create_at = u->update_at = NowMs();
    u->username = kSkewEarly;
    u->email = std::string(kSkewEarly) + "@localhost";
    u->first_name = "Listing skew";
    u->is_bot = true;
    u->timezone = DefaultTimezone();
    bot = store_->Insert(std::move(u));
    skew_user_id_ = bot->id;
  }
  // Page 0 sees the bot under its early name; the next page read of the listing finds it
  // renamed to the late name, so every user after it moved up one place and the first
  // user of page 1 (as it was when page 0 was read) is in neither page.
  const char* want = page == 0 ? kSkewEarly : kSkewLate;
  if (bot->username == want || store_->FindByUsername(want)) return;
  EmuUser before = *bot;
  bot->username = want;
  bot->update_at = std::max(NowMs(), bot->update_at + 1);
  store_->Updated(bot, before, /*record_lag=*/false);
}

const EmuUser* UsersRoutes::ReplicaView(const EmuUser* user) const {
  if (!user || !store_->AnyLag()) return user;
  const UserStore::Lagged* lag = store_->LaggedView(user->id);
  if (!lag) return user;
  return lag->before.get();  // nullptr: the replica does not have the user yet
}

}  // namespace mmemu
