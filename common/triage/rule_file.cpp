// Reads a triage rules file (TOML) into compiled_rules. The one file that touches toml++ for
// triage: its exceptions end here, as rules_error with every problem as `file:line: reason`.
#include <toml++/toml.h>

#include <algorithm>
#include <map>
#include <set>

#include "common/normalize/text.hpp"
#include "common/triage/compiled_rules.hpp"
#include "common/triage/rule_set.hpp"

namespace intake::triage::detail {

namespace {

constexpr std::string_view referrals[] = {"110", "119", "120", "122"};
constexpr std::string_view routes[] = {
    "litigation", "arbitration", "discipline", "administrative_review", "information_disclosure",
    "petition"};
// Indexed by rule_kind (compiled_rules.hpp), in its order.
constexpr std::string_view kind_names[] = {"emergency", "route", "category"};
// Farther apart than this, two phrases of a citizen's message are not about one thing.
constexpr std::int64_t max_distance = 200;
constexpr std::int64_t max_negation_window = 20;

template <std::size_t N>
bool one_of(const std::string& value, const std::string_view (&allowed)[N]) {
  return std::find(std::begin(allowed), std::end(allowed), value) != std::end(allowed);
}

template <std::size_t N>
std::string list(const std::string_view (&allowed)[N]) {
  std::string out;
  for (const auto& a : allowed) {
    if (!out.empty()) out += ", ";
    out += a;
  }
  return out;
}

bool is_identifier(const std::string& s) {
  if (s.empty() || s.size() > 64 || s[0] < 'a' || s[0] > 'z') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::uint32_t line_of(const toml::node& n) {
  return n.source().begin.line;
}

struct reader {
  const std::string& file;
  compiled_rules out{};
  std::vector<std::string> problems{};
  std::map<std::string, std::uint32_t, std::less<>> groups{};  // global group → index
  std::vector<std::set<rule_kind>> applies{};                  // per global group
  std::set<std::string> declared{};  // global groups, valid or not: no second error for `ignore`

  void problem(std::uint32_t line, const std::string& reason) {
    problems.push_back(file + ":" + std::to_string(line) + ": " + reason);
  }

  void check_keys(const toml::table& t, std::initializer_list<std::string_view> allowed,
                  const std::string& where) {
    for (const auto& [key, node] : t) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
        problem(line_of(node), where + "unknown key \"" + std::string(key.str()) + "\"");
      }
    }
  }

  std::optional<std::string> string_of(const toml::node& n, const std::string& what) {
    if (const auto v = n.value<std::string>(); v && n.is_string()) return *v;
    problem(line_of(n), what + ": expected a string");
    return std::nullopt;
  }

  std::optional<std::uint32_t> count_of(const toml::node& n, const std::string& what,
                                        std::int64_t max) {
    if (!n.is_integer()) {
      problem(line_of(n), what + ": expected an integer");
      return std::nullopt;
    }
    const auto v = *n.value<std::int64_t>();
    if (v < 0 || v > max) {
      problem(line_of(n), what + ": must be between 0 and " + std::to_string(max));
      return std::nullopt;
    }
    return static_cast<std::uint32_t>(v);
  }

  std::vector<std::pair<std::string, std::uint32_t>> strings_of(const toml::node& n,
                                                                const std::string& what) {
    std::vector<std::pair<std::string, std::uint32_t>> values;
    const auto* arr = n.as_array();
    if (arr == nullptr) {
      problem(line_of(n), what + ": expected an array of strings");
      return values;
    }
    for (const auto& el : *arr) {
      if (!el.is_string()) {
        problem(line_of(el), what + ": expected an array of strings");
        continue;
      }
      values.emplace_back(*el.value<std::string>(), line_of(el));
    }
    return values;
  }

