#include "channels/wechat/message_assembler.hpp"

namespace intake::channels::wechat {

model::raw_submission submission_of(const std::vector<citizen_message>& parts) {
  model::raw_submission raw;
  raw.channel = "wechat";
  std::string text;
  bool photo_noted = false;
  for (const auto& p : parts) {
    if (!p.text.empty()) {
      if (!text.empty()) text += "\n";
      text += p.text;
    }
    if (p.photo) raw.media.push_back(*p.photo);
    photo_noted = photo_noted || p.photo_missing;
    if (p.lat && p.lon) {
      raw.location.lat = p.lat;
      raw.location.lon = p.lon;
    }
    if (p.label) raw.location.address_string = p.label;
  }
  // The pipeline needs words; a report that is only a photo or a place still gets a line that
  // says what it is, and the place's name when WeChat gave one.
  if (text.empty()) {
    if (!raw.media.empty() || photo_noted) text = "[图片]";
    if (raw.location.address_string) {
      text += (text.empty() ? "" : " ") + *raw.location.address_string;
    } else if (raw.location.lat) {
      text += text.empty() ? "[位置]" : " [位置]";
    }
  }
  if (photo_noted) text += "\n（照片未能从微信取回）";
  raw.description = std::move(text);
  if (!parts.empty()) {
    raw.submitter.openid = parts.front().openid;
    raw.received_at = parts.front().received_at;
    raw.source_ref = parts.front().replay_key;
  }
  return raw;
}

namespace {

class single_assembler final : public message_assembler {
 public:
  explicit single_assembler(pipeline::pipeline& p) : pipeline_(p) {}
  void add(citizen_message message, assembled_fn done) override {
    const std::string key = message.replay_key;
    auto raw = submission_of({message});
    raw.idempotency_key = key;
    pipeline_.submit(std::move(raw), std::move(done));
  }

 private:
  pipeline::pipeline& pipeline_;
};

}  // namespace

std::unique_ptr<message_assembler> make_single_assembler(pipeline::pipeline& pipeline) {
  return std::make_unique<single_assembler>(pipeline);
}

}  // namespace intake::channels::wechat
