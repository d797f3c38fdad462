#pragma once
// The interface every channel implements. A channel decodes and verifies its own wire format
// and hands RawSubmissions to the pipeline; it does not touch the outbox or MQTT directly.
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/config.hpp"
#include "common/config/key_spec.hpp"
#include "common/core/clock.hpp"
#include "common/core/metrics.hpp"
#include "common/http/rate_limiter.hpp"
#include "common/http/router.hpp"
#include "common/media/media_store.hpp"
#include "common/media/media_url.hpp"
#include "common/pipeline/pipeline.hpp"

namespace intake::channels {

/// What a channel may use while it runs.
struct channel_context {
  const config::config& cfg;
  pipeline::pipeline& pipeline;
  core::metrics& metrics;
  http::router& router;
  std::string data_dir;
  std::chrono::seconds retry_after{5};
  /// Per-address limit of the intake routes; null when http.rate_limit_per_ip is 0.
  http::rate_limiter* limiter = nullptr;
  /// The clock (tests set their own).
  std::function<core::sys_time()> now = core::system_now;
  /// Where attachments are kept (photos, PDFs), by content hash; never null in the collector.
  media::media_store* media = nullptr;
  /// Signs the attachment links put in events; null when media.public_base_url is empty.
  const media::media_url_signer* media_urls = nullptr;
};

class channel {
 public:
  virtual ~channel() = default;
  /// Adds the channel's routes and starts its background work, if any. Throws on bad setup
  /// (startup only).
  virtual void start(channel_context& context) = 0;
  /// Stops background work; called before the pipeline and outbox stop.
  virtual void stop() {}
};

/// One row of the registry: a channel's name, its config keys (relative to
/// [channels.<name>], `enabled` excluded) and its factory.
struct channel_entry {
  std::string_view name;
  std::vector<config::key_spec> (*keys)();
  std::unique_ptr<channel> (*make)();
};

/// Every channel the collector knows, in one explicit table (no static self-registration).
const std::vector<channel_entry>& registry();

/// Every configuration key: the core's and, for each channel, channels.<name>.enabled plus its own.
std::vector<config::key_spec> all_config_keys();

}  // namespace intake::channels
