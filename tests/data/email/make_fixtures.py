#!/usr/bin/env python3
"""Writes the e-mail channel's MIME fixtures (*.eml) into this directory.

Each fixture is built byte by byte here, in the charsets and encodings real mail uses, so the
bytes under test are exactly what the file says. Run it again after changing a fixture.
"""
import base64
import os
import quopri

HERE = os.path.dirname(os.path.abspath(__file__))


def b64(text, charset):
    return base64.b64encode(text.encode(charset)).decode()


def word(text, charset, enc="B"):
    data = text.encode(charset)
    if enc == "B":
        return "=?%s?B?%s?=" % (charset, base64.b64encode(data).decode())
    return "=?%s?Q?%s?=" % (charset, "".join("=%02X" % c for c in data))


def wrap(s, n=76):
    return "\r\n".join(s[i:i + n] for i in range(0, len(s), n))


def write(name, headers, body):
    if isinstance(body, str):
        body = body.encode("ascii")
    head = "".join("%s: %s\r\n" % (k, v) for k, v in headers).encode("latin-1")
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(head + b"\r\n" + body)


def common(msgid, subject, sender="zhang.san@example.cn"):
    return [
        ("From", sender),
        ("To", "12345@mail.county.gov.cn"),
        ("Date", "Tue, 01 Dec 2026 09:30:00 +0800"),
        ("Message-ID", "<%s@example.cn>" % msgid),
        ("Subject", subject),
        ("MIME-Version", "1.0"),
    ]


# GB2312-labelled body that also holds GBK-only characters (镕, 喆), GBK subject.
write("gb2312_body_gbk_subject.eml",
      common("gb2312-1", word("喆园小区路灯不亮", "gbk")) + [
          ("Content-Type", 'text/plain; charset="gb2312"'),
          ("Content-Transfer-Encoding", "base64")],
      wrap(b64("您好：\r\n喆园小区3栋门口的路灯已经坏了一个星期，晚上很黑。朱镕路也一样。\r\n联系电话 138-0013-8000\r\n", "gbk")) + "\r\n")

# Big5 (traditional), 8bit.
write("big5.eml",
      common("big5-1", word("路燈壞了", "big5")) + [
          ("Content-Type", "text/plain; charset=big5"),
          ("Content-Transfer-Encoding", "8bit")],
      "社區門口的路燈壞了一個星期，請儘快處理。\r\n".encode("big5"))

# UTF-8, quoted-printable with soft line breaks inside characters.
qp = quopri.encodestring("市民反映：中山路与解放路交叉口的红绿灯坏了，早晚高峰非常拥堵，请尽快派人维修。谢谢！\n".encode("utf-8")).decode().replace("\n", "\r\n")
write("utf8_qp.eml",
      common("utf8qp-1", word("红绿灯故障", "utf-8", "Q")) + [
          ("Content-Type", "text/plain; charset=UTF-8"),
          ("Content-Transfer-Encoding", "quoted-printable")],
      qp)

# HTML only.
html = ("<html><head><style>p{color:red}</style><title>x</title></head><body>"
        "<div>小区垃圾&nbsp;三天没有清运&amp;气味很大。</div><p>地址：幸福路&#49;&#50;号</p>"
        "<script>alert(1)</script><br>谢谢</body></html>")
write("html_only.eml",
      common("html-1", word("垃圾未清运", "utf-8")) + [
          ("Content-Type", "text/html; charset=utf-8"),
          ("Content-Transfer-Encoding", "base64")],
      wrap(b64(html, "utf-8")) + "\r\n")

# multipart/alternative: the plain part wins over the HTML one.
write("alternative.eml",
      common("alt-1", word("噪音扰民", "utf-8")) + [
          ("Content-Type", 'multipart/alternative; boundary="ALT"')],
      ("--ALT\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
       + wrap(b64("<p>HTML版本：工地夜间施工噪音扰民</p>", "utf-8")) + "\r\n"
       "--ALT\r\nContent-Type: text/plain; charset=gbk\r\nContent-Transfer-Encoding: base64\r\n\r\n"
       + wrap(b64("纯文本版本：工地夜间施工噪音扰民", "gbk")) + "\r\n--ALT--\r\n"))

