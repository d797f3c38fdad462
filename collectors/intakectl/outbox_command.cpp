#include "collectors/intakectl/outbox_command.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "collectors/intakectl/collector_state.hpp"
#include "common/core/clock.hpp"
#include "common/outbox/replay_requests.hpp"
#include "common/outbox/schema.hpp"
#include "common/outbox/sqlite_db.hpp"

namespace intake::ctl {

namespace {

constexpr const char* usage_text =
    "usage: intakectl outbox list [--dead] [--limit N] [--json]\n"
    "       intakectl outbox show EVENT_ID\n"
    "       intakectl outbox replay EVENT_ID|--all\n";

struct event_row {
  std::int64_t seq = 0;
  std::string event_id;
  std::string topic;
  bool urgent = false;
  std::int64_t created_ms = 0;
  std::int64_t bytes = 0;
  bool dead = false;
  std::string dead_reason;
};

outbox::database open_outbox(const std::string& data_dir, bool read_only) {
  const std::string path = data_dir + "/outbox.db";
  if (!std::filesystem::exists(path)) {
    throw std::runtime_error("no outbox at " + path + " (has the collector run?)");
  }
  return outbox::database::open(path, false, read_only);
}

std::vector<event_row> list_events(outbox::database& db, bool dead_only, std::int64_t limit) {
  auto q = db.prepare(
      "SELECT seq, event_id, topic, priority, created_ms, length(payload), dead,"
      " COALESCE(dead_reason, '') FROM events WHERE (?1 = 0 OR dead = 1)"
      " ORDER BY dead, priority DESC, seq LIMIT ?2");
  q.bind(1, std::int64_t{dead_only ? 1 : 0}).bind(2, limit);
  std::vector<event_row> rows;
  while (true) {
    auto more = q.step();
    if (!more || !*more) break;
    rows.push_back({q.column_int(0), q.column_text(1), q.column_text(2), q.column_int(3) > 0,
                    q.column_int(4), q.column_int(5), q.column_int(6) != 0, q.column_text(7)});
  }
  return rows;
}

std::string age_of(std::int64_t created_ms) {
  const auto s = (core::to_unix_ms(core::system_now()) - created_ms) / 1000;
  if (s < 120) return std::to_string(s) + "s";
  if (s < 7200) return std::to_string(s / 60) + "m";
  return std::to_string(s / 3600) + "h";
}

int cmd_list(const std::vector<std::string>& words, const std::string& data_dir, bool json,
             std::ostream& out, std::ostream& err) {
  bool dead_only = false;
  std::int64_t limit = 50;
  for (std::size_t i = 2; i < words.size(); ++i) {
    if (words[i] == "--dead") {
      dead_only = true;
    } else if (words[i] == "--limit" && i + 1 < words.size()) {
      try {
        limit = std::stoll(words[++i]);
      } catch (const std::exception&) {
        limit = -1;
      }
      if (limit <= 0) {
        err << "intakectl outbox list: --limit must be a positive count\n";
        return 2;
      }
    } else {
      err << usage_text;
      return 2;
    }
  }
  auto db = open_outbox(data_dir, true);
  const auto rows = list_events(db, dead_only, limit);
  if (json) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartArray();
    for (const auto& r : rows) {
      w.StartObject();
      w.Key("seq");
      w.Int64(r.seq);
      w.Key("event_id");
      w.String(r.event_id.c_str());
      w.Key("topic");
      w.String(r.topic.c_str());
      w.Key("urgent");
      w.Bool(r.urgent);
      w.Key("created");
      w.String(core::format_rfc3339(core::from_unix_ms(r.created_ms)).c_str());
      w.Key("bytes");
      w.Int64(r.bytes);
      w.Key("state");
      w.String(r.dead ? "dead" : "pending");
      if (r.dead) {
        w.Key("dead_reason");
        w.String(r.dead_reason.c_str());
      }
      w.EndObject();
    }
    w.EndArray();
    out << buf.GetString() << "\n";
    return 0;
  }
  if (rows.empty()) {
    out << (dead_only ? "no dead letters\n" : "the outbox is empty: everything was delivered\n");
    return 0;
  }
  for (const auto& r : rows) {
    out << r.event_id << "  " << (r.dead ? "dead   " : "pending") << "  "
        << (r.urgent ? "urgent " : "       ") << "  " << age_of(r.created_ms) << " ago  " << r.bytes
        << " B  " << r.topic;
    if (r.dead) out << "  (" << r.dead_reason << ")";
    out << "\n";
  }
  return 0;
}

int cmd_show(const std::vector<std::string>& words, const std::string& data_dir, std::ostream& out,
             std::ostream& err) {
  if (words.size() != 3) {
    err << usage_text;
    return 2;
  }
  auto db = open_outbox(data_dir, true);
  auto q = db.prepare(
      "SELECT topic, dead, COALESCE(dead_reason, ''), payload FROM events WHERE event_id = ?1");
  q.bind(1, std::string_view(words[2]));
  auto found = q.step();
  if (!found || !*found) {
    err << "intakectl: no event " << words[2]
        << " in the outbox (delivered events are removed once the broker acknowledged them)\n";
    return 1;
  }
  out << "topic: " << q.column_text(0) << "\nstate: " << (q.column_int(1) ? "dead" : "pending");
  if (q.column_int(1)) out << " (" << q.column_text(2) << ")";
  out << "\n" << q.column_text(3) << "\n";
  return 0;
}

int cmd_replay(const std::vector<std::string>& words, const std::string& data_dir,
               std::ostream& out, std::ostream& err) {
  if (words.size() != 3) {
    err << usage_text;
    return 2;
  }
  const std::string event_id = words[2] == "--all" ? "" : words[2];
  core::result<std::int64_t> outcome = 0;
  if (read_collector_state(data_dir).running) {
    // The running collector owns the queue: ask it, and wait for its answer.
    auto id = outbox::write_replay_request(data_dir, event_id);
    if (!id) {
      err << "intakectl: " << id.error().message << "\n";
      return 1;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    std::optional<core::result<std::int64_t>> answer;
    while (!(answer = outbox::read_replay_answer(data_dir, *id)) &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!answer) {
      err << "intakectl: the collector did not answer within 15 s; the request stays queued "
             "and is carried out when it next runs\n";
      return 1;
    }
    outcome = *answer;
  } else {
    // Stopped: change the file directly; the collector sends pending events when it starts.
    auto db = open_outbox(data_dir, false);
    auto q = db.prepare(
        "UPDATE events SET dead = 0, dead_reason = NULL WHERE dead = 1 AND (?1 = '' OR "
        "event_id = ?1)");
    q.bind(1, std::string_view(event_id));
    // The collector keeps its event counts in the file; this change is not in them, so they go
    // in the same transaction, and the collector counts again when it starts.
    if (auto begun = db.exec("BEGIN IMMEDIATE"); !begun) {
      outcome = tl::unexpected(begun.error());
    } else if (auto done = q.step(); !done) {
      outcome = tl::unexpected(done.error());
    } else {
      outcome = static_cast<std::int64_t>(sqlite3_changes(db.handle()));
      if (auto forgot = db.exec(outbox::forget_event_counts_sql); !forgot) {
        outcome = tl::unexpected(forgot.error());
      }
    }
    if (outcome) {
      if (auto committed = db.exec("COMMIT"); !committed)
        outcome = tl::unexpected(committed.error());
    } else {
      (void)db.exec("ROLLBACK");
    }
  }
  if (!outcome) {
    err << "intakectl: replay failed: " << outcome.error().message << "\n";
    return 1;
  }
  out << "replayed " << *outcome << " dead letter" << (*outcome == 1 ? "" : "s") << "\n";
  return *outcome > 0 || event_id.empty() ? 0 : 1;
}

}  // namespace

int run_outbox_command(const std::vector<std::string>& words, const std::string& data_dir,
                       bool json, std::ostream& out, std::ostream& err) {
  const std::string sub = words.size() > 1 ? words[1] : "";
  try {
    if (sub == "list") return cmd_list(words, data_dir, json, out, err);
    if (sub == "show") return cmd_show(words, data_dir, out, err);
    if (sub == "replay") return cmd_replay(words, data_dir, out, err);
  } catch (const std::exception& e) {
    err << "intakectl: " << e.what() << "\n";
    return 1;
  }
  err << usage_text;
  return 2;
}

}  // namespace intake::ctl
