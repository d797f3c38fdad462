#include "common/forward/forwarder.hpp"

#include <mqtt/async_client.h>

#include <random>
#include <utility>

#include "common/core/clock.hpp"
#include "common/core/log.hpp"
#include "common/forward/publish_outcome.hpp"

namespace intake::forward {

namespace {
using steady = std::chrono::steady_clock;

// A publish's user context packs the connection generation with the outbox seq, so that late
// callbacks from a connection that is already gone are recognised and ignored.
constexpr int generation_shift = 48;
constexpr std::uint64_t seq_mask = (1ULL << generation_shift) - 1;

void* pack_context(std::uint16_t generation, std::int64_t seq) {
  return reinterpret_cast<void*>((static_cast<std::uintptr_t>(generation) << generation_shift) |
                                 (static_cast<std::uint64_t>(seq) & seq_mask));
}
std::uint16_t context_generation(const void* ctx) {
  return static_cast<std::uint16_t>(reinterpret_cast<std::uintptr_t>(ctx) >> generation_shift);
}
std::int64_t context_seq(const void* ctx) {
  return static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(ctx) & seq_mask);
}

struct paho_event {
  enum kind { connected, connect_failed, lost, published, publish_failed } what;
  void* context = nullptr;
  int return_code = 0;
  int reason_code = 0;
  int receive_maximum = 65535;
  std::uint16_t generation = 0;
  std::string server_uri{};  // the broker of the list that answered
};
}  // namespace

class forwarder::session {
 public:
  explicit session(forwarder& owner) : owner_(owner), rng_(std::random_device{}()) {
    use_v311_ = owner_.options_.mqtt_version == "3.1.1";
    auto& m = owner_.metrics_;
    m.describe("intake_mqtt_connected", "gauge", "1 while connected to the broker.");
    m.describe("intake_events_published_total", "counter", "Events acknowledged by the broker.");
    m.describe("intake_publish_failures_total", "counter",
               "Publishes that failed, by outcome (retry or drop).");
    m.describe("intake_mqtt_connect_attempts_total", "counter", "Connection attempts, by result.");
    m.describe("intake_publish_latency_seconds", "histogram", "From publish to PUBACK.");
    m.describe("intake_event_delivery_seconds", "histogram",
               "From receipt of the submission to PUBACK of its event.");
  }

  ~session() { destroy_client(); }

  // Runs on the forwarder thread until stop.
  void loop() {
    next_attempt_ = steady::now();
    while (true) {
      std::deque<paho_event> events;
      bool stopping = false;
      bool rescan = false;
      {
        std::unique_lock lock(owner_.mutex_);
        owner_.cv_.wait_until(lock, next_wake(), [&] { return owner_.wake_ || !events_.empty(); });
        owner_.wake_ = false;
        events.swap(events_);
        stopping = owner_.stopping_;
        rescan = std::exchange(owner_.rescan_, false);
      }
      for (auto& e : events) handle(e);
      if (rescan) cursor_[0] = cursor_[1] = 0;  // fill_window skips what is in flight
      if (stopping) {
        if (!stop_started_) {
          stop_started_ = true;
          stop_deadline_ = steady::now() + owner_.grace_;
        }
        if (inflight_.empty() || state_ != state::connected || steady::now() >= stop_deadline_)
          break;
        continue;  // let PUBACKs in flight arrive; publish nothing new
      }
      if (state_ == state::idle && steady::now() >= next_attempt_) connect();
      if (state_ == state::connecting && steady::now() >= connect_deadline_) {
        core::log::warn("mqtt_connect_timeout", {{"broker", current_uri()}});
        connect_failed(0, 0);
      }
      if (state_ == state::connected) {
        check_timeouts();
        if (state_ == state::connected) fill_window();
      }
    }
    disconnect();
  }

  void push(paho_event e) {
    {
      std::lock_guard lock(owner_.mutex_);
      events_.push_back(e);
    }
    owner_.cv_.notify_one();
  }

 private:
  enum class state { idle, connecting, connected };

