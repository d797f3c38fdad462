// intakectl: the operator's CLI. Reads the collector's configuration to find its data directory,
// then the outbox (read-only) and the state file the daemon refreshes every second.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "channels/channel.hpp"
#include "collectors/intakectl/collector_state.hpp"
#include "collectors/intakectl/config_explain.hpp"
#include "collectors/intakectl/dedup_eval_command.hpp"
#include "collectors/intakectl/email_command.hpp"
#include "collectors/intakectl/keys_command.hpp"
#include "collectors/intakectl/open_command.hpp"
#include "collectors/intakectl/outbox_command.hpp"
#include "collectors/intakectl/qr_command.hpp"
#include "collectors/intakectl/triage_command.hpp"
#include "common/core/clock.hpp"
#include "common/model/tracking_number.hpp"
#include "common/outbox/sqlite_db.hpp"

namespace {

constexpr const char* default_config = "/etc/intake-edge/collector.toml";

void usage(std::ostream& out) {
  out << "usage: intakectl COMMAND [options]\n"
         "\n"
         "commands:\n"
         "  status [--config FILE] [--json]   outbox depth, oldest undelivered age, last publish,\n"
         "                                    broker state\n"
         "  outbox list [--dead] [--limit N] [--config FILE] [--json]\n"
         "                                    events waiting for the broker, and dead letters\n"
         "  outbox show EVENT_ID              one waiting event whole (topic, state, payload)\n"
         "  outbox replay EVENT_ID|--all      put dead letters back in the queue after a fix\n"
         "  tracking validate NUMBER          check a tracking number (check character, parts)\n"
         "  config check [--config FILE]      validate the configuration (exit 0 ok, 2 invalid)\n"
         "  config keys                       every configuration key with type, default, meaning\n"
         "  config explain KEY [--config FILE]\n"
         "                                    one key: type, default, meaning, value in effect\n"
         "  triage [--rules FILE] TEXT...     how triage decides on TEXT, and the rule behind it\n"
         "  dedup-eval PAIRS.csv [--check]    precision, recall and F1 of near-duplicate "
         "detection\n"
         "                                    on labelled pairs (docs/DEDUP.md)\n"
         "  keys generate --out PREFIX [--force]\n"
         "                                    X25519 key pair for sealing personal data\n"
         "                                    (PREFIX.pub for the collectors, PREFIX.key 0600)\n"
         "  open --secret-key FILE [--public-key FILE] [EVENT.json|-]\n"
         "                                    print events with the submitter opened\n"
         "  open --secret-key FILE [--public-key FILE] --media FILE|-\n"
         "                                    the exact bytes of a sealed attachment\n"
         "  email quarantine [--config FILE] [--json]\n"
         "                                    mail the e-mail channel could not take (kept in\n"
         "                                    data_dir/email/quarantine)\n"
         "  qr issue --asset-id ID --address TEXT [--lat DEG --long DEG] [--service-code CODE]\n"
         "           --out FILE.svg|FILE.png  a signed scan-to-report code for a facility\n"
         "  qr revoke TOKEN-ID                withdraw a code (the collector refuses it, 410)\n"
         "\n"
         "FILE defaults to "
      << default_config << ".\n";
}

struct options {
  std::string config_path = default_config;
  bool json = false;
  std::vector<std::string> words;
};

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--config" && i + 1 < argc) {
      o.config_path = argv[++i];
    } else if (a == "--json") {
      o.json = true;
    } else {
      o.words.push_back(a);
    }
  }
  return o;
}

std::optional<intake::config::config> load_config(const std::string& path) {
  try {
    return intake::config::config::load_file(path, intake::channels::all_config_keys());
  } catch (const intake::config::config_error& e) {
    for (const auto& p : e.problems()) std::cerr << p << "\n";
    return std::nullopt;
  }
}

