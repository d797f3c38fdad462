#pragma once
// Kannel's sms-service callbacks → sms_message. Pure.
//   get-url:  GET /sms/kannel?from=%p&to=%P&text=%b&coding=%c&charset=%C&id=%I&smsc=%i&time=%t
//   post-url: POST /sms/kannel?id=%I&... with the raw text as the body, its charset in the
//             Content-Type, and X-Kannel-From/To/SMSC/Coding headers.
// Query parameters win over the X-Kannel headers; a form-encoded POST body is read like a query.
#include <cstddef>

#include "channels/sms/form_params.hpp"
#include "channels/sms/sms_message.hpp"
#include "common/core/result.hpp"
#include "common/http/types.hpp"

namespace intake::channels::sms {

/// Decodes a callback whose query is already parsed into `params`. Errors: missing_field (no
/// sender, no text, or a text that is empty once white space is folded), field_too_long (over
/// `max_text_chars`), bad_request (a malformed id or form body).
core::result<sms_message> decode_kannel(const http::request& req, const form_params& params,
                                        std::size_t max_text_chars);

/// Checks a gateway's message id: 1-128 visible ASCII characters.
core::result<void> check_gateway_id(std::string_view id);

/// Whether decoded text has anything in it, and whether it fits: shared by every decoder.
core::result<void> check_text(std::string_view text, std::size_t max_text_chars);

}  // namespace intake::channels::sms
