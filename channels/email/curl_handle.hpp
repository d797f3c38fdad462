#pragma once
// One CURL* easy handle, owned; reused between requests so that its connection (and the IMAP
// login and selected mailbox) is kept.
#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "common/core/result.hpp"

namespace intake::channels::email {

/// Where a server is and how to reach it safely.
struct server_endpoint {
  std::string url;  // imaps://host:993, imap://host:143, smtps://host:465, smtp://host:587
  std::string username;
  std::string password;
  std::string ca_file;           // empty: the system's trust store
  bool allow_plaintext = false;  // plain imap:// / smtp:// without STARTTLS (tests, localhost)
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds command_timeout{60000};
};

class curl_handle {
 public:
  curl_handle();
  CURL* get() const { return handle_.get(); }
  /// Clears the options of the previous request (the connection stays in the handle's cache)
  /// and sets those of `endpoint`: credentials, TLS policy and certificate checks, deadlines.
  void reset(const server_endpoint& endpoint);
  /// Runs the request; a libcurl failure becomes an error naming `what` and curl's reason
  /// (never a URL or credential).
  core::result<void> perform(std::string_view what);
  /// While `*flag` is true, transfers stop at once (CURLE_ABORTED_BY_CALLBACK): a shutdown does
  /// not wait for a slow server's deadline. The flag must outlive the handle.
  void abort_when(const std::atomic<bool>* flag) { abort_ = flag; }
  /// The last failure's libcurl code (CURLE_OK when none).
  CURLcode last_code() const { return last_code_; }

 private:
  struct cleanup {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
  };
  std::unique_ptr<CURL, cleanup> handle_;
  char error_buffer_[CURL_ERROR_SIZE] = {};
  CURLcode last_code_ = CURLE_OK;
  const std::atomic<bool>* abort_ = nullptr;
};

/// A write callback target that keeps at most `limit` bytes and fails the transfer beyond.
struct capped_buffer {
  std::string data;
  std::size_t limit = 0;
  bool overflowed = false;
};

/// Sets CURLOPT_WRITEFUNCTION/WRITEDATA to append into `buffer`.
void write_into(CURL* curl, capped_buffer& buffer);

}  // namespace intake::channels::email
