#pragma once
// `qrcode`: scan-to-report codes posted on facilities, GET/POST /q/{token} (CONTRACT.md §3).
// The token names the place and is signed, so the report's location is marked verified.
#include <memory>
#include <vector>

#include "channels/channel.hpp"
#include "channels/qrcode/qr_token.hpp"
#include "channels/web/form_page.hpp"

namespace intake::channels::qrcode {

std::vector<config::key_spec> config_keys();
std::unique_ptr<channel> make_channel();

/// What the landing page shows as the fixed place: "路灯照明 LAMP-0123，某路12号" (the
/// category's name when the code's service is one of `categories`).
std::string place_text(const qr_asset& asset, const std::vector<web::category>& categories);

}  // namespace intake::channels::qrcode
