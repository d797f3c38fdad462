#include "collectors/intakectl/open_command.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stream.h>

#include <fstream>
#include <iterator>
#include <optional>

#include "common/media/sealed_media.hpp"
#include "common/privacy/box_keys.hpp"
#include "common/privacy/event_opener.hpp"

namespace {

void usage(std::ostream& out) {
  out << "usage: intakectl open --secret-key FILE [--public-key FILE] [EVENT.json|-]\n"
         "       intakectl open --secret-key FILE [--public-key FILE] --media FILE|-\n"
         "  prints each feed event (one event, or JSON lines) with submitter.sealed opened;\n"
         "  reads standard input when no file or - is given. With --media: writes the exact\n"
         "  bytes of a sealed attachment (as /media/{sha256} serves it) to standard output\n";
}

struct open_options {
  std::string secret_key_file;
  std::optional<std::string> public_key_file;
  std::string input = "-";
  bool media = false;
};

std::optional<open_options> parse(const std::vector<std::string>& args) {
  open_options o;
  bool input_given = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--secret-key" && i + 1 < args.size()) {
      o.secret_key_file = args[++i];
    } else if (a == "--public-key" && i + 1 < args.size()) {
      o.public_key_file = args[++i];
    } else if (a == "--media" && i + 1 < args.size() && !input_given && !o.media) {
      o.media = true;
      o.input = args[++i];
      input_given = true;
    } else if ((a == "-" || !a.starts_with("-")) && !input_given) {
      o.input = a;
      input_given = true;
    } else {
      return std::nullopt;
    }
  }
  if (o.secret_key_file.empty()) return std::nullopt;
  return o;
}

std::optional<intake::privacy::key_pair> load_keys(const open_options& o, std::ostream& err) {
  auto sec = intake::privacy::read_secret_key_file(o.secret_key_file);
  if (!sec) {
    err << "intakectl: " << sec.error().message << "\n";
    return std::nullopt;
  }
  intake::privacy::key_pair keys{intake::privacy::public_key_of(*sec), *sec};
  if (o.public_key_file) {
    auto pub = intake::privacy::read_public_key_file(*o.public_key_file);
    if (!pub) {
      err << "intakectl: " << pub.error().message << "\n";
      return std::nullopt;
    }
    if (pub->bytes != keys.pub.bytes) {
      err << "intakectl: " << *o.public_key_file << " is not the public key of "
          << o.secret_key_file << "\n";
      return std::nullopt;
    }
  }
  return keys;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Takes input line by line and opens each JSON value as soon as it is complete, so that a live
// feed (`mosquitto_sub ... | intakectl open ...`) prints as events arrive. One event, JSON lines
// and pretty-printed events one after another all work.
class event_reader {
 public:
  event_reader(const intake::privacy::key_pair& keys, std::ostream& out, std::ostream& err)
      : keys_(keys), out_(out), err_(err) {}

  void add_line(const std::string& line) {
    // An unindented '{' starts a new event: whatever is still incomplete before it was cut short
    // (a JSON lines stream must not swallow good events after one truncated line).
    if (!pending_.empty() && !line.empty() && line.front() == '{') reject_pending();
    pending_ += line;
    pending_ += '\n';
    if (pending_.size() > max_event_bytes) {
      reject_pending();
      return;
    }
    drain(false);
  }

  void finish() { drain(true); }
  int failures() const { return failures_; }

 private:
  // Larger than any event the collector writes (a body is at most a few hundred KiB).
  static constexpr std::size_t max_event_bytes = 16 * 1024 * 1024;

  void drain(bool at_end) {
    while (true) {
      std::size_t start = 0;
      while (start < pending_.size() && is_space(pending_[start])) ++start;
      pending_.erase(0, start);
      if (pending_.empty()) return;
      rapidjson::StringStream stream(pending_.c_str());
      rapidjson::Document doc;
      doc.ParseStream<rapidjson::kParseStopWhenDoneFlag>(stream);
      if (doc.HasParseError()) {
        // Ran off the end: more lines may complete it.
        if (!at_end && doc.GetErrorOffset() >= pending_.size()) return;
        reject_pending();
        return;
      }
      const std::size_t length = stream.Tell();
      ++number_;
      auto opened =
          intake::privacy::open_event(std::string_view(pending_).substr(0, length), keys_);
      pending_.erase(0, length);
      if (!opened) {
        err_ << "intakectl: event " << number_ << ": " << opened.error().message << "\n";
        ++failures_;
        continue;
      }
      out_ << *opened << "\n";
      out_.flush();
    }
  }

  void reject_pending() {
    std::size_t start = 0;
    while (start < pending_.size() && is_space(pending_[start])) ++start;
    if (start < pending_.size()) {
      ++number_;
      ++failures_;
      err_ << "intakectl: event " << number_ << ": not a JSON event\n";
    }
    pending_.clear();
  }

  const intake::privacy::key_pair& keys_;
  std::ostream& out_;
  std::ostream& err_;
  std::string pending_;
  std::size_t number_ = 0;
  int failures_ = 0;
};

}  // namespace

int run_open_command(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                     std::ostream& err) {
  const auto options = parse(args);
  if (!options) {
    usage(err);
    return 2;
  }
  const auto keys = load_keys(*options, err);
  if (!keys) return 2;

  std::ifstream file;
  if (options->input != "-") {
    file.open(options->input, std::ios::binary);
    if (!file) {
      err << "intakectl: cannot read " << options->input << "\n";
      return 2;
    }
  }
  std::istream& source = options->input == "-" ? in : file;

  if (options->media) {
    const std::string sealed{std::istreambuf_iterator<char>(source),
                             std::istreambuf_iterator<char>()};
    auto opened = intake::media::open_sealed_media(sealed, *keys);
    if (!opened) {
      err << "intakectl: " << opened.error().message << "\n";
      return 1;
    }
    out.write(opened->bytes.data(), static_cast<std::streamsize>(opened->bytes.size()));
    out.flush();
    return out ? 0 : 1;
  }

  event_reader reader(*keys, out, err);
  std::string line;
  while (std::getline(source, line)) reader.add_line(line);
  reader.finish();
  return reader.failures() == 0 ? 0 : 1;
}
