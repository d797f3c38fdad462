#include "channels/wechat/reply_text.hpp"

#include "channels/json_receipt.hpp"

namespace intake::channels::wechat {

std::string receipt_text(const model::receipt& r) {
  std::string text = r.status == model::dedup_status::duplicate
                         ? "您反映的问题此前已受理，受理编号：" + r.tracking_number + "。"
                         : "您的诉求已受理，受理编号：" + r.tracking_number +
                               "。可继续发送文字、图片或位置补充说明。";
  if (const auto advice = emergency_advice(r); !advice.empty()) text += "\n" + advice;
  return text;
}

std::string unsupported_text() {
  return "请以文字、图片或位置描述您的诉求。Please describe your request in text, a photo or a "
         "location.";
}

}  // namespace intake::channels::wechat
