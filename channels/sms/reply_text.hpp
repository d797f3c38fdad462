#pragma once
// The texts sent back to a citizen, from templates in the configuration. Pure.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace intake::channels::sms {

struct reply_templates {
  /// {tracking} is replaced by the tracking number.
  std::string accepted =
      "【12345】您的诉求已受理，受理编号：{tracking}。请保存此编号以便查询办理进度。";
  /// {referral} by 110/119/120/122, {tracking} by the tracking number.
  std::string emergency =
      "【12345】情况紧急，请立即拨打{referral}！您的信息已记录，受理编号：{tracking}。";
};

/// `text` with every {name} replaced; unknown names are left as they are.
std::string render_template(std::string_view text, std::string_view tracking,
                            std::string_view referral);

/// The reply for a tracking number: the emergency one when `referral` is set.
std::string reply_for(const reply_templates& t, std::string_view tracking,
                      const std::optional<std::string>& referral);

/// Whether a number may get a reply: a mainland mobile (normalized "+861..."), never a short
/// code, a landline, or one of the gateway's own numbers (a reply loop).
bool may_reply_to(std::string_view normalized_phone, const std::vector<std::string>& own_numbers);

}  // namespace intake::channels::sms
