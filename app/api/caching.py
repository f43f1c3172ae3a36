"""Conditional GETs: an ETag on every JSON answer, and 304 when the client already has it."""

from __future__ import annotations

import hashlib
from email.utils import parsedate_to_datetime

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class ConditionalGet:
    """Hashes JSON bodies of successful GETs into a weak ETag; streamed exports pass through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        request_headers = Headers(scope=scope)
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffered_send(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"])
                is_json = headers.get("content-type", "").startswith("application/json")
                if message["status"] == 200 and is_json:
                    start = message
                    return
                await send(message)
                return
            if start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await self._finish(start, b"".join(chunks), request_headers, send)

        await self.app(scope, receive, buffered_send)

    @staticmethod
    async def _finish(start: Message, body: bytes, request: Headers, send: Send) -> None:
        headers = MutableHeaders(raw=start["headers"])
        etag = 'W/"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        headers["ETag"] = etag
        if _not_modified(request, etag, headers.get("last-modified")):
            for name in ("content-length", "content-type"):
                if name in headers:
                    del headers[name]
            await send({"type": "http.response.start", "status": 304, "headers": headers.raw})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({**start, "headers": headers.raw})
        await send({"type": "http.response.body", "body": body})


def _not_modified(request: Headers, etag: str, last_modified: str | None) -> bool:
    if_none_match = request.get("if-none-match")
    if if_none_match is not None:
        wanted = {tag.strip() for tag in if_none_match.split(",")}
        return "*" in wanted or etag in wanted or etag.removeprefix("W/") in wanted
    if_modified_since = request.get("if-modified-since")
    if if_modified_since and last_modified:
        try:
            return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
    return False