  struct connect_listener final : mqtt::iaction_listener {
    session* s = nullptr;
    std::uint16_t generation = 0;
    void on_success(const mqtt::token& tok) override {
      int receive_max = 65535;
      std::string server_uri;
      try {
        auto rsp = tok.get_connect_response();
        server_uri = rsp.get_server_uri();
        const auto& props = rsp.get_properties();
        if (props.contains(mqtt::property::RECEIVE_MAXIMUM)) {
          receive_max = mqtt::get<uint16_t>(props, mqtt::property::RECEIVE_MAXIMUM);
        }
      } catch (const std::exception&) {
        // No CONNACK properties (MQTT 3.1.1): the broker states no limit.
      }
      paho_event e{paho_event::connected};
      e.receive_maximum = receive_max;
      e.server_uri = std::move(server_uri);
      e.generation = generation;
      s->push(e);
    }
    void on_failure(const mqtt::token& tok) override {
      paho_event e{paho_event::connect_failed};
      e.return_code = tok.get_return_code();
      e.reason_code = static_cast<int>(tok.get_reason_code());
      e.generation = generation;
      s->push(e);
    }
  };

  struct publish_listener final : mqtt::iaction_listener {
    session* s = nullptr;
    void on_success(const mqtt::token& tok) override {
      paho_event e{paho_event::published};
      e.context = tok.get_user_context();
      s->push(e);
    }
    void on_failure(const mqtt::token& tok) override {
      paho_event e{paho_event::publish_failed};
      e.context = tok.get_user_context();
      e.return_code = tok.get_return_code();
      e.reason_code = static_cast<int>(tok.get_reason_code());
      s->push(e);
    }
  };

  struct in_flight {
    int priority;
    std::int64_t created_ms;
    steady::time_point sent;
  };

  steady::time_point next_wake() const {
    auto wake = steady::now() + std::chrono::milliseconds(200);
    if (state_ == state::idle && next_attempt_ < wake) wake = next_attempt_;
    if (paused_until_ > steady::now() && paused_until_ < wake) wake = paused_until_;
    return wake;
  }

  // Paho names the broker that answered as "host:port" when no list was given; report it as the
  // configured URI that it came from.
  std::string configured_uri_of(const std::string& answered) const {
    for (const auto& uri : owner_.options_.uris) {
      if (uri == answered) return uri;
      const auto scheme_end = uri.find("://");
      if (scheme_end != std::string::npos &&
          uri.compare(scheme_end + 3, std::string::npos, answered) == 0) {
        return uri;
      }
    }
    return answered;
  }

  std::string current_uri() const {
    std::lock_guard lock(owner_.uri_mutex_);
    return owner_.connected_uri_.empty() ? owner_.options_.uris.front() : owner_.connected_uri_;
  }

  void create_client() {
    destroy_client();
    const int version = use_v311_ ? MQTTVERSION_3_1_1 : MQTTVERSION_5;
    // No persistence object: Paho keeps nothing on disk; the outbox is the persistence. Its
    // command buffer must hold a whole window of publishes (Paho's default is 100).
    const int buffered = std::max(1024, owner_.options_.max_inflight * 2);
    client_ = std::make_unique<mqtt::async_client>(
        current_uri(), client_id(), mqtt::create_options(version, buffered), nullptr);
    client_->set_connection_lost_handler([this](const std::string&) {
      paho_event e{paho_event::lost};
      e.generation = connect_generation_;
      push(e);
    });
    client_->set_disconnected_handler([this](const mqtt::properties&, mqtt::ReasonCode reason) {
      paho_event e{paho_event::lost};
      e.reason_code = static_cast<int>(reason);
      e.generation = connect_generation_;
      push(e);
    });
    client_version_v311_ = use_v311_;
  }

  void destroy_client() {
    if (!client_) return;
    try {
      client_->set_connection_lost_handler(nullptr);
      client_->set_disconnected_handler(nullptr);
      if (client_->is_connected()) client_->disconnect(0)->wait_for(std::chrono::seconds(1));
    } catch (const mqtt::exception&) {
      // Already gone: nothing to close.
    }
    client_.reset();
  }

  std::string client_id() const { return owner_.options_.client_id; }

