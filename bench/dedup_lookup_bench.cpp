// What one dedup decision costs as the window fills: Google Benchmark over an outbox holding 1k,
// 100k and 1M submissions received within the window, each with its band keys. The lookup runs
// as in the collector — dedup::detector through the outbox writer's transaction, with the
// outbox's own page cache — so the figures include SQLite's b-tree walks.
//
//   build/bin/dedup_lookup_bench [--benchmark_filter=...]
// Indexes are built once per size under $INTAKE_BENCH_DIR (default /tmp/intake-dedup-bench) and
// reused; they are filled through the outbox writer and the detector itself, so they hold what
// the collector would after that many submissions (the 1M one takes several minutes).
//
// Texts are synthetic: words of one to four characters drawn from 3,000 CJK characters with a
// skewed (Zipf-like) frequency, 20 to 300 characters long, so unrelated texts share common
// bigrams as real complaints do.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/core/log.hpp"
#include "common/dedup/detector.hpp"
#include "common/dedup/minhash.hpp"
#include "common/dedup/outbox_index.hpp"
#include "common/model/tracking_number.hpp"
#include "common/outbox/outbox.hpp"

namespace {

using namespace intake;

constexpr std::int64_t window_ms = 72LL * 3600 * 1000;
constexpr std::int64_t t0_ms = 1'750'000'000'000;

class text_source {
 public:
  explicit text_source(std::uint64_t seed) : rng_(seed) {
    std::mt19937_64 vocab_rng(7);
    for (int w = 0; w < 8000; ++w) {
      std::string word;
      const int len = 1 + static_cast<int>(vocab_rng() % 4);
      for (int k = 0; k < len; ++k)
        append_utf8(word, 0x4E00 + static_cast<char32_t>(vocab_rng() % 3000));
      words_.push_back(std::move(word));
    }
  }

  std::string text(int min_chars, int max_chars) {
    const int target = min_chars + static_cast<int>(rng_() % (max_chars - min_chars + 1));
    std::string out;
    int chars = 0;
    while (chars < target) {
      const double u = static_cast<double>(rng_() >> 11) / 9007199254740992.0;
      const auto& w = words_[static_cast<std::size_t>(std::pow(u, 2.5) * words_.size())];
      out += w;
      chars += static_cast<int>(w.size() / 3);
    }
    return out;
  }

  std::uint64_t next() { return rng_(); }

 private:
  static void append_utf8(std::string& s, char32_t cp) {
    s.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
  std::mt19937_64 rng_;
  std::vector<std::string> words_;
};

struct shape {
  std::size_t submissions;
  std::size_t submitters;  // distinct people
  std::size_t places;      // distinct addresses
};

std::string ref_of(std::size_t person) {
  return "ref-" + std::to_string(person);
}
std::string place_of(std::size_t place) {
  return "address:bench-place-" + std::to_string(place);
}
std::size_t person_of(const shape& s, std::size_t i) {
  return i % s.submitters;
}
std::size_t place_index_of(const shape& s, std::size_t i) {
  return (i * 7919) % s.places;
}

// Stores records [from, to) as ingest jobs would (the detector decides, and what it says to
// store is stored), without events: what the outbox holds for dedup after that many submissions.
class fill_job final : public outbox::write_job {
 public:
  fill_job(const shape& s, text_source& texts, std::size_t from, std::size_t to,
           std::promise<core::result<void>>& done)
      : shape_(s), texts_(texts), from_(from), to_(to), done_(done) {}
  core::result<void> apply(outbox::write_txn& txn) override {
    dedup::outbox_index index(txn);
    const dedup::detector detector{dedup::rules{}};
    for (std::size_t i = from_; i < to_; ++i) {
      auto serial = txn.next_serial();
      if (!serial) return tl::unexpected(serial.error());
      const std::int64_t received =
          t0_ms + static_cast<std::int64_t>(i) *
                      (window_ms / static_cast<std::int64_t>(shape_.submissions + 1));
      const std::string text = texts_.text(20, 300);
      dedup::query q;
      q.match_text = text;
      q.submitter_ref = ref_of(person_of(shape_, i));
      q.places = {place_of(place_index_of(shape_, i))};
      q.received_ms = received;
      auto d = detector.decide(q, index);
      if (!d) return tl::unexpected(d.error());
      outbox::record_row r;
      r.serial = *serial;
      r.tracking = model::make_tracking_number(440303, 0, static_cast<std::uint32_t>(*serial));
      r.received_ms = received;
      r.channel = "api";
      r.submitter_ref = q.submitter_ref;
      r.match_text = text;
      r.status = static_cast<int>(d->link);
      if (d->link != dedup::link_kind::none) {
        r.duplicate_of = d->original_tracking;
        r.original_serial = d->original_serial;
      }
      if (auto ok = txn.insert_record(r); !ok) return ok;
      if (auto ok = dedup::store_decision(txn, *serial, received, *d); !ok) return ok;
    }
    return {};
  }
  void finish(core::result<void> outcome) override { done_.set_value(std::move(outcome)); }

