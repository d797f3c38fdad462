#include "channels/wechat_api/api_client.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "channels/wechat_api/api_errors.hpp"

namespace intake::channels::wechat_api {

namespace {

std::string trim_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

core::result<rapidjson::Document> parse_reply(const core::result<http_reply>& reply) {
  if (!reply) return tl::unexpected(reply.error());
  rapidjson::Document doc;
  doc.Parse(reply->body.data(), reply->body.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return core::fail(
        core::errc::upstream_unavailable,
        "WeChat's API answered HTTP " + std::to_string(reply->status) + " without a JSON object");
  }
  return doc;
}

int errcode_of(const rapidjson::Document& doc) {
  auto it = doc.FindMember("errcode");
  return it != doc.MemberEnd() && it->value.IsInt() ? it->value.GetInt() : 0;
}

std::optional<std::string> string_member(const rapidjson::Value& v, const char* key) {
  auto it = v.FindMember(key);
  if (it == v.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::string json_body(const std::function<void(rapidjson::Writer<rapidjson::StringBuffer>&)>& f) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  f(w);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

void put(rapidjson::Writer<rapidjson::StringBuffer>& w, const char* key, std::string_view value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

}  // namespace

api_client::api_client(api_settings settings, std::shared_ptr<http_transport> transport,
                       std::function<core::sys_time()> now)
    : settings_(std::move(settings)),
      transport_(std::move(transport)),
      tokens_([this](bool force) { return fetch_token(force); }, std::move(now),
              settings_.token_refresh_margin) {
  settings_.base_url = trim_slash(settings_.base_url);
}

core::result<struct access_token> api_client::fetch_token(bool force_refresh) {
  // stable_token: a fetch does not invalidate the token other processes of the app hold.
  const std::string body = json_body([&](auto& w) {
    put(w, "grant_type", "client_credential");
    put(w, "appid", settings_.appid);
    put(w, "secret", settings_.secret);
    w.Key("force_refresh");
    w.Bool(force_refresh);
  });
  auto doc = parse_reply(
      transport_->post(settings_.base_url + "/cgi-bin/stable_token", "application/json", body));
  if (!doc) return tl::unexpected(doc.error());
  if (auto err = error_of(errcode_of(*doc))) return tl::unexpected(*err);
  struct access_token token;
  token.value = string_member(*doc, "access_token").value_or("");
  auto exp = doc->FindMember("expires_in");
  token.expires_in =
      std::chrono::seconds(exp != doc->MemberEnd() && exp->value.IsInt() ? exp->value.GetInt() : 0);
  return token;
}

template <class T>
core::result<T> api_client::with_token(
    const std::function<core::result<T>(const std::string&, int&)>& call) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto token = tokens_.get();
    if (!token) return tl::unexpected(token.error());
    int code = 0;
    auto out = call(*token, code);
    if (!is_token_rejected(code) || attempt == 1) return out;
    tokens_.invalidate(*token);
  }
  return core::fail(core::errc::upstream_unavailable, "WeChat refused the access token");
}

core::result<login_session> api_client::code_to_session(std::string_view code) {
  if (code.empty() || code.size() > 128) {
    return core::fail(core::errc::unauthorized, "the login code is missing or malformed");
  }
  const std::string url = settings_.base_url +
                          "/sns/jscode2session?appid=" + url_encode(settings_.appid) +
                          "&secret=" + url_encode(settings_.secret) +
                          "&js_code=" + url_encode(code) + "&grant_type=authorization_code";
  auto doc = parse_reply(transport_->get(url));
  if (!doc) return tl::unexpected(doc.error());
  if (auto err = error_of(errcode_of(*doc))) return tl::unexpected(*err);
  login_session session;
  session.openid = string_member(*doc, "openid").value_or("");
  session.unionid = string_member(*doc, "unionid");
  if (session.openid.empty()) {
    return core::fail(core::errc::upstream_unavailable, "jscode2session answered no openid");
  }
  return session;
}

core::result<text_verdict> api_client::check_text(std::string_view openid, std::string_view text) {
  const std::string body = json_body([&](auto& w) {
    put(w, "content", text);
    w.Key("version");
    w.Int(2);
    w.Key("scene");
    w.Int(2);  // 2 = comment: the closest of the documented scenes to a citizen's report
    put(w, "openid", openid);
  });
  return with_token<text_verdict>(
      [&](const std::string& token, int& code) -> core::result<text_verdict> {
        auto doc = parse_reply(transport_->post(
            settings_.base_url + "/wxa/msg_sec_check?access_token=" + url_encode(token),
            "application/json", body));
        if (!doc) return tl::unexpected(doc.error());
        code = errcode_of(*doc);
        if (auto err = error_of(code)) return tl::unexpected(*err);
        auto result = doc->FindMember("result");
        if (result == doc->MemberEnd() || !result->value.IsObject()) return text_verdict::pass;
        const auto suggest = string_member(result->value, "suggest").value_or("pass");
        if (suggest == "risky") return text_verdict::risky;
        if (suggest == "review") return text_verdict::review;
        return text_verdict::pass;
      });
}

core::result<std::string> api_client::download_media(std::string_view media_id) {
  if (media_id.empty() || media_id.size() > 256) {
    return core::fail(core::errc::invalid_field, "the media id is missing or malformed");
  }
  return with_token<std::string>(
      [&](const std::string& token, int& code) -> core::result<std::string> {
        auto reply = transport_->get(settings_.base_url + "/cgi-bin/media/get?access_token=" +
                                     url_encode(token) + "&media_id=" + url_encode(media_id));
        if (!reply) return tl::unexpected(reply.error());
        // Errors come back as JSON; the media itself as its own type.
        const bool json = reply->content_type.find("json") != std::string::npos ||
                          reply->content_type.find("text/plain") != std::string::npos;
        if (json) {
          auto doc = parse_reply(reply);
          if (!doc) return tl::unexpected(doc.error());
          code = errcode_of(*doc);
          if (auto err = error_of(code)) return tl::unexpected(*err);
          return core::fail(core::errc::upstream_unavailable, "media/get answered JSON, no media");
        }
        if (reply->status != 200) {
          return core::fail(core::errc::upstream_unavailable,
                            "media/get answered HTTP " + std::to_string(reply->status));
        }
        return std::move(reply->body);
      });
}

}  // namespace intake::channels::wechat_api
