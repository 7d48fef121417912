"""The page's view, read from and written to the URL query string.

A shared link must reopen the same view; anything in it the page cannot use
is dropped and reported, never allowed to raise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from dashboard.core.i18n import DEFAULT_LANG, LANGUAGES, Lang, t
from dashboard.core.search import MAX_QUERY

KNOWN_KEYS = ("lang", "sector", "tab", "q", "figure")
TABS = ("overview", "sectors", "text", "data", "sources")
MAX_SHOWN = 40  # characters of a rejected value echoed back in a notice


@dataclass(frozen=True)
class View:
    lang: Lang = DEFAULT_LANG
    sectors: tuple[str, ...] = ()  # empty: every sector
    tab: str = TABS[0]
    query: str = ""
    figure: str = ""  # an indicator id: that figure alone, its own view
    # (notice key, rejected values) for the page to show
    rejected: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())

    def to_params(self) -> dict[str, str | list[str]]:
        params: dict[str, str | list[str]] = {}
        if self.lang != DEFAULT_LANG:
            params["lang"] = self.lang
        if self.sectors:
            params["sector"] = list(self.sectors)
        if self.tab != TABS[0]:
            params["tab"] = self.tab
        if self.query:
            params["q"] = self.query
        if self.figure:
            params["figure"] = self.figure
        return params


def view_query(lang: Lang, figure: str | None = None) -> str:
    """A view's address from the page's own (`?figure=egov-rank&lang=en`, `?lang=vi`), its language always named:
    the page's links to a figure, a citation's permalink, the embed page's link back, the share tags' canonical
    address and the sitemap."""
    return "?" + urlencode({**({"figure": figure} if figure else {}), "lang": lang})


def tab_labels(lang: Lang) -> dict[str, str]:
    """Each tab's label in this language, in the page's order."""
    return {tab: t(f"tab_{tab}", lang) for tab in TABS}


def tab_of_label(label: str, lang: Lang) -> str:
    """The tab a label names: the tab widget gives back the label the reader chose."""
    return next(tab for tab, shown in tab_labels(lang).items() if shown == label)


MAX_REJECTED = 5  # values named in a notice; the rest are counted


def _rejected(key: str, values: list[str]) -> tuple[str, tuple[str, ...]]:
    named = tuple(shorten(v) for v in values[:MAX_REJECTED])
    extra = len(values) - MAX_REJECTED
    return key, named + ((f"+{extra}",) if extra > 0 else ())


def shorten(value: str) -> str:
    value = "".join(ch if ch.isprintable() else "�" for ch in value)
    return value if len(value) <= MAX_SHOWN else value[: MAX_SHOWN - 1] + "…"


def parse_view(params: Mapping[str, Iterable[str]], sector_ids: Iterable[str],
               indicator_ids: Iterable[str] = ()) -> View:
    """Read `?lang=en&sector=a&sector=b` (or `sector=a,b`) against the known sectors, and `figure=…` against the
    known indicators."""
    known = list(sector_ids)
    rejected = []
    # A lone string is one value, not a sequence of characters.
    params = {key: [value] if isinstance(value, str) else list(value) for key, value in params.items()}

    langs = [v.strip().lower() for v in params.get("lang", ())]
    lang: Lang = DEFAULT_LANG
    valid_langs = [v for v in langs if v in LANGUAGES]
    if valid_langs:
        lang = valid_langs[0]  # type: ignore[assignment]
    bad_langs = [v for v in langs if v not in LANGUAGES] + valid_langs[1:]
    if bad_langs:
        rejected.append(_rejected("unknown_lang", bad_langs))

    raw_sectors = params.get("sector", [])
    asked = [part.strip() for value in raw_sectors for part in value.split(",") if part.strip()]
    chosen = tuple(dict.fromkeys(s for s in asked if s in known))
    bad_sectors = [s for s in dict.fromkeys(asked) if s not in known]
    bad_sectors += [""] * any(not value.strip() for value in raw_sectors)
    if bad_sectors:
        rejected.append(_rejected("unknown_sectors", bad_sectors))

    tabs = [v.strip().lower() for v in params.get("tab", ())]
    tab = next((v for v in tabs if v in TABS), TABS[0])
    bad_tabs = [v for v in tabs if v != tab]
    if bad_tabs:
        rejected.append(_rejected("unknown_tab", bad_tabs))

    queries = [v for v in params.get("q", ()) if v.strip()]
    query = " ".join(queries[0].split())[:MAX_QUERY] if queries else ""
    if queries and (len(queries) > 1 or len(queries[0]) > MAX_QUERY):
        rejected.append(("query_trimmed", (shorten(queries[0]),)))

    figures = [v.strip() for v in params.get("figure", ()) if v.strip()]
    known_figures = set(indicator_ids)
    figure = next((v for v in figures if v in known_figures), "")
    bad_figures = [v for v in figures if v != figure]
    bad_figures += [""] * any(not value.strip() for value in params.get("figure", ()))
    if bad_figures:
        rejected.append(_rejected("unknown_figure", bad_figures))

    extra = [k for k in params if k not in KNOWN_KEYS]
    if extra:
        rejected.append(_rejected("unknown_params", extra))
    ordered = tuple(s for s in known if s in chosen)
    return View(lang=lang, sectors=ordered, tab=tab, query=query, figure=figure, rejected=tuple(rejected))
