#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tests/integration/support/child_process.hpp"

namespace intake::testing {

/// A message the fake SMSC received from Kannel (a reply to a phone), text decoded to UTF-8.
struct mt_message {
  std::string from;
  std::string to;
  std::string text;
};

/// A private Kannel on 127.0.0.1: bearerbox with a fake SMSC, smsbox with a sendsms user and an
/// sms-service that calls the collector's /sms/kannel, and fakesmsc playing the phones. All
/// ports are free ones; everything lives in `work_dir` and is killed by the destructor.
class kannel_gateway {
 public:
  /// `callback_port`: the collector's HTTP port. `secret`: what the callback passes as ?secret=.
  /// `post_url`: the sms-service uses post-url (text as the body) instead of get-url.
  kannel_gateway(std::filesystem::path work_dir, std::uint16_t callback_port, std::string secret,
                 bool post_url = false);
  ~kannel_gateway();
  kannel_gateway(const kannel_gateway&) = delete;
  kannel_gateway& operator=(const kannel_gateway&) = delete;

  /// Starts bearerbox and smsbox; returns once smsbox serves sendsms and the fake SMSC listens.
  /// After stop(), starts them again on the same ports.
  void start();
  /// Kills smsbox, bearerbox and the connected phone, as a crash would: sendsms is refused and
  /// no text reaches the collector until start().
  void stop();

  /// A phone texts `receiver`: `text` goes out as GSM 7-bit (ASCII) or, with send_ucs2, as UCS-2.
  /// Returns once bearerbox has taken the message. The fakesmsc that sent it stays connected
  /// (receiving replies) until the next message.
  void send_text(const std::string& sender, const std::string& receiver, const std::string& text);
  void send_ucs2(const std::string& sender, const std::string& receiver,
                 const std::string& utf8_text);

  /// Every reply the fake SMSC received so far, in order.
  std::vector<mt_message> replies() const;
  /// True once a reply satisfies `match`; false at the deadline.
  bool wait_for_reply(const std::function<bool(const mt_message&)>& match,
                      std::chrono::milliseconds timeout) const;

  /// How many times smsbox has called the collector so far (retries included), from its log.
  std::size_t callback_attempts() const;

  std::string sendsms_url() const;
  const std::string& sendsms_user() const { return sendsms_user_; }
  const std::string& sendsms_password() const { return sendsms_password_; }
  /// The number the service is reached at (fakesmsc's receiver).
  static constexpr const char* service_number = "12345";
  const std::filesystem::path& dir() const { return dir_; }

 private:
  void write_config() const;
  void inject(const std::string& message);
  /// SMS received by bearerbox so far, from its admin status page; -1 when unreadable.
  long received_count() const;
  bool fake_smsc_connected() const;
  std::string admin_status() const;

  std::filesystem::path dir_;
  std::uint16_t callback_port_;
  std::string secret_;
  bool post_url_ = false;
  std::uint16_t admin_port_ = 0, smsbox_port_ = 0, smsc_port_ = 0, sendsms_port_ = 0;
  std::string admin_password_ = "kannel-admin";
  std::string sendsms_user_ = "intake";
  std::string sendsms_password_ = "sendsms-pw";
  child_process bearerbox_;
  child_process smsbox_;
  child_process phone_;  // the current fakesmsc
  int phones_started_ = 0;
};

}  // namespace intake::testing
