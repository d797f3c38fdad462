#include "channels/email/curl_handle.hpp"

#include <stdexcept>

namespace intake::channels::email {

namespace {

std::size_t append_capped(char* data, std::size_t size, std::size_t count, void* user) {
  auto* buffer = static_cast<capped_buffer*>(user);
  const std::size_t n = size * count;
  if (buffer->data.size() + n > buffer->limit) {
    buffer->overflowed = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  buffer->data.append(data, n);
  return n;
}

int abort_if_set(void* flag, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(flag)->load() ? 1 : 0;
}

}  // namespace

curl_handle::curl_handle() : handle_(curl_easy_init()) {
  if (!handle_) throw std::runtime_error("libcurl: cannot create a handle");
}

void curl_handle::reset(const server_endpoint& e) {
  CURL* c = handle_.get();
  curl_easy_reset(c);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer_);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_USERNAME, e.username.c_str());
  curl_easy_setopt(c, CURLOPT_PASSWORD, e.password.c_str());
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(e.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(e.command_timeout.count()));
  // imap:// and smtp:// must upgrade with STARTTLS unless plaintext is allowed explicitly;
  // certificates and host names are always checked.
  curl_easy_setopt(
      c, CURLOPT_USE_SSL,
      e.allow_plaintext ? static_cast<long>(CURLUSESSL_TRY) : static_cast<long>(CURLUSESSL_ALL));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!e.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, e.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "imap,imaps,smtp,smtps");
  if (abort_) {
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, abort_if_set);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(abort_));
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  }
}

core::result<void> curl_handle::perform(std::string_view what) {
  error_buffer_[0] = '\0';
  last_code_ = curl_easy_perform(handle_.get());
  if (last_code_ == CURLE_OK) return {};
  std::string reason = error_buffer_[0] ? error_buffer_ : curl_easy_strerror(last_code_);
  return core::fail(core::errc::internal, std::string(what) + ": " + reason);
}

void write_into(CURL* curl, capped_buffer& buffer) {
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_capped);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &buffer);
}

}  // namespace intake::channels::email