# multipart/mixed with a JPEG (a tiny real JFIF header is enough for the sniffer).
jpeg = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffdb004300") + bytes(range(64)) + bytes.fromhex("ffd9")
write("jpeg_attachment.eml",
      common("jpeg-1", word("井盖破损（附照片）", "utf-8")) + [
          ("Content-Type", 'multipart/mixed; boundary="MIX"')],
      ("--MIX\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
       + wrap(b64("人民路口的井盖破损，照片见附件。", "utf-8")) + "\r\n"
       "--MIX\r\nContent-Type: image/jpeg; name=\"" + word("井盖.jpg", "utf-8") + "\"\r\n"
       "Content-Disposition: attachment; filename*=UTF-8''%E4%BA%95%E7%9B%96.jpg\r\n"
       "Content-Transfer-Encoding: base64\r\n\r\n" + wrap(base64.b64encode(jpeg).decode()) + "\r\n--MIX--\r\n"))

# A forward with nothing written above it: the forwarded complaint is the content.
write("forwarded.eml",
      common("fwd-1", "Fwd: " + word("楼道堆放杂物", "utf-8")) + [
          ("Content-Type", "text/plain; charset=utf-8"),
          ("Content-Transfer-Encoding", "8bit")],
      ("---------- Forwarded message ---------\r\n"
       "From: 李四 <li.si@example.cn>\r\nDate: 2026年11月30日 20:00\r\nSubject: 楼道堆放杂物\r\nTo: <zhang.san@example.cn>\r\n\r\n"
       "5号楼2单元楼道堆满杂物，存在消防隐患。\r\n").encode("utf-8"))

# A reply: the new text above the attribution line is kept, the quote is cut.
write("reply_quoted.eml",
      common("reply-1", word("回复：停车难问题", "utf-8")) + [
          ("In-Reply-To", "<old-1@example.cn>"),
          ("References", "<root-1@example.cn> <old-1@example.cn>"),
          ("Content-Type", "text/plain; charset=utf-8"),
          ("Content-Transfer-Encoding", "8bit")],
      ("问题还没有解决，小区门口仍然乱停车。\r\n\r\n-- \r\n张三\r\n\r\n"
       "在 2026年11月30日 20:00，12345热线 写道：\r\n> 您的来信已收到\r\n> 受理编号 XXXX\r\n").encode("utf-8"))

# Outlook-style quoted header block in Chinese.
write("outlook_quoted.eml",
      common("outlook-1", word("补充材料", "utf-8")) + [
          ("Content-Type", "text/plain; charset=gbk"),
          ("Content-Transfer-Encoding", "base64")],
      wrap(b64("补充一下：噪音每天晚上11点以后开始。\r\n\r\n发件人: 张三\r\n发送时间: 2026年11月30日 20:00\r\n收件人: 12345\r\n主题: 噪音扰民\r\n\r\n工地夜间施工噪音扰民\r\n", "gbk")) + "\r\n")

# An out-of-office answer.
write("auto_reply.eml",
      common("ooo-1", word("自动回复：我不在办公室", "utf-8")) + [
          ("Auto-Submitted", "auto-replied"),
          ("Content-Type", "text/plain; charset=utf-8"),
          ("Content-Transfer-Encoding", "8bit")],
      "我将于12月5日返回办公室。\r\n".encode("utf-8"))

