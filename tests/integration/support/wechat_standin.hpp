#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "tests/integration/support/child_process.hpp"

namespace intake::testing {

/// WeChat's server API as a local process (wechat_standin.py): the documented endpoints and
/// errors on 127.0.0.1, which the collector reaches through its api_base_url setting.
class wechat_standin {
 public:
  /// Starts it for the apps (appid → AppSecret) and returns once it listens; throws when it
  /// does not within a few seconds.
  wechat_standin(const std::filesystem::path& work_dir,
                 const std::map<std::string, std::string>& apps);

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  /// How many calls an endpoint got ("jscode2session", "stable_token", "media_get", ...).
  std::optional<std::int64_t> calls(const std::string& endpoint) const;
  /// Every token issued so far answers 42001 from now on.
  void expire_tokens() const;
  /// WeChat misbehaving until set_fault("none"): "busy" (errcode -1 everywhere),
  /// "invalid_credential" (40001 for every call made with a token), "http_500".
  void set_fault(const std::string& mode) const;

 private:
  std::uint16_t port_ = 0;
  child_process process_;
};

}  // namespace intake::testing
