#include "common/dedup/pair_evaluation.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iterator>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "common/dedup/minhash.hpp"
#include "common/dedup/similarity.hpp"
#include "common/normalize/text.hpp"

namespace intake::dedup {

namespace {

namespace fs = std::filesystem;

struct message {
  std::string name;  // CODE:id
  std::string user;
  shingles grams;
  band_keys keys{};
};

// Messages by "CODE:id"; one scope for all of them.
class corpus {
 public:
  std::size_t add(std::string key, std::string user, std::string_view text) {
    auto normalized = normalize::normalize_text(text);
    message m;
    m.name = key;
    m.user = std::move(user);
    m.grams = make_shingles(normalize::fold_for_matching(normalized ? *normalized : ""));
    if (!m.grams.empty()) m.keys = make_band_keys(corpus_scope(), make_signature(m.grams));
    const std::size_t index = messages_.size();
    by_key_.emplace(std::move(key), index);
    messages_.push_back(std::move(m));
    return index;
  }
  std::optional<std::size_t> find(const std::string& key) const {
    const auto it = by_key_.find(key);
    if (it == by_key_.end()) return std::nullopt;
    return it->second;
  }
  const message& at(std::size_t i) const { return messages_[i]; }
  std::size_t size() const { return messages_.size(); }

  bool candidates(std::size_t a, std::size_t b) const {
    const auto& x = messages_[a];
    const auto& y = messages_[b];
    if (x.grams.empty() || y.grams.empty()) return false;
    for (std::size_t i = 0; i < band_count; ++i)
      if (x.keys[i] == y.keys[i]) return true;
    return false;
  }
  double score(std::size_t a, std::size_t b) const {
    return compare(messages_[a].grams, messages_[b].grams).score;
  }

 private:
  std::vector<message> messages_;
  std::unordered_map<std::string, std::size_t> by_key_;
};

using pair_key = std::pair<std::size_t, std::size_t>;
pair_key ordered(std::size_t a, std::size_t b) {
  return a < b ? pair_key{a, b} : pair_key{b, a};
}
struct pair_hash {
  std::size_t operator()(const pair_key& p) const {
    return static_cast<std::size_t>(mix64((static_cast<std::uint64_t>(p.first) << 32) ^ p.second));
  }
};

std::optional<std::size_t> column(const std::vector<std::string>& header,
                                  std::initializer_list<std::string_view> names) {
  for (std::size_t i = 0; i < header.size(); ++i)
    for (const auto name : names)
      if (header[i] == name) return i;
  return std::nullopt;
}

// "A3" → the file holding "attach3" (and not "SAMPLE"); "A2s" → "attach2" and "SAMPLE".
std::optional<fs::path> file_for_code(const fs::path& dir, const std::string& code) {
  if (code.size() < 2 || code[0] != 'A') return std::nullopt;
  const bool sample = code.back() == 's';
  const std::string number = code.substr(1, code.size() - 1 - (sample ? 1 : 0));
  if (number.empty() || !std::all_of(number.begin(), number.end(), ::isdigit)) return std::nullopt;
  std::error_code ec;
  std::vector<fs::path> found;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".csv") continue;
    const auto at = name.find("attach" + number);
    if (at == std::string::npos) continue;
    // "attach1" must not take "attach12".
    const auto after = at + 6 + number.size();
    if (after < name.size() && std::isdigit(static_cast<unsigned char>(name[after]))) continue;
    if ((name.find("SAMPLE") != std::string::npos) == sample) found.push_back(entry.path());
  }
  if (found.size() != 1) return std::nullopt;
  return found.front();
}

core::result<void> load_message_file(corpus& c, const std::string& code, const fs::path& path) {
  const auto rows = read_csv_file(path.string());
  if (!rows || rows->empty())
    return core::fail(core::errc::invalid_field, "cannot read " + path.string());
  const auto& header = rows->front();
  const auto id = column(header, {"留言编号", "id"});
  const auto user = column(header, {"留言用户", "user"});
  const auto detail = column(header, {"留言详情", "detail"});
  if (!id || !detail)
    return core::fail(core::errc::invalid_field, path.string() + ": no id or detail column");
  for (std::size_t r = 1; r < rows->size(); ++r) {
    const auto& row = (*rows)[r];
    if (row.size() <= std::max(*id, *detail)) continue;
    c.add(code + ":" + row[*id], user && *user < row.size() ? row[*user] : std::string(),
          row[*detail]);
  }
  return {};
}

double ratio(std::size_t num, std::size_t den) {
  return den ? static_cast<double>(num) / static_cast<double>(den) : 0.0;
}

}  // namespace

