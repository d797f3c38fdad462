#include "channels/email/reply_message.hpp"

#include <ctime>

#include "channels/json_receipt.hpp"

namespace intake::channels::email {

namespace {

constexpr std::string_view base64_chars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const auto n = (static_cast<unsigned char>(in[i]) << 16) |
                   (static_cast<unsigned char>(in[i + 1]) << 8) |
                   static_cast<unsigned char>(in[i + 2]);
    out += base64_chars[(n >> 18) & 63];
    out += base64_chars[(n >> 12) & 63];
    out += base64_chars[(n >> 6) & 63];
    out += base64_chars[n & 63];
  }
  if (i + 1 == in.size()) {
    const auto n = static_cast<unsigned char>(in[i]) << 16;
    out += base64_chars[(n >> 18) & 63];
    out += base64_chars[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    const auto n =
        (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += base64_chars[(n >> 18) & 63];
    out += base64_chars[(n >> 12) & 63];
    out += base64_chars[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string replace_all(std::string text, std::string_view key, std::string_view value) {
  for (auto pos = text.find(key); pos != std::string::npos;
       pos = text.find(key, pos + value.size()))
    text.replace(pos, key.size(), value);
  return text;
}

bool is_ascii(std::string_view s) {
  for (const char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80 || c == '\r' || c == '\n') return false;
  }
  return true;
}

std::string crlf_lines(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\r') continue;
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

}  // namespace

std::string default_reply_body() {
  return "您好！\n\n"
         "您的来信已收到，受理编号：{tracking_number}。请保存此编号，以便查询办理进度。\n"
         "{advice}\n"
         "本邮件由系统自动发送。如需补充情况，请重新来信并注明受理编号。\n\n"
         "12345政务服务便民热线\n\n"
         "Your message has been received. Tracking number: {tracking_number}.\n"
         "This is an automatic reply.\n";
}

std::string encode_header_words(std::string_view utf8) {
  if (is_ascii(utf8)) return std::string(utf8);
  // "=?UTF-8?B?" + 60 base64 characters + "?=" = 72 ≤ 75: 45 bytes per word, cut only
  // between characters so that each word decodes on its own.
  constexpr std::size_t bytes_per_word = 45;
  std::string out;
  std::size_t i = 0;
  while (i < utf8.size()) {
    std::size_t end = std::min(utf8.size(), i + bytes_per_word);
    while (end < utf8.size() && end > i && (static_cast<unsigned char>(utf8[end]) & 0xC0) == 0x80)
      --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(utf8.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string rfc5322_date(core::sys_time t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  ::gmtime_r(&secs, &tm);
  static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday],
                tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buffer;
}

composed_reply compose_reply(const reply_template& t, const reply_to_message& original,
                             const model::receipt& receipt, core::sys_time now,
                             std::string_view unique_token) {
  composed_reply out;
  out.message_id = "intake-reply." + std::string(unique_token) + "@" + t.message_id_host;
  const std::string advice = emergency_advice(receipt);
  auto fill = [&](std::string text) {
    text = replace_all(std::move(text), "{tracking_number}", receipt.tracking_number);
    return replace_all(std::move(text), "{advice}", advice);
  };
  const std::string subject = fill(t.subject);
  const std::string body = fill(t.body.empty() ? default_reply_body() : t.body);

  std::string h;
  h += "From: " + encode_header_words(t.from_name) + " <" + t.from_address + ">\r\n";
  h += "To: <" + original.to_address + ">\r\n";
  h += "Subject: " + encode_header_words(subject) + "\r\n";
  h += "Date: " + rfc5322_date(now) + "\r\n";
  h += "Message-ID: <" + out.message_id + ">\r\n";
  if (!original.message_id.empty()) {
    h += "In-Reply-To: <" + original.message_id + ">\r\n";
    std::string refs;
    // Keep the thread's last few references only: long threads make long headers.
    const std::size_t keep = 8;
    const std::size_t from =
        original.references.size() > keep ? original.references.size() - keep : 0;
    for (std::size_t i = from; i < original.references.size(); ++i)
      refs += "<" + original.references[i] + ">\r\n ";
    h += "References: " + refs + "<" + original.message_id + ">\r\n";
  }
  // RFC 3834 and the headers other robots look for before answering.
  h += "Auto-Submitted: auto-replied\r\n";
  h += "X-Auto-Response-Suppress: All\r\n";
  h += "X-Loop: " + t.from_address + "\r\n";
  h += "MIME-Version: 1.0\r\n";
  h += "Content-Type: text/plain; charset=UTF-8\r\n";
  h += "Content-Transfer-Encoding: base64\r\n";
  h += "\r\n";
  const std::string encoded = base64(crlf_lines(body));
  for (std::size_t i = 0; i < encoded.size(); i += 76) h += encoded.substr(i, 76) + "\r\n";
  out.text = std::move(h);
  return out;
}

}  // namespace intake::channels::email
