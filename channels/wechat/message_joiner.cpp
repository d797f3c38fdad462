#include "channels/wechat/message_joiner.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <future>

#include "common/core/hmac.hpp"
#include "common/core/log.hpp"
#include "common/joiner/joiner.hpp"
#include "common/pipeline/normalize_submission.hpp"
#include "common/triage/triage.hpp"

namespace intake::channels::wechat {

namespace {

using writer = rapidjson::Writer<rapidjson::StringBuffer>;

void put(writer& w, const char* key, std::string_view v) {
  w.Key(key);
  w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
}

std::optional<std::string> get_string(const rapidjson::Value& v, const char* key) {
  auto it = v.FindMember(key);
  if (it == v.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::optional<double> get_number(const rapidjson::Value& v, const char* key) {
  auto it = v.FindMember(key);
  if (it == v.MemberEnd() || !it->value.IsNumber()) return std::nullopt;
  return it->value.GetDouble();
}

// Whether a message alone already calls for 110/119/120/122: such a window is handed on at
// once instead of after the quiet period.
model::triage triage_of(const citizen_message& m) {
  model::raw_submission raw;
  raw.channel = "wechat";
  raw.description = m.text.empty() ? std::string("-") : m.text;
  auto normalized = pipeline::normalize_submission(std::move(raw), {});
  if (!normalized) return {};
  return triage::assess(normalized->match_text);
}

class joining_assembler final : public message_assembler {
 public:
  joining_assembler(pipeline::pipeline& pipeline, joining_options options) : pipeline_(pipeline) {
    joiner::joiner_options o;
    o.path = options.path;
    o.quiet_period = options.quiet_period;
    o.now = options.now;
    joiner_ = std::make_unique<joiner::joiner>(
        std::move(o), [this](const joiner::part&) { return reserve(); },
        [this](const joiner::window& w, joiner::flush_done done) { flush(w, std::move(done)); });
    joiner_->start();
  }

  ~joining_assembler() override { stop(); }

  void add(citizen_message message, assembled_fn done) override {
    const auto triage = triage_of(message);
    joiner::part p;
    // The key only groups a citizen's parts; a hash keeps the openid out of the joiner's index.
    p.key = core::to_hex(core::sha256("wechat|" + message.openid));
    p.part_id = message.replay_key;
    p.body = encode_part(message);
    p.received_at = message.received_at;
    const bool urgent = triage.urgency == model::urgency::emergency;
    joiner_->add(std::move(p), urgent,
                 [done = std::move(done), triage](core::result<joiner::add_outcome> added) {
                   if (!added) return done(tl::unexpected(added.error()));
                   model::receipt r;
                   r.tracking_number = added->token;
                   r.replayed = added->status == joiner::add_status::repeated;
                   r.urgency = triage.urgency;
                   r.referral = triage.referral;
                   done(std::move(r));
                 });
  }

  void stop() override {
    if (joiner_) joiner_->stop();
  }

 private:
  // Runs on the joiner's thread, which may wait for the commit of the reservation.
  core::result<std::string> reserve() {
    auto promise = std::make_shared<std::promise<core::result<std::string>>>();
    auto future = promise->get_future();
    pipeline_.reserve_tracking_number(
        [promise](core::result<std::string> number) { promise->set_value(std::move(number)); });
    return future.get();
  }

  void flush(const joiner::window& w, joiner::flush_done done) {
    std::vector<citizen_message> parts;
    for (const auto& p : w.parts) {
      auto m = decode_part(p.body);
      if (!m) {
        core::log::error("wechat_part_unreadable", {{"tracking", w.token}, {"channel", "wechat"}});
        continue;
      }
      parts.push_back(std::move(*m));
    }
    if (parts.empty()) {
      return done(core::fail(core::errc::internal, "no readable part in the window"));
    }
    auto raw = submission_of(parts);
    raw.reserved_tracking_number = w.token;
    // A window handed on again after a crash must not make a second event.
    raw.idempotency_key = "window:" + w.token;
    pipeline_.submit(std::move(raw), [done = std::move(done),
                                      token = w.token](core::result<model::receipt> r) {
      if (!r) {
        core::log::warn("wechat_window_not_stored", {{"tracking", token},
                                                     {"channel", "wechat"},
                                                     {"code", core::code_name(r.error().code)}});
        return done(tl::unexpected(r.error()));
      }
      done({});
    });
  }

  pipeline::pipeline& pipeline_;
  std::unique_ptr<joiner::joiner> joiner_;
};

}  // namespace

std::string encode_part(const citizen_message& m) {
  rapidjson::StringBuffer buffer;
  writer w(buffer);
  w.StartObject();
  put(w, "openid", m.openid);
  put(w, "key", m.replay_key);
  put(w, "text", m.text);
  if (m.photo) {
    w.Key("photo");
    w.StartObject();
    put(w, "sha256", m.photo->sha256);
    put(w, "media_type", m.photo->media_type);
    w.Key("size");
    w.Uint64(m.photo->size);
    if (m.photo->url) put(w, "url", *m.photo->url);
    w.EndObject();
  }
  if (m.photo_missing) {
    w.Key("photo_missing");
    w.Bool(true);
  }
  if (m.lat && m.lon) {
    w.Key("lat");
    w.Double(*m.lat);
    w.Key("lon");
    w.Double(*m.lon);
  }
  if (m.label) put(w, "label", *m.label);
  w.Key("received_ms");
  w.Int64(core::to_unix_ms(m.received_at));
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

core::result<citizen_message> decode_part(std::string_view body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return core::fail(core::errc::internal, "a stored part is not JSON");
  }
  citizen_message m;
  m.openid = get_string(doc, "openid").value_or("");
  m.replay_key = get_string(doc, "key").value_or("");
  m.text = get_string(doc, "text").value_or("");
  if (auto it = doc.FindMember("photo"); it != doc.MemberEnd() && it->value.IsObject()) {
    model::attachment a;
    a.sha256 = get_string(it->value, "sha256").value_or("");
    a.media_type = get_string(it->value, "media_type").value_or("");
    a.size = static_cast<std::uint64_t>(get_number(it->value, "size").value_or(0));
    a.url = get_string(it->value, "url");
    m.photo = std::move(a);
  }
  if (auto it = doc.FindMember("photo_missing"); it != doc.MemberEnd() && it->value.IsBool())
    m.photo_missing = it->value.GetBool();
  m.lat = get_number(doc, "lat");
  m.lon = get_number(doc, "lon");
  m.label = get_string(doc, "label");
  m.received_at =
      core::from_unix_ms(static_cast<std::int64_t>(get_number(doc, "received_ms").value_or(0)));
  if (m.openid.empty()) return core::fail(core::errc::internal, "a stored part has no sender");
  return m;
}

std::unique_ptr<message_assembler> make_joining_assembler(pipeline::pipeline& pipeline,
                                                          joining_options options) {
  return std::make_unique<joining_assembler>(pipeline, std::move(options));
}

}  // namespace intake::channels::wechat
