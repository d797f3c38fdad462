#include "tests/integration/support/dovecot_server.hpp"

#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/integration/support/free_port.hpp"

namespace intake::testing {

namespace {
constexpr auto start_deadline = std::chrono::seconds(10);
constexpr auto stop_deadline = std::chrono::seconds(5);
constexpr int port_attempts = 5;
}  // namespace

dovecot_server::dovecot_server(std::filesystem::path work_dir, bool tls, std::string extra_config)
    : dir_(std::move(work_dir)), tls_(tls), extra_config_(std::move(extra_config)) {
  if (::geteuid() == 0) {
    const passwd* pw = ::getpwnam("nobody");
    if (!pw) throw std::runtime_error("dovecot_server: no user nobody");
    mail_uid_ = pw->pw_uid;
    mail_gid_ = pw->pw_gid;
    mail_user_ = "nobody";
  } else {
    mail_uid_ = ::geteuid();
    mail_gid_ = ::getegid();
    const passwd* pw = ::getpwuid(mail_uid_);
    if (!pw) throw std::runtime_error("dovecot_server: the current user has no name");
    mail_user_ = pw->pw_name;
  }
  const group* gr = ::getgrgid(mail_gid_);
  mail_group_ = gr ? gr->gr_name : std::to_string(mail_gid_);

  std::filesystem::create_directories(dir_ / "run");
  std::filesystem::create_directories(dir_ / "state");
  std::filesystem::create_directories(dir_ / "home");
  for (const char* sub : {"new", "cur", "tmp"})
    std::filesystem::create_directories(maildir() / sub);
  std::ofstream(password_file(), std::ios::trunc) << password << "\n";
  if (tls_) make_certificate();
  // The mail user must reach the Maildir through the test's private temp dirs.
  for (auto p = dir_; p.has_parent_path() && p != p.parent_path() && p != "/tmp";
       p = p.parent_path())
    ::chmod(p.c_str(), 0755);
  give_to_mail_user(dir_ / "home");
  give_to_mail_user(maildir());
  for (int attempt = 0; attempt < port_attempts; ++attempt) {
    port_ = pick_free_port();
    if (launch()) return;
  }
  throw std::runtime_error("dovecot did not start; see " + log_path().string() + ":\n" +
                           read_file(log_path()) + read_file(dir_ / "dovecot.out"));
}

void dovecot_server::give_to_mail_user(const std::filesystem::path& path) const {
  if (::geteuid() != 0) return;
  [[maybe_unused]] int rc = ::chown(path.c_str(), mail_uid_, mail_gid_);
  if (std::filesystem::is_directory(path)) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(path))
      rc = ::chown(entry.path().c_str(), mail_uid_, mail_gid_);
  }
}

void dovecot_server::make_certificate() const {
  const auto made = run_command(
      {"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
       "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout",
       (dir_ / "key.pem").string(), "-out", ca_file().string()},
      dir_ / "openssl.out");
  if (made.exit_status != 0) throw std::runtime_error("openssl req failed:\n" + made.output);
}

void dovecot_server::write_config() const {
  const std::string d = dir_.string();
  std::ofstream conf(dir_ / "dovecot.conf", std::ios::trunc);
  conf << "protocols = imap\n"
       << "listen = 127.0.0.1\n"
       << "base_dir = " << d << "/run\n"
       << "state_dir = " << d << "/state\n"
       << "instance_name = intake-test-" << port_ << "\n"
       << (tls_ ? "ssl = required\nssl_cert = <" + ca_file().string() + "\nssl_key = <" +
                      (dir_ / "key.pem").string() + "\n"
                : std::string("ssl = no\n"))
       << "disable_plaintext_auth = no\n"
       << "auth_mechanisms = plain login\n"
       << "log_path = " << d << "/dovecot.log\n"
       << "mail_location = maildir:" << maildir().string()
       << "\n"
       // An IDLE session notices new Maildir files by inotify; this is the fallback check,
       // 30 s by default, longer than a test waits.
       << "mailbox_idle_check_interval = 1 secs\n"
       << "default_login_user = " << mail_user_ << "\n"
       << "default_internal_user = " << mail_user_ << "\n"
       << "default_internal_group = " << mail_group_ << "\n"
       << "passdb {\n  driver = static\n  args = user=" << user << " password=" << password
       << "\n}\n"
       << "userdb {\n  driver = static\n  args = uid=" << mail_uid_ << " gid=" << mail_gid_
       << " home=" << d << "/home\n}\n"
       << "service imap-login {\n"
       << "  inet_listener imap {\n    address = 127.0.0.1\n    port = " << (tls_ ? 0 : port_)
       << "\n  }\n"
       << "  inet_listener imaps {\n    address = 127.0.0.1\n    port = " << (tls_ ? port_ : 0)
       << "\n  }\n"
       << "  chroot =\n}\n"
       << "service anvil {\n  chroot =\n}\n"
       << "service stats {\n  unix_listener stats-writer {\n    mode = 0666\n  }\n}\n"
       << extra_config_ << "\n";
}

bool dovecot_server::launch() {
  write_config();
  process_ = child_process::spawn(
      {"/usr/sbin/dovecot", "-F", "-c", (dir_ / "dovecot.conf").string()}, dir_ / "dovecot.out");
  const auto deadline = std::chrono::steady_clock::now() + start_deadline;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process_.running()) return false;
    if (port_accepts(port_)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  process_.kill_and_wait();
  return false;
}

namespace {
// The processes whose parent is `parent` (from /proc).
std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const auto name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    std::getline(stat, line);
    // pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 1));
    std::string state;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid == parent) out.push_back(static_cast<pid_t>(std::stol(name)));
  }
  return out;
}
}  // namespace

void dovecot_server::stop() {
  // Open IMAP sessions outlive a stopped master for up to half a minute; a test that restarts
  // the server wants them gone, as after a real server rebuild.
  const auto children = children_of(process_.pid());
  process_.signal(SIGTERM);
  if (!process_.wait_for(stop_deadline)) process_.kill_and_wait();
  for (const pid_t child : children) ::kill(child, SIGKILL);
}

void dovecot_server::start() {
  if (process_.running()) return;
  for (int attempt = 0; attempt < port_attempts; ++attempt) {
    if (launch()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  throw std::runtime_error("dovecot did not restart; see " + log_path().string());
}

void dovecot_server::deliver(std::string_view raw, const std::string& name) {
  const auto tmp = maildir() / "tmp" / name;
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(raw.data(), static_cast<std::streamsize>(raw.size()));
  }
  give_to_mail_user(tmp);
  std::filesystem::rename(tmp, maildir() / "new" / name);
}

std::filesystem::path dovecot_server::folder_dir(const std::string& folder) const {
  return folder == "INBOX" ? maildir() : maildir() / ("." + folder);
}

std::vector<std::filesystem::path> dovecot_server::messages(const std::string& folder) const {
  std::vector<std::filesystem::path> out;
  for (const char* sub : {"new", "cur"}) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(folder_dir(folder) / sub, ec))
      out.push_back(entry.path());
  }
  return out;
}

std::size_t dovecot_server::count(const std::string& folder) const {
  return messages(folder).size();
}

void dovecot_server::reset_uids() {
  stop();
  for (const auto& folder : {maildir(), maildir() / ".Processed", maildir() / ".Quarantine"}) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
      const auto name = entry.path().filename().string();
      if (name.rfind("dovecot", 0) == 0) std::filesystem::remove_all(entry.path());
    }
  }
  // UIDVALIDITY is taken from the clock: make sure the new one differs.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  start();
}

}  // namespace intake::testing