  // Terms are compared with folded message text, so a term that folding would change (a space,
  // punctuation, upper case, traditional script) could never match: refuse it now.
  term_ids terms_of(const toml::node& n, const std::string& what) {
    term_ids ids;
    for (const auto& [term, line] : strings_of(n, what)) {
      if (term.empty()) {
        problem(line, what + ": empty term");
        continue;
      }
      const auto normalized = normalize::normalize_text(term);
      if (!normalized) {
        problem(line, what + ": term is not valid UTF-8");
        continue;
      }
      const std::string folded = normalize::fold_for_matching(*normalized);
      if (folded != term) {
        problem(line, what + ": term \"" + term +
                          "\" would never match folded text (no spaces or punctuation, lower "
                          "case, simplified script); write \"" +
                          folded + "\"");
        continue;
      }
      ids.push_back(out.terms.add(term));
    }
    if (ids.empty() && n.is_array() && n.as_array()->empty()) {
      problem(line_of(n), what + ": empty list");
    }
    return ids;
  }

  std::vector<proximity> near_of(const toml::node& n, const std::string& what) {
    std::vector<proximity> result;
    const auto* arr = n.as_array();
    if (arr == nullptr) {
      problem(line_of(n), what + ": expected an array of { a = [...], b = [...], within = N }");
      return result;
    }
    for (const auto& el : *arr) {
      const auto* t = el.as_table();
      if (t == nullptr) {
        problem(line_of(el), what + ": expected { a = [...], b = [...], within = N }");
        continue;
      }
      check_keys(*t, {"a", "b", "within"}, what + ": ");
      proximity p;
      bool complete = true;
      for (const char* key : {"a", "b", "within"}) {
        if (!t->contains(key)) {
          problem(line_of(el), what + ": missing \"" + key + "\"");
          complete = false;
        }
      }
      if (!complete) continue;
      p.a = terms_of(*t->get("a"), what + ".a");
      p.b = terms_of(*t->get("b"), what + ".b");
      const auto within = count_of(*t->get("within"), what + ".within", max_distance);
      if (p.a.empty() || p.b.empty() || !within) continue;
      p.within = *within;
      result.push_back(std::move(p));
    }
    return result;
  }

  // `terms_key` is "any" in rules and "terms" in exclusions; both may also have "near".
  pattern pattern_of(const toml::table& t, const char* terms_key, const std::string& where) {
    pattern p;
    if (const auto* n = t.get(terms_key)) p.any = terms_of(*n, where + terms_key);
    if (const auto* n = t.get("near")) p.near = near_of(*n, where + "near");
    if (!t.contains(terms_key) && !t.contains("near")) {
      problem(line_of(t), where + "needs \"" + terms_key + "\" or \"near\"");
    }
    return p;
  }

  std::optional<exclusion> exclusion_of(const toml::table& t, const std::string& name,
                                        const std::string& where, bool global) {
    if (global) {
      check_keys(t, {"mode", "before", "after", "terms", "near", "reset", "applies_to"}, where);
    } else {
      check_keys(t, {"mode", "before", "after", "terms", "near", "reset"}, where);
    }
    exclusion ex;
    ex.name = name;
    const auto* mode = t.get("mode");
    if (mode == nullptr) {
      problem(line_of(t), where + "missing \"mode\" (mask, window or text)");
      return std::nullopt;
    }
    const auto m = string_of(*mode, where + "mode");
    if (!m) return std::nullopt;
    if (*m == "mask") {
      ex.mode = exclusion_mode::mask;
    } else if (*m == "window") {
      ex.mode = exclusion_mode::window;
    } else if (*m == "text") {
      ex.mode = exclusion_mode::text;
    } else {
      problem(line_of(*mode), where + "mode \"" + *m + "\" must be mask, window or text");
      return std::nullopt;
    }
    for (const char* key : {"before", "after", "reset"}) {
      const auto* n = t.get(key);
      if (n == nullptr) continue;
      if (ex.mode != exclusion_mode::window) {
        problem(line_of(*n), where + "\"" + key + "\" applies only to mode = \"window\"");
        continue;
      }
      if (std::string_view(key) == "reset") {
        ex.reset = terms_of(*n, where + "reset");
      } else {
        auto& side = std::string_view(key) == "before" ? ex.before : ex.after;
        side = count_of(*n, where + key, max_distance);
      }
    }
    if (ex.mode == exclusion_mode::window && !t.contains("before") && !t.contains("after")) {
      problem(line_of(t), where + "mode = \"window\" needs \"before\", \"after\" or both");
    }
    ex.match = pattern_of(t, "terms", where);
    return ex;
  }

