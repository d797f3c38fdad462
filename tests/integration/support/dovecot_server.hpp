#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "tests/integration/support/child_process.hpp"

namespace intake::testing {

/// A private Dovecot IMAP server on 127.0.0.1 with an ephemeral port: its own dovecot.conf,
/// base and state directories, a static test user and a Maildir, all under `work_dir`; started
/// by the constructor, killed by the destructor. Never touches the system's Dovecot. As root,
/// mail processes run as `nobody` (Dovecot refuses root), so the Maildir is given to nobody.
class dovecot_server {
 public:
  /// With `tls`, the server speaks IMAPS only, with a self-signed certificate for 127.0.0.1
  /// made at start (ca_file() is what a client must trust). `extra_config` is appended to
  /// dovecot.conf (e.g. an `imap_capability` line that leaves IDLE out).
  explicit dovecot_server(std::filesystem::path work_dir, bool tls = false,
                          std::string extra_config = {});
  ~dovecot_server() = default;
  dovecot_server(const dovecot_server&) = delete;
  dovecot_server& operator=(const dovecot_server&) = delete;

  void stop();
  /// Starts again on the same port.
  void start();

  std::uint16_t port() const { return port_; }
  std::string url() const {
    return (tls_ ? "imaps://127.0.0.1:" : "imap://127.0.0.1:") + std::to_string(port_);
  }
  /// The certificate to trust for a TLS server.
  std::filesystem::path ca_file() const { return dir_ / "cert.pem"; }
  static constexpr const char* user = "mailbox";
  static constexpr const char* password = "mailbox-secret";
  /// A file holding the password (for channels.email.password_file).
  std::filesystem::path password_file() const { return dir_ / "imap.password"; }
  std::filesystem::path log_path() const { return dir_ / "dovecot.log"; }
  std::filesystem::path maildir() const { return dir_ / "Maildir"; }

  /// Delivers a message the way a local delivery agent does: written to Maildir/tmp, then
  /// renamed into Maildir/new.
  void deliver(std::string_view raw, const std::string& name);
  /// Messages in a folder ("INBOX" or a folder name such as "Processed").
  std::size_t count(const std::string& folder) const;
  /// The files of the messages in a folder.
  std::vector<std::filesystem::path> messages(const std::string& folder) const;
  /// What a server rebuild does: stops, drops the UID list and indexes (so every message gets a
  /// new UID under a new UIDVALIDITY), and starts again.
  void reset_uids();

 private:
  void write_config() const;
  bool launch();
  void give_to_mail_user(const std::filesystem::path& path) const;
  std::filesystem::path folder_dir(const std::string& folder) const;

  void make_certificate() const;

  std::filesystem::path dir_;
  bool tls_ = false;
  std::string extra_config_;
  std::uint16_t port_ = 0;
  unsigned mail_uid_ = 0;
  unsigned mail_gid_ = 0;
  std::string mail_user_;
  std::string mail_group_;
  child_process process_;
};

}  // namespace intake::testing
