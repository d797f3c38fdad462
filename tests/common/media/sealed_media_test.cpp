// Attachments sealed at rest: the media store with the centre's public key keeps no clear byte
// of a photo on disk, still stores the same photo once, and the centre's key gives back the
// exact bytes.
#include "common/media/sealed_media.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/core/hmac.hpp"
#include "common/media/media_store.hpp"

namespace intake::media {
namespace {

using namespace std::string_literals;

privacy::key_pair fresh_keys() {
  auto keys = privacy::generate_key_pair();
  EXPECT_TRUE(keys);
  return *keys;
}

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

// A photo with a byte string that cannot turn up by chance in a sealed box.
const std::string marker = "MARKER-plate-粤B12345-face";
const std::string photo = "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00"s + marker + std::string(5000, '\x7f');

TEST(sealed_media, opens_back_to_the_exact_bytes_and_names_the_type_in_clear) {
  const auto keys = fresh_keys();
  for (const auto& [bytes, type] :
       {std::pair{photo, "image/jpeg"s}, std::pair{"%PDF-1.7\n\0\xff"s, "application/pdf"s},
        std::pair{""s, "image/png"s}}) {
    auto sealed = seal_media(bytes, type, keys.pub);
    ASSERT_TRUE(sealed) << sealed.error().message;
    EXPECT_EQ(sealed->size(), sealed_media_size(type, bytes.size()));
    EXPECT_EQ(sealed->rfind("intake-edge-sealed-media/1 " + type + "\n", 0), 0u);
    auto header = read_sealed_media_header(*sealed);
    ASSERT_TRUE(header);
    EXPECT_EQ(header->media_type, type);
    auto opened = open_sealed_media(*sealed, keys);
    ASSERT_TRUE(opened) << opened.error().message;
    EXPECT_EQ(opened->media_type, type);
    EXPECT_EQ(opened->bytes, bytes);
  }
  auto a = seal_media(photo, "image/jpeg", keys.pub);
  auto b = seal_media(photo, "image/jpeg", keys.pub);
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b) << "a fresh ephemeral key per seal";
  EXPECT_EQ(a->find(marker), std::string::npos);
}

TEST(sealed_media, another_key_a_damaged_file_or_a_clear_file_does_not_open) {
  const auto keys = fresh_keys();
  const auto other = fresh_keys();
  auto sealed = seal_media(photo, "image/jpeg", keys.pub);
  ASSERT_TRUE(sealed);
  std::string flipped = *sealed;
  flipped[flipped.size() / 2] ^= 0x01;
  struct row {
    const char* what;
    std::string file;
    const privacy::key_pair* keys;
  };
  const row rows[] = {
      {"another recipient's key", *sealed, &other},
      {"one bit changed", flipped, &keys},
      {"cut short", sealed->substr(0, sealed->size() - 1), &keys},
      {"only the header", sealed->substr(0, sealed->find('\n') + 1), &keys},
      {"a clear photo", photo, &keys},
      {"no newline after the type", "intake-edge-sealed-media/1 image/jpeg", &keys},
      {"empty", "", &keys},
  };
  for (const auto& r : rows) {
    auto opened = open_sealed_media(r.file, *r.keys);
    ASSERT_FALSE(opened) << r.what;
    EXPECT_EQ(opened.error().code, core::errc::invalid_field) << r.what;
  }
  EXPECT_FALSE(read_sealed_media_header(photo));
  EXPECT_FALSE(read_sealed_media_header("intake-edge-sealed-media/1 image/jpeg;x=<b>\n"));
}

class sealed_store_test : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = ::testing::TempDir() + "/sealed-media-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::vector<std::filesystem::path> files() const {
    std::vector<std::filesystem::path> out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root_)) {
      if (e.is_regular_file()) out.push_back(e.path());
    }
    return out;
  }

  std::string root_;
  privacy::key_pair keys_ = fresh_keys();
};

