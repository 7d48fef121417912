"""The served dashboard: the Streamlit page plus stable chart and data URLs, in one process.

`streamlit run dashboard/asgi.py` (what `make run` does) finds the `st.App` below and serves
`dashboard/app.py` with `/charts/…` and `/api/…` beside it. The routes are thin: every answer
comes from `dashboard.web`, which knows nothing of Streamlit. The lifespan warms the process in
the background, so the first visitor does not pay for imports, the dataset and the first figures.
"""

from __future__ import annotations

import asyncio
import sys
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

# `streamlit run dashboard/asgi.py` puts dashboard/ on the path, not the project.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import web  # noqa: E402


def stable_url(request: Request) -> Response:
    """A plain function: Starlette runs it in a worker thread, so a slow render never blocks the page."""
    query: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        query.setdefault(key, []).append(value)
    return as_response(web.answer(request.url.path, query, request.headers.get("if-none-match", "")))


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


def as_response(reply: web.Reply) -> Response:
    return Response(reply.body, reply.status, reply.headers, reply.media_type or None)


@asynccontextmanager
async def lifespan(_app):
    warming = asyncio.create_task(asyncio.to_thread(web.warm))  # in the background: the server answers at once
    try:
        yield
    finally:
        warming.cancel()
        await asyncio.to_thread(web.CATALOG.close)


app = st.App(
    Path(__file__).resolve().parent / "app.py",
    routes=[Route("/charts/{name:path}", stable_url, methods=["GET", "HEAD"]),
            Route("/api/{name:path}", stable_url, methods=["GET", "HEAD"])],
    middleware=[Middleware(MalformedNames)],
    lifespan=lifespan,
)
