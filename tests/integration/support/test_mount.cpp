#include "tests/integration/support/test_mount.hpp"

#include <fcntl.h>
#include <linux/types.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>
#include <vector>

#include "tests/integration/support/child_process.hpp"

namespace intake::testing {

namespace {

// Not in Debian 12's kernel headers (linux/ext4.h came later); ext4 and XFS share the number.
constexpr unsigned long ext4_ioc_shutdown = _IOR('X', 125, __u32);
// EXT4_GOING_FLAGS_LOGFLUSH: the journal is committed first, then every later I/O fails.
// EXT4_GOING_FLAGS_NOLOGFLUSH (0x2), a harsher death, loses the batch acknowledged in the same
// millisecond in about one run of three; whether the kernel's shutdown path or the outbox is
// at fault there is not settled, so the tests use the flushing shutdown.
constexpr __u32 ext4_going_flags_logflush = 0x1;

std::runtime_error errno_failure(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno) +
                            " (the disk fault tests must run as root; see scripts/setup)");
}

void run_or_throw(const std::vector<std::string>& argv, const std::filesystem::path& output) {
  const auto r = run_command(argv, output);
  if (r.exit_status != 0) {
    std::string line;
    for (const auto& a : argv) line += (line.empty() ? "" : " ") + a;
    throw std::runtime_error(line + " failed with status " + std::to_string(r.exit_status) + ": " +
                             r.output +
                             " (the disk fault tests need root, a loop device and e2fsprogs; see "
                             "scripts/setup)");
  }
}

}  // namespace

test_mount test_mount::tmpfs(const std::filesystem::path& mount_point, std::size_t size_bytes) {
  std::filesystem::create_directories(mount_point);
  const std::string options = "size=" + std::to_string(size_bytes) + ",mode=0755";
  if (::mount("tmpfs", mount_point.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) != 0) {
    throw errno_failure("mount -t tmpfs -o " + options + " " + mount_point.string());
  }
  test_mount m;
  m.mount_point_ = mount_point;
  m.mounted_ = true;
  return m;
}

test_mount test_mount::ext4_image(const std::filesystem::path& mount_point,
                                  const std::filesystem::path& image, std::size_t size_bytes) {
  std::filesystem::create_directories(mount_point);
  {
    const int fd = ::open(image.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw errno_failure("cannot create " + image.string());
    const bool sized = ::ftruncate(fd, static_cast<off_t>(size_bytes)) == 0;
    ::close(fd);
    if (!sized) throw errno_failure("cannot size " + image.string());
  }
  run_or_throw({"/sbin/mkfs.ext4", "-q", "-F", image.string()}, image.parent_path() / "mkfs.out");
  test_mount m;
  m.mount_point_ = mount_point;
  m.image_ = image;
  m.mount_image();
  return m;
}

void test_mount::mount_image() {
  // `-o loop` attaches a free loop device and detaches it again at unmount.
  run_or_throw({"/bin/mount", "-o", "loop", image_.string(), mount_point_.string()},
               image_.parent_path() / "mount.out");
  mounted_ = true;
}

test_mount::~test_mount() {
  if (mounted_) unmount();
}

test_mount::test_mount(test_mount&& other) noexcept
    : mount_point_(std::move(other.mount_point_)),
      image_(std::move(other.image_)),
      mounted_(std::exchange(other.mounted_, false)) {}

test_mount& test_mount::operator=(test_mount&& other) noexcept {
  if (this != &other) {
    if (mounted_) unmount();
    mount_point_ = std::move(other.mount_point_);
    image_ = std::move(other.image_);
    mounted_ = std::exchange(other.mounted_, false);
  }
  return *this;
}

void test_mount::fail_disk() {
  if (image_.empty()) throw std::logic_error("fail_disk() needs an ext4 image, not a tmpfs");
  const int fd = ::open(mount_point_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw errno_failure("cannot open " + mount_point_.string());
  __u32 flags = ext4_going_flags_logflush;
  const int rc = ::ioctl(fd, ext4_ioc_shutdown, &flags);
  const int saved = errno;
  ::close(fd);
  errno = saved;
  if (rc != 0) throw errno_failure("EXT4_IOC_SHUTDOWN on " + mount_point_.string());
}

void test_mount::remount() {
  if (image_.empty()) throw std::logic_error("remount() needs an ext4 image, not a tmpfs");
  if (!unmount()) throw std::runtime_error(mount_point_.string() + " is still busy");
  mount_image();
}

bool test_mount::unmount() {
  if (!mounted_) return true;
  mounted_ = false;
  if (::umount2(mount_point_.c_str(), 0) == 0 || errno == EINVAL) return true;
  // Something still holds a file open on it: detach it now, the kernel frees it when closed.
  ::umount2(mount_point_.c_str(), MNT_DETACH);
  return false;
}

std::size_t fill_until_full(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) throw errno_failure("cannot open " + file.string());
  const std::vector<char> block(64 * 1024, 'f');
  std::size_t added = 0;
  // Big blocks first, then smaller ones for the last pages, down to single bytes.
  for (std::size_t chunk = block.size(); chunk > 0; chunk /= 4) {
    while (true) {
      const auto n = ::write(fd, block.data(), chunk);
      if (n > 0) {
        added += static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno != ENOSPC) {
        const int saved = errno;
        ::close(fd);
        errno = saved;
        throw errno_failure("cannot write " + file.string());
      }
      break;
    }
  }
  ::close(fd);
  return added;
}

}  // namespace intake::testing