  void connect() {
    const auto& o = owner_.options_;
    // A client that went through a failure is replaced: no state of the old session carries over.
    if (!client_ || client_version_v311_ != use_v311_ || fresh_client_needed_) create_client();
    fresh_client_needed_ = false;
    auto builder = mqtt::connect_options_builder();
    if (use_v311_) {
      builder.mqtt_version(MQTTVERSION_3_1_1).clean_session(true);
    } else {
      builder.mqtt_version(MQTTVERSION_5).clean_start(true);
    }
    builder.keep_alive_interval(std::chrono::duration_cast<std::chrono::seconds>(o.keepalive))
        .connect_timeout(std::chrono::duration_cast<std::chrono::seconds>(o.connect_timeout))
        .automatic_reconnect(false);
    if (o.uris.size() > 1) {
      builder.servers(std::make_shared<mqtt::string_collection>(o.uris));
    }
    if (!o.username.empty()) builder.user_name(o.username).password(o.password);
    bool tls = false;
    for (const auto& uri : o.uris)
      tls = tls || uri.rfind("ssl://", 0) == 0 || uri.rfind("mqtts://", 0) == 0;
    if (tls) {
      auto ssl = mqtt::ssl_options_builder().enable_server_cert_auth(true).verify(true);
      if (!o.ca_file.empty()) ssl.trust_store(o.ca_file);
      if (!o.cert_file.empty()) ssl.key_store(o.cert_file);
      if (!o.key_file.empty()) ssl.private_key(o.key_file);
      builder.ssl(ssl.finalize());
    }
    auto opts = builder.finalize();
    opts.set_max_inflight(o.max_inflight);
    ++connect_generation_;
    connect_listener_.s = this;
    connect_listener_.generation = connect_generation_;
    state_ = state::connecting;
    connect_deadline_ = steady::now() + o.connect_timeout + std::chrono::seconds(2);
    try {
      client_->connect(opts, nullptr, connect_listener_);
    } catch (const mqtt::exception& e) {
      core::log::warn("mqtt_connect_error", {{"broker", current_uri()}, {"reason", e.what()}});
      connect_failed(e.get_return_code(), 0);
    }
  }

  void connect_failed(int return_code, int reason_code) {
    owner_.metrics_.count("intake_mqtt_connect_attempts_total", {{"result", "failed"}});
    state_ = state::idle;
    fresh_client_needed_ = true;
    // MQTT 5 refused as an unknown protocol version: speak 3.1.1 to this broker.
    const bool version_refused = reason_code == 0x84 || return_code == 1;
    if (owner_.options_.mqtt_version == "auto" && !use_v311_ && version_refused) {
      use_v311_ = true;
      core::log::info("mqtt_fallback_3_1_1", {{"broker", current_uri()}});
      next_attempt_ = steady::now();
      return;
    }
    schedule_reconnect();
  }

  void schedule_reconnect() {
    const auto& o = owner_.options_;
    const double base = static_cast<double>(o.reconnect_min.count()) *
                        static_cast<double>(1ULL << std::min(attempts_, 16));
    const double capped = std::min(base, static_cast<double>(o.reconnect_max.count()));
    // Full jitter in [capped/2, capped]: many collectors restarting together do not stampede.
    std::uniform_real_distribution<double> jitter(0.5, 1.0);
    next_attempt_ =
        steady::now() + std::chrono::milliseconds(static_cast<std::int64_t>(capped * jitter(rng_)));
    ++attempts_;
  }

