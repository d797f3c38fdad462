#!/usr/bin/python3
"""A local stand-in for WeChat's server API, for the integration tests.

It answers the documented endpoints with their documented JSON, errors included, so the
collector is tested through the same base URL setting it uses in production:

  GET  /sns/jscode2session?appid=&secret=&js_code=&grant_type=authorization_code
       -> {"openid","session_key"[,"unionid"]} | 40029 invalid code | 40163 code been used
          | 45011 api minute-quota reach limit | -1 system error | 40013 invalid appid
  POST /cgi-bin/stable_token {"grant_type","appid","secret","force_refresh"}
       -> {"access_token","expires_in"} | 40013 | 40125 invalid appsecret
  GET  /cgi-bin/token?grant_type=client_credential&appid=&secret=    (the older endpoint)
  POST /wxa/msg_sec_check?access_token=   {"content","version":2,"scene","openid"}
       -> {"errcode":0,"result":{"suggest","label"}} | 42001 access_token expired | 40001
  GET  /cgi-bin/media/get?access_token=&media_id=
       -> the media's bytes with its Content-Type | 40007 invalid media_id | 42001 | 40001

Test codes for jscode2session: "ok:<openid>:<anything>" logs in as <openid> (once: a code is
single-use, as on WeChat); "invalid:..." gives 40029, "limit:..." 45011, "busy:..." -1.
Texts containing "RISKY" are judged risky by msg_sec_check.

Control endpoints (not WeChat's): POST /__control/expire_tokens makes every issued token answer
42001 from then on; GET /__control/stats gives call counts as JSON (stable_token calls with
force_refresh are also counted as "stable_token_forced").

POST /__control/fault {"mode": M} makes WeChat misbehave until {"mode": "none"}:
  "busy"                every endpoint answers errcode -1 "system error" (WeChat's "retry later")
  "invalid_credential"  calls made with an access token answer errcode 40001, whatever the token
                        (tokens are still issued: WeChat refusing them after a refresh elsewhere)
  "http_500"            every endpoint answers HTTP 500 with an HTML body, as a failing proxy does
Calls are counted whatever the mode.

Usage: wechat_standin.py --port-file FILE --app APPID=SECRET [--app APPID=SECRET ...]
The chosen port (bound on 127.0.0.1) is written to FILE once the server listens.
"""

import argparse
import json
import os
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# A tiny JPEG (SOI, APP0 JFIF, EOI): enough for content sniffing.
JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")