 private:
  const shape& shape_;
  text_source& texts_;
  std::size_t from_, to_;
  std::promise<core::result<void>>& done_;
};

// Fills an outbox file once per shape and keeps it for later runs.
std::string build(const shape& s) {
  const char* env = std::getenv("INTAKE_BENCH_DIR");
  const std::filesystem::path dir = env ? env : "/tmp/intake-dedup-bench";
  std::filesystem::create_directories(dir);
  const auto path = dir / ("outbox-v2-" + std::to_string(s.submissions) + "-" +
                           std::to_string(s.submitters) + "-" + std::to_string(s.places) + ".db");
  const auto done = path.string() + ".done";
  if (std::filesystem::exists(done)) return path.string();
  std::filesystem::remove(path);
  {
    outbox::outbox_options o;
    o.path = path.string();
    outbox::outbox store(o);
    text_source texts(42);
    constexpr std::size_t chunk = 20000;
    for (std::size_t from = 0; from < s.submissions; from += chunk) {
      std::promise<core::result<void>> promise;
      auto result = promise.get_future();
      store.submit(std::make_unique<fill_job>(s, texts, from, std::min(from + chunk, s.submissions),
                                              promise));
      if (auto r = result.get(); !r) throw std::runtime_error(r.error().message);
    }
    store.stop();
  }
  std::ofstream(done) << "ok\n";
  return path.string();
}

// Runs the benchmark loop on the outbox writer, inside its transaction, as ingest jobs run.
class loop_job final : public outbox::write_job {
 public:
  loop_job(benchmark::State& state, std::vector<dedup::query>& queries, std::promise<void>& done)
      : state_(state), queries_(queries), done_(done) {}
  core::result<void> apply(outbox::write_txn& txn) override {
    dedup::outbox_index index(txn);
    const dedup::detector detector{dedup::rules{}};
    std::size_t i = 0, linked = 0;
    for (auto _ : state_) {
      auto d = detector.decide(queries_[i++ % queries_.size()], index);
      if (!d) {
        state_.SkipWithError(d.error().message.c_str());
        break;
      }
      linked += d->link != dedup::link_kind::none;
      benchmark::DoNotOptimize(d);
    }
    state_.counters["linked"] =
        benchmark::Counter(static_cast<double>(linked), benchmark::Counter::kAvgIterations);
    return {};
  }
  void finish(core::result<void>) override { done_.set_value(); }

 private:
  benchmark::State& state_;
  std::vector<dedup::query>& queries_;
  std::promise<void>& done_;
};

enum class kind { unrelated, repeat };

void run(benchmark::State& state, const shape& s, kind k) {
  const auto path = build(s);
  core::log::set_min_level(core::log::level::warn);
  outbox::outbox_options o;
  o.path = path;
  outbox::outbox store(o);

  // New submissions from people and places already in the window: unrelated texts at its end,
  // or one of the first stored texts again (with a few words added) half way through it.
  text_source texts(1234);
  text_source stored(42);  // the build's source: replays the stored texts in order
  const std::size_t sample = std::min<std::size_t>(512, s.submissions);
  std::vector<std::string> bodies;  // queries point into these: filled first, never resized
  bodies.reserve(sample);
  for (std::size_t j = 0; j < sample; ++j)
    bodies.push_back(k == kind::repeat ? stored.text(20, 300) + "请尽快处理" : texts.text(20, 300));
  std::vector<dedup::query> queries;
  for (std::size_t j = 0; j < sample; ++j) {
    const std::size_t i = k == kind::repeat ? j : texts.next() % s.submissions;
    dedup::query q;
    q.match_text = bodies[j];
    q.submitter_ref = ref_of(person_of(s, i));
    q.places = {place_of(place_index_of(s, i))};
    q.received_ms = k == kind::repeat ? t0_ms + window_ms / 2 : t0_ms + window_ms;
    queries.push_back(std::move(q));
  }
  std::promise<void> done;
  auto finished = done.get_future();
  store.submit(std::make_unique<loop_job>(state, queries, done));
  finished.wait();
  store.stop();
  state.SetLabel(std::to_string(s.submitters) + " people, " + std::to_string(s.places) + " places");
}

// People and places grow with the window: each person has ~3 submissions, each place ~20.
void BM_decide_unrelated(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  run(state, {n, n / 3 + 1, n / 20 + 1}, kind::unrelated);
}
// The same, but the text repeats one of that person's earlier ones (found by rule 1).
void BM_decide_repeat(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  run(state, {n, n / 3 + 1, n / 20 + 1}, kind::repeat);
}
// A county's fixed set of 1,000 places, ever more crowded as the window fills: the per-key row
// limit and the candidate cap bound the lookup.
void BM_decide_crowded_places(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  run(state, {n, n / 3 + 1, 1000}, kind::unrelated);
}

void BM_signature(benchmark::State& state) {
  text_source texts(9);
  const std::string text =
      texts.text(static_cast<int>(state.range(0)), static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto sig = dedup::make_signature(dedup::make_shingles(text));
    benchmark::DoNotOptimize(sig);
  }
}

BENCHMARK(BM_signature)->Arg(20)->Arg(200)->Arg(2000);
BENCHMARK(BM_decide_unrelated)->Arg(1000)->Arg(100'000)->Arg(1'000'000)->UseRealTime();
BENCHMARK(BM_decide_repeat)->Arg(1000)->Arg(100'000)->Arg(1'000'000)->UseRealTime();
BENCHMARK(BM_decide_crowded_places)->Arg(1000)->Arg(100'000)->Arg(1'000'000)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
