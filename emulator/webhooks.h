// Incoming webhooks and interactive message buttons, as the Mattermost server does them:
// POST /hooks/{id} records a post (text and message attachments with their actions), and the
// admin route POST /__emu/click "clicks" a button: it sends the integration request to the
// action's URL (user_id, user_name, channel_id, team_id, post_id, trigger_id, type, context),
// records the answer and applies its `update` to the post. GET /__emu/posts lists the posts
// (?format=text renders them as a person would see them). Thread-safe (one mutex).
#ifndef ROSTERSYNC_TESTS_EMULATOR_WEBHOOKS_H_
#define ROSTERSYNC_TESTS_EMULATOR_WEBHOOKS_H_

#include <Poco/JSON/Object.h>

#include <mutex>
#include <string>
#include <vector>

#include "emulator/api_types.h"
#include "emulator/user_store.h"

namespace mmemu {

class Webhooks {
 public:
  explicit Webhooks(UserStore* store) : store_(store) {}
  void HandleHook(const ApiRequest& req, ApiResponse* resp);   // POST /hooks/{id}
  // POST /__emu/click {"post": N (default: the newest), "action": "approve", "user_id": ID}
  void HandleClick(const ApiRequest& req, ApiResponse* resp);
  void HandlePosts(const ApiRequest& req, ApiResponse* resp);  // GET /__emu/posts
  // "\"posts\":[...]" for the state dump.
  std::string StateMember() const;

 private:
  struct Click {
    std::string user_id, action;
    int status = 0;
    std::string answer;
  };
  struct Post {
    std::string id, hook;
    std::string message;
    Poco::JSON::Array::Ptr attachments;  // may be null
    std::vector<Click> clicks;
  };
  std::string PostJson(const Post& post) const;
  static std::string RenderText(const Post& post);

  UserStore* store_;
  mutable std::mutex mu_;
  std::vector<Post> posts_;
};

}  // namespace mmemu

#endif  // ROSTERSYNC_TESTS_EMULATOR_WEBHOOKS_H_
