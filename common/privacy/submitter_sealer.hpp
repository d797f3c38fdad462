#pragma once
// Seals a submitter's personal data (name, phone, e-mail address, openid) into
// `submitter.sealed` so that it leaves the collector, and rests in its outbox, only encrypted to
// the centre's key. What stays in clear is what the centre needs without the key: the ref that
// links repeat submitters and the masked forms an operator may read out.
#include <optional>
#include <string>
#include <string_view>

#include "common/core/result.hpp"
#include "common/model/submission.hpp"
#include "common/privacy/box_keys.hpp"

namespace intake::privacy {

/// The sealed fields, exactly the normalized values the clear fields would have carried.
struct personal_data {
  std::optional<std::string> name;
  std::optional<std::string> phone;  // E.164
  std::optional<std::string> email;  // lower-cased
  std::optional<std::string> openid;

  bool operator==(const personal_data&) const = default;
};

class submitter_sealer {
 public:
  /// Checks with a trial seal that `recipient` can be sealed to (rejects low-order points).
  /// Startup only; the error names no key material.
  static core::result<submitter_sealer> create(const public_key& recipient);

  /// Moves the clear fields of `person` into `person.sealed`; leaves ref and masked forms.
  /// A submitter without personal data is left as it is. On error nothing is changed, and the
  /// caller must refuse the submission rather than send it in clear.
  core::result<void> seal(model::submitter& person) const;

 private:
  explicit submitter_sealer(const public_key& recipient) : recipient_(recipient) {}
  public_key recipient_;
};

/// The plaintext of a seal: a JSON object of the fields present, e.g. {"name":"…","phone":"…"}.
std::string personal_data_json(const personal_data& data);

/// Opens `submitter.sealed`. Errors (errc::invalid_field) never include the plaintext.
core::result<personal_data> open_personal_data(std::string_view sealed, const key_pair& keys);

}  // namespace intake::privacy
