#pragma once
// A channel's routes served in-process against a real pipeline and outbox in a temp dir: the
// handlers get real requests and answer through the router, without sockets.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <regex>

#include "channels/channel.hpp"
#include "common/config/config.hpp"
#include "common/media/media_store.hpp"
#include "common/media/media_url.hpp"
#include "common/outbox/outbox.hpp"
#include "common/pipeline/pipeline.hpp"

namespace intake::channels::web::testing {

struct page_answer {
  int status = 0;
  std::string body;
  http::response response;
};

class page_fixture : public ::testing::Test {
 protected:
  /// Starts `channel` with `extra_toml` appended to a minimal configuration.
  void start(std::unique_ptr<channel> made, const std::string& extra_toml) {
    dir_ = ::testing::TempDir() + "/web-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const std::string toml = "[collector]\nid = \"t\"\nregion = \"440303\"\ndata_dir = \"" + dir_ +
                             "\"\n[upstream]\nmqtt_uri = \"tcp://127.0.0.1:1\"\n" + extra_toml;
    cfg_ = std::make_unique<config::config>(
        config::config::load_string(toml, "test.toml", all_config_keys()));
    outbox::outbox_options o;
    o.path = dir_ + "/outbox.db";
    o.initial_serial = 1000;
    store_ = std::make_unique<outbox::outbox>(o);
    pipeline::pipeline_options p;
    p.collector_id = "t";
    p.region = "440303";
    pipeline_ = std::make_unique<pipeline::pipeline>(
        p, *store_, pipeline::submitter_ref("0123456789abcdef-test-key"), metrics_);
    media_ = std::make_unique<media::media_store>(dir_ + "/media");
    urls_ = std::make_unique<media::media_url_signer>("0123456789abcdef-media-key",
                                                      "http://127.0.0.1:9", std::chrono::hours(1));
    ctx_ = std::make_unique<channel_context>(
        channel_context{*cfg_, *pipeline_, metrics_, router_, dir_, std::chrono::seconds(5)});
    ctx_->now = [this] {
      return core::system_now() + std::chrono::seconds(clock_offset_s_.load());
    };
    ctx_->media = media_.get();
    ctx_->media_urls = urls_.get();
    channel_ = std::move(made);
    channel_->start(*ctx_);
  }

  void TearDown() override {
    channel_.reset();
    pipeline_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  page_answer request(boost::beast::http::verb method, const std::string& target,
                      std::string body = {}, std::string content_type = {},
                      const std::string& address = "127.0.0.1",
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::request req{method, target, 11};
    req.set(boost::beast::http::field::host, "127.0.0.1:8080");
    if (!content_type.empty()) req.set(boost::beast::http::field::content_type, content_type);
    for (auto& [k, v] : headers) req.set(k, v);
    req.body() = std::move(body);
    req.prepare_payload();
    auto match = router_.match(method, target);
    if (!match) return {static_cast<int>(core::http_status(match.error().code)), {}, {}};
    http::request_context rc{address, match->params};
    auto promise = std::make_shared<std::promise<http::response>>();
    auto answered = promise->get_future();
    match->matched->fn(std::move(req), std::move(rc),
                       [promise](http::response res) { promise->set_value(std::move(res)); });
    if (answered.wait_for(std::chrono::seconds(10)) != std::future_status::ready) return {};
    auto res = answered.get();
    return {static_cast<int>(res.result_int()), res.body(), res};
  }

  page_answer get(const std::string& target) {
    return request(boost::beast::http::verb::get, target);
  }

  page_answer post_form(const std::string& target, const std::string& body,
                        const std::string& address = "127.0.0.1",
                        std::vector<std::pair<std::string, std::string>> headers = {}) {
    return request(boost::beast::http::verb::post, target, body,
                   "application/x-www-form-urlencoded", address, std::move(headers));
  }

  static std::string token_in(const std::string& html) {
    std::smatch m;
    static const std::regex token(R"re(name="token" value="([^"]+)")re");
    return std::regex_search(html, m, token) ? std::string(m[1]) : std::string{};
  }
  static std::string tracking_in(const std::string& html) {
    std::smatch m;
    static const std::regex number(R"re(id="tracking-number">([^<]+)<)re");
    return std::regex_search(html, m, number) ? std::string(m[1]) : std::string{};
  }

  std::vector<outbox::pending_event> events() {
    auto all = store_->fetch(0, 0, 1000);
    auto urgent = store_->fetch(1, 0, 1000);
    all.insert(all.end(), urgent.begin(), urgent.end());
    return all;
  }

  std::string dir_;
  std::atomic<long long> clock_offset_s_{0};
  std::unique_ptr<config::config> cfg_;
  core::metrics metrics_;
  http::router router_;
  std::unique_ptr<outbox::outbox> store_;
  std::unique_ptr<pipeline::pipeline> pipeline_;
  std::unique_ptr<media::media_store> media_;
  std::unique_ptr<media::media_url_signer> urls_;
  std::unique_ptr<channel_context> ctx_;
  std::unique_ptr<channel> channel_;
};

/// Percent-encodes for an urlencoded body.
inline std::string form_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

inline std::string form_body(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += form_encode(k) + "=" + form_encode(v);
  }
  return out;
}

}  // namespace intake::channels::web::testing
