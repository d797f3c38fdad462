#include "common/triage/term_matcher.hpp"

#include <algorithm>
#include <deque>
#include <stdexcept>

namespace intake::triage {

namespace {

bool is_lead_byte(unsigned char b) {
  return (b & 0xC0) != 0x80;
}

std::uint32_t count_chars(std::string_view s) {
  std::uint32_t n = 0;
  for (const unsigned char b : s) n += is_lead_byte(b) ? 1 : 0;
  return n;
}

}  // namespace

std::uint32_t term_matcher::child(std::uint32_t from, unsigned char byte) const {
  const auto& next = nodes_[from].next;
  const auto it =
      std::lower_bound(next.begin(), next.end(), byte,
                       [](const auto& edge, unsigned char b) { return edge.first < b; });
  return it != next.end() && it->first == byte ? it->second : none;
}

std::uint32_t term_matcher::add(std::string_view term) {
  if (built_) throw std::logic_error("term_matcher::add after build");
  if (term.empty()) throw std::invalid_argument("term_matcher: empty term");
  const std::string key(term);
  if (const auto it = ids_.find(key); it != ids_.end()) return it->second;

  std::uint32_t at = 0;
  for (const unsigned char b : term) {
    std::uint32_t to = child(at, b);
    if (to == none) {
      to = static_cast<std::uint32_t>(nodes_.size());
      nodes_.emplace_back();
      auto& next = nodes_[at].next;
      const auto it =
          std::lower_bound(next.begin(), next.end(), b,
                           [](const auto& edge, unsigned char c) { return edge.first < c; });
      next.insert(it, {b, to});
    }
    at = to;
  }
  const auto id = static_cast<std::uint32_t>(terms_.size());
  nodes_[at].term = id;
  terms_.push_back(key);
  term_chars_.push_back(count_chars(term));
  ids_.emplace(key, id);
  return id;
}

void term_matcher::build() {
  // Breadth first, so a node's failure target (always shallower) is final before the node's own.
  std::deque<std::uint32_t> queue;
  for (const auto& [byte, to] : nodes_[0].next) {
    nodes_[to].fail = 0;
    queue.push_back(to);
  }
  while (!queue.empty()) {
    const std::uint32_t at = queue.front();
    queue.pop_front();
    const std::uint32_t fail = nodes_[at].fail;
    nodes_[at].output = nodes_[fail].term != none ? fail : nodes_[fail].output;
    for (const auto& [byte, to] : nodes_[at].next) {
      std::uint32_t f = fail;
      std::uint32_t target = child(f, byte);
      while (target == none && f != 0) {
        f = nodes_[f].fail;
        target = child(f, byte);
      }
      nodes_[to].fail = (target == none || target == to) ? 0 : target;
      queue.push_back(to);
    }
  }
  built_ = true;
}

void term_matcher::scan(std::string_view text, std::vector<term_hit>& out) const {
  if (!built_) return;
  std::uint32_t state = 0;
  std::uint32_t chars = 0;  // characters started so far, the current one included
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (is_lead_byte(b)) ++chars;
    std::uint32_t to = child(state, b);
    while (to == none && state != 0) {
      state = nodes_[state].fail;
      to = child(state, b);
    }
    state = to == none ? 0 : to;
    for (std::uint32_t n = nodes_[state].term != none ? state : nodes_[state].output; n != none;
         n = nodes_[n].output) {
      const std::uint32_t id = nodes_[n].term;
      // A term's bytes hold exactly term_chars_ lead bytes, so this never underflows.
      out.push_back(term_hit{id, span{chars - term_chars_[id], chars}});
    }
  }
}

}  // namespace intake::triage
