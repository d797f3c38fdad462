#pragma once
// Structured log lines on stderr (journald picks them up): one line per event,
// `ts=... level=... event=... key=value ...`. Callers pass only fields that are safe to log:
// tracking numbers, channels, codes, counts — never names, phones, e-mail addresses or openids.
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace intake::core::log {

enum class level { debug = 0, info = 1, warn = 2, error = 3 };

using field = std::pair<std::string_view, std::string_view>;

void set_min_level(level lvl);
void set_json(bool json);

void write(level lvl, std::string_view event, std::initializer_list<field> fields = {});

/// While one lives on a thread, that thread's lines are gathered and written when it ends, in
/// chunks of whole lines no larger than PIPE_BUF (so that journald's pipe never splits or
/// interleaves a line). The outbox writer holds one while it answers a committed batch.
class batch_scope {
 public:
  batch_scope();
  ~batch_scope();
  batch_scope(const batch_scope&) = delete;
  batch_scope& operator=(const batch_scope&) = delete;

 private:
  bool owner_ = false;
};

inline void debug(std::string_view event, std::initializer_list<field> f = {}) {
  write(level::debug, event, f);
}
inline void info(std::string_view event, std::initializer_list<field> f = {}) {
  write(level::info, event, f);
}
inline void warn(std::string_view event, std::initializer_list<field> f = {}) {
  write(level::warn, event, f);
}
inline void error(std::string_view event, std::initializer_list<field> f = {}) {
  write(level::error, event, f);
}

}  // namespace intake::core::log