class State:
    def __init__(self, apps):
        self.apps = apps  # appid -> secret
        self.lock = threading.Lock()
        self.tokens = {}  # token -> "valid" | "expired"
        self.serial = 0
        self.used_codes = set()
        self.counts = {}
        self.fault = "none"

    def count(self, name):
        self.counts[name] = self.counts.get(name, 0) + 1

    def new_token(self):
        self.serial += 1
        token = "standin-token-%d" % self.serial
        self.tokens[token] = "valid"
        return token

    def token_error(self, token):
        if self.fault == "invalid_credential":
            return {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid"}
        state = self.tokens.get(token)
        if state is None:
            return {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid"}
        if state == "expired":
            return {"errcode": 42001, "errmsg": "access_token expired"}
        return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None

    def log_message(self, fmt, *args):  # quiet: the test's log has what matters
        pass

    def reply_json(self, obj, status=200):
        body = json.dumps(obj, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; encoding=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def reply_bytes(self, data, content_type):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Disposition", 'attachment; filename="photo.jpg"')
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def faulty(self, path):
        """Answers in place of WeChat under the "busy" and "http_500" faults; True if it did."""
        if path.startswith("/__control/"):
            return False
        if self.state.fault == "busy":
            self.reply_json({"errcode": -1, "errmsg": "system error"})
            return True
        if self.state.fault == "http_500":
            body = b"<html><body>500 Internal Server Error</body></html>"
            self.send_response(500)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return True
        return False

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(url.query))
        s = self.state
        with s.lock:
            if url.path == "/sns/jscode2session":
                s.count("jscode2session")
                if self.faulty(url.path):
                    return None
                return self.reply_json(self.jscode2session(q))
            if url.path == "/cgi-bin/token":
                s.count("token")
                if self.faulty(url.path):
                    return None
                return self.reply_json(self.issue_token(q.get("appid"), q.get("secret"), False))
            if url.path == "/cgi-bin/media/get":
                s.count("media_get")
                if self.faulty(url.path):
                    return None
                err = s.token_error(q.get("access_token", ""))
                if err:
                    return self.reply_json(err)
                media_id = q.get("media_id", "")
                if not media_id.startswith("photo-"):
                    return self.reply_json({"errcode": 40007, "errmsg": "invalid media_id"})
                # Each media id gets its own bytes so the store keeps them apart.
                return self.reply_bytes(JPEG[:-2] + media_id.encode() + JPEG[-2:], "image/jpeg")
            if url.path == "/__control/stats":
                return self.reply_json(dict(s.counts))
        self.reply_json({"errcode": 404, "errmsg": "not found"}, 404)

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(url.query))
        raw = self.body()
        s = self.state
        with s.lock:
            if url.path == "/cgi-bin/stable_token":
                s.count("stable_token")
                try:
                    req = json.loads(raw or b"{}")
                except ValueError:
                    return self.reply_json({"errcode": 47001, "errmsg": "data format error"})
                if req.get("force_refresh"):
                    s.count("stable_token_forced")
                if self.faulty(url.path):
                    return None
                if req.get("grant_type") != "client_credential":
                    return self.reply_json({"errcode": 40002, "errmsg": "invalid grant_type"})
                return self.reply_json(
                    self.issue_token(req.get("appid"), req.get("secret"),
                                     bool(req.get("force_refresh"))))
            if url.path == "/wxa/msg_sec_check":
                s.count("msg_sec_check")
                if self.faulty(url.path):
                    return None
                err = s.token_error(q.get("access_token", ""))
                if err:
                    return self.reply_json(err)
                req = json.loads(raw or b"{}")
                risky = "RISKY" in req.get("content", "")
                return self.reply_json({
                    "errcode": 0, "errmsg": "ok",
                    "result": {"suggest": "risky" if risky else "pass",
                               "label": 20001 if risky else 100},
                    "detail": [], "trace_id": "standin"})
            if url.path == "/__control/fault":
                mode = json.loads(raw or b"{}").get("mode", "none")
                if mode not in ("none", "busy", "invalid_credential", "http_500"):
                    return self.reply_json({"errcode": 40097, "errmsg": "unknown fault"}, 400)
                s.fault = mode
                return self.reply_json({"errcode": 0, "errmsg": "ok"})
            if url.path == "/__control/expire_tokens":
                for token in s.tokens:
                    s.tokens[token] = "expired"
                return self.reply_json({"errcode": 0, "errmsg": "ok"})
        self.reply_json({"errcode": 404, "errmsg": "not found"}, 404)

    def issue_token(self, appid, secret, force_refresh):
        s = self.state
        if appid not in s.apps:
            return {"errcode": 40013, "errmsg": "invalid appid"}
        if secret != s.apps[appid]:
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        live = [t for t, st in s.tokens.items() if st == "valid"]
        token = live[-1] if live and not force_refresh else s.new_token()
        return {"access_token": token, "expires_in": 7200}

    def jscode2session(self, q):
        s = self.state
        if q.get("appid") not in s.apps:
            return {"errcode": 40013, "errmsg": "invalid appid"}
        if q.get("secret") != s.apps[q.get("appid")]:
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        if q.get("grant_type") != "authorization_code":
            return {"errcode": 40002, "errmsg": "invalid grant_type"}
        code = q.get("js_code", "")
        kind, _, rest = code.partition(":")
        if kind == "limit":
            return {"errcode": 45011, "errmsg": "api minute-quota reach limit"}
        if kind == "busy":
            return {"errcode": -1, "errmsg": "system error"}
        if kind != "ok" or ":" not in rest:
            return {"errcode": 40029, "errmsg": "invalid code"}
        if code in s.used_codes:
            return {"errcode": 40163, "errmsg": "code been used"}
        s.used_codes.add(code)
        openid = rest.split(":", 1)[0]
        return {"openid": openid, "session_key": "c3RhbmRpbi1zZXNzaW9uLWtleQ=="}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--app", action="append", required=True, help="APPID=SECRET")
    args = parser.parse_args()
    Handler.state = State(dict(a.split("=", 1) for a in args.app))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
