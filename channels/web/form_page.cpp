#include "channels/web/form_page.hpp"

#include "channels/web/html.hpp"

namespace intake::channels::web {

namespace {

// Large type, strong contrast and big touch targets first; wider screens only get a column.
constexpr std::string_view style = R"(*{box-sizing:border-box}
html{font-size:20px}
body{margin:0;font-family:system-ui,"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;line-height:1.6;color:#111;background:#fff}
header{background:#0b3d91;color:#fff;padding:.6rem 1rem;display:flex;justify-content:space-between;align-items:center;flex-wrap:wrap;gap:.5rem}
header p{margin:0;font-weight:700}
header a{color:#fff;font-weight:700;padding:.3rem .6rem;border:2px solid #fff;border-radius:6px;text-decoration:none}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;line-height:1.3;margin:.5rem 0}
h2{font-size:1.2rem;margin:.2rem 0}
label,legend{display:block;font-weight:700;margin-bottom:.2rem}
input,select,textarea{width:100%;font:inherit;padding:.6rem;border:2px solid #333;border-radius:6px;background:#fff;color:#111}
input[type=file]{border-style:dashed}
input:focus,select:focus,textarea:focus,button:focus,a:focus{outline:4px solid #f5a623;outline-offset:2px}
.field{margin:1.1rem 0}
.hint{margin:0 0 .3rem;color:#333;font-size:.9rem}
.error{color:#b00020;font-weight:700;margin:.2rem 0}
.invalid input,.invalid textarea,.invalid select{border-color:#b00020;border-width:3px}
.req{color:#b00020}
fieldset{border:2px solid #999;border-radius:6px;padding:.6rem 1rem;margin:1.1rem 0}
button{font:inherit;font-size:1.2rem;font-weight:700;width:100%;padding:.9rem;background:#0b3d91;color:#fff;border:0;border-radius:6px;min-height:3rem;cursor:pointer}
.summary{border:3px solid #b00020;padding:.6rem 1rem;border-radius:6px;margin:1rem 0}
.summary a{color:#b00020}
.place{background:#eef3fb;border-left:6px solid #0b3d91;padding:.6rem 1rem;margin:1rem 0;font-size:1.1rem}
.consent{font-size:.9rem;background:#f6f6f6;padding:.6rem;border-radius:6px}
.tracking{font-size:clamp(1.3rem,7vw,2.2rem);font-weight:700;letter-spacing:.04em;user-select:all;-webkit-user-select:all;background:#f3f3f3;padding:.6rem .3rem;border-radius:6px;white-space:nowrap;overflow-wrap:normal;font-family:ui-monospace,monospace;text-align:center}
.urgent{background:#b00020;color:#fff;padding:.8rem 1rem;font-size:1.2rem;font-weight:700;border-radius:6px}
.hp{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
footer{max-width:40rem;margin:0 auto;padding:1rem;border-top:1px solid #ccc;font-size:.9rem})";

std::string language_link(language lang, std::string_view path) {
  const language other = lang == language::en ? language::zh : language::en;
  std::string href(path);
  if (other == language::en) href += "?lang=en";
  return "<a href=\"" + escape_html(href) + "\" hreflang=\"" + std::string(lang_attribute(other)) +
         "\" lang=\"" + std::string(lang_attribute(other)) + "\">" +
         std::string(text_for(lang).other_language) + "</a>";
}

std::string page_start(language lang, std::string_view title, std::string_view language_path) {
  const auto& t = text_for(lang);
  std::string html = "<!doctype html>\n<html lang=\"" + std::string(lang_attribute(lang)) +
                     "\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<title>" +
                     escape_html(title) + " — " + std::string(t.site) + "</title>\n<style>" +
                     std::string(style) + "</style>\n</head>\n<body>\n<header>\n<p>" +
                     std::string(t.site) + "</p>\n";
  if (!language_path.empty()) {
    html += "<nav aria-label=\"" + std::string(t.language_nav) + "\">" +
            language_link(lang, language_path) + "</nav>\n";
  }
  html += "</header>\n<main id=\"main\">\n";
  return html;
}

std::string page_end(language lang) {
  return "</main>\n<footer>\n<p>" + std::string(text_for(lang).emergency_footer) +
         "</p>\n</footer>\n</body>\n</html>\n";
}

std::string value_of(const form_view& v, const std::string& field) {
  auto it = v.values.find(field);
  return it == v.values.end() ? std::string{} : it->second;
}

struct field_spec {
  std::string id;
  std::string_view label;
  bool required = false;
  std::string hint;
};

// A labelled field with its hint and, when there is one, its error right above the control;
// aria-describedby ties both to the control so a screen reader reads them with it.
std::string field(const form_view& v, const field_spec& spec, const std::string& control_open,
                  const std::string& control_rest) {
  const auto& t = text_for(v.lang);
  const auto error = v.errors.find(spec.id);
  std::string described;
  std::string html = "<div class=\"field" + std::string(error != v.errors.end() ? " invalid" : "") +
                     "\">\n<label for=\"" + spec.id + "\">" + std::string(spec.label);
  if (spec.required) {
    html += " <span class=\"req\" aria-hidden=\"true\">*</span><span class=\"req\">" +
            std::string(t.required) + "</span>";
  }
  html += "</label>\n";
  if (!spec.hint.empty()) {
    html += "<p class=\"hint\" id=\"" + spec.id + "-hint\">" + escape_html(spec.hint) + "</p>\n";
    described = spec.id + "-hint";
  }
  if (error != v.errors.end()) {
    html += "<p class=\"error\" id=\"" + spec.id + "-error\">" +
            std::string(problem_text(v.lang, error->second)) + "</p>\n";
    described += (described.empty() ? "" : " ") + spec.id + "-error";
  }
  html += control_open + " id=\"" + spec.id + "\" name=\"" + spec.id + "\"";
  if (spec.required) html += " required aria-required=\"true\"";
  if (!described.empty()) html += " aria-describedby=\"" + described + "\"";
  if (error != v.errors.end()) html += " aria-invalid=\"true\"";
  html += control_rest + "\n</div>\n";
  return html;
}

std::string text_input(const form_view& v, const field_spec& spec, std::string_view type,
                       std::string_view extra) {
  return field(v, spec, "<input type=\"" + std::string(type) + "\"",
               std::string(extra) + " value=\"" + escape_html(value_of(v, spec.id)) + "\">");
}

std::string replace_all(std::string text, std::string_view from, const std::string& to) {
  for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
    text.replace(pos, from.size(), to);
  return text;
}

}  // namespace

std::string render_form(const form_view& v) {
  const auto& t = text_for(v.lang);
  std::string html = page_start(v.lang, t.title, v.action);
  html += "<h1>" + std::string(t.title) + "</h1>\n<p>" + std::string(t.intro) + "</p>\n";

  if (v.notice != page_notice::none || !v.errors.empty()) {
    const auto notice = v.notice == page_notice::none ? page_notice::fix_errors : v.notice;
    html += "<div class=\"summary\" role=\"alert\">\n<h2>" +
            std::string(notice_text(v.lang, notice)) + "</h2>\n";
    if (!v.errors.empty()) {
      html += "<ul>\n";
      // In the order of the fields on the page, so the list reads like the form.
      for (const char* id :
           {"description", "title", "category", "address", "name", "phone", "email", "photo"}) {
        const auto error = v.errors.find(id);
        if (error == v.errors.end()) continue;
        html += "<li><a href=\"#" + std::string(id) + "\">" +
                std::string(problem_text(v.lang, error->second)) + "</a></li>\n";
      }
      html += "</ul>\n";
    }
    html += "</div>\n";
  }

  if (v.place) {
    html +=
        "<section class=\"place\" aria-labelledby=\"place-heading\">\n<h2 id=\"place-heading\">" +
        std::string(t.place_heading) + "</h2>\n<p id=\"place\">" + escape_html(*v.place) +
        "</p>\n</section>\n";
  }

  html += "<form method=\"post\" action=\"" + escape_html(v.action) +
          "\" enctype=\"multipart/form-data\" accept-charset=\"UTF-8\" novalidate>\n"
          "<input type=\"hidden\" name=\"token\" value=\"" +
          escape_html(v.token) + "\">\n<input type=\"hidden\" name=\"lang\" value=\"" +
          std::string(lang_code(v.lang)) + "\">\n";

  html +=
      field(v, {"description", t.description, true, std::string(t.description_hint)}, "<textarea",
            " rows=\"6\">" + escape_html(value_of(v, "description")) + "</textarea>");
  html += text_input(v, {"title", t.subject, false, {}}, "text", " autocomplete=\"off\"");

  if (v.ask_category && v.categories && !v.categories->empty()) {
    std::string options = "><option value=\"\">" + std::string(t.category_none) + "</option>";
    const auto chosen = value_of(v, "category");
    for (const auto& c : *v.categories) {
      options += "<option value=\"" + escape_html(c.code) + "\"" +
                 (c.code == chosen ? " selected" : "") + ">" +
                 escape_html(v.lang == language::en ? c.en : c.zh) + "</option>";
    }
    html += field(v, {"category", t.category, false, {}}, "<select", options + "</select>");
  }
  if (!v.place) {
    html += text_input(v, {"address", t.address, false, std::string(t.address_hint)}, "text",
                       " autocomplete=\"street-address\"");
  }

  html += "<fieldset>\n<legend>" + std::string(t.contact) + std::string(t.optional) +
          "</legend>\n<p class=\"hint\">" + std::string(t.contact_hint) + "</p>\n";
  html += text_input(v, {"name", t.name, false, {}}, "text", " autocomplete=\"name\"");
  html += text_input(v, {"phone", t.phone, false, {}}, "tel",
                     " inputmode=\"tel\" autocomplete=\"tel\"");
  html += text_input(v, {"email", t.email, false, {}}, "email",
                     " inputmode=\"email\" autocomplete=\"email\"");
  html += "</fieldset>\n";

  if (v.max_photos > 0) {
    std::string hint = replace_all(std::string(t.photos_hint), "%n", std::to_string(v.max_photos));
    hint = replace_all(hint, "%m", std::to_string(v.photo_max_bytes / (1024 * 1024)));
    html += field(v, {"photo", t.photos, false, hint}, "<input type=\"file\"",
                  " accept=\"image/jpeg,image/png,image/heic,.heic\"" +
                      std::string(v.max_photos > 1 ? " multiple" : "") + ">");
  }

  // The honeypot: off-screen and hidden from assistive technology, so only a robot fills it.
  html += "<div class=\"hp\" aria-hidden=\"true\"><label for=\"website\">" +
          std::string(t.honeypot) +
          "</label><input type=\"text\" id=\"website\" name=\"website\" tabindex=\"-1\" "
          "autocomplete=\"off\" value=\"\"></div>\n";

  html += "<p class=\"consent\" id=\"consent\">" + std::string(t.consent) + "</p>\n";
  html += "<button type=\"submit\">" + std::string(t.submit) + "</button>\n</form>\n";
  html += page_end(v.lang);
  return html;
}

std::string render_receipt(const receipt_view& v) {
  const auto& t = text_for(v.lang);
  std::string html = page_start(v.lang, t.receipt_title, {});
  html += "<h1>" + std::string(t.receipt_title) + "</h1>\n";
  if (!v.emergency_advice.empty()) {
    html += "<div class=\"urgent\" role=\"alert\"><p>" + escape_html(v.emergency_advice) +
            "</p></div>\n";
  }
  html += "<section aria-labelledby=\"number-heading\">\n<h2 id=\"number-heading\">" +
          std::string(t.receipt_number) + "</h2>\n<p class=\"tracking\" id=\"tracking-number\">" +
          escape_html(v.tracking_number) + "</p>\n";
  if (v.repeat) html += "<p>" + std::string(t.receipt_repeat) + "</p>\n";
  html += "<p>" + std::string(t.receipt_keep) + "</p>\n</section>\n";
  std::string again = v.form_path;
  if (v.lang == language::en) again += "?lang=en";
  html +=
      "<p><a href=\"" + escape_html(again) + "\">" + std::string(t.receipt_again) + "</a></p>\n";
  html += page_end(v.lang);
  return html;
}

std::string render_message(language lang, std::string_view heading, std::string_view message,
                           std::string_view back_link) {
  std::string html = page_start(lang, heading, {});
  html += "<h1>" + escape_html(heading) + "</h1>\n<p>" + escape_html(message) + "</p>\n";
  if (!back_link.empty()) {
    std::string href(back_link);
    if (lang == language::en) href += "?lang=en";
    html += "<p><a href=\"" + escape_html(href) + "\">" + std::string(text_for(lang).back_to_form) +
            "</a></p>\n";
  }
  html += page_end(lang);
  return html;
}

}  // namespace intake::channels::web
