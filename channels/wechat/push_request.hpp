#pragma once
// Verifying and opening what WeChat pushes to the account's server URL, and the passive reply.
// Pure: no I/O; the clock and the reply's random values come from the caller.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "channels/wechat/inbound_message.hpp"
#include "channels/wechat/message_crypto.hpp"
#include "channels/wechat/message_xml.hpp"
#include "common/core/clock.hpp"
#include "common/core/result.hpp"

namespace intake::channels::wechat {

struct account_settings {
  std::string token;
  /// Present in safe mode: every POST must then be encrypted (encrypt_type=aes).
  std::optional<message_crypto> crypto;
  /// A push whose timestamp is further than this from our clock is refused (replays of old
  /// captures).
  std::chrono::seconds timestamp_skew{300};
  xml_limits limits;
};

/// The query parameters WeChat adds to the server URL, percent-decoded.
struct push_query {
  std::string signature;
  std::string timestamp;
  std::string nonce;
  std::string echostr;
  std::string encrypt_type;
  std::string msg_signature;
};

push_query parse_push_query(std::string_view target);

/// The server-URL check (GET): the echostr to answer. Errors: forbidden.
core::result<std::string> verify_url_check(const push_query& q, const account_settings& account,
                                           core::sys_time now);

struct opened_push {
  inbound_message message;
  bool encrypted = false;
};

/// Checks signature and timestamp (and in safe mode msg_signature and the appid), decrypts and
/// reads the message. Errors: forbidden (forged, stale, wrong appid, plain text in safe mode),
/// bad_request / payload_too_large (malformed XML).
core::result<opened_push> open_push(const push_query& q, std::string_view body,
                                    const account_settings& account, core::sys_time now);

/// The passive text reply to `to`; encrypted (with msg_signature) when the push was.
/// `nonce` and `random16` are fresh random values in production, fixed in tests.
std::string passive_text_reply(const inbound_message& to, std::string_view text, bool encrypted,
                               const account_settings& account, core::sys_time now,
                               std::string_view nonce, std::string_view random16 = {});

}  // namespace intake::channels::wechat
