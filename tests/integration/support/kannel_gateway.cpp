#include "tests/integration/support/kannel_gateway.hpp"

#include <fstream>
#include <regex>
#include <stdexcept>
#include <thread>

#include "common/core/utf8.hpp"
#include "tests/integration/support/free_port.hpp"
#include "tests/integration/support/http_client.hpp"

namespace intake::testing {

namespace {

using namespace std::chrono_literals;

constexpr auto start_deadline = 15s;
constexpr auto message_deadline = 15s;
const char* const fakesmsc_path = "/usr/lib/kannel/test/fakesmsc";

std::string percent_encode(const std::string& bytes) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : bytes) {
    out += '%';
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string percent_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string utf16be_to_utf8(const std::string& b) {
  std::string out;
  for (std::size_t i = 0; i + 1 < b.size(); i += 2) {
    char32_t unit = (static_cast<unsigned char>(b[i]) << 8) | static_cast<unsigned char>(b[i + 1]);
    if (unit >= 0xD800 && unit < 0xDC00 && i + 3 < b.size()) {
      const char32_t low =
          (static_cast<unsigned char>(b[i + 2]) << 8) | static_cast<unsigned char>(b[i + 3]);
      unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
      i += 2;
    }
    core::append_utf8(out, unit);
  }
  return out;
}

std::string utf8_to_utf16be(const std::string& s) {
  std::string out;
  auto unit = [&out](char32_t u) {
    out += static_cast<char>(u >> 8);
    out += static_cast<char>(u & 0xFF);
  };
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    char32_t cp;
    int len;
    if (c < 0x80) {
      cp = c, len = 1;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F, len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F, len = 3;
    } else {
      cp = c & 0x07, len = 4;
    }
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += static_cast<std::size_t>(len);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xD800 + (cp >> 10));
      unit(0xDC00 + (cp & 0x3FF));
    } else {
      unit(cp);
    }
  }
  return out;
}

}  // namespace

kannel_gateway::kannel_gateway(std::filesystem::path work_dir, std::uint16_t callback_port,
                               std::string secret, bool post_url)
    : dir_(std::move(work_dir)),
      callback_port_(callback_port),
      secret_(std::move(secret)),
      post_url_(post_url) {
  std::filesystem::create_directories(dir_ / "store");
  admin_port_ = pick_free_port();
  smsbox_port_ = pick_free_port();
  smsc_port_ = pick_free_port();
  sendsms_port_ = pick_free_port();
}

kannel_gateway::~kannel_gateway() = default;

std::string kannel_gateway::sendsms_url() const {
  return "http://127.0.0.1:" + std::to_string(sendsms_port_) + "/cgi-bin/sendsms";
}

void kannel_gateway::write_config() const {
  const std::string d = dir_.string();
  std::ofstream conf(dir_ / "kannel.conf", std::ios::trunc);
  conf << "group = core\n"
       << "admin-port = " << admin_port_ << "\n"
       << "admin-interface = 127.0.0.1\n"
       << "admin-password = " << admin_password_ << "\n"
       << "smsbox-port = " << smsbox_port_ << "\n"
       << "smsbox-interface = 127.0.0.1\n"
       << "box-allow-ip = 127.0.0.1\n"
       << "log-file = \"" << d << "/bearerbox.log\"\n"
       << "log-level = 0\n"
       << "store-type = file\n"
       << "store-location = \"" << d << "/store/kannel.store\"\n\n"
       << "group = smsc\n"
       << "smsc = fake\n"
       << "smsc-id = fake\n"
       << "port = " << smsc_port_ << "\n"
       << "our-host = \"127.0.0.1\"\n"
       << "connect-allow-ip = 127.0.0.1\n\n"
       << "group = smsbox\n"
       << "bearerbox-host = 127.0.0.1\n"
       << "bearerbox-port = " << smsbox_port_ << "\n"
       << "sendsms-port = " << sendsms_port_ << "\n"
       << "sendsms-interface = \"127.0.0.1\"\n"
       << "log-file = \"" << d << "/smsbox.log\"\n"
       << "log-level = 0\n"
       // Without these Kannel drops a message whose callback fails (the collector restarting).
       << "http-request-retry = 10\n"
       << "http-queue-delay = 1\n\n"
       << "group = sendsms-user\n"
       << "username = " << sendsms_user_ << "\n"
       << "password = " << sendsms_password_
       << "\n\n"
       // The lines the README documents, with this test's port and secret.
       << "group = sms-service\n"
       << "keyword = default\n"
       << "catch-all = true\n"
       << (post_url_ ? "post-url" : "get-url") << " = \"http://127.0.0.1:" << callback_port_
       << "/sms/kannel?secret=" << secret_
       << (post_url_ ? "&id=%I&time=%t\"\n"
                     : "&from=%p&to=%P&text=%b&time=%t&coding=%c&charset=%C&id=%I&smsc=%i\"\n")
       // post-url sends the sender (X-Kannel-From) only when asked to.
       << (post_url_ ? "send-sender = true\n" : "") << "max-messages = 0\n"
       << "omit-empty = true\n";
}

