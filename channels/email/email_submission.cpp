#include "channels/email/email_submission.hpp"

#include "channels/email/quote_trim.hpp"
#include "common/core/hmac.hpp"
#include "common/normalize/email.hpp"
#include "common/normalize/phone.hpp"
#include "common/normalize/text.hpp"

namespace intake::channels::email {

namespace {

// Leaves headroom: NFKC may widen a few characters (㎡ → m2) after this cut.
constexpr std::size_t nfkc_headroom = 16;

std::string fit(std::string_view text, std::size_t max_chars) {
  if (normalize::count_chars(text) <= max_chars) return std::string(text);
  return truncate_chars(text, max_chars > nfkc_headroom ? max_chars - nfkc_headroom : max_chars);
}

bool blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

std::string truncate_chars(std::string_view text, std::size_t max_chars) {
  std::size_t chars = 0;
  std::size_t i = 0;
  while (i < text.size() && chars < max_chars) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
    i += len;
    ++chars;
  }
  return std::string(text.substr(0, std::min(i, text.size())));
}

email_intake to_submission(const parsed_email& message, std::string_view raw_digest,
                           const pipeline::field_limits& limits, core::sys_time received_at) {
  email_intake out;
  auto& raw = out.raw;
  raw.channel = "email";
  raw.received_at = received_at;

  const auto body = trim_quoted(message.body_text);
  std::string description = body.text;
  if (blank(description)) description = message.subject;
  if (blank(description) && !message.attachments.empty())
    description = "（邮件无正文，内容见附件）(no text; see the attachments)";
  raw.description = fit(description, limits.description_max_chars);
  if (!blank(message.subject)) raw.title = fit(message.subject, limits.title_max_chars);

  if (message.from_address) {
    if (auto email = normalize::normalize_email(*message.from_address))
      raw.submitter.email = *email;
  }
  if (message.from_name && !blank(*message.from_name))
    raw.submitter.name = fit(*message.from_name, limits.name_max_chars);
  // A phone number written in the text is how most citizens ask to be called back.
  if (auto phone = normalize::find_phone_in_text(body.text)) raw.submitter.phone = *phone;
  if (message.reply_to_address) {
    if (auto a = normalize::normalize_email(*message.reply_to_address)) out.reply_address = *a;
  }
  if (!out.reply_address) out.reply_address = raw.submitter.email;

  // The key is a hash: Message-IDs sometimes carry the sender's address.
  if (!message.message_id.empty()) {
    raw.idempotency_key = "mid:" + core::to_hex(core::sha256(message.message_id));
    raw.source_ref = message.message_id;
  } else {
    raw.idempotency_key = "raw:" + std::string(raw_digest);
  }
  return out;
}

}  // namespace intake::channels::email
