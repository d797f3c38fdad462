#include "channels/sms/sms_channel.hpp"

#include "channels/sms/reply_text.hpp"
#include "channels/sms/webhook_decode.hpp"
#include "common/config/core_keys.hpp"

namespace intake::channels::sms {

namespace {

config::validator json_pointer() {
  return [](const config::value& v) -> std::optional<std::string> {
    const auto* text = std::get_if<std::string>(&v);
    if (text && !valid_pointer(*text)) return "must be a JSON Pointer such as /data/from";
    return std::nullopt;
  };
}

}  // namespace

std::vector<config::key_spec> config_keys() {
  using config::key_type;
  using s = std::string;
  using list = std::vector<std::string>;
  const reply_templates defaults;
  return {
      {"secret_file",
       key_type::secret_file,
       {},
       "File holding the secret Kannel passes as ?secret= in its get-url/post-url (or as the "
       "X-Intake-Secret header).",
       nullptr,
       true},
      {"allow_from", key_type::string_list, list{"127.0.0.1", "::1"},
       "Addresses or networks (10.0.0.0/8) the gateway may call from; empty allows any."},
      {"body_limit", key_type::size, std::int64_t{64 * 1024},
       "Largest request body at /sms/kannel and /sms/webhook."},
      {"max_text_chars", key_type::integer, std::int64_t{1600},
       "Longest text of one SMS (longer is refused 422 field_too_long).",
       config::in_range(1, 100000)},
      {"quiet_period", key_type::duration, std::int64_t{60000},
       "Texts from one sender are joined into one submission until the sender has been quiet "
       "this long."},
      {"max_parts", key_type::integer, std::int64_t{20},
       "Most texts joined into one submission; the next one starts another.",
       config::in_range(1, 1000)},
      {"own_numbers", key_type::string_list, list{},
       "The gateway's own numbers (and short codes): never sent a reply, so gateways cannot "
       "loop."},
      {"sendsms_url", key_type::string, s{""},
       "Kannel's sendsms URL, e.g. http://127.0.0.1:13013/cgi-bin/sendsms; empty: no replies."},
      {"sendsms_user", key_type::string, s{""}, "sendsms-user username."},
      {"sendsms_password_file",
       key_type::secret_file,
       {},
       "File holding the sendsms password.",
       nullptr,
       true},
      {"sendsms_from", key_type::string, s{""},
       "The number replies are sent from (empty: Kannel's default); never replied to."},
      {"sendsms_timeout", key_type::duration, std::int64_t{10000},
       "Deadline of one sendsms request."},
      {"reply_template", key_type::string, defaults.accepted,
       "Reply with the tracking number; {tracking} is replaced."},
      {"emergency_template", key_type::string, defaults.emergency,
       "Reply when the text is an emergency; {referral} (110/119/120/122) and {tracking} are "
       "replaced."},
      {"reply_max_attempts", key_type::integer, std::int64_t{6},
       "Attempts per reply before giving up.", config::in_range(1, 100)},
      {"reply_backoff_min", key_type::duration, std::int64_t{2000},
       "Delay before retrying a failed reply; doubled each time."},
      {"reply_backoff_max", key_type::duration, std::int64_t{300000},
       "Longest delay between reply attempts."},
      {"reply_per_number_burst", key_type::integer, std::int64_t{3},
       "Replies one number may get at once.", config::in_range(1, 1000)},
      {"reply_per_number_interval", key_type::duration, std::int64_t{300000},
       "Beyond the burst, one more reply per number per this interval."},
      {"webhook_enabled", key_type::boolean, false,
       "Serve POST /sms/webhook for cloud SMS platforms that push signed JSON."},
      {"webhook_secret_file",
       key_type::secret_file,
       {},
       "File holding the webhook's HMAC-SHA256 key.",
       nullptr,
       true},
      {"webhook_signature_header", key_type::string, s{"X-Signature"},
       "Header carrying the HMAC-SHA256 of the raw body (hex, sha256=hex, or base64)."},
      {"webhook_sender_field", key_type::string, s{"/from"},
       "JSON Pointer of the sender's number in the webhook body.", json_pointer()},
      {"webhook_receiver_field", key_type::string, s{"/to"},
       "JSON Pointer of the number the citizen texted.", json_pointer()},
      {"webhook_text_field", key_type::string, s{"/text"}, "JSON Pointer of the text.",
       json_pointer()},
      {"webhook_id_field", key_type::string, s{"/id"},
       "JSON Pointer of the platform's message id (retries with the same id are recognised).",
       json_pointer()},
  };
}

}  // namespace intake::channels::sms
