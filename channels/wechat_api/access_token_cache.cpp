#include "channels/wechat_api/access_token_cache.hpp"

namespace intake::channels::wechat_api {

access_token_cache::access_token_cache(fetch_fn fetch, std::function<core::sys_time()> now,
                                       std::chrono::seconds refresh_margin)
    : fetch_(std::move(fetch)), now_(std::move(now)), refresh_margin_(refresh_margin) {}

core::result<std::string> access_token_cache::get() {
  std::lock_guard lock(mutex_);
  const auto now = now_();
  if (token_ && now < refresh_at_) return *token_;
  const bool force = force_next_ && (!last_forced_ || now - *last_forced_ >= min_force_interval);
  if (force) last_forced_ = now;  // WeChat counts the attempt, whatever its answer
  auto fetched = fetch_(force);
  if (!fetched) return tl::unexpected(fetched.error());
  if (fetched->value.empty()) {
    return core::fail(core::errc::upstream_unavailable, "WeChat returned an empty access token");
  }
  force_next_ = false;
  token_ = std::move(fetched->value);
  // A token shorter-lived than the margin is still used once rather than fetched in a loop.
  const auto life = fetched->expires_in > refresh_margin_ ? fetched->expires_in - refresh_margin_
                                                          : std::chrono::seconds(0);
  refresh_at_ = now_() + life;
  return *token_;
}

void access_token_cache::invalidate(std::string_view token) {
  std::lock_guard lock(mutex_);
  if (token_ && *token_ == token) {
    token_.reset();
    force_next_ = true;
  }
}

}  // namespace intake::channels::wechat_api
