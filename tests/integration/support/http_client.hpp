#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace intake::testing {

using header_list = std::vector<std::pair<std::string, std::string>>;

struct http_response {
  long status = 0;  ///< 0 when no response arrived (refused, reset, timed out)
  std::string body;
  std::map<std::string, std::string> headers;  ///< names lowercased
  std::string error;                           ///< libcurl's message when status is 0

  /// A header's value ("" if absent); `name` in lowercase.
  std::string header(const std::string& name) const;
};

/// A libcurl easy handle, owned. Not thread-safe: give each sending thread its own client
/// (connections are then kept alive per thread, like a real client's).
class http_client {
 public:
  explicit http_client(std::chrono::milliseconds timeout = std::chrono::seconds(15));
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  http_response post_json(const std::string& url, std::string_view body,
                          const header_list& headers = {});
  /// Any body bytes with any Content-Type (for malformed input).
  http_response post(const std::string& url, std::string_view body, std::string_view content_type,
                     const header_list& headers = {});
  http_response get(const std::string& url, const header_list& headers = {});

 private:
  struct curl_handle;
  http_response perform(const std::string& url, const std::string_view* body,
                        const header_list& headers);

  std::unique_ptr<curl_handle> curl_;
  std::chrono::milliseconds timeout_;
};

}  // namespace intake::testing