std::optional<std::vector<std::vector<std::string>>> read_csv_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::string data((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (data.rfind("\xEF\xBB\xBF", 0) == 0) data.erase(0, 3);

  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  bool started = false;
  for (std::size_t i = 0; i < data.size(); ++i) {
    const char c = data[i];
    if (quoted) {
      if (c != '"') {
        field.push_back(c);
      } else if (i + 1 < data.size() && data[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else {
        quoted = false;
      }
      continue;
    }
    started = true;
    if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < data.size() && data[i + 1] == '\n') ++i;
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
      started = false;
    } else {
      field.push_back(c);
    }
  }
  if (started) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

core::result<evaluation_report> evaluate_pairs(const evaluation_options& options) {
  const auto start = std::chrono::steady_clock::now();
  evaluation_report report;
  report.threshold = options.threshold;

  const auto rows = read_csv_file(options.pairs_path);
  if (!rows || rows->empty())
    return core::fail(core::errc::invalid_field, "cannot read " + options.pairs_path);
  const auto& header = rows->front();
  const auto band_col = column(header, {"band"});
  const auto relation_col = column(header, {"user_relation"});
  const auto file_a = column(header, {"file_a"}), id_a = column(header, {"id_a"});
  const auto file_b = column(header, {"file_b"}), id_b = column(header, {"id_b"});
  const auto text_a = column(header, {"text_a"}), text_b = column(header, {"text_b"});
  const bool silver = file_a && id_a && file_b && id_b;
  if (!band_col || (!silver && !(text_a && text_b))) {
    return core::fail(core::errc::invalid_field,
                      options.pairs_path +
                          ": expected columns file_a,id_a,file_b,id_b,band or text_a,text_b,band");
  }

  corpus texts;
  std::set<std::string> missing;
  if (silver) {
    const fs::path dir = options.messages_dir.empty() ? fs::path(options.pairs_path).parent_path()
                                                      : fs::path(options.messages_dir);
    std::set<std::string> codes;
    for (std::size_t r = 1; r < rows->size(); ++r) {
      const auto& row = (*rows)[r];
      if (row.size() > std::max(*file_a, *file_b)) {
        codes.insert(row[*file_a]);
        codes.insert(row[*file_b]);
      }
    }
    for (const auto& code : codes) {
      const auto path = file_for_code(dir, code);
      if (!path) {
        missing.insert(code);
        continue;
      }
      if (auto loaded = load_message_file(texts, code, *path); !loaded)
        return tl::unexpected(loaded.error());
      report.files[code] = path->filename().string();
    }
  }

  std::unordered_set<pair_key, pair_hash> labelled;
  for (std::size_t r = 1; r < rows->size(); ++r) {
    const auto& row = (*rows)[r];
    if (row.size() <= *band_col) continue;
    const std::string band = row[*band_col];
    std::optional<std::size_t> a, b;
    if (silver) {
      if (row.size() <= std::max({*file_a, *id_a, *file_b, *id_b})) continue;
      a = texts.find(row[*file_a] + ":" + row[*id_a]);
      b = texts.find(row[*file_b] + ":" + row[*id_b]);
    } else {
      if (row.size() <= std::max(*text_a, *text_b)) continue;
      a = texts.add("inline:" + std::to_string(r) + "a", {}, row[*text_a]);
      b = texts.add("inline:" + std::to_string(r) + "b", {}, row[*text_b]);
    }
    auto& counts = band == "negative" ? report.negatives : report.bands[band];
    if (!a || !b) {
      ++counts.skipped;
      continue;
    }
    labelled.insert(ordered(*a, *b));
    const std::string relation =
        relation_col && *relation_col < row.size() ? row[*relation_col] : std::string();
    ++counts.pairs;
    const bool candidate = texts.candidates(*a, *b);
    counts.candidates += candidate;
    const bool flagged = candidate && texts.score(*a, *b) >= options.threshold;
    counts.flagged += flagged;
    if (band == "exact" || band == "near") {
      auto& rel = report.relations[relation.empty() ? "unknown" : relation];
      ++rel.pairs;
      rel.candidates += candidate;
      rel.flagged += flagged;
      if (flagged) {
        ++report.tp;
      } else {
        ++report.fn;
      }
    }
  }
  report.missing_files.assign(missing.begin(), missing.end());
  report.messages = texts.size();

  // Negatives: random pairs of different messages that the file does not pair. A fixed engine
  // and plain modulo (not a distribution object) give the same sample on every platform.
  if (texts.size() >= 2 && options.negatives > 0) {
    std::mt19937_64 rng(options.seed);
    std::unordered_set<pair_key, pair_hash> drawn;
    const std::size_t n = texts.size();
    const std::size_t wanted = std::min<std::size_t>(options.negatives, n * (n - 1) / 2 / 2);
    for (std::size_t tries = 0; drawn.size() < wanted && tries < wanted * 20; ++tries) {
      const std::size_t a = rng() % n, b = rng() % n;
      if (a == b) continue;
      const auto key = ordered(a, b);
      if (labelled.count(key) || !drawn.insert(key).second) continue;
      ++report.negatives.pairs;
      const bool candidate = texts.candidates(a, b);
      report.negatives.candidates += candidate;
      report.negatives.flagged += candidate && texts.score(a, b) >= options.threshold;
    }
  }
  report.fp = report.negatives.flagged;

  // One user's unlabelled pairs, and a sweep of everything the index would put forward.
  if (silver) {
    std::unordered_map<std::string, std::vector<std::size_t>> by_user;
    for (std::size_t i = 0; i < texts.size(); ++i)
      if (!texts.at(i).user.empty()) by_user[texts.at(i).user].push_back(i);
    for (const auto& [user, ids] : by_user) {
      for (std::size_t x = 0; x < ids.size(); ++x) {
        for (std::size_t y = x + 1; y < ids.size(); ++y) {
          if (labelled.count(ordered(ids[x], ids[y]))) continue;
          auto& c = report.same_user_unlabelled;
          ++c.pairs;
          const bool candidate = texts.candidates(ids[x], ids[y]);
          c.candidates += candidate;
          c.flagged += candidate && texts.score(ids[x], ids[y]) >= options.threshold;
        }
      }
    }

    std::unordered_map<std::int64_t, std::vector<std::size_t>> buckets;
    for (std::size_t i = 0; i < texts.size(); ++i) {
      if (texts.at(i).grams.empty()) continue;
      for (const auto& key : texts.at(i).keys) buckets[key.band].push_back(i);  // one scope
    }
    std::unordered_set<pair_key, pair_hash> seen;
    for (const auto& [key, members] : buckets) {
      for (std::size_t x = 0; x < members.size(); ++x) {
        for (std::size_t y = x + 1; y < members.size(); ++y) {
          const auto p = ordered(members[x], members[y]);
          if (!seen.insert(p).second) continue;
          const double s = texts.score(p.first, p.second);
          if (s < options.threshold) continue;
          ++report.sweep_flagged;
          if (labelled.count(p)) continue;
          ++report.sweep_unlabelled;
          std::ostringstream example;
          example << texts.at(p.first).name << " " << texts.at(p.second).name << " " << std::fixed
                  << std::setprecision(3) << s;
          report.sweep_unlabelled_examples.push_back(example.str());
        }
      }
    }
  }

  report.precision = ratio(report.tp, report.tp + report.fp);
  report.recall = ratio(report.tp, report.tp + report.fn);
  report.f1 = report.precision + report.recall > 0
                  ? 2 * report.precision * report.recall / (report.precision + report.recall)
                  : 0.0;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

void print_report(const evaluation_report& r, std::ostream& out) {
  const auto pct = [](double v) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(3) << v;
    return s.str();
  };
  out << "threshold " << r.threshold << ", " << r.messages << " texts";
  for (const auto& [code, file] : r.files) out << ", " << code << "=" << file;
  for (const auto& code : r.missing_files) out << ", " << code << "=(no file: pairs skipped)";
  out << "\n\n";
  out << "band        pairs  skipped  lsh_candidates  flagged  recall\n";
  for (const auto& [band, c] : r.bands) {
    out << std::left << std::setw(10) << band << std::right << std::setw(7) << c.pairs
        << std::setw(9) << c.skipped << std::setw(16) << c.candidates << std::setw(9) << c.flagged
        << "  " << pct(c.recall()) << "\n";
  }
  out << std::left << std::setw(10) << "negative" << std::right << std::setw(7) << r.negatives.pairs
      << std::setw(9) << r.negatives.skipped << std::setw(16) << r.negatives.candidates
      << std::setw(9) << r.negatives.flagged << "  (false positives)\n";
  out << "\nexact+near: precision " << pct(r.precision) << "  recall " << pct(r.recall) << "  F1 "
      << pct(r.f1) << "  (tp " << r.tp << ", fn " << r.fn << ", fp " << r.fp << " of "
      << r.negatives.pairs << " negatives)\n";
  for (const auto& [relation, c] : r.relations) {
    out << "  " << relation << ": recall " << pct(c.recall()) << " (" << c.flagged << "/" << c.pairs
        << ")\n";
  }
  if (const auto it = r.bands.find("partial"); it != r.bands.end()) {
    out << "partial: " << it->second.flagged << " of " << it->second.pairs << " flagged ("
        << pct(it->second.recall()) << "); labels say related, not duplicate\n";
  }
  if (r.same_user_unlabelled.pairs) {
    out << "same user, unlabelled: " << r.same_user_unlabelled.flagged << " of "
        << r.same_user_unlabelled.pairs << " pairs flagged\n";
  }
  if (r.sweep_flagged) {
    out << "corpus sweep: " << r.sweep_flagged << " pairs flagged, " << r.sweep_unlabelled
        << " of them not in the pairs file\n";
    auto examples = r.sweep_unlabelled_examples;
    std::sort(examples.begin(), examples.end());
    for (const auto& e : examples) out << "  unlabelled: " << e << "\n";
  }
  out << "(" << pct(r.seconds) << " s)\n";
}

}  // namespace intake::dedup
