#pragma once

#include <memory>
#include <string>

#include "common/privacy/box_keys.hpp"
#include "tests/integration/support/integration_fixture.hpp"
#include "tests/integration/support/wechat_standin.hpp"

namespace intake::testing {

/// The WeChat channels against the local stand-in of WeChat's API, with personal data sealed
/// to a centre key the test holds.
class wechat_fixture : public integration_fixture {
 protected:
  static constexpr const char* mp_appid = "wxminiprogram0001";
  static constexpr const char* oa_appid = "wxb11529c136998cb6";
  static constexpr const char* oa_token = "AAAAA";
  static constexpr const char* aes_key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

  struct options {
    bool safe_mode = false;
    std::string quiet_period = "0s";
    bool content_check = false;
  };

  /// Stand-in, broker, feed and a collector with both WeChat channels on (and whatever else
  /// `config` turns on).
  void start_wechat(const options& o, collector_config config = {});
  /// GET /metrics.
  std::string metrics_text();

  std::unique_ptr<wechat_standin> standin_;
  privacy::key_pair centre_keys_;
};

}  // namespace intake::testing