  void read_negation(const toml::node& n) {
    const auto* t = n.as_table();
    if (t == nullptr) {
      problem(line_of(n), "negation: expected a table");
      return;
    }
    check_keys(*t, {"window", "negators", "exceptions"}, "negation: ");
    if (const auto* w = t->get("window")) {
      if (auto v = count_of(*w, "negation.window", max_negation_window)) out.negation.window = *v;
    }
    if (const auto* v = t->get("negators"))
      out.negation.negators = terms_of(*v, "negation.negators");
    if (const auto* v = t->get("exceptions")) {
      out.negation.exceptions = terms_of(*v, "negation.exceptions");
    }
  }

  void read_exclusions(const toml::node& n) {
    const auto* t = n.as_table();
    if (t == nullptr) {
      problem(line_of(n), "exclusion: expected tables [exclusion.NAME]");
      return;
    }
    for (const auto& [key, node] : *t) {
      const std::string name(key.str());
      const std::string where = "exclusion \"" + name + "\": ";
      const auto* group = node.as_table();
      if (group == nullptr) {
        problem(line_of(node), where + "expected a table [exclusion." + name + "]");
        continue;
      }
      if (!is_identifier(name)) {
        problem(line_of(node), where + "name must be lower-case letters, digits and _");
      }
      declared.insert(name);
      auto ex = exclusion_of(*group, name, where, true);
      std::set<rule_kind> kinds{rule_kind::emergency};
      if (const auto* a = group->get("applies_to")) {
        kinds.clear();
        for (const auto& [kind, line] : strings_of(*a, where + "applies_to")) {
          const auto it = std::find(std::begin(kind_names), std::end(kind_names), kind);
          if (it == std::end(kind_names)) {
            problem(line, where + "applies_to \"" + kind + "\" must be one of " + list(kind_names));
            continue;
          }
          kinds.insert(static_cast<rule_kind>(it - std::begin(kind_names)));
        }
      }
      if (!ex) continue;
      groups[name] = static_cast<std::uint32_t>(out.exclusions.size());
      applies.push_back(std::move(kinds));
      out.exclusions.push_back(std::move(*ex));
    }
  }

  void read_categories(const toml::node& n) {
    std::set<std::string> seen;
    for (auto& [c, line] : strings_of(n, "categories")) {
      if (c.empty()) {
        problem(line, "categories: empty name");
      } else if (!seen.insert(c).second) {
        problem(line, "categories: \"" + c + "\" is listed twice");
      } else {
        out.categories.push_back(std::move(c));
      }
    }
  }

