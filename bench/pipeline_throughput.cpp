// Submissions per second through normalize → triage → dedup → outbox (group commit, fsync),
// without HTTP or MQTT: the ceiling of the durable path on this machine.
//
//   build/bin/pipeline_throughput [SUBMISSIONS] [PRODUCER_THREADS] [DATA_DIR]
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
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

  // At most `window` submissions in flight, like that many HTTP clients waiting for answers.
  const int window = 64;
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
        raw.location.address_string = "某路12号";
        raw.received_at = intake::core::system_now();
        pipe.submit(std::move(raw), [&](intake::core::result<intake::model::receipt> r) {
          if (!r) ++failed;
          ++done;
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
  std::filesystem::remove_all(dir);
  return failed.load() == 0 ? 0 : 1;
}
