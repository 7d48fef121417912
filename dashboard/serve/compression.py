"""Compression of what the served app sends: brotli or gzip, as the reader's `Accept-Encoding` asks.

Streamlit sends its static JavaScript and the page's HTML uncompressed (its gzip middleware skips them,
because it would compress again on every request); on a slow link those are most of a new visitor's wait.
`Compression` answers the page, Streamlit's static files and the chart and data URLs compressed instead.
Static files and stable URLs are compressed once per process and kept, keyed by path and the uncompressed
answer's ETag (Streamlit's static files are content-hashed and immutable; the stable URLs' ETags change with
the data); the page's HTML (a few kB, different per view and host) is compressed as it goes. Each encoding
has its own ETag (`"…-br"`), every compressible answer says `Vary: Accept-Encoding`, and If-None-Match
works with any of them. Negotiation (`choose`) and ETag rewriting are pure functions.
"""

from __future__ import annotations

import asyncio
import gzip
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

import brotli

ENCODINGS = ("br", "gzip")  # what we offer, in our order of preference when the reader has none
IDENTITY = "identity"
COMPRESSIBLE = re.compile(r"^(text/|application/(javascript|json|xml|manifest\+json)|image/svg\+xml)")
MIN_SIZE = 1024  # below this a compressed answer saves less than a packet
PAYS = 0.9  # an encoding is kept only if it saves at least a tenth (a woff2 font is brotli already)
MAX_CACHED = 256 * 1024 * 1024  # bytes of compressed answers kept per process
# brotli quality 6: the Plotly chunk (4.7 MB) in about a quarter of a second to 1.2 MB; quality 11 would save
# another 13% but takes about a minute, too long for the first visitor after a start (docs/performance.md).
BROTLI_QUALITY = 6
GZIP_LEVEL = 6


def accepted(header: str) -> dict[str, float]:
    """`Accept-Encoding` as each coding's q-value, lower-cased (`*` included as given)."""
    found: dict[str, float] = {}
    for part in header.split(","):
        coding, *params = (piece.strip() for piece in part.split(";"))
        if not coding:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(1.0, max(0.0, float(value)))
                except ValueError:
                    q = 0.0  # a q-value we cannot read is not a yes
        found[coding.lower()] = q
    return found


def choose(header: str | None, offered: Iterable[str] = ENCODINGS) -> str:
    """The encoding to send for this `Accept-Encoding` (RFC 9110 §12.5.3): the offered coding with the highest
    q-value above 0 (ties go to our order), unless the reader ranks `identity` higher; `identity` when the header
    is absent or accepts none of ours."""
    if not header:
        return IDENTITY
    q = accepted(header)
    wildcard = q.get("*", 0.0)
    best, best_q = IDENTITY, 0.0
    for coding in offered:
        value = q.get(coding, wildcard)
        if value > best_q:
            best, best_q = coding, value
    return IDENTITY if q.get(IDENTITY, 0.0) > best_q else best


def tagged(etag: str, coding: str) -> str:
    """The ETag of `coding`'s bytes: `"abc"` → `"abc-br"` (a weak tag stays weak)."""
    if coding == IDENTITY or not etag.endswith('"'):
        return etag
    return f'{etag[:-1]}-{coding}"'


def untagged(etag: str) -> str:
    """An ETag as the uncompressed answer has it: `"abc-br"` → `"abc"`."""
    for coding in ENCODINGS:
        if etag.endswith(f'-{coding}"'):
            return etag[: -len(coding) - 2] + '"'
    return etag


def compress(body: bytes, coding: str) -> bytes:
    if coding == "br":
        return brotli.compress(body, quality=BROTLI_QUALITY)
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)  # mtime 0: the same bytes on every replica


class Store:
    """Compressed bytes per (path, uncompressed ETag, encoding), each made once; None where it did not pay.

    Kept least recently used first, up to `limit` bytes. Two requests for the same bytes at once share one
    compression, made in a worker thread (brotli and zlib let go of the GIL)."""

    def __init__(self, limit: int = MAX_CACHED) -> None:
        self._limit = limit
        self._size = 0
        self._lock = threading.Lock()
        self._kept: OrderedDict[tuple, bytes | None] = OrderedDict()
        self._making: dict[tuple, threading.Lock] = {}

    def get(self, key: tuple) -> tuple[bool, bytes | None]:
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return True, self._kept[key]
            return False, None

    def put(self, key: tuple, value: bytes | None) -> None:
        with self._lock:
            if key in self._kept:
                return
            self._kept[key] = value
            self._size += len(value or b"")
            while self._size > self._limit and len(self._kept) > 1:
                self._size -= len(self._kept.popitem(last=False)[1] or b"")

    def make(self, key: tuple, body: bytes, coding: str) -> bytes | None:
        """The compressed bytes (made now, in this thread, unless kept or being made), or None if they save
        too little."""
        with self._lock:
            making = self._making.setdefault(key, threading.Lock())
        with making:
            found, value = self.get(key)
            if not found:
                packed = compress(body, coding)
                value = packed if len(packed) <= len(body) * PAYS else None
                self.put(key, value)
        with self._lock:
            self._making.pop(key, None)
        return value

    async def compressed(self, key: tuple, body: bytes, coding: str) -> bytes | None:
        found, value = self.get(key)
        return value if found else await asyncio.to_thread(self.make, key, body, coding)


