// Submissions per second through normalize → triage → dedup → outbox (group commit, fsync),
// without HTTP or MQTT: the ceiling of the durable path on this machine.
//
//   build/bin/pipeline_throughput [SUBMISSIONS] [PRODUCER_THREADS] [DATA_DIR]
//
// Environment:
//   IN_FLIGHT=N   submissions waiting for their commit at once (default 64, like 64 clients)
//   PEOPLE=N      submitters with a phone number, round robin (default 0: anonymous)
//   PLACES=N      distinct addresses, round robin (default 1: every report names one place)
//   SEGMENT=N     also print the rate of every N submissions as the dedup window fills: one
//                 "segment RECORDS_IN_WINDOW PER_SECOND WRITER_APPLY_US_PER_SUBMISSION" line each
//   KEEP=1        keep DATA_DIR/outbox.db (events and records) instead of deleting it: an outbox
//                 filled as during a broker outage, for the collector to drain
//   DRAIN=1       a consumer fetches and acknowledges events as the forwarder does
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/core/log.hpp"
#include "common/pipeline/pipeline.hpp"

int main(int argc, char** argv) {
  const int total = argc > 1 ? std::atoi(argv[1]) : 50000;
  const int producers = argc > 2 ? std::atoi(argv[2]) : 2;
  const std::string dir =
      argc > 3 ? argv[3] : "/tmp/pipeline-throughput-" + std::to_string(getpid());
  const auto env_int = [](const char* name, long fallback) {
    const char* v = std::getenv(name);
    return v ? std::atol(v) : fallback;
  };
  const long window = env_int("IN_FLIGHT", 64);
  const long people = env_int("PEOPLE", 0);
  const long places = std::max(1L, env_int("PLACES", 1));
  const long segment = env_int("SEGMENT", 0);
  const bool keep = std::getenv("KEEP") != nullptr;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  intake::core::log::set_min_level(intake::core::log::level::warn);

  intake::outbox::outbox_options oo;
  oo.path = dir + "/outbox.db";
  intake::outbox::outbox store(oo);
  intake::core::metrics metrics;
  intake::pipeline::pipeline_options po;
  po.collector_id = "bench";
  po.region = "440303";
  intake::pipeline::pipeline pipe(po, store,
                                  intake::pipeline::submitter_ref("bench-key-0123456789"), metrics);

  // Optionally a consumer that drains the outbox as the forwarder does (fetch, acknowledge),
  // without a broker: shows what the deletes cost the writer.
  const bool drain = std::getenv("DRAIN") != nullptr;
  std::atomic<bool> stop_drain{false};
  std::atomic<long> drained{0};
  std::thread drainer;
  if (drain) {
    drainer = std::thread([&] {
      std::int64_t cursor = 0;
      while (!stop_drain.load()) {
        auto batch = store.fetch(0, cursor, 64);
        if (batch.empty()) {
          std::this_thread::sleep_for(std::chrono::microseconds(200));
          continue;
        }
        for (const auto& e : batch) {
          cursor = e.seq;
          store.acknowledge(e.seq);
          ++drained;
        }
      }
    });
  }

  // Rate of each segment of `segment` submissions, and the writer time it took: how the cost
  // of one submission moves as the window fills.
  std::mutex segment_mutex;
  auto segment_start = std::chrono::steady_clock::now();
  double segment_apply = 0;
  const auto end_segment = [&](int records) {
    std::lock_guard lock(segment_mutex);
    const auto now = std::chrono::steady_clock::now();
    const double secs = std::chrono::duration<double>(now - segment_start).count();
    const double apply = store.stats().apply_seconds;
    std::printf("segment %d %.0f %.1f\n", records, static_cast<double>(segment) / secs,
                1e6 * (apply - segment_apply) / static_cast<double>(segment));
    std::fflush(stdout);
    segment_start = now;
    segment_apply = apply;
  };

  // At most `window` submissions in flight, like that many HTTP clients waiting for answers.
  std::atomic<int> in_flight{0}, done{0}, failed{0};
  std::mutex m;
  std::condition_variable cv;
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int p = 0; p < producers; ++p) {
    threads.emplace_back([&, p] {
      for (int i = p; i < total; i += producers) {
        {
          std::unique_lock lock(m);
          cv.wait(lock, [&] { return in_flight.load() < window; });
          ++in_flight;
        }
        intake::model::raw_submission raw;
        raw.channel = "api";
        raw.description =
            "小区门口路灯坏了一个星期 编号" + std::to_string(i) + " 晚上很黑请尽快维修";
        raw.title = "路灯不亮";
        raw.location.address_string = "某路" + std::to_string(12 + i % places) + "号";
        if (people > 0) raw.submitter.phone = "+86138" + std::to_string(10000000 + i % people);
        raw.received_at = intake::core::system_now();
        pipe.submit(std::move(raw), [&](intake::core::result<intake::model::receipt> r) {
          if (!r) ++failed;
          const int finished = ++done;
          if (segment > 0 && finished % segment == 0) end_segment(finished);
          {
            std::lock_guard lock(m);
            --in_flight;
          }
          cv.notify_all();
        });
      }
    });
  }
  for (auto& t : threads) t.join();
  while (done.load() < total) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  stop_drain = true;
  if (drainer.joinable()) drainer.join();
  const auto s = store.stats();
  std::printf(
      "submissions %d failed %d in %.2f s: %.0f/s; %llu commits (%.1f each), apply %.0f us "
      "and commit %.2f ms per batch\n",
      total, failed.load(), secs, total / secs, static_cast<unsigned long long>(s.commits),
      static_cast<double>(s.committed_jobs) / static_cast<double>(s.commits),
      1e6 * s.apply_seconds / static_cast<double>(s.commits),
      1e3 * s.commit_seconds / static_cast<double>(s.commits));
  store.stop();
  if (!keep) std::filesystem::remove_all(dir);
  return failed.load() == 0 ? 0 : 1;
}
