#include "channels/sms/reply_text.hpp"

#include <vector>

#include "common/normalize/phone.hpp"

namespace intake::channels::sms {

std::string render_template(std::string_view text, std::string_view tracking,
                            std::string_view referral) {
  std::string out;
  out.reserve(text.size() + 32);
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 10, "{tracking}") == 0) {
      out += tracking;
      i += 10;
    } else if (text.compare(i, 10, "{referral}") == 0) {
      out += referral;
      i += 10;
    } else {
      out += text[i++];
    }
  }
  return out;
}

std::string reply_for(const reply_templates& t, std::string_view tracking,
                      const std::optional<std::string>& referral) {
  if (referral) return render_template(t.emergency, tracking, *referral);
  return render_template(t.accepted, tracking, "");
}

bool may_reply_to(std::string_view normalized_phone, const std::vector<std::string>& own_numbers) {
  if (normalized_phone.rfind("+861", 0) != 0 || normalized_phone.size() != 14) return false;
  for (const auto& own : own_numbers) {
    auto mine = normalize::normalize_phone(own);
    if (mine ? *mine == normalized_phone : own == normalized_phone) return false;
  }
  return true;
}

}  // namespace intake::channels::sms
