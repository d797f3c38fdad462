#include <curl/curl.h>

#include <mutex>

#include "channels/wechat_api/http_transport.hpp"

namespace intake::channels::wechat_api {

namespace {

struct curl_deleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct slist_deleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

struct sink {
  std::string body;
  std::uint64_t limit = 0;
  bool overflow = false;
};

size_t write_body(char* data, size_t size, size_t count, void* user) {
  auto* s = static_cast<sink*>(user);
  const size_t n = size * count;
  if (s->body.size() + n > s->limit) {
    s->overflow = true;
    return 0;  // aborts the transfer
  }
  s->body.append(data, n);
  return n;
}

class curl_transport final : public http_transport {
 public:
  explicit curl_transport(transport_limits limits) : limits_(limits) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  core::result<http_reply> get(const std::string& url) override {
    return perform(url, nullptr, {});
  }
  core::result<http_reply> post(const std::string& url, std::string_view content_type,
                                std::string_view body) override {
    return perform(url, &body, content_type);
  }

 private:
  core::result<http_reply> perform(const std::string& url, const std::string_view* body,
                                   std::string_view content_type) {
    std::unique_ptr<CURL, curl_deleter> curl(curl_easy_init());
    if (!curl) return core::fail(core::errc::internal, "libcurl could not start a transfer");
    sink s;
    s.limit = limits_.max_body;
    std::unique_ptr<curl_slist, slist_deleter> headers;
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(limits_.timeout.count()));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits_.timeout.count()));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &write_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    if (body) {
      const std::string header = "Content-Type: " + std::string(content_type);
      headers.reset(curl_slist_append(nullptr, header.c_str()));
      curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, body->data());
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
    }
    const CURLcode rc = curl_easy_perform(c);
    if (s.overflow) {
      return core::fail(core::errc::upstream_unavailable, "WeChat's answer passed the size limit");
    }
    if (rc != CURLE_OK) {
      // The URL is not in the message: it carries the appsecret on some calls.
      return core::fail(core::errc::upstream_unavailable,
                        std::string("WeChat's API did not answer: ") + curl_easy_strerror(rc));
    }
    http_reply reply;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
    char* type = nullptr;
    if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type)
      reply.content_type = type;
    reply.body = std::move(s.body);
    return reply;
  }

  transport_limits limits_;
};

}  // namespace

std::unique_ptr<http_transport> make_curl_transport(transport_limits limits) {
  return std::make_unique<curl_transport>(limits);
}

std::string url_encode(std::string_view value) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size() * 3);
  for (unsigned char ch : value) {
    const bool unreserved = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                            (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.' ||
                            ch == '~';
    if (unreserved) {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += digits[ch >> 4];
      out += digits[ch & 15];
    }
  }
  return out;
}

}  // namespace intake::channels::wechat_api
