#include "channels/sms/kannel_sender.hpp"

#include <curl/curl.h>

#include <cctype>

#include "common/core/log.hpp"

namespace intake::channels::sms {

namespace {

std::string escape(std::string_view s) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 0x0F];
    }
  }
  return out;
}

std::size_t discard(char*, std::size_t size, std::size_t n, void*) {
  return size * n;
}

}  // namespace

struct kannel_sender::curl_handle {
  curl_handle() : easy(curl_easy_init()) {}
  ~curl_handle() {
    if (easy) curl_easy_cleanup(easy);
  }
  CURL* easy;
};

kannel_sender::kannel_sender(kannel_sender_options options)
    : options_(std::move(options)), curl_(std::make_unique<curl_handle>()) {}

kannel_sender::~kannel_sender() = default;

std::string kannel_sender::request_url(const reply::message& m) const {
  std::string url = options_.url;
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += "username=" + escape(options_.username);
  url += "&password=" + escape(options_.password);
  if (!options_.from.empty()) url += "&from=" + escape(options_.from);
  url += "&to=" + escape(m.recipient);
  // UCS-2 on the air: Chinese does not fit the GSM alphabet.
  url += "&text=" + escape(m.text) + "&coding=2&charset=UTF-8";
  return url;
}

reply::send_outcome kannel_sender::send(const reply::message& m) {
  CURL* easy = curl_->easy;
  if (!easy) return reply::send_outcome::retry;
  const std::string url = request_url(m);
  curl_easy_reset(easy);
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  // Kannel runs beside the collector: an http_proxy meant for the outside must not catch it.
  curl_easy_setopt(easy, CURLOPT_NOPROXY, "127.0.0.1,localhost,::1");
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &discard);
  const CURLcode rc = curl_easy_perform(easy);
  if (rc != CURLE_OK) {
    core::log::warn("sendsms_failed", {{"tracking", m.tag}, {"reason", curl_easy_strerror(rc)}});
    return reply::send_outcome::retry;
  }
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200 && status < 300) return reply::send_outcome::sent;
  core::log::warn("sendsms_refused", {{"tracking", m.tag}, {"status", std::to_string(status)}});
  if (status >= 400 && status < 500) return reply::send_outcome::drop;
  return reply::send_outcome::retry;
}

}  // namespace intake::channels::sms
