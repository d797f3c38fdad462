#pragma once
// Process-wide metrics rendered as Prometheus text at GET /metrics. Counters and gauges are
// keyed by name plus a small label set; computed gauges are evaluated at scrape time.
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace intake::core {

using label = std::pair<std::string_view, std::string_view>;

class metrics {
 public:
  /// Declares a metric's HELP text and type ("counter", "gauge", "histogram"). Optional: an
  /// undeclared metric gets no HELP line and the type of the call that recorded it.
  void describe(std::string_view name, std::string_view type, std::string_view help);

  void count(std::string_view name, std::initializer_list<label> labels = {}, std::uint64_t n = 1);
  void set_gauge(std::string_view name, std::initializer_list<label> labels, double value);
  /// Adds one observation (in seconds) to a histogram with fixed latency buckets
  /// (0.5 ms ... 10 s, then +Inf). NaN observations are ignored.
  void observe(std::string_view name, std::initializer_list<label> labels, double seconds);
  /// A gauge whose value is computed at scrape time (outbox depth, broker connected...). It is
  /// called without the metrics lock held, so it may itself use this object; it must stay
  /// callable for as long as this object renders.
  void gauge_fn(std::string_view name, std::function<double()> fn);

  /// The value of a counter (tests and intakectl); 0 when never counted.
  std::uint64_t counter_value(std::string_view name,
                              std::initializer_list<label> labels = {}) const;

  /// Prometheus text exposition format 0.0.4, metrics sorted by name.
  std::string render_prometheus() const;

 private:
  struct histogram {
    std::vector<std::uint64_t> buckets;  // per bucket, not cumulative; +Inf is `count`
    std::uint64_t count = 0;
    double sum = 0;
  };
  // Keyed by the rendered label set (`k="v",...`, sorted by key, values escaped), so the same
  // labels given in another order land on the same series.
  template <class T>
  using series_map = std::map<std::string, T, std::less<>>;
  template <class T>
  using family_map = std::map<std::string, series_map<T>, std::less<>>;  // name → series

  static std::string label_set(std::initializer_list<label> labels);

  mutable std::mutex mutex_;
  std::map<std::string, std::pair<std::string, std::string>, std::less<>>
      descriptions_;  // name → type, help
  family_map<std::uint64_t> counters_;
  family_map<double> gauges_;
  family_map<histogram> histograms_;
  std::map<std::string, std::function<double()>, std::less<>> gauge_fns_;
};

}  // namespace intake::core