  void handle(const paho_event& e) {
    switch (e.what) {
      case paho_event::connected: {
        if (e.generation != connect_generation_ || state_ != state::connecting) return;
        state_ = state::connected;
        attempts_ = 0;
        if (!e.server_uri.empty()) {
          std::lock_guard lock(owner_.uri_mutex_);
          owner_.connected_uri_ = configured_uri_of(e.server_uri);
        }
        window_ = std::max(1, std::min(owner_.options_.max_inflight, e.receive_maximum));
        // Everything not yet acknowledged goes out again, from the start of the queue.
        inflight_.clear();
        cursor_[0] = cursor_[1] = 0;
        ++publish_generation_;
        owner_.connected_ = true;
        owner_.metrics_.count("intake_mqtt_connect_attempts_total", {{"result", "connected"}});
        core::log::info("mqtt_connected", {{"broker", current_uri()},
                                           {"protocol", use_v311_ ? "3.1.1" : "5"},
                                           {"window", std::to_string(window_)}});
        return;
      }
      case paho_event::connect_failed:
        if (e.generation != connect_generation_ || state_ != state::connecting) return;
        core::log::warn("mqtt_connect_failed", {{"broker", current_uri()},
                                                {"rc", std::to_string(e.return_code)},
                                                {"reason", std::to_string(e.reason_code)}});
        connect_failed(e.return_code, e.reason_code);
        return;
      case paho_event::lost:
        if (e.generation != connect_generation_ || state_ != state::connected) return;
        core::log::warn("mqtt_connection_lost", {{"broker", current_uri()},
                                                 {"in_flight", std::to_string(inflight_.size())}});
        lost();
        return;
      case paho_event::published:
      case paho_event::publish_failed:
        on_publish_result(e);
        return;
    }
  }

  void lost() {
    fresh_client_needed_ = true;
    state_ = state::idle;
    owner_.connected_ = false;
    inflight_.clear();
    ++publish_generation_;
    schedule_reconnect();
    // The first retry comes quickly: most losses are a broker restart.
    if (attempts_ == 1) next_attempt_ = steady::now() + owner_.options_.reconnect_min / 2;
  }

  void on_publish_result(const paho_event& e) {
    if (context_generation(e.context) != publish_generation_) return;  // an older connection's
    const auto seq = context_seq(e.context);
    auto it = inflight_.find(seq);
    if (it == inflight_.end()) return;
    const auto sent = it->second;
    inflight_.erase(it);
    publish_outcome outcome = publish_outcome::ok;
    if (e.what == paho_event::publish_failed) {
      outcome = e.reason_code >= 0x80 ? classify_puback(e.reason_code) : publish_outcome::retry;
    }
    auto& m = owner_.metrics_;
    switch (outcome) {
      case publish_outcome::ok: {
        owner_.store_.acknowledge(seq);
        const auto now_ms = core::to_unix_ms(core::system_now());
        owner_.last_publish_ms_ = now_ms;
        m.count("intake_events_published_total");
        m.observe("intake_publish_latency_seconds", {},
                  std::chrono::duration<double>(steady::now() - sent.sent).count());
        m.observe("intake_event_delivery_seconds", {},
                  static_cast<double>(now_ms - sent.created_ms) / 1000.0);
        return;
      }
      case publish_outcome::drop:
        m.count("intake_publish_failures_total", {{"outcome", "drop"}});
        core::log::error("event_dead_lettered",
                         {{"seq", std::to_string(seq)}, {"reason", std::to_string(e.reason_code)}});
        owner_.store_.dead_letter(
            seq, "broker refused with reason code " + std::to_string(e.reason_code));
        return;
      case publish_outcome::retry:
        m.count("intake_publish_failures_total", {{"outcome", "retry"}});
        // Publish it again after a pause; rows in flight are skipped when the cursor rewinds.
        cursor_[sent.priority] = std::min(cursor_[sent.priority], seq - 1);
        paused_until_ = steady::now() + std::chrono::seconds(1);
        return;
    }
  }

  void check_timeouts() {
    const auto limit = steady::now() - owner_.options_.publish_timeout;
    for (const auto& [seq, f] : inflight_) {
      if (f.sent < limit) {
        core::log::warn("mqtt_publish_timeout", {{"seq", std::to_string(seq)}});
        try {
          client_->disconnect(0);
        } catch (const mqtt::exception&) {
          // Already disconnected: the reconnect below is what matters.
        }
        lost();
        return;
      }
    }
  }

  void fill_window() {
    if (steady::now() < paused_until_) return;
    const std::size_t window = static_cast<std::size_t>(window_);
    // Refill in slices, not one query per PUBACK.
    const std::size_t slice = std::max<std::size_t>(1, window / 4);
    while (inflight_.size() + slice <= window) {
      const std::size_t room = window - inflight_.size();
      auto batch = owner_.store_.fetch(1, cursor_[1], room);  // urgent first
      int priority = 1;
      if (batch.empty()) {
        batch = owner_.store_.fetch(0, cursor_[0], room);
        priority = 0;
      }
      if (batch.empty()) return;
      for (auto& event : batch) {
        cursor_[priority] = event.seq;
        if (inflight_.count(event.seq)) continue;
        if (!publish(event)) return;
      }
    }
  }