STORE = Store()


def warm_static(static_dir: Path, html: str, extra: Iterable[str] = (), store: Store = STORE) -> None:
    """Compress, ahead of the first visitor, the static files the page's HTML names (its script, module
    preloads and style sheet) and `extra` ones, under the ETag Starlette's StaticFiles gives them."""
    from starlette.responses import FileResponse  # the ETag must be the one the static route sends

    names = set(re.findall(r'(?:src|href)="\./(static/(?:js|css)/[^"]+)"', html)) | set(extra)
    for name in sorted(names):
        path = static_dir / name
        if not path.is_file():
            continue
        etag = FileResponse(path, stat_result=path.stat()).headers["etag"]
        body = path.read_bytes()
        for coding in ENCODINGS:
            store.make((f"/{name}", etag, coding), body, coding)


class Compression:
    """ASGI middleware: GET (and HEAD) answers to the page (`/`) and to paths under `prefixes`, compressed as the
    reader accepts. Runs outside Streamlit's own gzip middleware, which it keeps out of these answers (the request
    goes in without `Accept-Encoding`), so nothing is compressed twice."""

    def __init__(self, app, prefixes: tuple[str, ...], store: Store = STORE) -> None:
        self.app = app
        self.prefixes = prefixes
        self.store = store

    async def __call__(self, scope, receive, send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or not (
                path == "/" or path.startswith(self.prefixes)):
            await self.app(scope, receive, send)
            return
        asked = {name: value.decode("latin-1") for name, value in scope["headers"]
                 if name in (b"accept-encoding", b"if-none-match")}
        coding = choose(asked.get(b"accept-encoding"))
        client_tags = [tag.strip() for tag in asked.get(b"if-none-match", "").split(",") if tag.strip()]
        headers = [(name, value) for name, value in scope["headers"]
                   if name not in (b"accept-encoding", b"if-none-match")]
        if client_tags:  # the answer's own ETag is the uncompressed one: ask with that
            headers.append((b"if-none-match", ", ".join(untagged(tag) for tag in client_tags).encode("latin-1")))
        # Kept: the static files and the stable URLs, whose ETag names their bytes for that path whatever the query
        # (a made-up query cannot fill the store). The page is small and differs per view and host: made each time.
        # HEAD is answered as GET without its body, so its headers name the bytes a GET would send (RFC 9110 §9.3.2).
        answer = Answer(send, path, coding, client_tags, self.store if path != "/" else None,
                        head=scope["method"] == "HEAD")
        await self.app({**scope, "method": "GET", "headers": headers}, receive, answer.send)


class Answer:
    """One response on its way out: passed through, or held until its body is complete and then compressed."""

    def __init__(self, send, path: str, coding: str, client_tags: list[str], store: Store | None,
                 head: bool = False) -> None:
        self._send = send
        self._head = head
        self._path = path
        self._coding = coding
        self._client_tags = client_tags
        self._store = store
        self._start: dict | None = None
        self._headers = None
        self._held: list[bytes] | None = None  # None: passing through

    async def send(self, message) -> None:
        if message["type"] == "http.response.start":
            await self._started(message)
        elif message["type"] == "http.response.body" and self._held is not None:
            self._held.append(message.get("body", b""))
            if not message.get("more_body", False):
                await self._finish(b"".join(self._held))
        elif message["type"] == "http.response.body" and self._head:
            if not message.get("more_body", False):
                await self._send({"type": "http.response.body", "body": b"", "more_body": False})
        else:
            await self._send(message)

    async def _started(self, message) -> None:
        from starlette.datastructures import MutableHeaders

        headers = MutableHeaders(raw=list(message["headers"]))
        status = message["status"]
        if status == 304 and "etag" in headers:  # the reader's copy is current: name it as the reader did
            headers["etag"] = next((tag for tag in self._client_tags if untagged(tag) == headers["etag"]),
                                   tagged(headers["etag"], self._coding))
        elif status == 200 and COMPRESSIBLE.match(headers.get("content-type", "")) \
                and "content-encoding" not in headers:
            if "accept-encoding" not in headers.get("vary", "").lower():  # Streamlit's gzip may have said it
                headers.add_vary_header("Accept-Encoding")
            if self._coding != IDENTITY:
                self._start, self._headers, self._held = message, headers, []
                return
        await self._send({**message, "headers": headers.raw})

    async def _finish(self, body: bytes) -> None:
        headers = self._headers
        packed = None
        if len(body) >= MIN_SIZE:
            etag = headers.get("etag")
            if etag and self._store is not None:
                packed = await self._store.compressed((self._path, etag, self._coding), body, self._coding)
            else:  # the page, or an answer with no ETag (an error): small, and not kept
                made = await asyncio.to_thread(compress, body, self._coding)
                packed = made if len(made) <= len(body) * PAYS else None
        if packed is not None:
            headers["content-encoding"] = self._coding
            headers["content-length"] = str(len(packed))
            if "etag" in headers:
                headers["etag"] = tagged(headers["etag"], self._coding)
            body = packed
        await self._send({**self._start, "headers": headers.raw})
        await self._send({"type": "http.response.body", "body": b"" if self._head else body, "more_body": False})