void kannel_gateway::start() {
  write_config();
  const std::string conf = (dir_ / "kannel.conf").string();
  bearerbox_ = child_process::spawn({"/usr/sbin/bearerbox", conf}, dir_ / "bearerbox.out");
  const auto deadline = std::chrono::steady_clock::now() + start_deadline;
  while (!port_accepts(smsbox_port_)) {
    if (!bearerbox_.running() || std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("bearerbox did not start; see " + (dir_ / "bearerbox.log").string() +
                               "\n" + read_file(dir_ / "bearerbox.out"));
    }
    std::this_thread::sleep_for(20ms);
  }
  smsbox_ = child_process::spawn({"/usr/sbin/smsbox", conf}, dir_ / "smsbox.out");
  // Until smsbox is connected to bearerbox, messages wait in bearerbox and then reach the
  // collector all at once, in any order.
  while (!port_accepts(sendsms_port_) ||
         admin_status().find("smsbox:(none), IP 127.0.0.1") == std::string::npos) {
    if (!smsbox_.running() || std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("smsbox did not start; see " + (dir_ / "smsbox.log").string() +
                               "\n" + read_file(dir_ / "smsbox.out"));
    }
    std::this_thread::sleep_for(20ms);
  }
}

void kannel_gateway::stop() {
  phone_.kill_and_wait();
  smsbox_.kill_and_wait();
  bearerbox_.kill_and_wait();
}

std::string kannel_gateway::admin_status() const {
  http_client http(2s);
  return http
      .get("http://127.0.0.1:" + std::to_string(admin_port_) +
           "/status.txt?password=" + admin_password_)
      .body;
}

long kannel_gateway::received_count() const {
  static const std::regex received(R"(SMS: received (\d+))");
  const std::string status = admin_status();
  std::smatch m;
  if (!std::regex_search(status, m, received)) return -1;
  return std::stol(m[1]);
}

bool kannel_gateway::fake_smsc_connected() const {
  const std::string status = admin_status();
  const auto at = status.find("fake[fake]");
  return at != std::string::npos && status.find("(online", at) != std::string::npos &&
         status.find("(online", at) < status.find('\n', at);
}

void kannel_gateway::inject(const std::string& message) {
  // The fake SMSC serves one client at a time: the previous phone hangs up first, and bearerbox
  // must have seen it go before the next one dials in.
  if (phone_.pid() > 0) {
    phone_.kill_and_wait();
    const auto gone = std::chrono::steady_clock::now() + message_deadline;
    while (fake_smsc_connected()) {
      if (std::chrono::steady_clock::now() > gone) {
        throw std::runtime_error("bearerbox still holds the previous fakesmsc connection");
      }
      std::this_thread::sleep_for(20ms);
    }
  }
  const long before = received_count();
  ++phones_started_;
  phone_ = child_process::spawn({fakesmsc_path, "-H", "127.0.0.1", "-r", std::to_string(smsc_port_),
                                 "-m", "1", "-i", "0.1", message},
                                dir_ / ("fakesmsc-" + std::to_string(phones_started_) + ".log"));
  const auto deadline = std::chrono::steady_clock::now() + message_deadline;
  while (received_count() <= before) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("bearerbox did not take the fakesmsc message: " + message);
    }
    std::this_thread::sleep_for(20ms);
  }
}

void kannel_gateway::send_text(const std::string& sender, const std::string& receiver,
                               const std::string& text) {
  inject(sender + " " + receiver + " text " + text);
}

void kannel_gateway::send_ucs2(const std::string& sender, const std::string& receiver,
                               const std::string& utf8_text) {
  inject(sender + " " + receiver + " ucs2 " + percent_encode(utf8_to_utf16be(utf8_text)));
}

std::vector<mt_message> kannel_gateway::replies() const {
  // fakesmsc prints each message it gets: "Got message N: <from to ucs-2 %XX...>".
  static const std::regex got(R"(Got message \d+: <(\S+) (\S+) (\S+) ([^>]*)>)");
  std::vector<mt_message> out;
  for (int i = 1; i <= phones_started_; ++i) {
    const std::string log = read_file(dir_ / ("fakesmsc-" + std::to_string(i) + ".log"));
    for (std::sregex_iterator it(log.begin(), log.end(), got), end; it != end; ++it) {
      const auto& m = *it;
      const std::string data = percent_decode(m[4]);
      out.push_back(
          mt_message{m[1], m[2], m[3] == "ucs-2" || m[3] == "ucs2" ? utf16be_to_utf8(data) : data});
    }
  }
  return out;
}

std::size_t kannel_gateway::callback_attempts() const {
  const std::string log = read_file(dir_ / "smsbox.log");
  const std::string call = "Parsing URL `http://127.0.0.1:" + std::to_string(callback_port_) + "/";
  std::size_t count = 0;
  for (auto at = log.find(call); at != std::string::npos; at = log.find(call, at + 1)) ++count;
  return count;
}

bool kannel_gateway::wait_for_reply(const std::function<bool(const mt_message&)>& match,
                                    std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    for (const auto& m : replies()) {
      if (match(m)) return true;
    }
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
}

}  // namespace intake::testing
