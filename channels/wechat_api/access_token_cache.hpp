#pragma once
// The access token of server-side calls. WeChat allows few token fetches a day and a fetch
// invalidates nothing with stable_token, so one token is shared by every call and fetched again
// only shortly before it expires or when WeChat says it has (42001).
//
// stable_token's force_refresh is rationed by WeChat (20 a day, 30 s apart). While WeChat
// rejects every token (40001 during an incident on its side), each call would otherwise spend
// one: a forced fetch is made at most once per `min_force_interval`, and in between a plain
// fetch takes the token WeChat currently holds.
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/core/clock.hpp"
#include "common/core/result.hpp"

namespace intake::channels::wechat_api {

struct access_token {
  std::string value;
  std::chrono::seconds expires_in{0};
};

class access_token_cache {
 public:
  /// WeChat's documented minimum spacing of two force_refresh fetches.
  static constexpr std::chrono::seconds min_force_interval{30};

  /// `fetch(force_refresh)` asks WeChat for a token; force_refresh after WeChat refused ours.
  using fetch_fn = std::function<core::result<access_token>(bool force_refresh)>;

  /// A token is fetched again once less than `refresh_margin` of its life is left.
  access_token_cache(fetch_fn fetch, std::function<core::sys_time()> now,
                     std::chrono::seconds refresh_margin);

  /// The cached token, or a new one. Callers wait for one fetch at a time rather than each
  /// spending one of the day's fetches.
  core::result<std::string> get();

  /// WeChat refused `token` as expired or invalid: the next get() fetches with force_refresh,
  /// unless another caller already replaced it.
  void invalidate(std::string_view token);

 private:
  fetch_fn fetch_;
  std::function<core::sys_time()> now_;
  std::chrono::seconds refresh_margin_;
  std::mutex mutex_;
  std::optional<std::string> token_;
  core::sys_time refresh_at_{};
  bool force_next_ = false;
  std::optional<core::sys_time> last_forced_;
};

}  // namespace intake::channels::wechat_api