# A bounce (delivery status notification).
write("bounce.eml",
      [("Return-Path", "<>"),
       ("From", "Mail Delivery System <MAILER-DAEMON@mx.example.cn>"),
       ("To", "12345@mail.county.gov.cn"),
       ("Date", "Tue, 01 Dec 2026 09:31:00 +0800"),
       ("Message-ID", "<bounce-1@mx.example.cn>"),
       ("Subject", "Undelivered Mail Returned to Sender"),
       ("MIME-Version", "1.0"),
       ("Content-Type", 'multipart/report; report-type=delivery-status; boundary="DSN"')],
      ("--DSN\r\nContent-Type: text/plain\r\n\r\nThis is the mail system at host mx.example.cn.\r\n"
       "--DSN\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.cn\r\n\r\n"
       "Final-Recipient: rfc822; nobody@example.cn\r\nAction: failed\r\nStatus: 5.1.1\r\n--DSN--\r\n"))

# Broken structure: a multipart without its boundary parameter.
write("broken_mime.eml",
      common("broken-1", "broken") + [("Content-Type", "multipart/mixed")],
      "--X\r\nContent-Type: text/plain\r\n\r\nlost\r\n--X--\r\n")

# Header encodings as they come in the wild.
split = "井盖丢失".encode("gbk")  # 8 bytes; the first word ends in the middle of 盖
write("malformed_rfc2047.eml",
      [("From", "=?gb2312?B?%s?= <wang.wu@example.cn>" % base64.b64encode("王五".encode("gbk")).decode()),
       ("To", "12345@mail.county.gov.cn"),
       ("Date", "Tue, 01 Dec 2026 09:30:00 +0800"),
       ("Message-ID", "<malformed-1@example.cn>"),
       # Two adjacent words with no space between them, lower-case 'b', a GBK character split
       # across the two words, and a GB2312 label on GBK bytes.
       ("Subject", "=?gb2312?b?%s?==?gb2312?b?%s?=" % (
           base64.b64encode(split[:3]).decode(), base64.b64encode(split[3:]).decode())),
       ("MIME-Version", "1.0"),
       ("Content-Type", "text/plain; charset=utf-8")],
      "王府井大街井盖丢失。\r\n".encode("utf-8"))

# Raw 8-bit GBK in a header (no encoded-word at all) and an unknown body charset label.
with open(os.path.join(HERE, "raw_8bit_header.eml"), "wb") as f:
    f.write(b"From: zhao.liu@example.cn\r\nTo: 12345@mail.county.gov.cn\r\n"
            b"Message-ID: <raw8-1@example.cn>\r\nSubject: " + "道路积水".encode("gbk") +
            b"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=x-unknown\r\n\r\n" +
            "下雨后道路积水严重。".encode("gbk") + b"\r\n")

# ISO-8859-1 and ISO-8859-15 (foreign residents write too).
write("iso8859_1.eml",
      common("latin1-1", "=?iso-8859-1?Q?Caf=E9_noise?=") + [
          ("Content-Type", "text/plain; charset=iso-8859-1"),
          ("Content-Transfer-Encoding", "quoted-printable")],
      "The caf=E9 next door plays music until 2 a.m.\r\n")
write("iso8859_15.eml",
      common("latin9-1", "Parking fine") + [
          ("Content-Type", "text/plain; charset=ISO-8859-15"),
          ("Content-Transfer-Encoding", "8bit")],
      "I was fined 200 \xa4 for parking in my own space.\r\n".encode("latin-1"))

# GB18030 four-byte characters (rare names) in a GB18030-labelled body.
write("gb18030.eml",
      common("gb18030-1", word("户籍问题", "gb18030")) + [
          ("Content-Type", "text/plain; charset=GB18030"),
          ("Content-Transfer-Encoding", "base64")],
      wrap(b64("我的名字里有生僻字𠀾，派出所系统无法录入。\r\n", "gb18030")) + "\r\n")

# Not a mail message at all.
with open(os.path.join(HERE, "garbage.eml"), "wb") as f:
    f.write(bytes([0x00, 0x01, 0xFF, 0xFE]) * 64 + b"\x89PNG\r\n\x1a\n" + bytes(200))
