#include "channels/wechat/message_crypto.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sodium.h>

#include <memory>
#include <optional>

namespace intake::channels::wechat {

namespace {

constexpr std::size_t block = 32;  // WeChat pads to 32 bytes, not AES's 16

struct ctx_deleter {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

// One AES-256-CBC pass without OpenSSL's padding (WeChat's PKCS#7 is to 32 bytes).
std::optional<std::string> aes_cbc(const std::string& key, std::string_view in, bool encrypt) {
  std::unique_ptr<EVP_CIPHER_CTX, ctx_deleter> ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return std::nullopt;
  const auto* k = reinterpret_cast<const unsigned char*>(key.data());
  if (EVP_CipherInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, k, k, encrypt ? 1 : 0) != 1)
    return std::nullopt;
  EVP_CIPHER_CTX_set_padding(ctx.get(), 0);
  std::string out(in.size() + 32, '\0');
  int n1 = 0;
  int n2 = 0;
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  if (EVP_CipherUpdate(ctx.get(), o, &n1, reinterpret_cast<const unsigned char*>(in.data()),
                       static_cast<int>(in.size())) != 1 ||
      EVP_CipherFinal_ex(ctx.get(), o + n1, &n2) != 1)
    return std::nullopt;
  out.resize(static_cast<std::size_t>(n1 + n2));
  return out;
}

tl::unexpected<core::error> refused(std::string why) {
  return core::fail(core::errc::forbidden, "safe-mode message refused: " + std::move(why));
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  // OpenSSL's decoder, not libsodium's strict one: an EncodingAESKey + "=" leaves two spare bits
  // that WeChat's own sample code ignores and that are often non-zero ("...ABCDEFG=").
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  std::size_t padding = 0;
  if (text.back() == '=') ++padding;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++padding;
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

core::result<message_crypto> message_crypto::create(std::string_view encoding_aes_key,
                                                    std::string appid) {
  if (encoding_aes_key.size() != 43) {
    return core::fail(core::errc::invalid_field, "EncodingAESKey must be 43 characters");
  }
  auto key = base64_decode(std::string(encoding_aes_key) + "=");
  if (!key || key->size() != 32) {
    return core::fail(core::errc::invalid_field, "EncodingAESKey is not valid base64");
  }
  return message_crypto(std::move(*key), std::move(appid));
}

std::string message_crypto::encrypt(std::string_view message, std::string_view random16) const {
  std::string plain;
  if (random16.size() == 16) {
    plain.assign(random16);
  } else {
    plain.assign(16, '\0');
    RAND_bytes(reinterpret_cast<unsigned char*>(plain.data()), 16);
  }
  const auto len = static_cast<std::uint32_t>(message.size());
  plain += static_cast<char>((len >> 24) & 0xff);
  plain += static_cast<char>((len >> 16) & 0xff);
  plain += static_cast<char>((len >> 8) & 0xff);
  plain += static_cast<char>(len & 0xff);
  plain += message;
  plain += appid_;
  const std::size_t pad = block - plain.size() % block;
  plain.append(pad, static_cast<char>(pad));
  auto cipher = aes_cbc(key_, plain, true);
  return cipher ? base64_encode(*cipher) : std::string();
}

core::result<std::string> message_crypto::decrypt(std::string_view encrypt_base64) const {
  auto cipher = base64_decode(encrypt_base64);
  if (!cipher) return refused("Encrypt is not base64");
  if (cipher->empty() || cipher->size() % block != 0) return refused("not whole blocks");
  auto plain = aes_cbc(key_, *cipher, false);
  if (!plain) return refused("AES failed");
  const auto pad = static_cast<unsigned char>(plain->back());
  if (pad < 1 || pad > block || pad > plain->size()) return refused("bad padding");
  for (std::size_t i = plain->size() - pad; i < plain->size(); ++i) {
    if (static_cast<unsigned char>((*plain)[i]) != pad) return refused("bad padding");
  }
  plain->resize(plain->size() - pad);
  if (plain->size() < 20) return refused("too short");
  const auto* p = reinterpret_cast<const unsigned char*>(plain->data()) + 16;
  const std::size_t len = (std::size_t{p[0]} << 24) | (std::size_t{p[1]} << 16) |
                          (std::size_t{p[2]} << 8) | std::size_t{p[3]};
  if (len > plain->size() - 20) return refused("bad length");
  std::string message = plain->substr(20, len);
  const std::string_view appid = std::string_view(*plain).substr(20 + len);
  if (appid != appid_) return refused("wrong appid");
  return message;
}

}  // namespace intake::channels::wechat