  void read_rule(const toml::table& t, std::size_t index, std::set<std::string>& names) {
    std::string name;
    if (const auto* n = t.get("name")) {
      if (auto v = string_of(*n, "rule #" + std::to_string(index + 1) + ": name")) name = *v;
      if (!name.empty() && !is_identifier(name)) {
        problem(line_of(*n),
                "rule \"" + name + "\": name must be lower-case letters, digits and _");
      } else if (!name.empty() && !names.insert(name).second) {
        problem(line_of(*n), "rule \"" + name + "\": another rule has this name");
      }
    } else {
      problem(line_of(t), "rule #" + std::to_string(index + 1) + ": missing \"name\"");
    }
    const std::string where =
        name.empty() ? "rule #" + std::to_string(index + 1) + ": " : "rule \"" + name + "\": ";
    check_keys(
        t,
        {"name", "referral", "route", "category", "any", "near", "negation", "ignore", "exclude"},
        where);

    rule r;
    r.name = name;
    int outcomes = 0;
    bool outcome_ok = true;
    if (const auto* n = t.get("referral")) {
      ++outcomes;
      r.kind = rule_kind::emergency;
      auto v = string_of(*n, where + "referral");
      outcome_ok = v && one_of(*v, referrals);
      if (v && !outcome_ok) {
        problem(line_of(*n), where + "referral \"" + *v + "\" must be one of " + list(referrals));
      }
      if (v) r.outcome = *v;
    }
    if (const auto* n = t.get("route")) {
      ++outcomes;
      r.kind = rule_kind::route;
      auto v = string_of(*n, where + "route");
      outcome_ok = v && one_of(*v, routes);
      if (v && !outcome_ok) {
        problem(line_of(*n), where + "route \"" + *v + "\" must be one of " + list(routes));
      }
      if (v) r.outcome = *v;
    }
    if (const auto* n = t.get("category")) {
      ++outcomes;
      r.kind = rule_kind::category;
      auto v = string_of(*n, where + "category");
      outcome_ok =
          v && std::find(out.categories.begin(), out.categories.end(), *v) != out.categories.end();
      if (v && !outcome_ok) {
        problem(line_of(*n), where + "category \"" + *v + "\" is not listed in categories");
      }
      if (v) r.outcome = *v;
    }
    if (outcomes != 1) {
      problem(line_of(t), where + "needs exactly one of \"referral\", \"route\", \"category\"");
    }
    r.match = pattern_of(t, "any", where);
    // Negation tells whether something is happening; a route or a category is about the subject,
    // which "没有" does not change ("没有路灯" is still about street lights).
    r.negation = r.kind == rule_kind::emergency;
    if (const auto* n = t.get("negation")) {
      if (n->is_boolean()) {
        r.negation = *n->value<bool>();
      } else {
        problem(line_of(*n), where + "negation: expected true or false");
      }
    }

    std::set<std::string> ignored;
    if (const auto* n = t.get("ignore")) {
      for (const auto& [g, line] : strings_of(*n, where + "ignore")) {
        if (declared.count(g) == 0) {
          problem(line, where + "ignore: no exclusion group \"" + g + "\"");
        }
        ignored.insert(g);
      }
    }
    for (const auto& [g, i] : groups) {
      if (applies[i].count(r.kind) && ignored.count(g) == 0) r.exclusions.push_back(i);
    }
    if (const auto* n = t.get("exclude")) {
      const auto* arr = n->as_array();
      if (arr == nullptr) {
        problem(line_of(*n), where + "exclude: expected [[rule.exclude]] tables");
      } else {
        std::size_t k = 0;
        for (const auto& el : *arr) {
          ++k;
          const auto* et = el.as_table();
          if (et == nullptr) {
            problem(line_of(el), where + "exclude: expected a table");
            continue;
          }
          const std::string local = name + ".exclude" + std::to_string(k);
          if (auto ex = exclusion_of(*et, local, where + "exclude: ", false)) {
            r.exclusions.push_back(static_cast<std::uint32_t>(out.exclusions.size()));
            out.exclusions.push_back(std::move(*ex));
          }
        }
      }
    }
    if (outcomes == 1 && outcome_ok && !name.empty()) out.rules.push_back(std::move(r));
  }

  void read(const toml::table& root) {
    check_keys(root, {"version", "categories", "negation", "exclusion", "rule"}, "");
    if (const auto* v = root.get("version")) {
      if (!v->is_integer() || *v->value<std::int64_t>() != 1) {
        problem(line_of(*v), "version: this collector reads version = 1");
      }
    }
    // Categories and exclusion groups first: rules refer to them.
    if (const auto* n = root.get("categories")) read_categories(*n);
    if (const auto* n = root.get("negation")) read_negation(*n);
    if (const auto* n = root.get("exclusion")) read_exclusions(*n);
    const auto* rules = root.get("rule");
    if (rules == nullptr) {
      problem(1, "no rules: add [[rule]] tables");
      return;
    }
    const auto* arr = rules->as_array();
    if (arr == nullptr) {
      problem(line_of(*rules), "rule: expected [[rule]] tables");
      return;
    }
    std::set<std::string> names;
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const auto* t = (*arr)[i].as_table();
      if (t == nullptr) {
        problem(line_of((*arr)[i]), "rule #" + std::to_string(i + 1) + ": expected a table");
        continue;
      }
      read_rule(*t, i, names);
    }
  }
};

}  // namespace

compiled_rules parse_rules(std::string_view toml_text, const std::string& name) {
  toml::table root;
  try {
    root = toml::parse(toml_text, name);
  } catch (const toml::parse_error& e) {
    throw rules_error(
        {name + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description())});
  }
  reader r{name};
  r.read(root);
  if (!r.problems.empty()) throw rules_error(std::move(r.problems));
  r.out.terms.build();
  return std::move(r.out);
}

}  // namespace intake::triage::detail
