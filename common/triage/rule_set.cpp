#include "common/triage/rule_set.hpp"

#include <algorithm>
#include <fstream>
#include <optional>
#include <span>
#include <sstream>

#include "common/triage/compiled_rules.hpp"
#include "common/triage/default_rules.hpp"

namespace intake::triage {

namespace {

using detail::compiled_rules;
using detail::exclusion_mode;
using detail::rule;
using detail::rule_kind;

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) {
    if (!out.empty()) out += '\n';
    out += l;
  }
  return out;
}

bool contains(span outer, span inner) {
  return outer.start <= inner.start && inner.end <= outer.end;
}

bool overlaps(span a, span b) {
  return a.start < b.end && b.start < a.end;
}

// Characters strictly between two stretches; 0 when they touch or overlap.
std::uint32_t gap(span a, span b) {
  const auto lo = std::max(a.start, b.start);
  const auto hi = std::min(a.end, b.end);
  return lo > hi ? lo - hi : 0;
}

span join(span a, span b) {
  return {std::min(a.start, b.start), std::max(a.end, b.end)};
}

// One assessment: the term occurrences of one text, and the questions rules ask about them.
class evaluation {
 public:
  evaluation(const compiled_rules& rules, std::string_view text) : rules_(rules), text_(text) {
    std::vector<term_hit> hits;
    rules_.terms.scan(text, hits);
    // Grouped by term (a counting sort keeps each term's occurrences in text order).
    offsets_.assign(rules_.terms.size() + 1, 0);
    for (const auto& h : hits) ++offsets_[h.term + 1];
    for (std::size_t i = 1; i < offsets_.size(); ++i) offsets_[i] += offsets_[i - 1];
    by_term_.resize(hits.size());
    std::vector<std::uint32_t> fill(offsets_.begin(), offsets_.end() - 1);
    for (const auto& h : hits) by_term_[fill[h.term]++] = h.at;

    collect_negators();
    exclusion_hits_.resize(rules_.exclusions.size());
    reset_hits_.resize(rules_.exclusions.size());
    for (std::size_t i = 0; i < rules_.exclusions.size(); ++i) {
      const auto& ex = rules_.exclusions[i];
      exclusion_hits_[i] = find(ex.match, nullptr);
      for (const auto id : ex.reset) {
        const auto o = occurrences(id);
        reset_hits_[i].insert(reset_hits_[i].end(), o.begin(), o.end());
      }
    }
  }

  decision run() const {
    decision d;
    std::size_t best_score = 0;
    for (const auto& r : rules_.rules) {
      switch (r.kind) {
        case rule_kind::emergency:
          if (d.emergency_rule.empty()) {
            if (const auto at = first_match(r)) {
              d.emergency_rule = r.name;
              d.emergency_match = excerpt(*at);
              d.triage.urgency = model::urgency::emergency;
              d.triage.referral = r.outcome;
            }
          }
          break;
        case rule_kind::route:
          if (d.route_rule.empty()) {
            if (const auto at = first_match(r)) {
              d.route_rule = r.name;
              d.route_match = excerpt(*at);
              d.triage.statutory_route = r.outcome;
            }
          }
          break;
        case rule_kind::category:
          // The rule with most distinct clues wins; on a tie, the one earlier in the file.
          if (const auto s = score(r); s > best_score) {
            best_score = s;
            d.category_rule = r.name;
            d.triage.category_hint = r.outcome;
          }
          break;
      }
    }
    d.triage.rule = !d.emergency_rule.empty() ? d.emergency_rule
                    : !d.route_rule.empty()   ? d.route_rule
                                              : d.category_rule;
    return d;
  }

 private:
  std::span<const span> occurrences(std::uint32_t term) const {
    return {by_term_.data() + offsets_[term], by_term_.data() + offsets_[term + 1]};
  }

  void collect_negators() {
    std::vector<span> exceptions;
    for (const auto id : rules_.negation.exceptions) {
      const auto o = occurrences(id);
      exceptions.insert(exceptions.end(), o.begin(), o.end());
    }
    for (const auto id : rules_.negation.negators) {
      for (const auto n : occurrences(id)) {
        const bool excepted = std::any_of(exceptions.begin(), exceptions.end(),
                                          [&](span e) { return contains(e, n); });
        if (!excepted) negator_ends_.push_back(n.end);
      }
    }
    std::sort(negator_ends_.begin(), negator_ends_.end());
  }

  // A negator ending at most `window` characters before the term ("没有人受伤", "未发现明火").
  bool negated(span at) const {
    const auto window = rules_.negation.window;
    const auto from = at.start > window ? at.start - window : 0;
    const auto it = std::lower_bound(negator_ends_.begin(), negator_ends_.end(), from);
    return it != negator_ends_.end() && *it <= at.start;
  }

  bool masked(const rule& r, span at) const {
    for (const auto i : r.exclusions) {
      if (rules_.exclusions[i].mode != exclusion_mode::mask) continue;
      for (const auto x : exclusion_hits_[i]) {
        if (contains(x, at)) return true;
      }
    }
    return false;
  }

  bool usable(const rule* r, span at) const {
    if (r == nullptr) return true;  // exclusions themselves are neither negated nor masked
    return !(r->negation && negated(at)) && !masked(*r, at);
  }

  std::vector<span> usable_occurrences(const detail::term_ids& ids, const rule* r) const {
    std::vector<span> out;
    for (const auto id : ids) {
      for (const auto at : occurrences(id)) {
        if (usable(r, at)) out.push_back(at);
      }
    }
    return out;
  }

  struct match {
    span at;
    std::size_t clause;  // which term of `any`, or any.size() + which `near`
  };

