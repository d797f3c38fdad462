#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace intake::testing {

/// A small file system mounted for one test (the tests run as root), so that a collector's
/// data_dir can run out of space or fail like a dying disk. The destructor unmounts it (lazily
/// if something still holds a file open), so a failing test never leaves a mount behind.
/// Mounting throws std::runtime_error naming the command and its output: a test cannot prove
/// anything about disk faults without one.
class test_mount {
 public:
  /// A tmpfs of `size_bytes` at `mount_point` (created if missing).
  static test_mount tmpfs(const std::filesystem::path& mount_point, std::size_t size_bytes);
  /// An ext4 file system in the sparse file `image` (made by mkfs.ext4), mounted through a loop
  /// device at `mount_point`. Unlike tmpfs it can be shut down like a failing disk.
  static test_mount ext4_image(const std::filesystem::path& mount_point,
                               const std::filesystem::path& image, std::size_t size_bytes);

  test_mount() = default;
  ~test_mount();
  test_mount(test_mount&& other) noexcept;
  test_mount& operator=(test_mount&& other) noexcept;
  test_mount(const test_mount&) = delete;
  test_mount& operator=(const test_mount&) = delete;

  const std::filesystem::path& path() const { return mount_point_; }

  /// The disk dies (ext4 only, EXT4_IOC_SHUTDOWN after committing its journal): from now on
  /// every read, write and fsync on it fails with EIO.
  void fail_disk();
  /// The disk is repaired: unmounts and mounts the image again (the journal is replayed). Every
  /// file on it must be closed.
  void remount();
  /// Unmounts now; returns false (after a lazy unmount) if the file system was busy.
  bool unmount();

 private:
  void mount_image();

  std::filesystem::path mount_point_;
  std::filesystem::path image_;
  bool mounted_ = false;
};

/// Fills the file system holding `file` by appending to it until a write fails with ENOSPC;
/// returns how many bytes it added. Throws if a write fails for another reason.
std::size_t fill_until_full(const std::filesystem::path& file);

}  // namespace intake::testing
