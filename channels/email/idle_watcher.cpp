#include "channels/email/idle_watcher.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <memory>

#include "channels/email/imap_client.hpp"
#include "common/core/log.hpp"

namespace intake::channels::email {

namespace {

constexpr std::string_view active_metric = "intake_email_idle_active";
constexpr std::string_view wakeups_metric = "intake_email_idle_wakeups_total";
constexpr std::string_view failures_metric = "intake_email_idle_failures_total";

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = ::EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(std::max(n, 0)));
  return out;
}

// What an IMAP quoted string can carry: printable ASCII (quotes and backslashes escaped).
bool quotable(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

// A refusal's response code ("AUTHENTICATIONFAILED", "NONEXISTENT"): its first word, and only
// when it is a plain token, so that nothing the server echoes (a user name) reaches the log.
std::string code_word(const std::string& code) {
  const auto word = code.substr(0, code.find(' '));
  if (word.empty() || word.size() > 40 || !std::all_of(word.begin(), word.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '-';
      }))
    return {};
  return " [" + word + "]";
}

bool reports_new_mail(const imap_response& r) {
  return r.kind == response_kind::untagged && r.number &&
         (r.keyword == "EXISTS" || r.keyword == "RECENT");
}

}  // namespace

idle_watcher::idle_watcher(idle_options options, core::metrics& metrics,
                           std::function<void()> new_mail)
    : options_(std::move(options)),
      metrics_(metrics),
      new_mail_(std::move(new_mail)),
      connection_(options_.server.ca_file) {
  metrics_.describe(active_metric, "gauge",
                    "1 while the e-mail channel waits for new mail with IMAP IDLE; 0 when the "
                    "mailbox is only polled (no IDLE, or the watcher reconnects).");
  metrics_.describe(
      wakeups_metric, "counter",
      "IMAP IDLE reports of new mail (EXISTS or RECENT); each wakes the poller at once.");
  metrics_.describe(failures_metric, "counter",
                    "IMAP IDLE connections lost or refused (each is retried with backoff).");
  // The gauge may be rendered after this object is gone: it reads a flag it shares.
  metrics_.gauge_fn(active_metric, [active = active_] { return active->load() ? 1.0 : 0.0; });
}

idle_watcher::~idle_watcher() {
  stop();
}

void idle_watcher::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable() || stopping()) return;
  thread_ = std::thread([this] { run(); });
}

void idle_watcher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  connection_.abort();
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  active_->store(false);
}

void idle_watcher::run() {
  auto delay = options_.reconnect_min;
  while (!stopping()) {
    std::string reason;
    reached_idle_ = false;
    const auto end = session(reason);
    active_->store(false);
    connection_.close();
    if (end == session_end::stopped || stopping()) break;
    if (end == session_end::unsupported) {
      core::log::warn("email_idle_unavailable",
                      {{"reason", reason}, {"fallback", "poll_interval"}});
      break;
    }
    metrics_.count(failures_metric);
    if (reached_idle_) delay = options_.reconnect_min;  // it worked until now: retry soon
    core::log::warn("email_idle_failed",
                    {{"reason", reason}, {"retry_in_ms", std::to_string(delay.count())}});
    reconnected_ = true;
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, delay, [this] { return stopping(); });
    delay = std::min(delay * 2, options_.reconnect_max);
  }
}

idle_watcher::session_end idle_watcher::session(std::string& reason) {
  auto fail = [&](const core::error& e) {
    reason = e.message;
    return stopping() ? session_end::stopped : session_end::failed;
  };
  const auto address = parse_imap_url(options_.server.url);
  if (!address) {
    reason = address.error().message;
    return session_end::unsupported;
  }
  listening_ = false;
  if (auto r = connection_.open(*address, clock::now() + options_.server.connect_timeout); !r)
    return fail(r.error());
  auto greeting = connection_.read(command_deadline());
  if (!greeting) return fail(greeting.error());
  if (greeting->kind != response_kind::untagged ||
      (greeting->status != "OK" && greeting->status != "PREAUTH"))
    return fail({core::errc::internal, "imap: the server refused the connection"});

  auto capabilities =
      secure_and_log_in(*address, capabilities_in(*greeting), greeting->status == "PREAUTH");
  if (!capabilities) return fail(capabilities.error());
  if (!has_capability(*capabilities, "IDLE")) {
    reason = "the server does not offer IDLE";
    return session_end::unsupported;
  }
  if (auto r = command("EXAMINE " + imap_quoted(options_.mailbox), "EXAMINE"); !r)
    return fail(r.error());
  listening_ = true;  // from now on EXISTS and RECENT report changes, not the mailbox's state
  return idle_until_failure(reason);
}

