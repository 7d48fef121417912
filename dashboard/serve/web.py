"""Stable URLs for every chart and table: the pure core behind `/charts/…` and `/api/…`.

No Streamlit and no web framework here: `answer(path, query, if_none_match)` returns a
`Reply` (status, body, headers) that a thin route turns into an HTTP response.
Names in a URL are only ever keys into the loaded dataset, never file paths, so no
request can reach a file. The dataset, the one shared image renderer and every built
reply are kept per process and keyed by the dataset's content hash, so an edit to
`data/` or `seeds/` gives new bytes and a new ETag on the next request.
"""

from __future__ import annotations

import gc
import hashlib
import json
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlencode, urljoin

from markupsafe import Markup

from dashboard.core import changes, data
from dashboard.core.data import DataError, Dataset, default_data_dir
from dashboard.core.i18n import DEFAULT_LANG, LANGUAGES, Lang, locales_dir, t
from dashboard.core.schema import Source
from dashboard.present import citing, datapackage, exports, share
from dashboard.present.page import render

CODE_DIR = Path(__file__).resolve().parent.parent  # the whole package
CACHE_CONTROL = "public, max-age=300"  # a proxy may keep any answer 5 minutes, then revalidate by ETag
NO_STORE = "no-store"
MAX_NAME = 120  # longer names are refused before any lookup
NAME = re.compile(r"^[a-z0-9][a-z0-9-]*(\.[a-z]+)?\.[a-z0-9]+$")  # `egov-rank.png`, `.card.png`, `.csl.json`
RACY_SECONDS = 2.0
MAX_REPLIES = 512  # built replies kept per process (a PNG is ~50 kB)
JSON = "application/json"
# A chart's address is made to be embedded: any site may frame it (the page itself sets no such header), and the
# embed page may load nothing but what this server gives it (plotly.min.js beside it; Plotly's inline styles).
EMBEDDABLE = {"Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'; "
              "style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors *"}
CSV = exports.FORMATS["csv"].media_type  # the data tables are written as a chart's CSV is


Kept = TypeVar("Kept")  # what the catalog keeps per content version: a reply, or what one is built from


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    media_type: str
    headers: dict[str, str] = field(default_factory=dict)


class BadRequest(Exception):
    """A request this server cannot answer; `status` says why (400, 404, 503)."""

    def __init__(self, status: int, message: str, **detail):
        super().__init__(message)
        self.status = status
        self.detail = {"error": message, "status": status, **detail}


