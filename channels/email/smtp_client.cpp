#include "channels/email/smtp_client.hpp"

#include <algorithm>
#include <cstring>

namespace intake::channels::email {

namespace {

struct upload {
  const std::string* text;
  std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* u = static_cast<upload*>(user);
  const std::size_t n = std::min(size * count, u->text->size() - u->offset);
  std::memcpy(buffer, u->text->data() + u->offset, n);
  u->offset += n;
  return n;
}

struct slist_free {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

smtp_client::smtp_client(server_endpoint endpoint) : endpoint_(std::move(endpoint)) {}

core::result<void> smtp_client::send(const std::string& envelope_from, const std::string& recipient,
                                     const std::string& message) {
  curl_.reset(endpoint_);
  CURL* c = curl_.get();
  if (endpoint_.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, nullptr);
    curl_easy_setopt(c, CURLOPT_PASSWORD, nullptr);
  }
  curl_easy_setopt(c, CURLOPT_URL, endpoint_.url.c_str());
  const std::string from = "<" + envelope_from + ">";
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  std::unique_ptr<curl_slist, slist_free> rcpt(
      curl_slist_append(nullptr, ("<" + recipient + ">").c_str()));
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  upload body{&message};
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(c, CURLOPT_READDATA, &body);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  auto r = curl_.perform("smtp send");
  if (r) return {};
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  if (code >= 500 && code < 600)
    return core::fail(core::errc::invalid_email,
                      "smtp refused for good (" + std::to_string(code) + ")");
  return r;
}

}  // namespace intake::channels::email