TEST_F(sealed_store_test, keeps_a_photo_sealed_once_under_the_hash_of_its_clear_bytes) {
  media_store store(root_, {}, keys_.pub);
  EXPECT_TRUE(store.seals());
  auto first = store.put(photo, "plate.jpg");
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->sha256, core::to_hex(core::sha256(photo)));
  EXPECT_EQ(first->media_type, "image/jpeg");
  EXPECT_EQ(first->size, photo.size());

  // The same photo again (another name, another channel): still one file, not rewritten.
  const auto sealed_before = file_bytes(*store.path_of(first->sha256));
  auto again = store.put(photo, "again.jpg");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->sha256, first->sha256);
  ASSERT_EQ(files().size(), 1u);
  EXPECT_EQ(file_bytes(files().front()), sealed_before);

  // Nothing readable on disk: neither the marker nor the JPEG's own magic bytes.
  for (const auto& path : files()) {
    const auto bytes = file_bytes(path);
    EXPECT_EQ(bytes.find(marker), std::string::npos) << path;
    EXPECT_EQ(bytes.find("JFIF"), std::string::npos) << path;
  }

  auto kept = store.read(first->sha256);
  ASSERT_TRUE(kept) << kept.error().message;
  EXPECT_TRUE(kept->sealed);
  EXPECT_EQ(kept->media_type, "image/jpeg");
  auto opened = open_sealed_media(kept->bytes, keys_);
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(opened->bytes, photo);

  // Type and size of the clear photo, without the key.
  auto described = store.describe(first->sha256);
  ASSERT_TRUE(described) << described.error().message;
  EXPECT_EQ(described->media_type, "image/jpeg");
  EXPECT_EQ(described->size, photo.size());
  EXPECT_FALSE(store.describe(std::string(64, 'a')));
}

TEST_F(sealed_store_test, a_photo_kept_clear_before_the_key_was_set_is_sealed_when_sent_again) {
  std::string hash;
  {
    media_store clear(root_);
    auto stored = clear.put(photo);
    ASSERT_TRUE(stored);
    hash = stored->sha256;
    auto kept = clear.read(hash);
    ASSERT_TRUE(kept);
    EXPECT_FALSE(kept->sealed);
    EXPECT_EQ(kept->bytes, photo);
    EXPECT_EQ(clear.describe(hash)->size, photo.size());
  }
  media_store sealing(root_, {}, keys_.pub);
  auto kept = sealing.read(hash);
  ASSERT_TRUE(kept);
  EXPECT_FALSE(kept->sealed) << "an old file says what it is";
  ASSERT_TRUE(sealing.put(photo));
  ASSERT_EQ(files().size(), 1u);
  EXPECT_EQ(file_bytes(files().front()).find(marker), std::string::npos);
  auto resealed = sealing.read(hash);
  ASSERT_TRUE(resealed);
  EXPECT_TRUE(resealed->sealed);
  EXPECT_EQ(open_sealed_media(resealed->bytes, keys_)->bytes, photo);
}

TEST_F(sealed_store_test, purges_sealed_files_stored_before_the_cutoff) {
  media_store store(root_, {}, keys_.pub);
  auto old_photo = store.put(photo);
  auto new_photo = store.put("\x89PNG\r\n\x1A\n new"s);
  ASSERT_TRUE(old_photo && new_photo);
  std::filesystem::last_write_time(
      *store.path_of(old_photo->sha256),
      std::filesystem::file_time_type::clock::now() - std::chrono::hours(24 * 40));
  auto purged = store.purge_stored_before(core::system_now() - std::chrono::hours(24 * 30));
  ASSERT_TRUE(purged) << purged.error().message;
  EXPECT_EQ(*purged, 1u);
  EXPECT_FALSE(store.path_of(old_photo->sha256));
  EXPECT_TRUE(store.path_of(new_photo->sha256));
}

TEST_F(sealed_store_test, still_refuses_oversize_and_wrong_types_by_the_clear_bytes) {
  store_limits limits;
  limits.max_bytes = 64;
  media_store store(root_, limits, keys_.pub);
  auto big = store.put("\xFF\xD8\xFF"s + std::string(100, 'x'));
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, core::errc::payload_too_large);
  auto script = store.put("<script>alert(1)</script>");
  ASSERT_FALSE(script);
  EXPECT_EQ(script.error().code, core::errc::unsupported_media_type);
  EXPECT_TRUE(files().empty());
}

}  // namespace
}  // namespace intake::media
