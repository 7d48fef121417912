"""The served dashboard: the Streamlit page plus stable chart and data URLs, in one process.

`streamlit run dashboard/serve/asgi.py` (what `make run` does) finds the `st.App` below and serves
`dashboard/serve/app.py` with `/charts/…` and `/api/…` beside it. The routes are thin: every answer
comes from `dashboard.serve.web`, which knows nothing of Streamlit.

Start-up is arranged for the first chart. The page's modules are imported here, before the server
listens, so no session ever imports beside the warm-up (two threads importing pandas at once let
Plotly read a half-imported module). The lifespan then warms in the background while the browser
loads Streamlit's JavaScript: the dataset and the landing page's task chart first (a first run that
asks for it meanwhile waits for that build rather than starting its own), then the routes' figures;
the stable URLs wait for all of it (Plotly's lazy first loads race across threads). The page's
HTML asks the browser to fetch Plotly's JavaScript once the page's own scripts are in, not when the
first chart arrives, and carries the page's language and style sheet from the first byte. Everything
that compresses goes out compressed (dashboard/serve/compression.py): the page's static files are
compressed once, in the background at start, before anyone asks.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st
from starlette.datastructures import QueryParams
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from streamlit.file_util import get_static_dir

from dashboard.core.i18n import LANGUAGES
from dashboard.present.url_view import parse_view
from dashboard.serve import compression, landing, web
from dashboard.serve.compression import Compression

landing.import_page_modules()
WARMED = threading.Event()  # the stable URLs may answer
WARM_TIMEOUT = 120  # seconds; past it, a request goes ahead and does the work itself


def warm() -> None:
    """What the first visitor needs first, first: the landing page's task chart, then the routes' figures
    (and `web.warm`'s freeze of everything loaded so far out of the garbage collector's reach)."""
    try:
        landing.warm()
        web.warm()
    finally:
        WARMED.set()


class AfterWarmUp:
    """Holds a stable URL until the warm-up is done; the page and its JavaScript are served at once."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope.get("path", "").startswith(web.PREFIXES) and not WARMED.is_set():
            await asyncio.to_thread(WARMED.wait, WARM_TIMEOUT)
        await self.app(scope, receive, send)


class PageHtml:
    """Answers the page's own address (every view is `/` with a query) with `landing.page_html` in the
    view's language, carrying the view's description, share-card and alternate-language tags
    (`web.share_head`) with absolute addresses as the reader reached the site; with an ETag of those bytes,
    so that a reader who comes back gets a 304."""

    def __init__(self, app) -> None:
        self.app = app
        self.html = {lang: landing.page_html(lang) for lang in LANGUAGES}

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope.get("path") == "/" and scope["method"] in ("GET", "HEAD"):
            query = query_lists(QueryParams(scope.get("query_string", b"")))
            lang = parse_view(query, ()).lang
            html = self.html.get(lang)
            if html:
                # The dataset may still be loading (the warm-up): wait for it off the event loop.
                head = await asyncio.to_thread(web.share_head, lang, query.get("figure", ()), base_of(scope))
                # Streamlit's own headers for its HTML: revalidate every time.
                body = landing.with_head(html, head)
                headers = {"Cache-Control": "no-cache", "ETag": '"' + hashlib.sha256(body).hexdigest()[:40] + '"'}
                asked = Request(scope).headers.get("if-none-match", "")
                if headers["ETag"] in {tag.strip() for tag in asked.split(",")}:
                    await Response(None, 304, headers)(scope, receive, send)
                else:
                    await Response(body, 200, headers, "text/html")(scope, receive, send)
                return
        await self.app(scope, receive, send)


def base_of(scope) -> str:
    """The site's public address for this request (`web.public_base`)."""
    headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in scope.get("headers", ())}
    host, port = scope.get("server") or ("127.0.0.1", 80)
    return web.public_base(headers, scope.get("scheme", "http"), f"{host}:{port}")


def query_lists(params: QueryParams) -> dict[str, list[str]]:
    """A query string as each key's values, in order."""
    query: dict[str, list[str]] = {}
    for key, value in params.multi_items():
        query.setdefault(key, []).append(value)
    return query


def stable_url(request: Request) -> Response:
    """A plain function: Starlette runs it in a worker thread, so a slow render never blocks the page."""
    return as_response(web.answer(request.url.path, query_lists(request.query_params),
                                  request.headers.get("if-none-match", ""),
                                  site=base_of(request.scope) + "/"))


class MalformedNames:
    """Answers a malformed chart or data address with web's JSON error.

    Streamlit's own path-security middleware would refuse `..`, encoded slashes or NUL with a bare
    "Bad Request"; this runs before it, for /charts/ and /api/ only, so a reader learns what is wrong.
    """

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and path.startswith(web.PREFIXES) and not web.well_formed(path):
            await as_response(web.answer(path, {}))(scope, receive, send)
            return
        await self.app(scope, receive, send)


def site_file(request: Request) -> Response:
    """`/robots.txt` and `/sitemap.xml`: before these routes, Streamlit answered them with its page."""
    return as_response(web.site_file(request.url.path, base_of(request.scope),
                                     request.headers.get("if-none-match", "")))


def as_response(reply: web.Reply) -> Response:
    return Response(reply.body, reply.status, reply.headers, reply.media_type or None)


def warm_static() -> None:
    """The static files the page's HTML names, and the Plotly chunk, compressed before anyone asks."""
    static = Path(get_static_dir())
    chunk = landing.plotly_chunk()
    compression.warm_static(static, (static / "index.html").read_text(encoding="utf-8"),
                            [chunk.relative_to(static).as_posix()] if chunk else [])


@asynccontextmanager
async def lifespan(_app):
    threading.Thread(target=warm, name="warm-up", daemon=True).start()  # the server answers at once
    threading.Thread(target=warm_static, name="compress-static", daemon=True).start()
    try:
        yield
    finally:
        await asyncio.to_thread(web.CATALOG.close)


app = st.App(
    Path(__file__).resolve().parent / "app.py",
    routes=[*(Route(f"{prefix}{{name:path}}", stable_url, methods=["GET", "HEAD"]) for prefix in web.PREFIXES),
            *(Route(path, site_file, methods=["GET", "HEAD"]) for path in web.SITE_FILES)],
    middleware=[Middleware(Compression, prefixes=("/static/", *web.PREFIXES, *web.SITE_FILES)), Middleware(PageHtml),
                Middleware(AfterWarmUp), Middleware(MalformedNames)],
    lifespan=lifespan,
)