core::result<std::vector<std::string>> idle_watcher::secure_and_log_in(
    const imap_address& address, std::vector<std::string> capabilities, bool logged_in) {
  if (!address.implicit_tls) {
    if (capabilities.empty()) {
      auto asked = ask_capabilities();
      if (!asked) return asked;
      capabilities = std::move(*asked);
    }
    if (has_capability(capabilities, "STARTTLS") && !logged_in) {
      if (auto r = command("STARTTLS", "STARTTLS"); !r) return tl::unexpected(r.error());
      if (auto r = connection_.start_tls(command_deadline()); !r) return tl::unexpected(r.error());
      capabilities.clear();  // what was said in clear is forgotten (RFC 3501 §6.2.1)
    } else if (!options_.server.allow_plaintext) {
      return core::fail(core::errc::internal,
                        "imap: the server offers no STARTTLS and allow_plaintext is false");
    }
  }
  if (!logged_in) {
    if (capabilities.empty()) {
      auto asked = ask_capabilities();
      if (!asked) return asked;
      capabilities = std::move(*asked);
    }
    if (auto r = log_in(capabilities); !r) return tl::unexpected(r.error());
  }
  // What the server offers after login is what counts (IDLE among it).
  return ask_capabilities();
}

core::result<std::vector<std::string>> idle_watcher::ask_capabilities() {
  std::vector<imap_response> untagged;
  auto done = command("CAPABILITY", "CAPABILITY", &untagged);
  if (!done) return tl::unexpected(done.error());
  for (const auto& r : untagged) {
    if (r.keyword == "CAPABILITY") return capabilities_in(r);
  }
  return capabilities_in(*done);
}

core::result<void> idle_watcher::log_in(const std::vector<std::string>& capabilities) {
  const auto& user = options_.server.username;
  const auto& password = options_.server.password;
  if (has_capability(capabilities, "AUTH=PLAIN")) {
    // SASL PLAIN carries any bytes (RFC 4616), which a quoted LOGIN cannot.
    const auto tag = next_tag();
    if (auto r = connection_.write(tag + " AUTHENTICATE PLAIN\r\n", command_deadline()); !r)
      return r;
    const auto deadline = command_deadline();
    while (true) {
      auto r = connection_.read(deadline);
      if (!r) return tl::unexpected(r.error());
      if (r->kind == response_kind::continuation) break;
      if (r->kind == response_kind::tagged)
        return core::fail(core::errc::bad_request,
                          "imap AUTHENTICATE: " + r->status + code_word(r->code));
      if (r->status == "BYE")
        return core::fail(core::errc::internal, "imap: the server closed the session");
    }
    std::string plain;
    plain.push_back('\0');
    plain += user;
    plain.push_back('\0');
    plain += password;
    if (auto r = connection_.write(base64(plain) + "\r\n", command_deadline()); !r) return r;
    auto done = finish(tag, "AUTHENTICATE", nullptr);
    if (!done) return tl::unexpected(done.error());
    return {};
  }
  if (has_capability(capabilities, "LOGINDISABLED"))
    return core::fail(core::errc::internal, "imap: the server allows no login the watcher knows");
  if (!quotable(user) || !quotable(password))
    return core::fail(core::errc::internal,
                      "imap: the login needs AUTH=PLAIN, which the server does not offer");
  // The command line carries the password: it goes to the server only, never to a log.
  auto done = command("LOGIN " + imap_quoted(user) + " " + imap_quoted(password), "LOGIN");
  if (!done) return tl::unexpected(done.error());
  return {};
}

