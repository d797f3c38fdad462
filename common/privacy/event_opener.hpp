#pragma once
// The centre's side of sealing: turns a feed event whose submitter is sealed back into one with
// the clear fields, in the place `sealed` held. Used by `intakectl open` and by tests.
#include <string>
#include <string_view>

#include "common/core/result.hpp"
#include "common/privacy/box_keys.hpp"

namespace intake::privacy {

/// The event with `data.submitter.sealed` replaced by the fields it holds (name, phone, email,
/// openid). An event without `sealed` is returned unchanged, byte for byte. Errors
/// (errc::malformed_json for text that is not an event object, errc::invalid_field for a box
/// that does not open) never include personal data.
core::result<std::string> open_event(std::string_view event_json, const key_pair& keys);

}  // namespace intake::privacy
