#include "channels/email/email_channel.hpp"

#include <atomic>
#include <optional>

#include "channels/email/email_settings.hpp"
#include "channels/email/idle_watcher.hpp"
#include "channels/email/mailbox_poller.hpp"
#include "channels/email/smtp_reply_transport.hpp"
#include "common/core/log.hpp"
#include "common/reply/dispatcher.hpp"

namespace intake::channels::email {

namespace {

class email_channel final : public channel {
 public:
  void start(channel_context& ctx) override {
    auto settings = read_email_settings(ctx.cfg);
    if (!ctx.media) throw std::runtime_error("channels.email: the attachment store is not set up");
    if (settings.replies) {
      smtp_ = std::make_unique<smtp_reply_transport>(settings.smtp, settings.reply.from_address);
      smtp_->abort_when(&stopping_);
      replies_ = std::make_unique<reply::dispatcher>(settings.dispatch, *smtp_, ctx.metrics);
      replies_->start();
    } else {
      core::log::info("email_replies_off",
                      {{"reason", "channels.email.smtp_url is empty or reply_enabled is false"}});
    }
    std::optional<idle_options> idle;
    if (settings.idle) {
      idle = idle_options{settings.imap, settings.mailbox, settings.idle_renew,
                          settings.idle_reconnect_min, settings.idle_reconnect_max};
    }
    poller_ = std::make_unique<mailbox_poller>(std::move(settings), ctx, replies_.get());
    poller_->start();
    if (idle) {
      watcher_ = std::make_unique<idle_watcher>(std::move(*idle), ctx.metrics,
                                                [poller = poller_.get()] { poller->wake(); });
      watcher_->start();
    }
  }

  void stop() override {
    stopping_ = true;  // a send in progress is cut short; unsent replies are counted as abandoned
    if (watcher_) watcher_->stop();  // it wakes the poller
    // The poller before the replies: it may still queue a reply for what it just committed.
    if (poller_) poller_->stop();
    if (replies_) replies_->stop();
  }

 private:
  std::atomic<bool> stopping_{false};  // first: the SMTP client below points at it
  std::unique_ptr<smtp_reply_transport> smtp_;
  std::unique_ptr<reply::dispatcher> replies_;  // sends through smtp_
  std::unique_ptr<mailbox_poller> poller_;
  std::unique_ptr<idle_watcher> watcher_;  // wakes poller_
};

}  // namespace

std::vector<config::key_spec> config_keys() {
  return email_config_keys();
}

std::unique_ptr<channel> make_channel() {
  return std::make_unique<email_channel>();
}

}  // namespace intake::channels::email
