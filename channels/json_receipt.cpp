#include "channels/json_receipt.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/http/responses.hpp"

namespace intake::channels {

std::string emergency_advice(const model::receipt& r) {
  if (r.urgency != model::urgency::emergency || !r.referral) return {};
  return "情况紧急，请立即拨打" + *r.referral + "。Emergency: call " + *r.referral + " now.";
}

http::response receipt_response(const core::result<model::receipt>& outcome, unsigned http_version,
                                bool keep_alive, std::chrono::seconds retry_after) {
  if (!outcome)
    return http::make_error_response(outcome.error(), http_version, keep_alive, retry_after);
  const auto& r = *outcome;
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  const bool duplicate = r.status == model::dedup_status::duplicate;
  w.StartObject();
  w.Key("tracking_number");
  w.String(r.tracking_number.c_str());
  w.Key("status");
  w.String(duplicate ? "duplicate" : "accepted");
  if (r.urgency == model::urgency::emergency && r.referral) {
    w.Key("urgency");
    w.String("emergency");
    w.Key("referral");
    w.String(r.referral->c_str());
    w.Key("advice");
    const auto advice = emergency_advice(r);
    w.String(advice.c_str());
  }
  w.EndObject();
  auto res = http::make_json_response(
      duplicate ? boost::beast::http::status::ok : boost::beast::http::status::accepted,
      std::string(buffer.GetString(), buffer.GetSize()));
  res.version(http_version);
  res.keep_alive(keep_alive);
  return res;
}

}  // namespace intake::channels
