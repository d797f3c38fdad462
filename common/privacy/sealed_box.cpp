#include "common/privacy/sealed_box.hpp"

#include <vector>

namespace intake::privacy {

core::result<std::string> seal_bytes(std::string_view plaintext, const public_key& recipient) {
  if (!sodium_ready()) return core::fail(core::errc::internal, "libsodium failed to initialise");
  std::string box(plaintext.size() + crypto_box_SEALBYTES, '\0');
  if (crypto_box_seal(reinterpret_cast<unsigned char*>(box.data()),
                      reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                      recipient.bytes.data()) != 0) {
    return core::fail(core::errc::internal, "the data could not be sealed");
  }
  return box;
}

core::result<std::string> open_bytes(std::string_view box, const key_pair& keys) {
  if (!sodium_ready()) return core::fail(core::errc::internal, "libsodium failed to initialise");
  if (box.size() < crypto_box_SEALBYTES) {
    return core::fail(core::errc::invalid_field, "sealed is too short to be a sealed box");
  }
  std::string plaintext(box.size() - crypto_box_SEALBYTES, '\0');
  if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(plaintext.data()),
                           reinterpret_cast<const unsigned char*>(box.data()), box.size(),
                           keys.pub.bytes.data(), keys.sec.data()) != 0) {
    return core::fail(core::errc::invalid_field,
                      "sealed does not open with this key (another recipient, or altered)");
  }
  return plaintext;
}

core::result<std::string> seal_to_base64(std::string_view plaintext, const public_key& recipient) {
  auto box = seal_bytes(plaintext, recipient);
  if (!box) {
    return core::fail(box.error().code, "personal data could not be sealed");
  }
  return to_base64(reinterpret_cast<const unsigned char*>(box->data()), box->size());
}

core::result<std::string> open_from_base64(std::string_view sealed, const key_pair& keys) {
  if (!sodium_ready()) return core::fail(core::errc::internal, "libsodium failed to initialise");
  std::vector<unsigned char> box(sealed.size() / 4 * 3 + 3);
  std::size_t box_len = 0;
  if (sodium_base642bin(box.data(), box.size(), sealed.data(), sealed.size(), nullptr, &box_len,
                        nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return core::fail(core::errc::invalid_field, "sealed is not base64");
  }
  return open_bytes(std::string_view(reinterpret_cast<const char*>(box.data()), box_len), keys);
}

}  // namespace intake::privacy
