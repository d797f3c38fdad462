#pragma once
// Joins the messages one sender sends in a row (an SMS complaint split over several texts, a
// WeChat conversation) into one submission: parts with the same key are gathered until the key
// has been quiet for a while, then handed on together, in arrival order.
//
// Every part is durable (its own SQLite file) before add() answers, so a gateway can be told
// "taken" at once although the joined submission only forms later; windows still open when the
// process stops or dies are handed on after the next start. A window is forgotten only after its
// consumer said the joined form is durable elsewhere, so a crash in between hands it on again:
// the consumer makes that harmless with an idempotency key (e.g. the window's token).
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/core/clock.hpp"
#include "common/core/result.hpp"

namespace intake::joiner {

class part_store;

/// One message. `key` groups parts (the sender); `part_id` is the sender's own id of the
/// message, so a retry is recognised (empty when it has none); `body` is opaque to the joiner.
struct part {
  std::string key;
  std::string part_id;
  std::string body;
  core::sys_time received_at{};
};

/// The parts of one key gathered during one quiet period.
struct window {
  std::int64_t id = 0;
  std::string key;
  /// What open_window_fn gave the window at its first part (e.g. a reserved tracking number).
  std::string token;
  std::vector<part> parts;  // arrival order
};

enum class add_status {
  opened,    // the part opened a new window
  appended,  // the part joined the key's open window
  repeated,  // the part id was taken before: nothing stored, the same token answered
};

struct add_outcome {
  add_status status = add_status::opened;
  std::string token;
};

struct joiner_options {
  std::string path;  // the SQLite file
  /// A window is handed on once its key sent nothing for this long.
  std::chrono::milliseconds quiet_period{60000};
  /// A window holding this many parts, or this many body bytes, is handed on at once and the
  /// next part opens a new one (a flood from one sender cannot grow a window without bound).
  std::size_t max_parts = 20;
  std::size_t max_bytes = 64 * 1024;
  /// Delay before handing on again a window whose consumer failed with a retryable error.
  std::chrono::milliseconds retry_delay{5000};
  /// How long part ids are remembered after their part arrived.
  std::chrono::milliseconds part_id_retention{7LL * 24 * 3600 * 1000};
  std::function<core::sys_time()> now = core::system_now;
};

/// Gives a new window its token. Runs on the joiner's thread and may block briefly (e.g. until a
/// reserved number is committed); an error refuses the part (nothing stored).
using open_window_fn = std::function<core::result<std::string>(const part& first)>;
/// Answer of a consumer: ok once the joined form is durable; a retryable error (core::
/// is_retryable) hands the window on again after retry_delay; any other error keeps the window
/// in the file, aside, for the operator.
using flush_done = std::function<void(core::result<void>)>;
/// Hands a closed window on. Runs on the joiner's thread; must not block; `done` may be called
/// later from any thread.
using flush_fn = std::function<void(const window&, flush_done done)>;
using add_done = std::function<void(core::result<add_outcome>)>;

struct joiner_stats {
  std::size_t open_windows = 0;
  std::size_t flushing_windows = 0;
  std::size_t failed_windows = 0;  // refused for good by the consumer, kept in the file
  std::uint64_t flushed_windows = 0;
};

class joiner {
 public:
  /// Opens or creates the file and loads the windows left in it. Throws std::runtime_error
  /// (startup only).
  joiner(joiner_options options, open_window_fn open, flush_fn flush);
  ~joiner();
  joiner(const joiner&) = delete;
  joiner& operator=(const joiner&) = delete;

  /// Starts the joiner's thread. Windows left by an earlier run are handed on once their quiet
  /// period (counted from their last part) has passed, at once when it already has.
  void start();
  /// Stores the part durably, then calls `done` on the joiner's thread. With `close_now` the
  /// key's window is handed on right after this part (an emergency must not wait).
  void add(part p, bool close_now, add_done done);
  /// Stops the thread; open windows stay in the file for the next start. Idempotent.
  void stop();

  joiner_stats stats() const;

 private:
  struct state;
  void run();

  std::shared_ptr<state> state_;
  std::thread thread_;
};

}  // namespace intake::joiner
