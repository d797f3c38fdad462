// Text, phone and e-mail normalization, and the script folding used for matching, on any bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/normalize/email.hpp"
#include "common/normalize/phone.hpp"
#include "common/normalize/text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto text = intake::normalize::normalize_text(in)) {
    // Normalizing twice changes nothing: the stored form is a fixed point.
    auto again = intake::normalize::normalize_text(*text);
    if (!again || *again != *text) __builtin_trap();
    (void)intake::normalize::fold_for_matching(*text);
    (void)intake::normalize::find_phone_in_text(*text);
  }
  if (auto phone = intake::normalize::normalize_phone(in)) {
    (void)intake::normalize::mask_phone(*phone);
  }
  if (auto email = intake::normalize::normalize_email(in)) {
    (void)intake::normalize::mask_email(*email);
  }
  return 0;
}
