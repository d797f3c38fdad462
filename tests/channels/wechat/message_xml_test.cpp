#include "channels/wechat/message_xml.hpp"

#include <gtest/gtest.h>

#include "channels/wechat/inbound_message.hpp"

namespace intake::channels::wechat {
namespace {

const std::string head =
    "<xml><ToUserName><![CDATA[gh_account]]></ToUserName>"
    "<FromUserName><![CDATA[oCitizen0000000000000000001]]></FromUserName>"
    "<CreateTime>1714037059</CreateTime>";

// The message types of WeChat's 接收普通消息 page, as pushed.
TEST(message_xml, reads_each_message_type) {
  struct row {
    std::string name;
    std::string xml;
    message_kind kind;
    std::string text;
  };
  const row rows[] = {
      {"text",
       head + "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[路灯坏了 <b>&]]></Content>"
              "<MsgId>1234567890123456</MsgId></xml>",
       message_kind::text, "路灯坏了 <b>&"},
      {"image",
       head + "<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://mmbiz/x]]></PicUrl>"
              "<MediaId><![CDATA[photo-1]]></MediaId><MsgId>1234567890123457</MsgId></xml>",
       message_kind::image, ""},
      {"location",
       head + "<MsgType><![CDATA[location]]></MsgType><Location_X>22.54</Location_X>"
              "<Location_Y>114.06</Location_Y><Scale>20</Scale><Label><![CDATA[某路12号]]></Label>"
              "<MsgId>1234567890123458</MsgId></xml>",
       message_kind::location, ""},
      {"voice with recognition",
       head + "<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[v1]]></MediaId>"
              "<Format><![CDATA[amr]]></Format><Recognition><![CDATA[井盖丢了]]></Recognition>"
              "<MsgId>1234567890123459</MsgId></xml>",
       message_kind::voice, "井盖丢了"},
      {"event",
       head + "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event></xml>",
       message_kind::event, ""},
      {"entities and a declaration",
       "<?xml version=\"1.0\"?>\n" + head +
           "<MsgType>text</MsgType><Content>a &lt;b&gt; &amp; &#x8DEF;&#28783;</Content>"
           "<MsgId>1</MsgId></xml>\n",
       message_kind::text, "a <b> & 路灯"},
  };
  for (const auto& r : rows) {
    auto fields = parse_message_xml(r.xml);
    ASSERT_TRUE(fields) << r.name << ": " << fields.error().message;
    auto m = read_message(*fields);
    ASSERT_TRUE(m) << r.name << ": " << m.error().message;
    EXPECT_EQ(m->kind, r.kind) << r.name;
    EXPECT_EQ(m->text, r.text) << r.name;
    EXPECT_EQ(m->from_user, "oCitizen0000000000000000001") << r.name;
    EXPECT_EQ(m->create_time, 1714037059) << r.name;
  }
}

TEST(message_xml, reads_location_fields) {
  auto fields = parse_message_xml(head +
                                  "<MsgType>location</MsgType><Location_X>22.54</Location_X>"
                                  "<Location_Y>114.06</Location_Y><Label>某路12号</Label>"
                                  "<MsgId>9</MsgId></xml>");
  ASSERT_TRUE(fields);
  auto m = read_message(*fields);
  ASSERT_TRUE(m);
  EXPECT_DOUBLE_EQ(*m->lat, 22.54);
  EXPECT_DOUBLE_EQ(*m->lon, 114.06);
  EXPECT_EQ(*m->label, "某路12号");
  EXPECT_EQ(replay_key(*m), "msg:9");
}

TEST(message_xml, refuses_malformed_and_oversize_documents) {
  struct row {
    std::string name;
    std::string xml;
    core::errc code;
  };
  const row rows[] = {
      {"empty", "", core::errc::bad_request},
      {"other root", "<root><A>1</A></root>", core::errc::bad_request},
      {"unclosed", "<xml><A>1</A>", core::errc::bad_request},
      {"mismatched", "<xml><A>1</B></xml>", core::errc::bad_request},
      {"unterminated CDATA", "<xml><A><![CDATA[x</A></xml>", core::errc::bad_request},
      {"DTD (entity expansion)", "<!DOCTYPE xml [<!ENTITY a \"b\">]><xml><A>&a;</A></xml>",
       core::errc::bad_request},
      {"unknown entity", "<xml><A>&a;</A></xml>", core::errc::bad_request},
      {"attributes", "<xml><A x=\"1\">1</A></xml>", core::errc::bad_request},
      {"trailing content", "<xml><A>1</A></xml><xml/>", core::errc::bad_request},
      {"too deep", "<xml><A><B><C><D><E>1</E></D></C></B></A></xml>", core::errc::bad_request},
      {"oversize", "<xml><A>" + std::string(70 * 1024, 'x') + "</A></xml>",
       core::errc::payload_too_large},
  };
  for (const auto& r : rows) {
    auto out = parse_message_xml(r.xml);
    ASSERT_FALSE(out) << r.name;
    EXPECT_EQ(out.error().code, r.code) << r.name;
  }
  std::string many = "<xml>";
  for (int i = 0; i < 70; ++i) many += "<F" + std::to_string(i) + ">1</F" + std::to_string(i) + ">";
  EXPECT_FALSE(parse_message_xml(many + "</xml>"));
}

TEST(message_xml, refuses_messages_without_their_fields) {
  struct row {
    std::string name;
    std::string xml;
  };
  const row rows[] = {
      {"no sender",
       "<xml><ToUserName>a</ToUserName><CreateTime>1</CreateTime><MsgType>text"
       "</MsgType><Content>x</Content><MsgId>1</MsgId></xml>"},
      {"bad time",
       "<xml><ToUserName>a</ToUserName><FromUserName>o</FromUserName><CreateTime>x"
       "</CreateTime><MsgType>text</MsgType><Content>x</Content><MsgId>1</MsgId></xml>"},
      {"no MsgId", head + "<MsgType>text</MsgType><Content>x</Content></xml>"},
      {"text without content", head + "<MsgType>text</MsgType><MsgId>1</MsgId></xml>"},
      {"location out of range", head + "<MsgType>location</MsgType><Location_X>91</Location_X>"
                                       "<Location_Y>1</Location_Y><MsgId>1</MsgId></xml>"},
      {"image without media", head + "<MsgType>image</MsgType><MsgId>1</MsgId></xml>"},
  };
  for (const auto& r : rows) {
    auto fields = parse_message_xml(r.xml);
    ASSERT_TRUE(fields) << r.name;
    EXPECT_FALSE(read_message(*fields)) << r.name;
  }
}

TEST(message_xml, writes_cdata_that_reads_back) {
  const std::string tricky = "a ]]> b <c> & 路灯";
  const auto xml = write_message_xml({{"Content", tricky}, {"CreateTime", "12", true}});
  auto back = parse_message_xml(xml);
  ASSERT_TRUE(back) << xml;
  EXPECT_EQ(back->at("Content"), tricky);
  EXPECT_EQ(back->at("CreateTime"), "12");
}

}  // namespace
}  // namespace intake::channels::wechat
