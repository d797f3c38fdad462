#pragma once
// Replies through Kannel's sendsms HTTP interface (smsbox's sendsms-port):
//   GET {url}?username=..&password=..&from=..&to=..&text=..&coding=2&charset=UTF-8
// The one file of the channel that talks to libcurl.
#include <chrono>
#include <memory>
#include <string>

#include "common/reply/transport.hpp"

namespace intake::channels::sms {

struct kannel_sender_options {
  std::string url;  // http://127.0.0.1:13013/cgi-bin/sendsms
  std::string username;
  std::string password;
  std::string from;  // the number replies come from; empty lets Kannel choose
  std::chrono::milliseconds timeout{10000};
};

class kannel_sender final : public reply::transport {
 public:
  explicit kannel_sender(kannel_sender_options options);
  ~kannel_sender() override;
  /// 2xx (Kannel's "0: Accepted" / "3: Queued") is sent; 4xx (a wrong password, a bad number)
  /// is dropped; no answer or 5xx is retried.
  reply::send_outcome send(const reply::message& m) override;

  /// The request URL for a reply (tests check it; it holds the password, so it is never logged).
  std::string request_url(const reply::message& m) const;

 private:
  struct curl_handle;
  kannel_sender_options options_;
  std::unique_ptr<curl_handle> curl_;
};

}  // namespace intake::channels::sms
