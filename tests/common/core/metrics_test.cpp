#include "common/core/metrics.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <thread>
#include <vector>

namespace intake::core {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(metrics, counter_with_help_and_type) {
  metrics m;
  m.describe("intake_submissions_total", "counter", "Submissions accepted.");
  m.count("intake_submissions_total", {{"channel", "api"}});
  m.count("intake_submissions_total", {{"channel", "api"}}, 2);
  m.count("intake_submissions_total", {{"channel", "sms"}});

  EXPECT_EQ(m.render_prometheus(),
            "# HELP intake_submissions_total Submissions accepted.\n"
            "# TYPE intake_submissions_total counter\n"
            "intake_submissions_total{channel=\"api\"} 3\n"
            "intake_submissions_total{channel=\"sms\"} 1\n");
}

TEST(metrics, counter_value_ignores_label_order) {
  metrics m;
  m.count("x_total", {{"route", "api"}, {"status", "202"}});
  m.count("x_total", {{"status", "202"}, {"route", "api"}});
  EXPECT_EQ(m.counter_value("x_total", {{"route", "api"}, {"status", "202"}}), 2u);
  EXPECT_EQ(m.counter_value("x_total", {{"route", "api"}}), 0u);
  EXPECT_EQ(m.counter_value("never_total"), 0u);
}

TEST(metrics, label_values_are_escaped) {
  struct row {
    std::string value;
    std::string rendered;
  };
  const std::vector<row> rows = {
      {"plain", R"(plain)"},           {"a\"b", R"(a\"b)"}, {"back\\slash", R"(back\\slash)"},
      {"two\nlines", R"(two\nlines)"}, {"路灯", "路灯"},
  };
  for (const auto& r : rows) {
    metrics m;
    m.count("e_total", {{"v", r.value}});
    EXPECT_TRUE(contains(m.render_prometheus(), "e_total{v=\"" + r.rendered + "\"} 1\n"))
        << r.value << "\n"
        << m.render_prometheus();
  }
}

TEST(metrics, help_text_is_escaped) {
  metrics m;
  m.describe("h", "gauge", "line one\nback\\slash");
  m.set_gauge("h", {}, 1);
  EXPECT_TRUE(contains(m.render_prometheus(), "# HELP h line one\\nback\\\\slash\n"));
}

TEST(metrics, undeclared_metrics_take_the_type_of_their_use) {
  metrics m;
  m.count("c_total");
  m.set_gauge("g", {}, 1.5);
  m.gauge_fn("f", [] { return 7.0; });
  auto text = m.render_prometheus();
  EXPECT_TRUE(contains(text, "# TYPE c_total counter\nc_total 1\n")) << text;
  EXPECT_TRUE(contains(text, "# TYPE g gauge\ng 1.5\n")) << text;
  EXPECT_TRUE(contains(text, "# TYPE f gauge\nf 7\n")) << text;
  EXPECT_FALSE(contains(text, "# HELP")) << text;
}

TEST(metrics, gauge_overwrites_and_special_values) {
  metrics m;
  m.set_gauge("g", {{"k", "v"}}, 3);
  m.set_gauge("g", {{"k", "v"}}, 0.25);
  m.set_gauge("inf", {}, std::numeric_limits<double>::infinity());
  auto text = m.render_prometheus();
  EXPECT_TRUE(contains(text, "g{k=\"v\"} 0.25\n")) << text;
  EXPECT_TRUE(contains(text, "inf +Inf\n")) << text;
}

TEST(metrics, gauge_fn_may_use_the_metrics_object) {
  metrics m;
  m.gauge_fn("depth", [&m] { return static_cast<double>(m.counter_value("n_total")); });
  m.count("n_total", {}, 4);
  EXPECT_TRUE(contains(m.render_prometheus(), "depth 4\n"));
}

TEST(metrics, histogram_buckets_are_cumulative) {
  metrics m;
  m.describe("d_seconds", "histogram", "Latency.");
  m.observe("d_seconds", {{"route", "api"}}, 0.0004);  // ≤ 0.0005
  m.observe("d_seconds", {{"route", "api"}}, 0.001);   // exactly on a bound: counted in it
  m.observe("d_seconds", {{"route", "api"}}, 0.3);     // ≤ 0.5
  m.observe("d_seconds", {{"route", "api"}}, 42);      // only +Inf
  auto text = m.render_prometheus();

  const std::string expected =
      "# HELP d_seconds Latency.\n"
      "# TYPE d_seconds histogram\n"
      "d_seconds_bucket{route=\"api\",le=\"0.0005\"} 1\n"
      "d_seconds_bucket{route=\"api\",le=\"0.001\"} 2\n"
      "d_seconds_bucket{route=\"api\",le=\"0.0025\"} 2\n"
      "d_seconds_bucket{route=\"api\",le=\"0.005\"} 2\n"
      "d_seconds_bucket{route=\"api\",le=\"0.01\"} 2\n"
      "d_seconds_bucket{route=\"api\",le=\"0.025\"} 2\n"
      "d_seconds_bucket{route=\"api\",le=\"0.05\"} 2\n"
      "d_seconds_bucket{route=\"api\",le=\"0.1\"} 2\n"
      "d_seconds_bucket{route=\"api\",le=\"0.25\"} 2\n"
      "d_seconds_bucket{route=\"api\",le=\"0.5\"} 3\n"
      "d_seconds_bucket{route=\"api\",le=\"1\"} 3\n"
      "d_seconds_bucket{route=\"api\",le=\"2.5\"} 3\n"
      "d_seconds_bucket{route=\"api\",le=\"5\"} 3\n"
      "d_seconds_bucket{route=\"api\",le=\"10\"} 3\n"
      "d_seconds_bucket{route=\"api\",le=\"+Inf\"} 4\n";
  // The sum is a float (42.3014 plus rounding); everything before it is compared exactly.
  ASSERT_EQ(text.substr(0, expected.size()), expected) << text;
  EXPECT_TRUE(contains(text, "\nd_seconds_sum{route=\"api\"} 42.301")) << text;
  EXPECT_TRUE(contains(text, "d_seconds_count{route=\"api\"} 4\n")) << text;
}

TEST(metrics, histogram_without_labels) {
  metrics m;
  m.observe("t_seconds", {}, 0.02);
  auto text = m.render_prometheus();
  EXPECT_TRUE(contains(text, "# TYPE t_seconds histogram\n")) << text;
  EXPECT_TRUE(contains(text, "t_seconds_bucket{le=\"0.01\"} 0\n")) << text;
  EXPECT_TRUE(contains(text, "t_seconds_bucket{le=\"0.025\"} 1\n")) << text;
  EXPECT_TRUE(contains(text, "t_seconds_bucket{le=\"+Inf\"} 1\n")) << text;
  EXPECT_TRUE(contains(text, "t_seconds_sum 0.02\n")) << text;
  EXPECT_TRUE(contains(text, "t_seconds_count 1\n")) << text;
}

TEST(metrics, metrics_are_grouped_by_name) {
  // "a_b" sorts between "a" and "a{...}" as plain strings; each family must stay together.
  metrics m;
  m.count("a", {{"k", "1"}});
  m.count("a_b");
  m.count("a");
  auto text = m.render_prometheus();
  EXPECT_EQ(text,
            "# TYPE a counter\n"
            "a 1\n"
            "a{k=\"1\"} 1\n"
            "# TYPE a_b counter\n"
            "a_b 1\n");
}

TEST(metrics, concurrent_counting) {
  metrics m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&m] {
      for (int i = 0; i < 1000; ++i) {
        m.count("n_total", {{"k", "v"}});
        m.observe("h", {}, 0.001);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(m.counter_value("n_total", {{"k", "v"}}), 4000u);
  EXPECT_TRUE(contains(m.render_prometheus(), "h_count 4000\n"));
}

}  // namespace
}  // namespace intake::core
