"""The landing page's first chart, kept per process, the warm-up that builds it before anyone asks, and
the page's HTML that has the browser fetch Plotly's JavaScript early.

The task chart is cached here rather than in app.py so that the served app's warm-up
(dashboard/serve/asgi.py) fills the very `st.cache_resource` entry the page's first run reads: a
function defined in the page script is keyed as `__main__`, which nothing else can call.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import streamlit as st
from markupsafe import Markup
from streamlit.file_util import get_static_dir

from dashboard.core.data import DataError, Dataset
from dashboard.core.i18n import Lang
from dashboard.present.figures import SharedFigure, plans_figure
from dashboard.present.page import STYLE_SHEET
from dashboard.present.url_view import parse_view
from dashboard.serve import web

APP = Path(__file__).resolve().parent / "app.py"


@st.cache_resource(show_spinner=False, max_entries=200)
def tasks_figure(_ds: Dataset, sectors: tuple[str, ...], lang: Lang, version: str):
    """The task chart of these sectors; `version` (the data's) keys it, so `_ds` need not be hashed."""
    figure = plans_figure(_ds, list(sectors), lang, legend=False)
    return SharedFigure(figure) if figure is not None else None


def import_page_modules() -> None:
    """Run app.py's top-level import statements, and only those: what the page's first run imports."""
    imports = [node for node in ast.parse(APP.read_text(encoding="utf-8")).body
               if isinstance(node, ast.Import | ast.ImportFrom)]
    exec(compile(ast.Module(imports, type_ignores=[]), str(APP), "exec"), {"__name__": __name__})  # noqa: S102


def warm() -> None:
    """The landing view's first run, minus the page: its dataset and its task chart, built and serialised
    as `st.plotly_chart` will (Plotly's lazy first loads), for the view a URL with no query opens."""
    try:
        version, ds = web.CATALOG.dataset()
    except DataError:
        return  # the page shows the problems to whoever comes first
    view = parse_view({}, ds.sectors)
    # A SharedFigure is serialised as it is built, which takes Plotly's lazy first loads out of the first run.
    tasks_figure(ds, view.sectors or tuple(ds.sectors), view.lang, version)


def page_html(lang: Lang) -> bytes | None:
    """Streamlit's page as the first byte should have it, rather than once the first run has reached the
    browser: the page's `lang`, the page's style sheet (so the collapsed sidebar is hidden from Tab and the
    focus ring drawn from the first paint), and a `modulepreload` of Streamlit's Plotly chunk (4.7 MB,
    otherwise fetched only once a chart arrives), so the browser fetches and compiles it while the first run
    is under way. None if this Streamlit has no such chunk (tests/test_landing.py fails then)."""
    static = Path(get_static_dir())
    chunk = next((static / "static" / "js").glob("PlotlyChart.*.js"), None)
    if chunk is None:
        return None
    head = Markup('<link rel="modulepreload" crossorigin href="./static/js/{}"><style>{}</style></head>').format(
        chunk.name, Markup(STYLE_SHEET.read_text(encoding="utf-8")))  # noqa: S704 (our own CSS file, as it is)
    html = (static / "index.html").read_text(encoding="utf-8")
    return html.replace('<html lang="en">', str(Markup('<html lang="{}">').format(lang)), 1) \
        .replace("</head>", head, 1).encode()


TITLE = re.compile(rb"<title>.*?</title>", re.DOTALL)


def with_head(html: bytes, head: Markup) -> bytes:
    """The page with `head` (the view's <title> and share tags, `web.share_head`) in place of Streamlit's
    <title>; as it is without."""
    return TITLE.sub(lambda _: str(head).encode("utf-8"), html, count=1) if head else html