  // Every match of a pattern; for a rule, only those neither negated nor masked.
  std::vector<match> matches(const detail::pattern& p, const rule* r) const {
    std::vector<match> out;
    for (std::size_t i = 0; i < p.any.size(); ++i) {
      for (const auto at : occurrences(p.any[i])) {
        if (usable(r, at)) out.push_back({at, i});
      }
    }
    for (std::size_t i = 0; i < p.near.size(); ++i) {
      const auto& near = p.near[i];
      const auto as = usable_occurrences(near.a, r);
      if (as.empty()) continue;
      auto bs = usable_occurrences(near.b, r);
      std::sort(bs.begin(), bs.end(), [](span x, span y) { return x.start < y.start; });
      std::uint32_t longest = 0;
      for (const auto b : bs) longest = std::max(longest, b.end - b.start);
      for (const auto a : as) {
        // Only b's starting from here can end within `within` of a.
        const std::uint32_t reach = near.within + longest;
        const std::uint32_t from = a.start > reach ? a.start - reach : 0;
        auto it = std::lower_bound(bs.begin(), bs.end(), from,
                                   [](span x, std::uint32_t v) { return x.start < v; });
        for (; it != bs.end() && it->start <= a.end + near.within; ++it) {
          if (gap(a, *it) <= near.within) out.push_back({join(a, *it), p.any.size() + i});
        }
      }
    }
    return out;
  }

  std::vector<span> find(const detail::pattern& p, const rule* r) const {
    std::vector<span> out;
    for (const auto& m : matches(p, r)) out.push_back(m.at);
    return out;
  }

  bool reset_between(std::size_t group, std::uint32_t from, std::uint32_t to) const {
    return std::any_of(reset_hits_[group].begin(), reset_hits_[group].end(),
                       [&](span s) { return s.start >= from && s.end <= to; });
  }

  bool excluded(const rule& r, span at) const {
    for (const auto i : r.exclusions) {
      const auto& ex = rules_.exclusions[i];
      switch (ex.mode) {
        case exclusion_mode::mask:
          break;  // applied to single occurrences, in usable()
        case exclusion_mode::text:
          if (!exclusion_hits_[i].empty()) return true;
          break;
        case exclusion_mode::window:
          for (const auto x : exclusion_hits_[i]) {
            if (overlaps(x, at)) return true;
            if (ex.before && x.end <= at.start && at.start - x.end <= *ex.before &&
                !reset_between(i, x.end, at.start)) {
              return true;
            }
            if (ex.after && x.start >= at.end && x.start - at.end <= *ex.after &&
                !reset_between(i, at.end, x.start)) {
              return true;
            }
          }
          break;
      }
    }
    return false;
  }

  // Where the rule fires first (in rule order, not text order), if it does.
  std::optional<span> first_match(const rule& r) const {
    for (const auto& m : matches(r.match, &r)) {
      if (!excluded(r, m.at)) return m.at;
    }
    return std::nullopt;
  }

  // How many distinct clauses of the rule matched and survived the exclusions.
  std::size_t score(const rule& r) const {
    std::vector<std::size_t> seen;
    for (const auto& m : matches(r.match, &r)) {
      if (std::find(seen.begin(), seen.end(), m.clause) != seen.end()) continue;
      if (excluded(r, m.at)) continue;
      seen.push_back(m.clause);
    }
    return seen.size();
  }

  // The matched characters with a few either side, for operators; only run for a rule that fired.
  std::string excerpt(span at) const {
    constexpr std::uint32_t context = 10;
    const std::uint32_t from = at.start > context ? at.start - context : 0;
    const std::uint32_t to = at.end + context;
    std::size_t begin = text_.size();
    std::size_t end = text_.size();
    std::uint32_t chars = 0;
    for (std::size_t i = 0; i < text_.size(); ++i) {
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) == 0x80) continue;
      if (chars == from) begin = i;
      if (chars == to) {
        end = i;
        break;
      }
      ++chars;
    }
    return begin < end ? std::string(text_.substr(begin, end - begin)) : std::string();
  }

  const compiled_rules& rules_;
  std::string_view text_;
  std::vector<std::uint32_t> offsets_;
  std::vector<span> by_term_;
  std::vector<std::uint32_t> negator_ends_;
  std::vector<std::vector<span>> exclusion_hits_;
  std::vector<std::vector<span>> reset_hits_;
};

}  // namespace

rules_error::rules_error(std::vector<std::string> problems)
    : std::runtime_error(join_lines(problems)), problems_(std::move(problems)) {}

rule_set::rule_set(std::shared_ptr<const detail::compiled_rules> rules)
    : rules_(std::move(rules)) {}

rule_set rule_set::load_string(std::string_view toml, const std::string& name) {
  return rule_set(std::make_shared<const compiled_rules>(detail::parse_rules(toml, name)));
}

rule_set rule_set::load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw rules_error({path + ":0: cannot open the rules file"});
  std::stringstream ss;
  ss << in.rdbuf();
  return load_string(ss.str(), path);
}

const rule_set& rule_set::builtin() {
  static const rule_set rules = load_string(default_rules_toml(), "triage-rules.toml (built in)");
  return rules;
}

decision rule_set::decide(std::string_view match_text) const {
  return evaluation(*rules_, match_text).run();
}

std::vector<std::string> rule_set::rule_names() const {
  std::vector<std::string> names;
  for (const auto& r : rules_->rules) names.push_back(r.name);
  return names;
}

const std::vector<std::string>& rule_set::categories() const {
  return rules_->categories;
}

}  // namespace intake::triage
