#include "channels/web/page_text.hpp"

namespace intake::channels::web {

namespace {

const page_text chinese{
    .site = "12345 政务服务便民热线",
    .title = "在线反映问题",
    .intro = "请告诉我们遇到了什么问题。带 * 的是必填项，其余可以不填。",
    .other_language = "English",
    .language_nav = "语言",
    .required = "（必填）",
    .optional = "（选填）",
    .description = "问题描述",
    .description_hint = "发生了什么、在哪里、从什么时候开始。",
    .subject = "标题",
    .category = "问题类别",
    .category_none = "请选择（可不选）",
    .address = "地点",
    .address_hint = "如：某路12号门口。",
    .contact = "联系方式",
    .contact_hint = "留下电话，便于工作人员回复您。",
    .name = "姓名",
    .phone = "手机或电话",
    .email = "电子邮箱",
    .photos = "照片",
    .photos_hint = "最多 %n 张，JPEG、PNG 或 HEIC，每张不超过 %m MB。",
    .honeypot = "此项请勿填写",
    .consent =
        "个人信息说明：您的姓名、电话和邮箱只用于办理和回复本次诉求，加密传送给12345热线，"
        "不会公开，也不会用于其他用途。",
    .submit = "提交",
    .emergency_footer = "遇到紧急情况，请直接拨打 110、119、120 或 122。",
    .place_heading = "您正在反映",
    .error_summary = "请修改以下内容后再提交",
    .receipt_title = "已收到您的反映",
    .receipt_number = "您的受理编号",
    .receipt_keep = "请记下或截图保存这个编号，拨打12345可查询办理进度。",
    .receipt_repeat = "您之前已反映过这个问题，这是当时的受理编号。",
    .receipt_again = "再反映一个问题",
    .back_to_form = "返回表单",
    .token_invalid_title = "二维码无效",
    .token_invalid = "这个二维码无法识别，可能已损坏或被改动。请拨打12345反映问题。",
    .token_revoked_title = "二维码已停用",
    .token_revoked = "这个二维码已经停用。请拨打12345反映问题，或使用在线表单。",
    .refused_title = "未能提交",
    .cross_site = "这个表单只能从本网站的页面提交。请打开表单页面重新填写。",
    .bad_body = "提交的内容无法读取。请返回表单重新提交。",
    .too_large = "提交的内容太大（照片过大或过多）。请返回，换用较小的照片后再提交。",
    .honeypot_refused = "提交未被接受。",
};

const page_text english{
    .site = "12345 Government Service Hotline",
    .title = "Report a problem online",
    .intro = "Tell us what is wrong. Fields marked * are required; the rest are optional.",
    .other_language = "中文",
    .language_nav = "Language",
    .required = " (required)",
    .optional = " (optional)",
    .description = "What is the problem?",
    .description_hint = "What happened, where, and since when.",
    .subject = "Title",
    .category = "Category",
    .category_none = "Choose (optional)",
    .address = "Place",
    .address_hint = "For example: in front of No. 12, Some Road.",
    .contact = "How to reach you",
    .contact_hint = "Leave a phone number so that staff can answer you.",
    .name = "Name",
    .phone = "Mobile or phone",
    .email = "E-mail",
    .photos = "Photos",
    .photos_hint = "Up to %n, JPEG, PNG or HEIC, at most %m MB each.",
    .honeypot = "Leave this empty",
    .consent =
        "Personal data: your name, phone and e-mail are used only to handle and answer this "
        "request, are sent encrypted to the 12345 hotline, and are never published or used for "
        "anything else.",
    .submit = "Send",
    .emergency_footer = "In an emergency, call 110, 119, 120 or 122 directly.",
    .place_heading = "You are reporting",
    .error_summary = "Please correct the following and send again",
    .receipt_title = "We have received your report",
    .receipt_number = "Your tracking number",
    .receipt_keep =
        "Write it down or take a screenshot; call 12345 with this number to follow your request.",
    .receipt_repeat = "You reported this before; this is the tracking number you were given.",
    .receipt_again = "Report another problem",
    .back_to_form = "Back to the form",
    .token_invalid_title = "This QR code is not valid",
    .token_invalid =
        "This QR code cannot be read; it may be damaged or altered. Please call 12345 to report "
        "the problem.",
    .token_revoked_title = "This QR code is no longer in use",
    .token_revoked =
        "This QR code has been withdrawn. Please call 12345 or use the online form instead.",
    .refused_title = "Not sent",
    .cross_site =
        "This form can only be sent from this site's own page. Please open the form "
        "page and fill it in again.",
    .bad_body = "What was sent could not be read. Please go back to the form and send it again.",
    .too_large =
        "What was sent is too large (photos too big or too many). Please go back and "
        "choose smaller photos.",
    .honeypot_refused = "This submission was not accepted.",
};

}  // namespace

language language_from(std::string_view code) {
  return code == "en" ? language::en : language::zh;
}

std::string_view lang_attribute(language l) {
  return l == language::en ? "en" : "zh-CN";
}

std::string_view lang_code(language l) {
  return l == language::en ? "en" : "zh";
}

const page_text& text_for(language l) {
  return l == language::en ? english : chinese;
}

std::string_view problem_text(language l, field_problem p) {
  const bool en = l == language::en;
  switch (p) {
    case field_problem::required:
      return en ? "Please describe the problem." : "请填写问题描述。";
    case field_problem::too_long:
      return en ? "This is too long; please shorten it." : "内容太长，请删减一些。";
    case field_problem::invalid_text:
      return en ? "This contains characters that cannot be read." : "内容含有无法识别的字符。";
    case field_problem::invalid_phone:
      return en ? "Please enter a mainland mobile (11 digits) or a landline with its area code."
                : "请填写11位手机号，或带区号的固定电话。";
    case field_problem::invalid_email:
      return en ? "Please enter an e-mail address like name@example.cn."
                : "请填写正确的邮箱，如 name@example.cn。";
    case field_problem::unknown_category:
      return en ? "Please choose a category from the list." : "请从列表中选择类别。";
    case field_problem::too_many_photos:
      return en ? "Too many photos; please choose fewer." : "照片太多，请少选几张。";
    case field_problem::photo_too_large:
      return en ? "A photo is too large; please choose a smaller one."
                : "有照片太大，请换一张较小的。";
    case field_problem::photo_type:
      return en ? "Only JPEG, PNG or HEIC photos can be sent."
                : "只能上传 JPEG、PNG 或 HEIC 照片。";
  }
  return {};
}

std::string_view notice_text(language l, page_notice n) {
  const bool en = l == language::en;
  switch (n) {
    case page_notice::none:
      return {};
    case page_notice::fix_errors:
      return text_for(l).error_summary;
    case page_notice::expired:
      return en ? "This page was open for a long time. Your input is kept: please check it and "
                  "press Send again (choose any photos again)."
                : "页面打开时间过长。您填写的内容已保留，请核对后再次提交（照片需重新选择）。";
    case page_notice::rate_limited:
      return en ? "Too many submissions in a short time. Your input is kept: please try again in "
                  "a few minutes."
                : "短时间内提交太多。您填写的内容已保留，请几分钟后再提交。";
    case page_notice::unavailable:
      return en ? "The service is busy and nothing was sent. Your input is kept: please press "
                  "Send again in a moment (choose any photos again)."
                : "系统繁忙，本次未能提交。您填写的内容已保留，请稍后再次提交（照片需重新选择）。";
    case page_notice::not_accepted:
      return en ? "The submission was not accepted. Your input is kept: please check it."
                : "提交未被接受。您填写的内容已保留，请核对。";
  }
  return {};
}

}  // namespace intake::channels::web
