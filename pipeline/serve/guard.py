"""What stands between the workbench and anyone but the person who started it.

Every request must name this server by the address it was started on (a page of another
site that points a name of its own at 127.0.0.1 is refused) and carry the random token
printed with that address: in the address itself the first time, after which a cookie
that browsers send to this server only, never with a request another site starts
(SameSite=Strict), carries it. Every POST must also carry the form token (`csrf`), which
only pages of this server hold, and its body is cut off past the upload limit. Responses
forbid scripts, framing by other sites and caching.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, quote, urlencode

COOKIE = "wenmi_token"
HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; "
     b"img-src 'self' data:; frame-ancestors 'self'; form-action 'self'; base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]


def new_token() -> str:
    return secrets.token_urlsafe(24)


def form_token(token: str) -> str:
    """The token every form of this server carries (`csrf`), derived from the access token."""
    return hmac.new(token.encode(), b"csrf", hashlib.sha256).hexdigest()


def same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


class Guard:
    """ASGI middleware: host, token, body size and the security headers (the form token is
    checked where the form is read, serve/app.py)."""

    def __init__(self, app, token: str, hosts: set[str] | None, body_limit: int):
        self.app, self.token, self.hosts, self.body_limit = app, token, hosts, body_limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}
        if self.hosts is not None and headers.get("host", "") not in self.hosts:
            return await _refuse(send, 400, "地址不对：请用启动时打印的地址（127.0.0.1）打开工作台。")
        origin = headers.get("origin")
        if origin is not None and origin.split("://", 1)[-1] != headers.get("host"):
            return await _refuse(send, 403, "拒绝来自其他网站的请求。")
        query = dict(parse_qsl(scope.get("query_string", b"").decode("utf-8", "replace")))
        if "token" in query:
            if not same(query.pop("token"), self.token):
                return await _refuse(send, 403, "令牌不对：请用启动时打印的完整地址打开工作台。")
            rest = urlencode(query)
            location = quote(scope["path"]) + (f"?{rest}" if rest else "")
            return await _redirect_with_cookie(send, location, self.token)
        cookie = SimpleCookie()
        cookie.load(headers.get("cookie", ""))
        if not same(cookie[COOKIE].value if COOKIE in cookie else None, self.token):
            return await _refuse(send, 403, "需要令牌：请用启动 wenmi serve 时打印的完整地址（含 token=…）打开工作台。")
        if int(headers.get("content-length") or 0) > self.body_limit:
            return await _refuse(send, 413, f"上传的文件太大：不能超过 {self.body_limit / 2**20:g} MB。")
        return await self.app(scope, self._limited(receive), self._secured(send))

    def _limited(self, receive):
        """`receive` that stops a body longer than the limit (one sent without its length)."""
        received = 0

        async def limited():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.body_limit:
                raise BodyTooLarge
            return message
        return limited

    def _secured(self, send):
        async def secured(message):
            if message["type"] == "http.response.start":
                message = dict(message, headers=[*message.get("headers", []), *HEADERS])
            await send(message)
        return secured


class BodyTooLarge(Exception):
    """A request body past the upload limit (serve/app.py answers 413)."""


async def _refuse(send, status: int, text: str) -> None:
    body = (f'<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><title>文秘工作台</title>'
            f"<p>{text}</p></html>").encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/html; charset=utf-8"), *HEADERS]})
    await send({"type": "http.response.body", "body": body})


async def _redirect_with_cookie(send, location: str, token: str) -> None:
    cookie = f"{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/"
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode("utf-8")),
                            (b"set-cookie", cookie.encode("latin-1")), *HEADERS]})
    await send({"type": "http.response.body", "body": b""})
