#include "common/media/media_store.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/core/durable_file.hpp"
#include "common/core/hmac.hpp"
#include "common/media/media_type.hpp"
#include "common/media/sealed_media.hpp"

namespace intake::media {

bool is_sha256_hex(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

namespace {

// Enough for a sealed file's header line and any media type's magic bytes.
constexpr std::size_t header_bytes = 128;

core::result<std::string> read_prefix(const std::string& path, std::size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::fail(core::errc::not_found, "no such attachment");
  std::string bytes(limit, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(limit));
  if (in.bad()) return core::fail(core::errc::storage_unavailable, "a stored file is unreadable");
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

}  // namespace

media_store::media_store(std::string root, store_limits limits,
                         std::optional<privacy::public_key> seal_to)
    : root_(std::move(root)), limits_(std::move(limits)), seal_to_(seal_to) {
  if (auto made = core::make_directories(root_); !made) {
    throw std::runtime_error(made.error().message);
  }
}

std::string media_store::file_for(std::string_view sha256_hex) const {
  return root_ + "/" + std::string(sha256_hex.substr(0, 2)) + "/" + std::string(sha256_hex);
}

core::result<model::attachment> media_store::put(std::string_view bytes,
                                                 std::optional<std::string> name) {
  if (bytes.size() > limits_.max_bytes) {
    return core::fail(
        core::errc::payload_too_large,
        "an attachment is larger than " + std::to_string(limits_.max_bytes) + " bytes");
  }
  const auto type = sniff_media_type(bytes);
  if (!type || limits_.types.find(*type) == limits_.types.end()) {
    return core::fail(core::errc::unsupported_media_type,
                      "an attachment is not one of the accepted types (JPEG, PNG, HEIC, ...)");
  }
  model::attachment stored;
  stored.sha256 = core::to_hex(core::sha256(bytes));
  stored.media_type = std::string(*type);
  stored.size = bytes.size();
  stored.name = std::move(name);

  const std::string path = file_for(stored.sha256);
  // A sealed file is always longer than the clear bytes, so the size also tells a file kept
  // clear (before a key was configured) from a sealed one: the former is sealed now.
  const std::uint64_t file_size =
      seal_to_ ? sealed_media_size(stored.media_type, bytes.size()) : bytes.size();
  struct stat existing {};
  if (::stat(path.c_str(), &existing) == 0 &&
      static_cast<std::uint64_t>(existing.st_size) == file_size) {
    return stored;  // the same content is already durable
  }
  std::string sealed;
  if (seal_to_) {
    auto made = seal_media(bytes, stored.media_type, *seal_to_);
    if (!made) return tl::unexpected(made.error());
    sealed = std::move(*made);
  }
  if (auto dir = core::make_directories(root_ + "/" + stored.sha256.substr(0, 2)); !dir) {
    return core::fail(core::errc::storage_unavailable, dir.error().message);
  }
  if (auto written = core::write_file_durably(path, seal_to_ ? sealed : bytes, 0640); !written) {
    return core::fail(core::errc::storage_unavailable, written.error().message);
  }
  return stored;
}

core::result<std::size_t> media_store::purge_stored_before(core::sys_time cutoff) {
  namespace fs = std::filesystem;
  std::size_t removed = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root_, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec) || !is_sha256_hex(it->path().filename().string())) continue;
    struct stat st {};
    if (::stat(it->path().c_str(), &st) != 0) continue;
    if (core::sys_time(std::chrono::seconds(st.st_mtime)) >= cutoff) continue;
    if (fs::remove(it->path(), ec)) ++removed;
  }
  if (ec) return core::fail(core::errc::storage_unavailable, "media purge: " + ec.message());
  return removed;
}

core::result<std::string> media_store::path_of(std::string_view sha256_hex) const {
  if (!is_sha256_hex(sha256_hex)) return core::fail(core::errc::not_found, "no such attachment");
  std::string path = file_for(sha256_hex);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return core::fail(core::errc::not_found, "no such attachment");
  return path;
}

core::result<stored_file> media_store::read(std::string_view sha256_hex) const {
  auto path = path_of(sha256_hex);
  if (!path) return tl::unexpected(path.error());
  std::ifstream in(*path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  if (!in) return core::fail(core::errc::storage_unavailable, "a stored file is unreadable");
  stored_file file;
  file.bytes = bytes.str();
  if (auto header = read_sealed_media_header(file.bytes)) {
    file.media_type = std::move(header->media_type);
    file.sealed = true;
  } else {
    file.media_type =
        std::string(sniff_media_type(file.bytes).value_or("application/octet-stream"));
  }
  return file;
}

core::result<model::attachment> media_store::describe(std::string_view sha256_hex) const {
  auto path = path_of(sha256_hex);
  if (!path) return tl::unexpected(path.error());
  auto start = read_prefix(*path, header_bytes);
  if (!start) return tl::unexpected(start.error());
  struct stat st {};
  if (::stat(path->c_str(), &st) != 0)
    return core::fail(core::errc::not_found, "no such attachment");
  const auto file_size = static_cast<std::uint64_t>(st.st_size);
  model::attachment a;
  a.sha256 = std::string(sha256_hex);
  if (auto header = read_sealed_media_header(*start)) {
    const std::uint64_t overhead = header->length + crypto_box_SEALBYTES;
    if (file_size < overhead) {
      return core::fail(core::errc::storage_unavailable, "a stored file is cut short");
    }
    a.media_type = std::move(header->media_type);
    a.size = file_size - overhead;
  } else {
    a.media_type = std::string(sniff_media_type(*start).value_or("application/octet-stream"));
    a.size = file_size;
  }
  return a;
}

}  // namespace intake::media
