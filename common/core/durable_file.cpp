#include "common/core/durable_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace intake::core {

namespace {
result<void> io_error(std::string_view what, const std::string& path) {
  return fail(errc::storage_unavailable,
              std::string(what) + " " + path + ": " + std::strerror(errno));
}

// Closes the descriptor on every path out.
struct fd_owner {
  int fd = -1;
  ~fd_owner() {
    if (fd >= 0) ::close(fd);
  }
};
}  // namespace

namespace {
// On a full disk a half-written temp file would keep the very space that is missing.
result<void> remove_on_failure(result<void> r, const std::string& tmp) {
  if (!r) ::unlink(tmp.c_str());
  return r;
}

result<void> write_and_rename(const std::string& path, std::string_view contents, int mode,
                              bool sync) {
  const std::string tmp = path + ".tmp";
  {
    fd_owner file{::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)};
    if (file.fd < 0) return io_error("cannot create", tmp);
    std::size_t written = 0;
    while (written < contents.size()) {
      const auto n = ::write(file.fd, contents.data() + written, contents.size() - written);
      if (n < 0) {
        if (errno == EINTR) continue;
        return io_error("cannot write", tmp);
      }
      written += static_cast<std::size_t>(n);
    }
    if (sync && ::fsync(file.fd) != 0) return io_error("cannot fsync", tmp);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) return io_error("cannot rename to", path);
  if (!sync) return {};
  const std::string dir = std::filesystem::path(path).parent_path().string();
  fd_owner directory{::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (directory.fd >= 0) ::fsync(directory.fd);
  return {};
}
}  // namespace

result<void> write_file_durably(const std::string& path, std::string_view contents, int mode) {
  return remove_on_failure(write_and_rename(path, contents, mode, true), path + ".tmp");
}

result<void> replace_file(const std::string& path, std::string_view contents, int mode) {
  return remove_on_failure(write_and_rename(path, contents, mode, false), path + ".tmp");
}

result<void> make_directories(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return fail(errc::storage_unavailable, "cannot create " + path + ": " + ec.message());
  return {};
}

}  // namespace intake::core