  bool publish(const outbox::pending_event& event) {
    auto builder = mqtt::message_ptr_builder()
                       .topic(event.topic)
                       .payload(event.payload)
                       .qos(1)
                       .retained(false);
    if (!use_v311_) {
      // Built once: adding properties per message was a tenth of Paho's cost.
      static const mqtt::properties cloudevents_properties{
          {mqtt::property::CONTENT_TYPE, std::string("application/cloudevents+json")},
          {mqtt::property::PAYLOAD_FORMAT_INDICATOR, static_cast<uint8_t>(1)}};
      builder.properties(cloudevents_properties);
    }
    auto msg = builder.finalize();
    publish_listener_.s = this;
    inflight_[event.seq] = in_flight{event.priority, event.created_ms, steady::now()};
    try {
      client_->publish(msg, pack_context(publish_generation_, event.seq), publish_listener_);
    } catch (const mqtt::exception& e) {
      inflight_.erase(event.seq);
      cursor_[event.priority] = std::min(cursor_[event.priority], event.seq - 1);
      if (e.get_return_code() == MQTTASYNC_MAX_BUFFERED_MESSAGES) {
        // Paho's queue is full: the connection is fine, send the rest a moment later.
        paused_until_ = steady::now() + std::chrono::milliseconds(5);
        return false;
      }
      core::log::warn("mqtt_publish_error", {{"reason", e.what()}});
      try {
        client_->disconnect(0);
      } catch (const mqtt::exception&) {
        // Already down: the reconnect is what matters.
      }
      lost();
      return false;
    }
    return true;
  }

  void disconnect() {
    owner_.connected_ = false;
    destroy_client();
    state_ = state::idle;
  }

  forwarder& owner_;
  std::deque<paho_event> events_;  // guarded by owner_.mutex_
  std::unique_ptr<mqtt::async_client> client_;
  bool client_version_v311_ = false;
  bool fresh_client_needed_ = false;
  bool use_v311_ = false;
  connect_listener connect_listener_;
  publish_listener publish_listener_;
  state state_ = state::idle;
  std::uint16_t connect_generation_ = 0;
  std::uint16_t publish_generation_ = 0;
  int attempts_ = 0;
  int window_ = 1;
  std::int64_t cursor_[2] = {0, 0};
  std::map<std::int64_t, in_flight> inflight_;
  steady::time_point next_attempt_{};
  steady::time_point connect_deadline_{};
  steady::time_point paused_until_{};
  bool stop_started_ = false;
  steady::time_point stop_deadline_{};
  std::mt19937_64 rng_;
};

forwarder::forwarder(forwarder_options options, outbox::outbox& store, core::metrics& metrics)
    : options_(std::move(options)), store_(store), metrics_(metrics) {
  session_ = std::make_unique<session>(*this);
  metrics_.gauge_fn("intake_mqtt_connected", [this] { return connected_.load() ? 1.0 : 0.0; });
}

forwarder::~forwarder() {
  stop(std::chrono::milliseconds(0));
}

void forwarder::start() {
  store_.set_commit_listener([this] { notify(); });
  thread_ = std::thread([this] { run(); });
}

void forwarder::run() {
  session_->loop();
}

void forwarder::notify() {
  {
    std::lock_guard lock(mutex_);
    wake_ = true;
  }
  cv_.notify_one();
}

void forwarder::rescan() {
  {
    std::lock_guard lock(mutex_);
    rescan_ = true;
    wake_ = true;
  }
  cv_.notify_one();
}

void forwarder::stop(std::chrono::milliseconds grace) {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    grace_ = grace;
    wake_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
  store_.set_commit_listener(nullptr);
}

std::optional<std::int64_t> forwarder::last_publish_ms() const {
  const auto v = last_publish_ms_.load();
  if (v == 0) return std::nullopt;
  return v;
}

std::string forwarder::broker_uri() const {
  return options_.uris.front();
}

}  // namespace intake::forward