class Catalog:
    """The dataset of the current content version, loaded once per version, and the replies built from it."""

    def __init__(self, data_dir: Path | None = None) -> None:
        self._data_dir = data_dir  # None: `$DASHBOARD_DATA_DIR` or data/, read on every request
        self._lock = threading.Lock()
        self._stamp: tuple = ()
        self._version = ""
        self._dataset: tuple[tuple, Dataset] | None = None
        self._replies: OrderedDict[tuple, object] = OrderedDict()  # built replies, and what share tags are built from
        self._renderer: exports.ImageRenderer | None = None
        self._renderer_lock = threading.Lock()

    def data_dir(self) -> Path:
        return self._data_dir or default_data_dir()

    def version(self) -> str:
        """SHA-256 of the data files, the seeds and the code and catalogues that draw them. Paths count relative
        to their folder, so replicas agree. Re-hashed when a file's size or mtime changes, or while any file is too
        new to trust its mtime (two writes in one clock tick can share one: git's "racy clean" rule)."""
        data_dir = self.data_dir()
        folders = {"data": (data_dir, "*.yaml"), "seeds": (data_dir.parent / "seeds", "*"),
                   "code": (CODE_DIR, "**/*.py"), "templates": (CODE_DIR / "present" / "templates", "*"),
                   "locales": (locales_dir(), "*.yaml")}
        files = sorted((f"{name}/{p.relative_to(folder).as_posix()}", p) for name, (folder, pattern) in folders.items()
                       for p in folder.glob(pattern) if p.is_file())
        stats = [(name, p.stat()) for name, p in files]
        stamp = tuple((name, st.st_mtime_ns, st.st_size) for name, st in stats)
        racy = any(st.st_mtime > time.time() - RACY_SECONDS for _, st in stats)
        with self._lock:
            if stamp != self._stamp or racy:
                digest = hashlib.sha256()
                for name, path in files:
                    digest.update(name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
                self._stamp, self._version = stamp, digest.hexdigest()
            return self._version

    def dataset(self) -> tuple[str, Dataset]:
        """(version, dataset); a DataError is raised, never cached, so a fix shows on the next request."""
        loader = data.load  # looked up per call: a test may swap it, and its dataset is not the real one
        key = (loader, self.data_dir(), self.version())
        with self._lock:
            if self._dataset is None or self._dataset[0] != key:
                self._dataset = (key, loader(key[1]))
                self._replies.clear()
            return key[2], self._dataset[1]

    def renderer(self) -> exports.ImageRenderer:
        """The one browser of this process, started on first use; every PNG/SVG goes through it."""
        with self._renderer_lock:
            if self._renderer is None:
                if exports.browser_path() is None:
                    raise exports.ImageExportUnavailable(exports.INSTALL_HINT)
                self._renderer = exports.ImageRenderer()
            return self._renderer

    def cached(self, key: tuple, build: Callable[[], Kept]) -> Kept:
        with self._lock:
            if key in self._replies:
                self._replies.move_to_end(key)
                return self._replies[key]
        reply = build()  # outside the lock: a slow render must not hold up other requests
        with self._lock:
            self._replies[key] = reply
            while len(self._replies) > MAX_REPLIES:
                self._replies.popitem(last=False)
        return reply

    def close(self) -> None:
        with self._renderer_lock:
            if self._renderer is not None:
                self._renderer.close()
                self._renderer = None


CATALOG = Catalog()


def answer(path: str, query: Mapping[str, Sequence[str]], if_none_match: str = "",
           catalog: Catalog = CATALOG, site: str | None = None) -> Reply:
    """The reply to GET `path` (`/charts/…` or `/api/…`) with its query; errors become JSON replies. `site` is the
    site's address as the reader reached it (`public_base` + `/`), for the permalinks a citation or an embed page
    carries; None: they carry none."""
    try:
        kind, name = _split(path)  # first: a malformed name is refused without touching the data
        WARMED.wait(WARM_TIMEOUT)  # Plotly's lazy first loads are not thread-safe: let the warm-up finish them
        version, ds = catalog.dataset()
        indicator, _, extension = name.partition(".")
        registered = exports.format_of_extension(extension) if kind == "charts" else None
        if registered is not None:  # a format of the registry, at its extension (`egov-rank.csl.json`)
            route, stem, fmt = CHART, indicator, registered.id
        else:
            stem, _, fmt = name.rpartition(".")
            route = _route(kind, stem)
        if route is None:
            raise BadRequest(404, f"no such address: /{kind}/{name}", addresses=INDEX)
        if fmt not in route.formats:
            raise BadRequest(400, f"unknown format {fmt[:20]!r}", choose_from=list(route.formats))
        key, build = route.builder(ds, stem, fmt, query, catalog, site)
        return _fresh(version, key, build, if_none_match, catalog)
    except BadRequest as bad:
        return _error(bad.status, bad.detail)
    except DataError as error:
        return _data_error(error)


def _route(kind: str, stem: str) -> Route | None:
    """A fixed address, else a chart's: `egov-rank` (its formats) or `egov-rank.card` (a variant of it)."""
    if (kind, stem) in ROUTES:
        return ROUTES[kind, stem]
    if kind != "charts":
        return None
    _, dot, variant = stem.partition(".")
    return CHART_VARIANTS.get(variant) if dot else CHART


def _fresh(version: str, key: tuple, build: Callable[[], Reply], if_none_match: str, catalog: Catalog | None) -> Reply:
    """The reply with its ETag (the data's version and the reply's key), built once per key (in `catalog`; None:
    built every time); 304 if unchanged."""
    etag = '"' + hashlib.sha256(repr((version, key)).encode()).hexdigest()[:40] + '"'
    if if_none_match == "*" or etag in {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}:
        return Reply(304, b"", "", {"ETag": etag, "Cache-Control": CACHE_CONTROL})
    reply = catalog.cached((version, key), build) if catalog is not None else build()
    return Reply(reply.status, reply.body, reply.media_type,
                 {**reply.headers, "ETag": etag, "Cache-Control": CACHE_CONTROL})


def _data_error(error: DataError) -> Reply:
    return _error(503, {"error": "the curated data does not validate; nothing is served until it is fixed",
                        "status": 503, "problems": [str(p) for p in error.problems]})


PREFIXES = ("/charts/", "/api/")


def well_formed(path: str) -> bool:
    _, _, name = path.strip("/").partition("/")
    return len(name) <= MAX_NAME and NAME.match(name) is not None


def _split(path: str) -> tuple[str, str]:
    """`/charts/egov-rank.png` → ("charts", "egov-rank.png"); anything odd is refused before any lookup."""
    kind, _, name = path.strip("/").partition("/")
    if len(name) > MAX_NAME:
        raise BadRequest(400, f"name too long (over {MAX_NAME} characters)")
    if not well_formed(path):
        tricks = any(mark in name for mark in ("/", "\\", "\0", ".."))
        raise BadRequest(400 if tricks else 404, f"not a valid address: {path[:MAX_NAME]!r}; names are "
                         "lowercase letters, digits and dashes with one extension", addresses=INDEX)
    return kind, name


INDEX = [f"/charts/{{indicator}}.{{{'|'.join(f.extension for f in exports.FORMATS.values())}}}?lang=vi|en",
         "/charts/plotly.min.js",
         "/charts/{indicator}.card.png?lang=vi|en", f"/charts/{share.LANDING_CARD}.card.png?lang=vi|en",
         "/charts/{indicator}.metadata.json?lang=vi|en",
         "/api/observations.{csv|json}?sector=…&indicator=…", "/api/plans.{csv|json}?sector=…",
         "/api/sources.json", "/api/datapackage.json?lang=vi|en", "/robots.txt", "/sitemap.xml"]


def _one(query: Mapping[str, Sequence[str]], key: str, default: str) -> str:
    values = set(query.get(key, ()))
    if len(values) > 1:
        raise BadRequest(400, f"give {key} once, not {len(values)} different values")
    return values.pop() if values else default


def _lang(query) -> Lang:
    lang = _one(query, "lang", DEFAULT_LANG)
    if lang not in LANGUAGES:
        raise BadRequest(400, f"unknown language {lang[:20]!r}", choose_from=list(LANGUAGES))
    return lang


def _indicator(ds: Dataset, indicator: str) -> str:
    if indicator not in ds.indicators:
        raise BadRequest(404, f"unknown indicator {indicator!r}", see="/api/observations.json")
    return indicator


def _chart(ds: Dataset, indicator: str, fmt: str, query, catalog: Catalog, site: str | None):
    lang = _lang(query)
    _indicator(ds, indicator)
    form = exports.FORMATS[fmt]
    if form.image and exports.browser_path() is None:
        raise BadRequest(503, exports.INSTALL_HINT)
    # A citation and the embed page carry the site's address (and a citation the day it was read): the ETag too.
    linked = form.citation or form.id == "html"
    accessed = exports.utc_today()

    def build() -> Reply:
        renderer = catalog.renderer() if form.image else None
        chart = exports.Chart(ds, indicator, lang, renderer, plotlyjs="directory", site=site, accessed=accessed)
        try:
            body = form.write(chart)
        except exports.ImageExportUnavailable as exc:
            raise BadRequest(503, str(exc)) from exc
        filename = f"{exports.chart_basename(ds, indicator)}.{form.extension}"
        disposition = {"Content-Disposition": f'inline; filename="{filename}"'}
        return Reply(200, body, form.media_type, disposition | EMBEDDABLE)
    # The CSV is the same data in either language: one ETag for both.
    return ("chart", indicator, fmt, "" if fmt == "csv" else lang,
            (site, accessed.isoformat() if form.citation else "") if linked else ()), build


def _plotly_js(ds, stem, fmt, query, catalog, site):
    return ("plotly.js",), lambda: Reply(200, exports.plotly_js(), exports.PLOTLY_JS_TYPE)


def _observations(ds: Dataset, stem: str, fmt: str, query, catalog, site):
    sectors = _known(query, "sector", ds.sectors)
    indicators = _known(query, "indicator", ds.indicators)
    frame = ds.frame
    if sectors:
        frame = frame[frame.sector.isin(sectors)]
    if indicators:
        frame = frame[frame.indicator_id.isin(indicators)]

    def build() -> Reply:
        if fmt == "csv":  # the same bytes as a chart's CSV and the page's Data tab
            return Reply(200, exports.data_csv(ds, list(frame.indicator_id.unique())), CSV)
        return Reply(200, frame.to_json(orient="records", force_ascii=False, indent=1).encode("utf-8"), JSON)
    return ("observations", fmt, tuple(sectors), tuple(indicators)), build


def _known(query, key: str, known: Mapping[str, object]) -> list[str]:
    values = sorted(set(query.get(key, ())))
    unknown = [v for v in values if v not in known]
    if unknown:
        raise BadRequest(404, f"unknown {key}: {', '.join(repr(v[:60]) for v in unknown[:5])}",
                         choose_from=list(known))
    return values


def _plans(ds: Dataset, stem: str, fmt: str, query, catalog, site):
    sectors = _known(query, "sector", ds.sectors) or None

    def build() -> Reply:  # the same bytes as `python -m dashboard plans`
        if fmt == "csv":
            return Reply(200, exports.plans_csv(ds, sectors), CSV)
        frame = changes.plans_frame(ds, sectors)
        return Reply(200, frame.to_json(orient="records", force_ascii=False, indent=1).encode("utf-8"), JSON)
    return ("plans", fmt, tuple(sectors or ())), build


def _sources(ds: Dataset, stem: str, fmt: str, query, catalog, site):
    def build() -> Reply:
        records = [_source_record(source, ds.languages) for source in ds.sources.values()]
        return Reply(200, json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8"), JSON)
    return ("sources",), build


def _source_record(source: Source, langs: tuple[str, ...]) -> dict:
    """A source as `/api/sources.json` has always given it: a translated field (the title) as one field per
    language, `title_vi`, `title_en`."""
    record: dict = {}
    for name, value in source.model_dump(mode="json", exclude={"body_end"}).items():
        record.update(data.by_language(name, value, langs) if isinstance(value, dict) else {name: value})
    return record


def _card(ds: Dataset, stem: str, fmt: str, query, catalog: Catalog, site):
    """`/charts/{indicator}.card.png`, `/charts/overview.card.png`: the 1200×630 image a shared link's card shows."""
    lang = _lang(query)
    name = stem.partition(".")[0]
    figure = None if name == share.LANDING_CARD else _indicator(ds, name)
    if exports.browser_path() is None:
        raise BadRequest(503, exports.INSTALL_HINT)

    def build() -> Reply:
        spec = share.card_spec(ds, lang, figure)
        if spec is None:
            raise BadRequest(404, "no task is set in the data: the landing page has no chart to show")
        try:
            body = catalog.renderer().render(spec, "png", size=share.CARD_SIZE)
        except exports.ImageExportUnavailable as exc:
            raise BadRequest(503, str(exc)) from exc
        return Reply(200, body, exports.FORMATS["png"].media_type)
    return ("card", name, lang), build


def _metadata(ds: Dataset, stem: str, fmt: str, query, catalog: Catalog, site):
    """`/charts/{indicator}.metadata.json`: what the chart shows and where it comes from (OWID's convention)."""
    lang = _lang(query)
    indicator = _indicator(ds, stem.partition(".")[0])
    return ("metadata", indicator, lang), lambda: Reply(
        200, datapackage.as_json(datapackage.chart_metadata(ds, indicator, lang)), JSON)


DATA_PACKAGE_TABLES = (("observations", "observations.csv", "observations"), ("plans", "plans.csv", "plans"))


def _datapackage(ds: Dataset, stem: str, fmt: str, query, catalog: Catalog, site):
    """`/api/datapackage.json`: the tables beside it (`/api/observations.csv`, `/api/plans.csv`), described."""
    lang = _lang(query)
    return ("datapackage", lang), lambda: Reply(
        200, datapackage.as_json(datapackage.descriptor(ds, lang, DATA_PACKAGE_TABLES)), JSON)


@dataclass(frozen=True)
class Route:
    formats: Collection[str]
    builder: Callable


CHART = Route(exports.FORMATS, _chart)  # the registry itself: a format added there is served here
ROUTES = {
    ("charts", "plotly.min"): Route(("js",), _plotly_js),
    ("api", "observations"): Route(("csv", "json"), _observations),
    ("api", "plans"): Route(("csv", "json"), _plans),
    ("api", "sources"): Route(("json",), _sources),
    ("api", "datapackage"): Route(("json",), _datapackage),
    ("charts", f"{share.LANDING_CARD}.card"): Route(("png",), _card),
}
CHART_VARIANTS = {"card": Route(("png",), _card), "metadata": Route(("json",), _metadata)}


def _error(status: int, detail: dict) -> Reply:
    return Reply(status, json.dumps(detail, ensure_ascii=False).encode("utf-8"), JSON, {"Cache-Control": NO_STORE})


SITE_FILES = {"/robots.txt": ("text/plain; charset=utf-8", lambda ds, base: share.robots(base)),
              "/sitemap.xml": ("application/xml; charset=utf-8", share.sitemap)}
HOST = re.compile(r"^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$")


def public_base(headers: Mapping[str, str], scheme: str, server: str) -> str:
    """The site's address as the reader reached it, `https://example.org`: the scheme and host a proxy in front
    says it was asked on (`X-Forwarded-Proto`, `X-Forwarded-Host`; deploy/nginx.conf.j2 passes the reader's
    `Host` and sets the former), else the request's own. A host that is not a host name, an IP address and
    port falls back to `server` (the address this process listens on)."""
    proto = headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    host = (headers.get("x-forwarded-host", "").split(",")[0].strip() or headers.get("host", "")).strip()
    return f"{proto if proto in ('http', 'https') else scheme}://{host if HOST.match(host) else server}"


def site_file(path: str, base: str, if_none_match: str = "", catalog: Catalog = CATALOG) -> Reply:
    """`/robots.txt` or `/sitemap.xml` for the site at `base`."""
    try:
        version, ds = catalog.dataset()
        media_type, write = SITE_FILES[path]
        # Built every time (about a millisecond): a stream of made-up Host values must not push charts out of the cache.
        return _fresh(version, ("site", path, base), lambda: Reply(200, write(ds, base), media_type), if_none_match,
                      None)
    except DataError as error:
        return _data_error(error)


def share_head(lang: Lang, figures: Sequence[str], base: str, catalog: Catalog = CATALOG) -> Markup:
    """The page's <head> tags for a view: the first known of `figures` (the query's `figure`), else the landing
    page (an unknown figure is ignored, as the page ignores it with a notice); none while the data is broken."""
    try:
        version, ds = catalog.dataset()
    except DataError:
        return Markup()
    figure = next((value for value in figures if value in ds.indicators), None)
    # The words once per data version (the landing page's summary counts every task); the addresses per request.
    said = catalog.cached((version, "share", lang, figure), lambda: share.words(ds, lang, figure))
    return share.share_head(said, lang, figure, base)


def chart_path(indicator_id: str, fmt: str, lang: str) -> str:
    """The address of one chart relative to the page, so it also works under a proxy's path prefix."""
    return f"charts/{indicator_id}.{exports.FORMATS[fmt].extension}" + ("" if fmt == "csv" else f"?lang={lang}")


def data_link_html(table: str, sectors: Sequence[str], all_sectors: Sequence[str], filename: str,
                   text: str) -> Markup:
    """A download link to `/api/{table}.csv` for the chosen sectors (none named when all are chosen)."""
    chosen = [] if set(sectors) == set(all_sectors) else list(sectors)
    href = f"api/{table}.csv" + (f"?{urlencode([('sector', s) for s in chosen])}" if chosen else "")
    return render("data_link.html", href=href, filename=filename, text=text)


def chart_links_html(ds: Dataset, indicator_id: str, lang: Lang, label: str, page_url: str | None,
                     formats: Sequence[str]) -> Markup:
    """Download links to this chart's stable URLs, and the PNG's full address to cite or embed."""
    base = exports.chart_basename(ds, indicator_id)
    links = [{"href": chart_path(indicator_id, fmt, lang), "filename": f"{base}.{exports.FORMATS[fmt].extension}",
              "text": fmt.upper(),
              "aria": t("download_as", lang, what=label, fmt=fmt.upper())} for fmt in formats]
    cited = chart_path(indicator_id, "png" if "png" in formats else "html", lang)
    shown = urljoin(page_url, cited) if page_url else "/" + cited
    return render(
        "chart_links.html",
        # Each chart's landmark named apart from the others (axe: landmark-unique).
        links=links, nav_label=f"{t('chart_downloads', lang)}: {label}", url_label=t("chart_url", lang),
        cite={"href": cited, "shown": shown},
    )


def site_of_page(page_url: str | None) -> str | None:
    """The site's address from the page's own URL in the browser (`st.context.url`, query left out)."""
    return urljoin(page_url, "./") if page_url else None


def chart_panels_html(ds: Dataset, indicator_id: str, lang: Lang, label: str, page_url: str | None,
                      accessed: date) -> Markup:
    """The chart's Cite panel (the citation in words, and as BibTeX, RIS and CSL-JSON at their stable URLs) and its
    Embed panel (an iframe of its embed page), for the site the page is read at, read on `accessed`."""
    site = site_of_page(page_url)
    chart = exports.Chart(ds, indicator_id, lang, site=site, accessed=accessed)
    base = exports.chart_basename(ds, indicator_id)
    files = [{"href": chart_path(indicator_id, form.id, lang), "filename": f"{base}.{form.extension}",
              "text": form.id.upper(), "aria": t("download_as", lang, what=label, fmt=form.id.upper())}
             for form in exports.FORMATS.values() if form.citation]
    embed = chart_path(indicator_id, "html", lang)
    snippet = render("embed_snippet.html", src=urljoin(site, embed) if site else "/" + embed,
                     title=t("embed_title", lang, label=label))
    return render(
        "chart_panels.html", cite_label=t("cite", lang), cite_intro=t("cite_intro", lang),
        citations=citing.formatted(chart.citation, lang), no_address=None if site else t("cite_no_address", lang),
        files_label=t("cite_files", lang), files_nav=f"{t('cite', lang)}: {label}", files=files,
        embed_label=t("embed", lang), embed_intro=t("embed_intro", lang), embed_id=f"embed-{indicator_id}",
        snippet=str(snippet).strip(),
    )


WARMED = threading.Event()
WARMED.set()  # cleared only while `warm` runs
WARM_TIMEOUT = 120


def warm(catalog: Catalog = CATALOG) -> None:
    """Pay a new process's one-off costs before the first visitor: imports, the dataset, the first figures.

    Then freeze what is loaded out of the garbage collector's reach: Streamlit runs a full collection after
    every script run (`runner.postScriptGC`), and re-scanning pandas, Plotly and the dataset each time was
    the largest single cost of a page view in the capacity bench's profile. Only what exists now is frozen;
    each session's own garbage is still collected.
    """
    from dashboard.present import figures

    WARMED.clear()
    try:
        _, ds = catalog.dataset()
        first = next(iter(ds.indicators), None)
        for lang in LANGUAGES:
            if first is not None:  # the page's figures and the exports' (in Plotly's own template)
                figures.indicator_figure(ds, first, lang).to_plotly_json()
                exports.Chart(ds, first, lang).spec  # noqa: B018
    except DataError:
        return  # the page shows the problems to whoever comes first
    finally:
        WARMED.set()
    gc.collect()
    gc.freeze()
