#pragma once
// Outbound HTTP to WeChat's API. The channels talk to an interface so that tests can answer
// in-process; the collector uses curl_transport, the one file that includes libcurl.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/core/result.hpp"

namespace intake::channels::wechat_api {

struct http_reply {
  long status = 0;
  std::string content_type;
  std::string body;
};

class http_transport {
 public:
  virtual ~http_transport() = default;
  /// Errors: upstream_unavailable when no answer arrived in time (refused, reset, timed out) or
  /// the body passed the size limit.
  virtual core::result<http_reply> get(const std::string& url) = 0;
  virtual core::result<http_reply> post(const std::string& url, std::string_view content_type,
                                        std::string_view body) = 0;
};

struct transport_limits {
  std::chrono::milliseconds timeout{5000};
  std::uint64_t max_body = 16 * 1024 * 1024;
};

/// A libcurl easy handle per call (calls come from a few worker threads, so handles are cheap
/// next to the round trip and no handle is shared between threads).
std::unique_ptr<http_transport> make_curl_transport(transport_limits limits);

/// Percent-encodes a query value (RFC 3986 unreserved characters stay as they are).
std::string url_encode(std::string_view value);

}  // namespace intake::channels::wechat_api
