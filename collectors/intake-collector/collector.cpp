#include "collectors/intake-collector/collector.hpp"

#include <unistd.h>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <stdexcept>

#include "collectors/intake-collector/open_files.hpp"
#include "common/core/clock.hpp"
#include "common/core/durable_file.hpp"
#include "common/core/log.hpp"
#include "common/http/responses.hpp"
#include "common/outbox/replay_requests.hpp"
#include "common/outbox/sqlite_db.hpp"

namespace intake::collector {

namespace bhttp = boost::beast::http;

pipeline::pipeline_options pipeline_options_from(const config::config& cfg) {
  pipeline::pipeline_options o;
  o.collector_id = cfg.get_string("collector.id");
  o.region = cfg.get_string("collector.region");
  o.node = static_cast<std::uint8_t>(cfg.get_int("collector.node"));
  o.topic_prefix = cfg.get_string("upstream.topic_prefix");
  o.dedup_window = cfg.get_duration("dedup.window");
  o.similarity_threshold = cfg.get_double("dedup.similarity");
  o.place_window = cfg.get_duration("dedup.place_window");
  o.place_similarity = cfg.get_double("dedup.place_similarity");
  o.limits.description_max_chars =
      static_cast<std::size_t>(cfg.get_int("limits.description_max_chars"));
  o.limits.title_max_chars = static_cast<std::size_t>(cfg.get_int("limits.title_max_chars"));
  o.limits.name_max_chars = static_cast<std::size_t>(cfg.get_int("limits.name_max_chars"));
  o.limits.address_max_chars = static_cast<std::size_t>(cfg.get_int("limits.address_max_chars"));
  return o;
}

forward::forwarder_options forwarder_options_from(const config::config& cfg) {
  forward::forwarder_options o;
  o.uris = cfg.get_list("upstream.mqtt_uri");
  o.client_id = cfg.get_string("upstream.client_id");
  if (o.client_id.empty()) o.client_id = "intake-edge-" + cfg.get_string("collector.id");
  o.username = cfg.get_string("upstream.username");
  if (cfg.has("upstream.password_file")) o.password = cfg.read_secret("upstream.password_file");
  o.ca_file = cfg.get_string("upstream.ca_file");
  o.cert_file = cfg.get_string("upstream.cert_file");
  o.key_file = cfg.get_string("upstream.key_file");
  o.mqtt_version = cfg.get_string("upstream.mqtt_version");
  o.max_inflight = static_cast<int>(cfg.get_int("upstream.max_inflight"));
  o.keepalive = cfg.get_duration("upstream.keepalive");
  o.connect_timeout = cfg.get_duration("upstream.connect_timeout");
  o.publish_timeout = cfg.get_duration("upstream.publish_timeout");
  o.reconnect_min = cfg.get_duration("upstream.reconnect_min");
  o.reconnect_max = cfg.get_duration("upstream.reconnect_max");
  return o;
}

http::server_options server_options_from(const config::config& cfg) {
  http::server_options o;
  o.listen = cfg.get_string("http.listen");
  o.threads = static_cast<int>(cfg.get_int("http.threads"));
  o.header_limit = cfg.get_size("http.header_limit");
  o.body_limit = cfg.get_size("http.body_limit");
  o.read_timeout = cfg.get_duration("http.read_timeout");
  o.write_timeout = cfg.get_duration("http.write_timeout");
  o.idle_timeout = cfg.get_duration("http.idle_timeout");
  o.shutdown_grace = cfg.get_duration("http.shutdown_grace");
  o.max_connections = static_cast<std::size_t>(cfg.get_int("http.max_connections"));
  o.retry_after =
      std::chrono::duration_cast<std::chrono::seconds>(cfg.get_duration("outbox.retry_after"));
  return o;
}

namespace {
// Seconds since 2025-01-01T00:00Z: the first serial of a new outbox, so a wiped data directory
// does not hand out the same tracking numbers again (unless the collector averaged more than one
// submission a second since then).
std::int64_t clock_seeded_serial() {
  constexpr std::int64_t epoch_2025 = 1735689600;
  const auto now = core::to_unix_ms(core::system_now()) / 1000;
  return std::max<std::int64_t>(1, now - epoch_2025);
}
}  // namespace

collector::collector(const config::config& cfg) : cfg_(cfg) {
  data_dir_ = cfg.get_string("collector.data_dir");
  if (auto r = core::make_directories(data_dir_); !r) throw std::runtime_error(r.error().message);

  outbox::outbox_options oo;
  oo.path = data_dir_ + "/outbox.db";
  oo.max_events = cfg.get_int("outbox.max_events");
  oo.max_bytes = cfg.get_size("outbox.max_bytes");
  oo.commit_batch = static_cast<int>(cfg.get_int("outbox.commit_batch"));
  oo.initial_serial = clock_seeded_serial();
  outbox_ = std::make_unique<outbox::outbox>(oo);

  const std::string key = cfg.has("privacy.submitter_key_file")
                              ? cfg.read_secret("privacy.submitter_key_file")
                              : pipeline::load_or_create_key(data_dir_ + "/submitter.key");
  std::optional<privacy::submitter_sealer> sealer;
  if (cfg.has("privacy.recipient_public_key")) {
    const std::string& key_file = cfg.get_string("privacy.recipient_public_key");
    auto recipient = privacy::read_public_key_file(key_file);
    if (!recipient) throw std::runtime_error(recipient.error().message);
    auto made = privacy::submitter_sealer::create(*recipient);
    if (!made) throw std::runtime_error(key_file + ": " + made.error().message);
    sealer = std::move(*made);
    recipient_key_ = *recipient;
    core::log::info("personal_data_sealed", {{"recipient_key_file", key_file}});
  } else {
    // Not an error (a test bench, or a centre without a key yet), but the operator must know.
    core::log::warn("personal_data_in_clear",
                    {{"reason",
                      "privacy.recipient_public_key is not set: names, phones, e-mail "
                      "addresses and openids are stored and forwarded in clear"}});
  }
  pipeline_ = std::make_unique<pipeline::pipeline>(pipeline_options_from(cfg), *outbox_,
                                                   pipeline::submitter_ref(key), metrics_,
                                                   std::move(sealer));
  forwarder_ =
      std::make_unique<forward::forwarder>(forwarder_options_from(cfg), *outbox_, metrics_);

  metrics_.describe("intake_outbox_depth", "gauge", "Events not yet acknowledged by the broker.");
  metrics_.describe("intake_outbox_bytes", "gauge", "Bytes of events not yet acknowledged.");
  metrics_.describe("intake_outbox_oldest_age_seconds", "gauge",
                    "Age of the oldest undelivered event (0 when none).");
  metrics_.describe("intake_outbox_dead_letters", "gauge", "Events the broker refused for good.");
  metrics_.describe("intake_outbox_commits_total", "counter",
                    "Group commits (fsyncs) of the outbox.");
  auto* store = outbox_.get();
  metrics_.gauge_fn("intake_outbox_depth",
                    [store] { return static_cast<double>(store->stats().depth); });
  metrics_.gauge_fn("intake_outbox_bytes",
                    [store] { return static_cast<double>(store->stats().bytes); });
  metrics_.gauge_fn("intake_outbox_oldest_age_seconds", [store] {
    auto s = store->stats();
    if (!s.oldest_ms) return 0.0;
    return static_cast<double>(core::to_unix_ms(core::system_now()) - *s.oldest_ms) / 1000.0;
  });
  metrics_.gauge_fn("intake_outbox_dead_letters",
                    [store] { return static_cast<double>(store->stats().dead_letters); });
  metrics_.gauge_fn("intake_outbox_commits_total",
                    [store] { return static_cast<double>(store->stats().commits); });
  metrics_.describe("intake_outbox_committed_total", "counter",
                    "Submissions and other writes made durable by the group commits.");
  metrics_.gauge_fn("intake_outbox_committed_total",
                    [store] { return static_cast<double>(store->stats().committed_jobs); });
  metrics_.describe("intake_outbox_apply_seconds_total", "counter",
                    "Writer time spent deciding and writing batches, before the commit.");
  metrics_.gauge_fn("intake_outbox_apply_seconds_total",
                    [store] { return store->stats().apply_seconds; });
  metrics_.describe("intake_outbox_writer_cpu_seconds_total", "counter",
                    "CPU time used by the outbox writer thread.");
  metrics_.gauge_fn("intake_outbox_writer_cpu_seconds_total",
                    [store] { return store->stats().writer_cpu_seconds; });
  metrics_.describe("intake_outbox_commit_seconds_total", "counter",
                    "Writer time spent committing (fsync) batches.");
  metrics_.gauge_fn("intake_outbox_commit_seconds_total",
                    [store] { return store->stats().commit_seconds; });

  add_builtin_routes();
  if (const auto per_second = cfg.get_int("http.rate_limit_per_ip"); per_second > 0) {
    limiter_ = std::make_unique<http::rate_limiter>(
        static_cast<double>(per_second), static_cast<double>(cfg.get_int("http.rate_limit_burst")));
  }
  channel_context_ = std::unique_ptr<channels::channel_context>(new channels::channel_context{
      cfg_, *pipeline_, metrics_, router_, data_dir_,
      std::chrono::duration_cast<std::chrono::seconds>(cfg.get_duration("outbox.retry_after")),
      limiter_.get()});
  add_media(cfg);
  for (const auto& entry : channels::registry()) {
    if (!cfg.get_bool("channels." + std::string(entry.name) + ".enabled")) continue;
    channels_.push_back(entry.make());
  }
  server_ = std::make_unique<http::server>(server_options_from(cfg), router_, metrics_);
}

collector::~collector() {
  stop();
}

void collector::add_media(const config::config& cfg) {
  media::store_limits limits;
  limits.max_bytes = cfg.get_size("media.max_bytes");
  // Photos can show faces, number plates and documents: sealed like the submitter's data.
  media_ = std::make_unique<media::media_store>(data_dir_ + "/media", limits, recipient_key_);
  channel_context_->media = media_.get();
  const std::string base_url = cfg.get_string("media.public_base_url");
  if (base_url.empty()) return;
  const std::string key = cfg.has("media.url_key_file")
                              ? cfg.read_secret("media.url_key_file")
                              : pipeline::load_or_create_key(data_dir_ + "/media.key");
  media_urls_ = std::make_unique<media::media_url_signer>(
      key, base_url,
      std::chrono::duration_cast<std::chrono::seconds>(cfg.get_duration("media.url_lifetime")));
  channel_context_->media_urls = media_urls_.get();
  router_.add(media::make_media_route(*media_, *media_urls_, core::system_now));
}

void collector::add_builtin_routes() {
  router_.add(
      http::route{{bhttp::verb::get, bhttp::verb::head},
                  "/healthz",
                  "healthz",
                  0,
                  [](http::request&& req, http::request_context&&, http::respond_fn respond) {
                    auto res = http::make_json_response(bhttp::status::ok, R"({"status":"ok"})");
                    res.version(req.version());
                    res.keep_alive(req.keep_alive());
                    respond(std::move(res));
                  }});
  auto* store = outbox_.get();
  const auto max_events = cfg_.get_int("outbox.max_events");
  router_.add(http::route{
      {bhttp::verb::get, bhttp::verb::head},
      "/readyz",
      "readyz",
      0,
      [store, max_events](http::request&& req, http::request_context&&, http::respond_fn respond) {
        const auto s = store->stats();
        const bool ready = store->writable() && s.depth < max_events;
        auto res = http::make_json_response(
            ready ? bhttp::status::ok : bhttp::status::service_unavailable,
            ready
                ? R"({"status":"ready"})"
                : (store->writable() ? R"({"status":"not_ready","reason":"outbox_full"})"
                                     : R"({"status":"not_ready","reason":"storage_unavailable"})"));
        res.version(req.version());
        res.keep_alive(req.keep_alive());
        respond(std::move(res));
      }});
  auto* metrics = &metrics_;
  router_.add(http::route{
      {bhttp::verb::get},
      "/metrics",
      "metrics",
      0,
      [metrics](http::request&& req, http::request_context&&, http::respond_fn respond) {
        http::response res{bhttp::status::ok, req.version()};
        res.set(bhttp::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
        res.keep_alive(req.keep_alive());
        res.body() = metrics->render_prometheus();
        res.prepare_payload();
        respond(std::move(res));
      }});
}

void collector::start() {
  forwarder_->start();
  for (auto& ch : channels_) ch->start(*channel_context_);
  ensure_open_files(static_cast<std::size_t>(cfg_.get_int("http.max_connections")));
  server_->start();
  const std::string address = cfg_.get_string("http.listen");
  const std::string host = address.substr(0, address.rfind(':'));
  core::log::info("http_listening", {{"address", host + ":" + std::to_string(server_->port())},
                                     {"channels", std::to_string(channels_.size())}});
  write_state_file();
}

void collector::write_state_file() {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("pid");
  w.Int64(::getpid());
  w.Key("http_port");
  w.Uint(server_ ? server_->port() : 0);
  w.Key("broker_uri");
  w.String(forwarder_->broker_uri().c_str());
  w.Key("broker_connected");
  w.Bool(forwarder_->connected());
  w.Key("last_publish_ms");
  if (auto last = forwarder_->last_publish_ms()) {
    w.Int64(*last);
  } else {
    w.Null();
  }
  w.Key("updated_ms");
  w.Int64(core::to_unix_ms(core::system_now()));
  w.EndObject();
  if (auto r = core::replace_file(data_dir_ + "/collector.state.json",
                                  std::string(buffer.GetString(), buffer.GetSize()));
      !r) {
    core::log::warn("state_file_not_written", {{"reason", r.error().message}});
  }
}

void collector::purge_expired_records() {
  const auto now_ms = core::to_unix_ms(core::system_now());
  const auto cutoff = now_ms - cfg_.get_duration("outbox.retention").count();
  auto purged = outbox_->purge_records_before(cutoff);
  if (!purged) {
    core::log::warn("retention_purge_failed", {{"reason", purged.error().message}});
  } else if (*purged > 0) {
    core::log::info("retention_purged", {{"records", std::to_string(*purged)}});
  }
  purge_expired_media(now_ms - cfg_.get_duration("media.retention").count());
}

void collector::purge_expired_media(std::int64_t cutoff_ms) {
  // An event still waiting for the broker (or dead-lettered, to be replayed) may list an
  // attachment, stored while its request was read, before the event was committed: keep
  // everything stored since an hour before the oldest such event.
  try {
    auto db = outbox::database::open(data_dir_ + "/outbox.db", false, true);
    auto oldest = db.prepare("SELECT MIN(created_ms) FROM events");
    if (auto row = oldest.step(); row && *row && !oldest.column_is_null(0)) {
      constexpr std::int64_t upload_margin_ms = 3'600'000;
      cutoff_ms = std::min(cutoff_ms, oldest.column_int(0) - upload_margin_ms);
    }
  } catch (const std::exception& e) {
    core::log::warn("media_purge_skipped", {{"reason", e.what()}});
    return;
  }
  auto purged = media_->purge_stored_before(core::from_unix_ms(cutoff_ms));
  if (!purged) {
    core::log::warn("media_purge_failed", {{"reason", purged.error().message}});
  } else if (*purged > 0) {
    core::log::info("media_purged", {{"files", std::to_string(*purged)}});
  }
}

void collector::answer_replay_requests() {
  for (const auto& request : outbox::pending_replay_requests(data_dir_)) {
    auto replayed = outbox_->replay_dead_letters(request.event_id);
    if (replayed && *replayed > 0) forwarder_->rescan();
    core::log::info("dead_letters_replayed",
                    {{"event_id", request.event_id.empty() ? "all" : request.event_id},
                     {"events", replayed ? std::to_string(*replayed) : "0"},
                     {"result", replayed ? "ok" : replayed.error().message}});
    if (auto answered = outbox::answer_replay_request(data_dir_, request, replayed); !answered) {
      core::log::warn("replay_answer_failed", {{"reason", answered.error().message}});
    }
  }
}

void collector::stop() {
  if (stopped_) return;
  stopped_ = true;
  core::log::info("shutdown_started");
  // Requests in flight finish: their commits complete because the outbox still runs.
  if (server_) server_->shutdown();
  for (auto& ch : channels_) ch->stop();
  if (forwarder_) forwarder_->stop(std::chrono::seconds(2));
  if (outbox_) outbox_->stop();
  core::log::info("shutdown_complete");
}

}  // namespace intake::collector
