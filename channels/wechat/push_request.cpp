#include "channels/wechat/push_request.hpp"

#include <charconv>
#include <cstdint>

#include "channels/wechat/signature.hpp"

namespace intake::channels::wechat {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 && hex_digit(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
      i += 2;
    } else if (s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

tl::unexpected<core::error> refused(std::string why) {
  return core::fail(core::errc::forbidden, std::move(why));
}

core::result<void> check_timestamp(std::string_view ts, const account_settings& account,
                                   core::sys_time now) {
  std::int64_t seconds = 0;
  auto [p, ec] = std::from_chars(ts.data(), ts.data() + ts.size(), seconds);
  if (ts.empty() || ec != std::errc() || p != ts.data() + ts.size()) {
    return refused("the timestamp is missing or malformed");
  }
  const auto skew = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch() -
                                                                     std::chrono::seconds(seconds))
                        .count();
  if (skew > account.timestamp_skew.count() || -skew > account.timestamp_skew.count()) {
    return refused("the timestamp is outside the accepted window");
  }
  return {};
}

core::result<void> check_signature(const push_query& q, const account_settings& account,
                                   core::sys_time now) {
  if (q.signature.empty() || q.nonce.empty()) return refused("the signature is missing");
  if (!signature_matches(q.signature, {account.token, q.timestamp, q.nonce})) {
    return refused("the signature does not match");
  }
  return check_timestamp(q.timestamp, account, now);
}

}  // namespace

push_query parse_push_query(std::string_view target) {
  push_query q;
  const auto qm = target.find('?');
  if (qm == std::string_view::npos) return q;
  std::string_view rest = target.substr(qm + 1);
  if (auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const auto pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    const auto eq = pair.find('=');
    const auto key = pair.substr(0, eq);
    const std::string value =
        eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1));
    if (key == "signature")
      q.signature = value;
    else if (key == "timestamp")
      q.timestamp = value;
    else if (key == "nonce")
      q.nonce = value;
    else if (key == "echostr")
      q.echostr = value;
    else if (key == "encrypt_type")
      q.encrypt_type = value;
    else if (key == "msg_signature")
      q.msg_signature = value;
  }
  return q;
}

core::result<std::string> verify_url_check(const push_query& q, const account_settings& account,
                                           core::sys_time) {
  // No skew check here: WeChat's platform sends this once, when an operator saves the URL.
  if (q.signature.empty() || !signature_matches(q.signature, {account.token, q.timestamp, q.nonce}))
    return refused("the signature does not match");
  if (q.echostr.empty() || q.echostr.size() > 128) return refused("echostr is missing");
  return q.echostr;
}

core::result<opened_push> open_push(const push_query& q, std::string_view body,
                                    const account_settings& account, core::sys_time now) {
  if (auto r = check_signature(q, account, now); !r) return tl::unexpected(r.error());
  auto outer = parse_message_xml(body, account.limits);
  if (!outer) return tl::unexpected(outer.error());
  opened_push out;
  const xml_fields* fields = &*outer;
  xml_fields inner;
  if (account.crypto) {
    // Safe mode: a plain push is refused even with a good signature, so switching the account
    // to safe mode cannot be undone by an attacker who learned the token.
    auto enc = outer->find("Encrypt");
    if (q.encrypt_type != "aes" || enc == outer->end()) {
      return refused("the account is in safe mode; the message is not encrypted");
    }
    if (q.msg_signature.empty() ||
        !signature_matches(q.msg_signature, {account.token, q.timestamp, q.nonce, enc->second})) {
      return refused("msg_signature does not match");
    }
    auto plain = account.crypto->decrypt(enc->second);
    if (!plain) return tl::unexpected(plain.error());
    auto parsed = parse_message_xml(*plain, account.limits);
    if (!parsed) return tl::unexpected(parsed.error());
    inner = std::move(*parsed);
    fields = &inner;
    out.encrypted = true;
  } else if (!q.encrypt_type.empty() && q.encrypt_type != "raw") {
    return core::fail(core::errc::bad_request,
                      "an encrypted push arrived but no EncodingAESKey is configured");
  }
  auto message = read_message(*fields);
  if (!message) return tl::unexpected(message.error());
  out.message = std::move(*message);
  return out;
}

std::string passive_text_reply(const inbound_message& to, std::string_view text, bool encrypted,
                               const account_settings& account, core::sys_time now,
                               std::string_view nonce, std::string_view random16) {
  const std::string created = std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
  const std::string reply = write_message_xml({
      {"ToUserName", to.from_user},
      {"FromUserName", to.to_user},
      {"CreateTime", created, true},
      {"MsgType", "text"},
      {"Content", std::string(text)},
  });
  if (!encrypted || !account.crypto) return reply;
  const std::string encrypt = account.crypto->encrypt(reply, random16);
  return write_message_xml({
      {"Encrypt", encrypt},
      {"MsgSignature", wechat_signature({account.token, created, nonce, encrypt})},
      {"TimeStamp", created, true},
      {"Nonce", std::string(nonce)},
  });
}

}  // namespace intake::channels::wechat
