#pragma once
// The joiner's durable state: open windows and their parts, and the part ids already taken (so a
// gateway's retry is recognised after its window was flushed). Its own SQLite file in WAL mode
// with synchronous=FULL: a part is on disk before the sender is told it was taken.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.hpp"
#include "common/outbox/sqlite_db.hpp"

namespace intake::joiner {

struct stored_part {
  std::string part_id;  // empty when the sender gave none
  std::string body;
  std::int64_t received_ms = 0;
};

struct stored_window {
  std::int64_t id = 0;
  std::string key;
  std::string token;
  std::int64_t last_ms = 0;        // when its latest part arrived
  std::vector<stored_part> parts;  // in arrival order
};

class part_store {
 public:
  /// Opens or creates the file. Throws std::runtime_error (startup only).
  explicit part_store(const std::string& path);

  /// Every window still in the file, oldest first, each with its parts in arrival order.
  core::result<std::vector<stored_window>> load_all();
  /// The token a part id was given, when it was taken before.
  core::result<std::optional<std::string>> token_of(std::string_view part_id);
  /// Opens a window holding its first part, in one commit; returns the window's id.
  core::result<std::int64_t> open_window(std::string_view key, std::string_view token,
                                         const stored_part& first);
  /// Adds a part to an open window, in one commit.
  core::result<void> append(std::int64_t window_id, std::string_view token,
                            const stored_part& part);
  /// Forgets a window and its parts (its joined form is durable elsewhere now). The part ids
  /// stay known until forget_part_ids_before().
  core::result<void> remove_window(std::int64_t window_id);
  /// Forgets part ids taken before `cutoff_ms`; returns how many.
  core::result<std::int64_t> forget_part_ids_before(std::int64_t cutoff_ms);

 private:
  core::result<void> insert_part(std::int64_t window_id, std::string_view token,
                                 const stored_part& part);
  core::result<void> in_transaction(const std::function<core::result<void>()>& body);

  outbox::database db_;
  outbox::statement insert_window_;
  outbox::statement insert_part_;
  outbox::statement insert_part_id_;
  outbox::statement touch_window_;
  outbox::statement find_part_id_;
  outbox::statement delete_parts_;
  outbox::statement delete_window_;
  outbox::statement forget_part_ids_;
};

}  // namespace intake::joiner
