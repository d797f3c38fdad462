#include "common/core/metrics.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <set>

namespace intake::core {

namespace {

// Latency buckets in seconds, from a fast local write to a stalled fsync.
constexpr std::array<double, 14> bucket_bounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                  0.1,    0.25,  0.5,    1,     2.5,  5,     10};

void append_escaped_label_value(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
}

void append_escaped_help(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
}

void append_double(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    // Shortest round-trip text; plain decimals in the usual range ("0.0005", not "5e-04").
    char buf[64];
    double magnitude = std::fabs(v);
    auto [end, ec] = magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e15)
                         ? std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed)
                         : std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, ec == std::errc() ? end : buf);
  }
}

void append_uint(std::string& out, std::uint64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

// `name{labels}` with `extra` (already rendered, e.g. le="0.5") appended to the label set.
void append_series_name(std::string& out, std::string_view name, std::string_view suffix,
                        std::string_view labels, std::string_view extra = {}) {
  out.append(name);
  out.append(suffix);
  if (labels.empty() && extra.empty()) return;
  out += '{';
  out.append(labels);
  if (!labels.empty() && !extra.empty()) out += ',';
  out.append(extra);
  out += '}';
}

}  // namespace

std::string metrics::label_set(std::initializer_list<label> labels) {
  std::vector<label> sorted(labels.begin(), labels.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const label& a, const label& b) { return a.first < b.first; });
  std::string out;
  for (const auto& [key, value] : sorted) {
    if (!out.empty()) out += ',';
    out.append(key);
    out += "=\"";
    append_escaped_label_value(out, value);
    out += '"';
  }
  return out;
}

void metrics::describe(std::string_view name, std::string_view type, std::string_view help) {
  std::lock_guard lock(mutex_);
  descriptions_[std::string(name)] = {std::string(type), std::string(help)};
}

void metrics::count(std::string_view name, std::initializer_list<label> labels, std::uint64_t n) {
  auto key = label_set(labels);
  std::lock_guard lock(mutex_);
  auto family = counters_.find(name);
  if (family == counters_.end()) family = counters_.try_emplace(std::string(name)).first;
  family->second[std::move(key)] += n;
}

void metrics::set_gauge(std::string_view name, std::initializer_list<label> labels, double value) {
  auto key = label_set(labels);
  std::lock_guard lock(mutex_);
  auto family = gauges_.find(name);
  if (family == gauges_.end()) family = gauges_.try_emplace(std::string(name)).first;
  family->second[std::move(key)] = value;
}

void metrics::observe(std::string_view name, std::initializer_list<label> labels, double seconds) {
  if (std::isnan(seconds)) return;
  auto key = label_set(labels);
  std::lock_guard lock(mutex_);
  auto family = histograms_.find(name);
  if (family == histograms_.end()) family = histograms_.try_emplace(std::string(name)).first;
  auto& h = family->second[std::move(key)];
  if (h.buckets.empty()) h.buckets.assign(bucket_bounds.size(), 0);
  auto bound = std::lower_bound(bucket_bounds.begin(), bucket_bounds.end(), seconds);
  if (bound != bucket_bounds.end()) ++h.buckets[bound - bucket_bounds.begin()];
  ++h.count;
  h.sum += seconds;
}

void metrics::gauge_fn(std::string_view name, std::function<double()> fn) {
  std::lock_guard lock(mutex_);
  gauge_fns_[std::string(name)] = std::move(fn);
}

std::uint64_t metrics::counter_value(std::string_view name,
                                     std::initializer_list<label> labels) const {
  auto key = label_set(labels);
  std::lock_guard lock(mutex_);
  auto family = counters_.find(name);
  if (family == counters_.end()) return 0;
  auto series = family->second.find(key);
  return series == family->second.end() ? 0 : series->second;
}

std::string metrics::render_prometheus() const {
  // Computed gauges run outside the lock: they may take other locks (the outbox's) or even
  // record metrics themselves.
  std::map<std::string, std::function<double()>, std::less<>> fns;
  {
    std::lock_guard lock(mutex_);
    fns = gauge_fns_;
  }
  std::map<std::string, double, std::less<>> computed;
  for (const auto& [name, fn] : fns) computed[name] = fn ? fn() : 0.0;

  std::lock_guard lock(mutex_);
  std::set<std::string_view> names;
  for (const auto& [name, _] : descriptions_) names.insert(name);
  for (const auto& [name, _] : counters_) names.insert(name);
  for (const auto& [name, _] : gauges_) names.insert(name);
  for (const auto& [name, _] : histograms_) names.insert(name);
  for (const auto& [name, _] : computed) names.insert(name);

  std::string out;
  for (auto name : names) {
    auto description = descriptions_.find(name);
    auto counters = counters_.find(name);
    auto gauges = gauges_.find(name);
    auto histograms = histograms_.find(name);
    auto fn_value = computed.find(name);

    std::string_view type = "untyped";
    if (description != descriptions_.end() && !description->second.first.empty()) {
      type = description->second.first;
    } else if (histograms != histograms_.end()) {
      type = "histogram";
    } else if (counters != counters_.end()) {
      type = "counter";
    } else if (gauges != gauges_.end() || fn_value != computed.end()) {
      type = "gauge";
    }

    if (description != descriptions_.end() && !description->second.second.empty()) {
      out += "# HELP ";
      out.append(name);
      out += ' ';
      append_escaped_help(out, description->second.second);
      out += '\n';
    }
    out += "# TYPE ";
    out.append(name);
    out += ' ';
    out.append(type);
    out += '\n';

    if (counters != counters_.end()) {
      for (const auto& [labels, value] : counters->second) {
        append_series_name(out, name, "", labels);
        out += ' ';
        append_uint(out, value);
        out += '\n';
      }
    }
    if (gauges != gauges_.end()) {
      for (const auto& [labels, value] : gauges->second) {
        append_series_name(out, name, "", labels);
        out += ' ';
        append_double(out, value);
        out += '\n';
      }
    }
    if (fn_value != computed.end()) {
      out.append(name);
      out += ' ';
      append_double(out, fn_value->second);
      out += '\n';
    }
    if (histograms != histograms_.end()) {
      for (const auto& [labels, h] : histograms->second) {
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < bucket_bounds.size(); ++i) {
          cumulative += h.buckets[i];
          std::string le = "le=\"";
          append_double(le, bucket_bounds[i]);
          le += '"';
          append_series_name(out, name, "_bucket", labels, le);
          out += ' ';
          append_uint(out, cumulative);
          out += '\n';
        }
        append_series_name(out, name, "_bucket", labels, "le=\"+Inf\"");
        out += ' ';
        append_uint(out, h.count);
        out += '\n';
        append_series_name(out, name, "_sum", labels);
        out += ' ';
        append_double(out, h.sum);
        out += '\n';
        append_series_name(out, name, "_count", labels);
        out += ' ';
        append_uint(out, h.count);
        out += '\n';
      }
    }
  }
  return out;
}

}  // namespace intake::core