core::result<imap_response> idle_watcher::command(const std::string& text, std::string_view verb,
                                                  std::vector<imap_response>* untagged) {
  const auto tag = next_tag();
  if (auto r = connection_.write(tag + " " + text + "\r\n", command_deadline()); !r)
    return tl::unexpected(r.error());
  return finish(tag, verb, untagged);
}

core::result<imap_response> idle_watcher::finish(const std::string& tag, std::string_view verb,
                                                 std::vector<imap_response>* untagged) {
  const auto deadline = command_deadline();
  while (true) {
    auto r = connection_.read(deadline);
    if (!r) return r;
    switch (r->kind) {
      case response_kind::tagged:
        if (r->tag != tag)
          return core::fail(core::errc::internal, "imap: an answer to a command not sent");
        if (r->status == "OK") return r;
        return core::fail(core::errc::bad_request,
                          "imap " + std::string(verb) + ": " + r->status + code_word(r->code));
      case response_kind::untagged:
        if (r->status == "BYE")
          return core::fail(core::errc::internal, "imap: the server closed the session");
        notice(*r);
        if (untagged) untagged->push_back(std::move(*r));
        break;
      case response_kind::continuation:
        return core::fail(core::errc::internal,
                          "imap " + std::string(verb) + ": unexpected continuation");
    }
  }
}

idle_watcher::session_end idle_watcher::idle_until_failure(std::string& reason) {
  auto fail = [&](const core::error& e) {
    reason = e.message;
    return stopping() ? session_end::stopped : session_end::failed;
  };
  while (!stopping()) {
    const auto tag = next_tag();
    if (auto r = connection_.write(tag + " IDLE\r\n", command_deadline()); !r)
      return fail(r.error());
    bool ended_by_server = false;
    for (const auto deadline = command_deadline();;) {
      auto r = connection_.read(deadline);
      if (!r) return fail(r.error());
      if (r->kind == response_kind::continuation) break;
      if (r->kind == response_kind::tagged) {
        if (r->tag != tag || r->status != "OK")
          return fail({core::errc::bad_request, "imap IDLE: " + r->status + code_word(r->code)});
        ended_by_server = true;
        break;
      }
      if (r->status == "BYE")
        return fail({core::errc::internal, "imap: the server closed the session"});
      notice(*r);
    }
    if (ended_by_server) continue;
    if (!reached_idle_) {
      reached_idle_ = true;
      active_->store(true);
      core::log::info("email_idle_started", {{"mailbox", options_.mailbox}});
      // Mail that came while the watcher was away waits for no poll interval either.
      if (reconnected_) new_mail_();
    }

    const auto renew_at = clock::now() + options_.renew;
    while (!ended_by_server) {
      auto r = connection_.read(renew_at);
      if (!r) {
        if (r.error().code == core::errc::request_timeout && clock::now() >= renew_at) break;
        return fail(r.error());
      }
      if (r->kind == response_kind::tagged) {
        // The server ended the IDLE itself: start another one.
        if (r->tag != tag || r->status != "OK")
          return fail({core::errc::bad_request, "imap IDLE: " + r->status + code_word(r->code)});
        ended_by_server = true;
      } else if (r->status == "BYE") {
        return fail({core::errc::internal, "imap: the server closed the session"});
      } else {
        notice(*r);
      }
    }
    if (ended_by_server) continue;
    // Renewal (RFC 2177): DONE, the IDLE's OK, and a fresh IDLE.
    if (auto r = connection_.write("DONE\r\n", command_deadline()); !r) return fail(r.error());
    if (auto r = finish(tag, "IDLE", nullptr); !r) return fail(r.error());
  }
  return session_end::stopped;
}

void idle_watcher::notice(const imap_response& r) {
  if (!listening_ || !reports_new_mail(r)) return;
  metrics_.count(wakeups_metric);
  new_mail_();
}

std::string idle_watcher::next_tag() {
  return "w" + std::to_string(++tag_counter_);
}

}  // namespace intake::channels::email
