#include "common/config/core_keys.hpp"

#include <regex>

#include "common/privacy/box_keys.hpp"

namespace intake::config {

validator in_range(std::int64_t min, std::int64_t max) {
  return [min, max](const value& v) -> std::optional<std::string> {
    const auto* n = std::get_if<std::int64_t>(&v);
    if (n && (*n < min || *n > max)) {
      return "must be between " + std::to_string(min) + " and " + std::to_string(max);
    }
    return std::nullopt;
  };
}

validator one_of(std::vector<std::string> allowed) {
  return [allowed](const value& v) -> std::optional<std::string> {
    const auto* s = std::get_if<std::string>(&v);
    if (!s) return std::nullopt;
    for (const auto& a : allowed) {
      if (*s == a) return std::nullopt;
    }
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    return "must be one of: " + list;
  };
}

validator matches_pattern(std::string pattern, std::string reason) {
  auto re = std::make_shared<std::regex>(pattern);
  return [re, reason](const value& v) -> std::optional<std::string> {
    if (const auto* s = std::get_if<std::string>(&v)) {
      if (!std::regex_match(*s, *re)) return reason;
    }
    if (const auto* list = std::get_if<std::vector<std::string>>(&v)) {
      for (const auto& s : *list) {
        if (!std::regex_match(s, *re)) return reason + ": " + s;
      }
    }
    return std::nullopt;
  };
}

namespace {
constexpr std::int64_t kib = 1024;
constexpr std::int64_t mib = 1024 * 1024;
constexpr std::int64_t second = 1000;
constexpr std::int64_t hour = 3600 * second;
constexpr std::int64_t day = 24 * hour;
using s = std::string;
}  // namespace

std::vector<key_spec> core_keys() {
  return {
      // [collector]
      {"collector.id",
       key_type::string,
       {},
       "Unique id of this collector.",
       matches_pattern("[A-Za-z0-9_-]{1,32}", "must be 1-32 characters of A-Z a-z 0-9 _ -")},
      {"collector.region",
       key_type::string,
       {},
       "GB/T 2260 six-digit administrative division code.",
       matches_pattern("[1-9][0-9]{5}", "must be a six-digit GB/T 2260 code")},
      {"collector.node", key_type::integer, std::int64_t{0},
       "Number of this collector among those of the same region (0-255); part of every tracking "
       "number, so two collectors of one region must differ.",
       in_range(0, 255)},
      {"collector.data_dir", key_type::string, s{"/var/lib/intake-edge"},
       "Directory for the outbox and collector state."},

      // [http]
      {"http.listen", key_type::string, s{"127.0.0.1:8080"},
       "host:port to listen on; port 0 picks a free port and logs it.",
       matches_pattern(R"((\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):[0-9]{1,5})", "must be host:port")},
      {"http.threads", key_type::integer, std::int64_t{2}, "Threads serving HTTP.",
       in_range(1, 64)},
      {"http.header_limit", key_type::size, 16 * kib, "Largest request header block accepted."},
      {"http.body_limit", key_type::size, 1 * mib,
       "Largest request body for routes without a limit of their own."},
      {"http.read_timeout", key_type::duration, 15 * second,
       "Deadline to read one whole request (headers and body); slow clients are cut."},
      {"http.write_timeout", key_type::duration, 15 * second, "Deadline to write one response."},
      {"http.idle_timeout", key_type::duration, 60 * second,
       "How long a keep-alive connection may wait for its next request."},
      {"http.max_connections", key_type::integer, std::int64_t{4096},
       "Connections open at once. At the limit the longest-idle keep-alive connection is closed "
       "to make room; a new one is refused only while all are busy with a request. Keep it "
       "below the process's open-file limit (LimitNOFILE).",
       in_range(1, 1000000)},
      {"http.shutdown_grace", key_type::duration, 10 * second,
       "On SIGTERM, how long requests in flight may take to finish."},
      {"http.rate_limit_per_ip", key_type::integer, std::int64_t{0},
       "Submissions per second allowed from one client address (0 = no limit); excess gets 429.",
       in_range(0, 1000000)},
      {"http.rate_limit_burst", key_type::integer, std::int64_t{20},
       "Burst allowance of the per-address rate limit.", in_range(1, 1000000)},

      // [upstream]
      {"upstream.mqtt_uri", key_type::string_list, std::vector<s>{"tcp://127.0.0.1:1883"},
       "Broker URI (tcp://host:port or ssl://host:8883), or a list tried in order for failover.",
       matches_pattern(R"((tcp|ssl|mqtt|mqtts)://[^\s]+:[0-9]{1,5})",
                       "must be tcp://host:port or ssl://host:port")},
      {"upstream.topic_prefix", key_type::string, s{"intake/v1"},
       "Topics are {topic_prefix}/{region}/request|urgent|duplicate.",
       matches_pattern(R"([^#+\s]+)", "must not contain wildcards or spaces")},
      {"upstream.client_id", key_type::string, s{""},
       "MQTT client id; empty means intake-edge-{collector.id}."},
      {"upstream.username", key_type::string, s{""}, "MQTT user name (empty: none)."},
      {"upstream.password_file",
       key_type::secret_file,
       {},
       "File holding the MQTT password.",
       nullptr,
       true},
      {"upstream.ca_file", key_type::string, s{""},
       "CA bundle for ssl:// brokers (empty: system CAs)."},
      {"upstream.cert_file", key_type::string, s{""}, "Client certificate (PEM) for mutual TLS."},
      {"upstream.key_file", key_type::string, s{""}, "Client private key (PEM) for mutual TLS."},
      {"upstream.mqtt_version", key_type::string, s{"auto"},
       "\"5\", \"3.1.1\", or \"auto\" (MQTT 5, falling back to 3.1.1 when the broker refuses).",
       one_of({"auto", "5", "3.1.1"})},
      {"upstream.max_inflight", key_type::integer, std::int64_t{64},
       "Publishes awaiting PUBACK at once (capped by the broker's Receive Maximum).",
       in_range(1, 65535)},
      {"upstream.keepalive", key_type::duration, 30 * second, "MQTT keep-alive interval."},
      {"upstream.connect_timeout", key_type::duration, 10 * second,
       "Deadline of one connect attempt."},
      {"upstream.publish_timeout", key_type::duration, 30 * second,
       "A publish with no PUBACK by then is sent again on a new connection."},
      {"upstream.reconnect_min", key_type::duration, 500, "First reconnect delay (jittered)."},
      {"upstream.reconnect_max", key_type::duration, 30 * second, "Largest reconnect delay."},

      // [outbox]
      {"outbox.max_events", key_type::integer, std::int64_t{2'000'000},
       "Undelivered events kept at most; beyond it intake answers 503 with Retry-After.",
       in_range(1, INT64_MAX)},
      {"outbox.max_bytes", key_type::size, 2048 * mib,
       "Bytes of undelivered events kept at most; beyond it intake answers 503 with Retry-After."},
      {"outbox.commit_batch", key_type::integer, std::int64_t{1024},
       "Most submissions made durable by one commit (group commit).", in_range(1, 100000)},
      {"outbox.retry_after", key_type::duration, 5 * second,
       "Retry-After sent with 503 when the outbox cannot take a submission."},
      {"outbox.retention", key_type::duration, 30 * day,
       "How long records of delivered submissions are kept for dedup and status."},

      // [dedup]
      {"dedup.window", key_type::duration, 72 * hour,
       "A near-identical text from the same submitter within this window is a duplicate."},
      {"dedup.similarity", key_type::floating, 0.8,
       "Similarity (0-1) at or above which two texts are near-duplicates.",
       [](const value& v) -> std::optional<std::string> {
         const double d = std::get<double>(v);
         if (d <= 0.0 || d > 1.0) return "must be above 0 and at most 1";
         return std::nullopt;
       }},
      {"dedup.idempotency_window", key_type::duration, 7 * day,
       "How long an Idempotency-Key or channel message id is remembered."},
      {"dedup.place_window", key_type::duration, 72 * hour,
       "Reports from different people about the same asset_id, address_id or address within "
       "this window, with similar text, are linked to the first one (docs/DEDUP.md)."},
      {"dedup.place_similarity", key_type::floating, 0.6,
       "Similarity (0-1) at or above which different people's reports of one place are linked "
       "as one problem; lower than dedup.similarity because strangers word things differently.",
       [](const value& v) -> std::optional<std::string> {
         const double d = std::get<double>(v);
         if (d <= 0.0 || d > 1.0) return "must be above 0 and at most 1";
         return std::nullopt;
       }},

      // [limits]
      {"limits.description_max_chars", key_type::integer, std::int64_t{5000},
       "Longest description, in characters after normalization.", in_range(1, 1000000)},
      {"limits.title_max_chars", key_type::integer, std::int64_t{200}, "Longest title.",
       in_range(1, 100000)},
      {"limits.name_max_chars", key_type::integer, std::int64_t{64}, "Longest submitter name.",
       in_range(1, 10000)},
      {"limits.address_max_chars", key_type::integer, std::int64_t{500}, "Longest address.",
       in_range(1, 100000)},

      // [privacy]
      {"privacy.submitter_key_file",
       key_type::secret_file,
       {},
       "Key for submitter.ref (HMAC-SHA256 of the normalized identity); share it region-wide so "
       "refs link across collectors. When absent, a key is generated in data_dir.",
       nullptr,
       true},
      {"privacy.recipient_public_key",
       key_type::string,
       {},
       "File holding the centre's X25519 public key (base64, as `intakectl keys generate` "
       "writes it, or 64 hex digits). When set, names, phones, e-mail addresses and openids "
       "leave the collector only in submitter.sealed (a libsodium sealed box to this key), and "
       "attachments are stored and served sealed to it; when absent they are sent and stored in "
       "clear.",
       [](const value& v) -> std::optional<std::string> {
         const auto* path = std::get_if<std::string>(&v);
         if (!path) return std::nullopt;
         if (auto key = privacy::read_public_key_file(*path); !key) return key.error().message;
         return std::nullopt;
       },
       true},

      // [media]
      {"media.public_base_url", key_type::string, s{""},
       "Base URL the central platform reaches this collector at (e.g. https://intake.example.cn); "
       "attachments are listed in events with a signed link under it. Empty: no links, the "
       "platform fetches nothing from the collector.",
       matches_pattern(R"((https?://[^\s]+)?)", "must be an http:// or https:// URL")},
      {"media.max_bytes", key_type::size, 10 * mib,
       "Largest attachment (photo, PDF) accepted from any channel."},
      {"media.retention", key_type::duration, 30 * day,
       "Attachments are deleted from the collector this long after they were received (never "
       "while an event that lists them still waits for the broker)."},
      {"media.url_lifetime", key_type::duration, 7 * 24 * 3600 * second,
       "How long a signed attachment link in an event stays valid."},
      {"media.url_key_file",
       key_type::secret_file,
       {},
       "Key that signs attachment links. When absent, a key is generated in data_dir.",
       nullptr,
       true},

      // [log]
      {"log.level", key_type::string, s{"info"}, "debug, info, warn or error.",
       one_of({"debug", "info", "warn", "error"})},
      {"log.format", key_type::string, s{"logfmt"}, "logfmt (key=value) or json.",
       one_of({"logfmt", "json"})},
  };
}

}  // namespace intake::config
