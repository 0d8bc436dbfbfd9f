#include "notify/http_poster.h"

#include "http_client/http_post.h"

namespace chiso::notify {

Status BeastHttpPoster::Post(const std::string& url, const std::string& json_body,
                             std::chrono::milliseconds timeout) {
  auto answer =
      http_client::HttpPost(url, json_body, {{"Content-Type", "application/json"}}, timeout);
  if (!answer.ok()) return answer.status();
  if (answer->status < 200 || answer->status >= 300) {
    return Status::Unavailable("POST " + url + ": HTTP " + std::to_string(answer->status) + " " +
                               answer->body.substr(0, 200));
  }
  return Status::Ok();
}

}  // namespace chiso::notify
