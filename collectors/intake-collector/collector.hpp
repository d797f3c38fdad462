#pragma once
// The daemon's wiring: config → outbox → pipeline → forwarder → channels → HTTP server.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "channels/channel.hpp"
#include "common/config/config.hpp"
#include "common/core/metrics.hpp"
#include "common/forward/forwarder.hpp"
#include "common/http/router.hpp"
#include "common/http/server.hpp"
#include "common/media/media_route.hpp"
#include "common/outbox/outbox.hpp"
#include "common/pipeline/pipeline.hpp"
#include "common/privacy/box_keys.hpp"

namespace intake::collector {

class collector {
 public:
  /// Builds everything from a validated configuration. Throws std::runtime_error on setup
  /// failures (data directory, outbox file, bind) — startup only.
  explicit collector(const config::config& cfg);
  ~collector();

  /// Starts the forwarder, the channels and the HTTP server.
  void start();
  /// Graceful stop: no new connections, requests in flight finish and are committed, the
  /// forwarder gets a moment for PUBACKs in flight, the outbox commits what it holds.
  void stop();
  /// Writes the state file intakectl reads (port, broker state, last publish).
  void write_state_file();
  /// Forgets records older than outbox.retention (dedup and status no longer need them) and
  /// attachments older than media.retention.
  void purge_expired_records();
  /// Replays the dead letters `intakectl outbox replay` asked for (outbox/replay_requests.hpp).
  void answer_replay_requests();
  /// Why the data disk can no longer be trusted (outbox::failure), once it failed: the daemon
  /// must then stop, and be started again once the disk is repaired.
  std::optional<std::string> storage_failure() const { return outbox_->failure(); }

 private:
  void add_builtin_routes();
  /// The attachment store every channel shares, and the signed /media route when a public base
  /// URL is configured.
  void add_media(const config::config& cfg);
  void purge_expired_media(std::int64_t cutoff_ms);

  const config::config& cfg_;
  std::string data_dir_;
  /// The centre's key that personal data and attachments are sealed to, when configured.
  std::optional<privacy::public_key> recipient_key_;
  core::metrics metrics_;
  std::unique_ptr<outbox::outbox> outbox_;
  std::unique_ptr<pipeline::pipeline> pipeline_;
  std::unique_ptr<forward::forwarder> forwarder_;
  http::router router_;
  std::unique_ptr<http::rate_limiter> limiter_;
  std::unique_ptr<media::media_store> media_;
  std::unique_ptr<media::media_url_signer> media_urls_;
  std::unique_ptr<http::server> server_;
  std::vector<std::unique_ptr<channels::channel>> channels_;
  std::unique_ptr<channels::channel_context> channel_context_;
  bool stopped_ = false;
};

/// Builds the pipeline's, forwarder's and server's options from the configuration.
pipeline::pipeline_options pipeline_options_from(const config::config& cfg);
forward::forwarder_options forwarder_options_from(const config::config& cfg);
http::server_options server_options_from(const config::config& cfg);

}  // namespace intake::collector