std::string age_text(std::int64_t ms) {
  if (ms < 1000) return std::to_string(ms) + "ms";
  if (ms < 120'000) return std::to_string(ms / 1000) + "s";
  if (ms < 7'200'000) return std::to_string(ms / 60'000) + "m";
  return std::to_string(ms / 3'600'000) + "h";
}

int cmd_status(const options& o) {
  auto cfg = load_config(o.config_path);
  if (!cfg) return 2;
  const std::string data_dir = cfg->get_string("collector.data_dir");
  const std::string db_path = data_dir + "/outbox.db";
  if (!std::filesystem::exists(db_path)) {
    std::cerr << "intakectl: no outbox at " << db_path << " (has the collector run?)\n";
    return 1;
  }
  std::int64_t depth = 0, dead = 0, bytes = 0;
  std::optional<std::int64_t> oldest_ms;
  try {
    auto db = intake::outbox::database::open(db_path, false, true);
    auto q = db.prepare(
        "SELECT COUNT(*), COALESCE(SUM(length(payload)),0), MIN(created_ms) FROM events WHERE dead "
        "= 0");
    if (auto r = q.step(); r && *r) {
      depth = q.column_int(0);
      bytes = q.column_int(1);
      if (!q.column_is_null(2)) oldest_ms = q.column_int(2);
    }
    auto d = db.prepare("SELECT COUNT(*) FROM events WHERE dead = 1");
    if (auto r = d.step(); r && *r) dead = d.column_int(0);
  } catch (const std::exception& e) {
    std::cerr << "intakectl: " << e.what() << "\n";
    return 1;
  }

  const auto collector = intake::ctl::read_collector_state(data_dir);
  const rapidjson::Document& state = collector.doc;
  const bool running = collector.running;
  const bool has_state = state.MemberCount() > 0;
  const bool connected = has_state && running && state.HasMember("broker_connected") &&
                         state["broker_connected"].GetBool();
  std::optional<std::int64_t> last_publish;
  if (has_state && state.HasMember("last_publish_ms") && state["last_publish_ms"].IsInt64()) {
    last_publish = state["last_publish_ms"].GetInt64();
  }
  const auto now_ms = intake::core::to_unix_ms(intake::core::system_now());

  if (o.json) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    w.Key("collector_running");
    w.Bool(running);
    w.Key("outbox_depth");
    w.Int64(depth);
    w.Key("outbox_bytes");
    w.Int64(bytes);
    w.Key("dead_letters");
    w.Int64(dead);
    w.Key("oldest_undelivered_age_seconds");
    if (oldest_ms)
      w.Double(static_cast<double>(now_ms - *oldest_ms) / 1000.0);
    else
      w.Null();
    w.Key("last_publish");
    if (last_publish)
      w.String(intake::core::format_rfc3339(intake::core::from_unix_ms(*last_publish)).c_str());
    else
      w.Null();
    w.Key("broker_connected");
    w.Bool(connected);
    w.Key("http_port");
    if (has_state && state.HasMember("http_port"))
      w.Uint(state["http_port"].GetUint());
    else
      w.Null();
    w.EndObject();
    std::cout << buf.GetString() << "\n";
    return 0;
  }
  std::cout << "collector:          " << (running ? "running" : "not running") << "\n"
            << "outbox depth:       " << depth << " events (" << bytes << " bytes)\n"
            << "oldest undelivered: "
            << (oldest_ms ? age_text(now_ms - *oldest_ms) + " ago" : "none") << "\n"
            << "dead letters:       " << dead << "\n"
            << "last publish:       "
            << (last_publish
                    ? intake::core::format_rfc3339(intake::core::from_unix_ms(*last_publish))
                    : std::string("never"))
            << "\n"
            << "broker:             " << (connected ? "connected" : "disconnected");
  if (has_state && state.HasMember("broker_uri"))
    std::cout << " (" << state["broker_uri"].GetString() << ")";
  std::cout << "\n";
  return 0;
}

int cmd_tracking(const options& o) {
  if (o.words.size() != 3 || o.words[1] != "validate") {
    usage(std::cerr);
    return 2;
  }
  auto parts = intake::model::parse_tracking_number(o.words[2]);
  if (!parts) {
    std::cout << "invalid: " << parts.error().message << "\n";
    return 1;
  }
  std::cout << "valid: "
            << intake::model::make_tracking_number(parts->region, parts->node, parts->serial)
            << " (region " << parts->region << ", node " << static_cast<int>(parts->node)
            << ", serial " << parts->serial << ")\n";
  return 0;
}

int cmd_email(const options& o) {
  auto cfg = load_config(o.config_path);
  if (!cfg) return 2;
  return run_email_command(o.words, cfg->get_string("collector.data_dir"), o.json, std::cout);
}

int cmd_config(const options& o) {
  if (o.words.size() >= 2 && o.words[1] == "check") {
    auto cfg = load_config(o.config_path);
    if (!cfg) return 2;
    std::cout << o.config_path << ": ok\n";
    return 0;
  }
  if (o.words.size() >= 2 && o.words[1] == "keys") {
    for (const auto& k : intake::channels::all_config_keys()) {
      std::cout << k.path << " (" << intake::config::type_name(k.type) << ")\n    " << k.description
                << "\n";
    }
    return 0;
  }
  if (o.words.size() == 3 && o.words[1] == "explain") {
    // The value in effect is shown when the file loads; the key is explained either way.
    std::optional<intake::config::config> cfg;
    if (std::filesystem::exists(o.config_path)) cfg = load_config(o.config_path);
    return intake::ctl::explain_config_key(o.words[2], cfg ? &*cfg : nullptr, std::cout, std::cerr);
  }
  usage(std::cerr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // These take their own options (parse() below would swallow --config and --json).
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "keys") return run_keys_command(args, std::cout, std::cerr);
  if (!args.empty() && args[0] == "dedup-eval") return run_dedup_eval_command(args, std::cout);
  if (!args.empty() && args[0] == "qr") return run_qr_command(args, std::cout, std::cerr);
  if (!args.empty() && args[0] == "open") {
    return run_open_command(args, std::cin, std::cout, std::cerr);
  }
  const auto o = parse(argc, argv);
  if (o.words.empty() || o.words[0] == "--help" || o.words[0] == "help") {
    usage(o.words.empty() ? std::cerr : std::cout);
    return o.words.empty() ? 2 : 0;
  }
  const std::string& cmd = o.words[0];
  if (cmd == "status") return cmd_status(o);
  if (cmd == "tracking") return cmd_tracking(o);
  if (cmd == "config") return cmd_config(o);
  if (cmd == "email") return cmd_email(o);
  if (cmd == "triage") return run_triage_command(o.words, std::cout);
  if (cmd == "outbox") {
    auto cfg = load_config(o.config_path);
    if (!cfg) return 2;
    return intake::ctl::run_outbox_command(o.words, cfg->get_string("collector.data_dir"), o.json,
                                           std::cout, std::cerr);
  }
  std::cerr << "intakectl: unknown command " << cmd << "\n";
  usage(std::cerr);
  return 2;
}
