#include "common/privacy/box_keys.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace intake::privacy {

namespace {

constexpr std::size_t key_bytes = 32;
static_assert(crypto_box_PUBLICKEYBYTES == key_bytes && crypto_box_SECRETKEYBYTES == key_bytes);

std::string_view trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Fills exactly key_bytes from base64 or hex; the two are told apart by length alone (base64 of
// 32 bytes is 43 or 44 characters, hex is 64).
bool decode_key(std::string_view text, unsigned char* out) {
  text = trim(text);
  std::size_t len = 0;
  if (text.size() == 2 * key_bytes) {
    return sodium_hex2bin(out, key_bytes, text.data(), text.size(), nullptr, &len, nullptr) == 0 &&
           len == key_bytes;
  }
  const int variant = text.size() == 44 ? sodium_base64_VARIANT_ORIGINAL
                                        : sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
  const char* end = nullptr;
  return sodium_base642bin(out, key_bytes, text.data(), text.size(), nullptr, &len, &end,
                           variant) == 0 &&
         len == key_bytes && end == text.data() + text.size();
}

core::result<std::string> read_small_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::fail(core::errc::not_found, "cannot read key file " + path);
  // A key file is one short line; refuse to slurp something else by mistake.
  std::string text(1024, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() == 1024)
    return core::fail(core::errc::invalid_field, path + " is not a key file");
  return text;
}

core::result<void> io_error(std::string_view what, const std::string& path) {
  return core::fail(core::errc::storage_unavailable,
                    std::string(what) + " " + path + ": " + std::strerror(errno));
}

// O_EXCL so that an existing key is never silently replaced; the mode is set with fchmod as well
// because the umask may have narrowed it (fine) or a caller may expect it exact.
core::result<void> write_new_file(const std::string& path, std::string_view contents, int mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return io_error("cannot create", path);
  struct closer {
    int fd;
    ~closer() { ::close(fd); }
  } owner{fd};
  if (::fchmod(fd, static_cast<mode_t>(mode)) != 0) return io_error("cannot chmod", path);
  std::size_t written = 0;
  while (written < contents.size()) {
    const auto n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("cannot write", path);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) return io_error("cannot fsync", path);
  return {};
}

}  // namespace

bool sodium_ready() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

core::result<key_pair> generate_key_pair() {
  if (!sodium_ready()) return core::fail(core::errc::internal, "libsodium failed to initialise");
  key_pair keys;
  if (crypto_box_keypair(keys.pub.bytes.data(), keys.sec.data()) != 0) {
    return core::fail(core::errc::internal, "crypto_box_keypair failed");
  }
  return keys;
}

public_key public_key_of(const secret_key& sec) {
  public_key pub;
  crypto_scalarmult_base(pub.bytes.data(), sec.data());
  return pub;
}

std::string to_base64(const unsigned char* data, std::size_t size) {
  std::string out(sodium_base64_encoded_len(size, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the encoded length counts the terminating NUL
  return out;
}

std::string format_key(const public_key& key) {
  return to_base64(key.bytes.data(), key.bytes.size()) + "\n";
}

std::string format_key(const secret_key& key) {
  return to_base64(key.data(), key.size()) + "\n";
}

core::result<public_key> parse_public_key(std::string_view text) {
  if (!sodium_ready()) return core::fail(core::errc::internal, "libsodium failed to initialise");
  public_key key;
  if (!decode_key(text, key.bytes.data())) {
    return core::fail(core::errc::invalid_field,
                      "not an X25519 public key (base64 of 32 bytes, or 64 hex digits)");
  }
  return key;
}

core::result<secret_key> parse_secret_key(std::string_view text) {
  if (!sodium_ready()) return core::fail(core::errc::internal, "libsodium failed to initialise");
  secret_key key;
  if (!decode_key(text, key.data())) {
    return core::fail(core::errc::invalid_field,
                      "not an X25519 secret key (base64 of 32 bytes, or 64 hex digits)");
  }
  return key;
}

core::result<public_key> read_public_key_file(const std::string& path) {
  auto text = read_small_file(path);
  if (!text) return tl::unexpected(text.error());
  auto key = parse_public_key(*text);
  if (!key) return core::fail(key.error().code, path + ": " + key.error().message);
  return key;
}

core::result<secret_key> read_secret_key_file(const std::string& path) {
  auto text = read_small_file(path);
  if (!text) return tl::unexpected(text.error());
  auto key = parse_secret_key(*text);
  sodium_memzero(text->data(), text->size());
  if (!key) return core::fail(key.error().code, path + ": " + key.error().message);
  return key;
}

core::result<void> write_key_pair(const std::string& prefix, const key_pair& keys, bool overwrite) {
  const std::string key_path = prefix + ".key";
  const std::string pub_path = prefix + ".pub";
  if (!overwrite) {
    for (const auto& path : {key_path, pub_path}) {
      if (std::filesystem::exists(path)) {
        return core::fail(core::errc::invalid_field, path + " exists; not replacing a key");
      }
    }
  } else {
    ::unlink(key_path.c_str());
    ::unlink(pub_path.c_str());
  }
  std::string secret_text = format_key(keys.sec);
  auto written = write_new_file(key_path, secret_text, 0600);
  sodium_memzero(secret_text.data(), secret_text.size());
  if (!written) return written;
  if (auto r = write_new_file(pub_path, format_key(keys.pub), 0644); !r) return r;
  const auto dir = std::filesystem::path(key_path).parent_path();
  const int dir_fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return {};
}

}  // namespace intake::privacy
