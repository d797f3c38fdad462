#include "tests/integration/support/http_client.hpp"
#include "common/core/ascii.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <stdexcept>

namespace intake::testing {

namespace {
// curl_global_init is not thread-safe; the first client of the process runs it once.
void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct slist_deleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using slist_ptr = std::unique_ptr<curl_slist, slist_deleter>;

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<http_response*>(user)->body.append(data, size * count);
  return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* res = static_cast<http_response*>(user);
  std::string_view line(data, size * count);
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) {
    // A status line starts a new header block (after a 100 Continue, say): keep the last one.
    if (line.rfind("HTTP/", 0) == 0) res->headers.clear();
    return size * count;
  }
  std::string name = core::ascii_lower(line.substr(0, colon));
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
    value.remove_suffix(1);
  }
  res->headers[name] = std::string(value);
  return size * count;
}
}  // namespace

struct http_client::curl_handle {
  CURL* easy = nullptr;
  curl_handle() {
    global_init_once();
    easy = curl_easy_init();
    if (easy == nullptr) throw std::runtime_error("curl_easy_init failed");
  }
  ~curl_handle() { curl_easy_cleanup(easy); }
};

std::string http_response::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

http_client::http_client(std::chrono::milliseconds timeout)
    : curl_(std::make_unique<curl_handle>()), timeout_(timeout) {}

http_client::~http_client() = default;

http_response http_client::post_json(const std::string& url, std::string_view body,
                                     const header_list& headers) {
  return post(url, body, "application/json", headers);
}

http_response http_client::post(const std::string& url, std::string_view body,
                                std::string_view content_type, const header_list& headers) {
  header_list all = headers;
  all.emplace_back("Content-Type", std::string(content_type));
  return perform(url, &body, all);
}

http_response http_client::get(const std::string& url, const header_list& headers) {
  return perform(url, nullptr, headers);
}

http_response http_client::perform(const std::string& url, const std::string_view* body,
                                   const header_list& headers) {
  CURL* h = curl_->easy;
  http_response res;
  curl_easy_reset(h);  // keeps the connection cache, drops the previous request's options
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &res);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &res);

  slist_ptr list;
  auto add = [&list](const std::string& line) {
    curl_slist* next = curl_slist_append(list.get(), line.c_str());
    if (next == nullptr) throw std::runtime_error("curl_slist_append failed");
    list.release();
    list.reset(next);
  };
  // No "Expect: 100-continue" round trip: the body goes with the header, as most clients do.
  add("Expect:");
  for (const auto& [name, value] : headers) add(name + ": " + value);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list.get());

  if (body != nullptr) {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
  }

  const CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    res.status = 0;
    res.error = curl_easy_strerror(rc);
    return res;
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &res.status);
  return res;
}

}  // namespace intake::testing
