"""Chart exports: PNG, SVG, an embeddable HTML page and CSV, and the chart's citation as BibTeX, RIS and
CSL-JSON; one chart or a bundle.

`FORMATS` is the one registry of what a chart can be exported as: each format's
id, file extension, media type and writer. The page, the ZIP, `/charts/…` and
the CLI offer exactly its entries.

Plain functions, no Streamlit. Static images go through Kaleido, which drives
an installed Chromium; one `ImageRenderer` keeps one browser for a whole batch.
Without a browser, HTML and CSV still export and PNG/SVG raise
`ImageExportUnavailable` saying what to install.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import io
import itertools
import os
import re
import shutil
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import plotly.graph_objects as go
import plotly.io as pio
from markupsafe import Markup

from dashboard.core import citation
from dashboard.core.changes import next_review, plans_frame, plans_of
from dashboard.core.compare import observations_of, sector_indicators
from dashboard.core.data import Dataset
from dashboard.core.i18n import Lang, t, year_span
from dashboard.core.languages import translated
from dashboard.core.text_rules import ascii_fold
from dashboard.present import citing, datapackage
from dashboard.present.describe import chart_description
from dashboard.present.figures import EXPORT_SIZE, indicator_figure
from dashboard.present.page import render

if TYPE_CHECKING:
    import pandas as pd

DATA_FILE = "bo-tttt-indicators.csv"
PLANS_FILE = "bo-tttt-tasks.csv"
README_FILE = "README.txt"
PLOTLY_JS = "plotly.min.js"
PLOTLY_JS_TYPE = "text/javascript; charset=utf-8"
ZIP_TYPE = "application/zip"
BROWSER_ENV = "CHROMIUM"  # the one setting that says where the browser is
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = (
    "PNG and SVG export needs Chromium or Chrome: on Debian or Ubuntu run "
    f"`sudo apt-get install chromium` (or set {BROWSER_ENV} to a Chrome binary). HTML and CSV export still work."
)
RENDER_TIMEOUT = 60


class ImageExportUnavailable(RuntimeError):
    """No browser to render static images with."""


def browser_path() -> str | None:
    """The browser that draws PNG and SVG (and that the browser tests drive): `$CHROMIUM` if set, else the
    first of `BROWSERS` on the PATH; None when there is none to run."""
    configured = os.environ.get(BROWSER_ENV)
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


RELOAD_EVERY = 200  # images drawn on one page before it is reloaded


async def _scripts_loaded(tab) -> bool:
    """Whether Kaleido's page script is defined in the JavaScript context the tab will draw in."""
    reply = await tab.tab.send_command("Runtime.evaluate", params={
        "expression": "typeof kaleido_scopes", "contextId": tab._current_js_id, "returnByValue": True})
    return reply.get("result", {}).get("result", {}).get("value") == "object"


@functools.cache
def _kaleido_keeping_its_page():
    """Kaleido, except that its page is kept from one image to the next.

    Kaleido 1.x reloads its page after every image: 70% of an export's time.
    Its page purges each figure it has drawn, so one page serves many; it is
    reloaded every `RELOAD_EVERY` images all the same, to bound whatever a page
    may leak. `_return_kaleido_tab` is private to Kaleido: requirements.txt
    pins the minor version, and tests/test_exports.py fails if the hook is no
    longer called or the images differ from a fresh page's.
    """
    import kaleido  # imported late: only image export needs it

    class KeptPageKaleido(kaleido.Kaleido):
        renders = 0

        async def open(self) -> None:
            # Kaleido takes the first JavaScript context Chromium reports while its page loads; on a loaded machine
            # that can be the blank page's, where its script never ran ("kaleido_scopes is not defined" at the
            # first image). A reload takes the page's own context.
            await super().open()
            tabs = [await self.tabs_ready.get() for _ in range(self.tabs_ready.qsize())]
            for tab in tabs:
                for _ in range(3):
                    if await _scripts_loaded(tab):
                        break
                    await tab.reload()
                await self.tabs_ready.put(tab)

        async def _return_kaleido_tab(self, tab) -> None:
            self.renders += 1
            if self.renders % RELOAD_EVERY == 0:
                await tab.reload()
            await self.tabs_ready.put(tab)

    return KeptPageKaleido


class ImageRenderer:
    """One headless browser, started once, rendering any number of figures on one page.

    Kaleido runs on its own event loop thread; a lock serialises callers,
    so Streamlit sessions can share one renderer.
    """

    def __init__(self) -> None:
        path = browser_path()
        if path is None:
            raise ImageExportUnavailable(INSTALL_HINT)
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="kaleido")
        self._thread.start()
        # mathjax=False: no CDN on a closed network, and the charts use no TeX.
        # One page: two pages rendering PNG and SVG side by side measured slower, on two cores.
        self._kaleido = _kaleido_keeping_its_page()(n=1, mathjax=False, path=path)
        try:
            self._call(self._kaleido.open())
        except Exception as exc:
            self._stop_loop()
            raise ImageExportUnavailable(f"Could not start the browser at {path}: {exc}. {INSTALL_HINT}") from exc

    def _call(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=RENDER_TIMEOUT)

    def render(self, fig: go.Figure | dict, fmt: str, size: tuple[int, int] = EXPORT_SIZE) -> bytes:
        """`fig` as an image; a figure is drawn as `figure_spec` makes it (in Plotly's own template)."""
        spec = fig if isinstance(fig, dict) else figure_spec(fig)
        width, height = size
        with self._lock:
            image = self._call(self._kaleido.calc_fig(spec, opts={"format": fmt, "width": width, "height": height}))
        return stable_svg(image) if fmt == "svg" else image

    def close(self) -> None:
        try:
            self._call(self._kaleido.close())
        finally:
            self._stop_loop()

    def _stop_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def __enter__(self) -> ImageRenderer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


PLOTLY_UID = re.compile(rb"(clip|defs-|trace)([0-9a-f]{6})|(?<=[\"'#])(p)([0-9a-f]{6}-[0-9a-f]{6})(?=[\"'])")
SVG_ROOT = re.compile(rb"<svg\b([^>]*)>")
FILL_MARK = re.compile(rb' class="(?:pattern|gradient)_filled"')
ATTRIBUTE = re.compile(rb'\s+([\w:-]+)="([^"]*)"')


def stable_svg(svg: bytes) -> bytes:
    """Plotly names clip paths, traces and fill patterns with random ids; number them instead, so the same chart
    is the same file on every render and every replica (one ETag, cacheable). The root element's attributes come
    in whichever order the page set them (`style` before or after `viewBox`, from one render to the next):
    put them in one order. A shape filled with a pattern is marked with a class that a redraw sometimes strips
    before the image is taken; it styles nothing in a file, so it is left out."""
    ids: dict[bytes, bytes] = {}
    svg = FILL_MARK.sub(b"", svg)
    svg = PLOTLY_UID.sub(lambda m: (m[1] or m[3]) + ids.setdefault(m[2] or m[4], b"%06x" % len(ids)), svg)
    return SVG_ROOT.sub(lambda m: b"<svg" + b"".join(b' %s="%s"' % pair for pair in sorted(ATTRIBUTE.findall(m[1])))
                        + b">", svg, count=1)


def slugify(text: str, fallback: str = "chart") -> str:
    """ASCII, lowercase, dash-separated: safe in any file system and URL."""
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_fold(text)).strip("-")[:80].strip("-")
    return slug or fallback


def chart_basename(ds: Dataset, indicator_id: str) -> str:
    """`sector_indicator_first-last-year`, e.g. `digital-transformation_egov-rank_2022-2024`."""
    indicator = ds.indicators[indicator_id]
    years = sorted({o.year for o in observations_of(ds, indicator_id)})
    span = f"{years[0]}-{years[-1]}" if len(years) > 1 else f"{years[0]}" if years else "no-data"
    return f"{slugify(indicator.sector)}_{slugify(indicator.id)}_{span}"


# A text cell starting with one of these is read as a formula by spreadsheet programs
# (`=HYPERLINK(…)` becomes a live link); a leading `'` makes it text again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def data_csv(ds: Dataset, indicator_ids: Iterable[str] | None = None) -> bytes:
    """The observations as CSV (Data tab, exports, `data --format csv`)."""
    frame = ds.frame if indicator_ids is None else ds.frame[ds.frame.indicator_id.isin(list(indicator_ids))]
    return frame_csv(frame)


def _inert_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with every formula-like text cell made text again (see `FORMULA_START`)."""
    inert = {}
    for column in frame.select_dtypes(exclude=["number", "bool"]).columns:  # numbers and flags stay as they are
        cells = frame[column]
        formula_like = cells.str.startswith(FORMULA_START, na=False)
        if formula_like.any():
            inert[column] = cells.mask(formula_like, "'" + cells)
    return frame.assign(**inert)


def _csv_bytes(inert: pd.DataFrame) -> bytes:
    # UTF-8 with BOM: spreadsheet programs then read Vietnamese text correctly.
    return inert.to_csv(index=False, float_format="%.15g").encode("utf-8-sig")


def plans_csv(ds: Dataset, sectors: Iterable[str] | None = None) -> bytes:
    """Every task of the chosen sectors, one row each, with its outcome in the next review."""
    return frame_csv(plans_frame(ds, None if sectors is None else list(sectors)))


def frame_csv(frame: pd.DataFrame) -> bytes:
    """The one CSV writer of the project: formula-like cells neutralised, UTF-8 with BOM."""
    return _csv_bytes(_inert_frame(frame))


@functools.cache
def _plotly_template() -> dict:
    """Plotly's own template, resolved once, as a figure's layout holds it (the same keys in the same order, so
    the same bytes): every export is drawn in it. Shared by every spec, and never changed."""
    return go.Layout(template="plotly").to_plotly_json()["template"]


def figure_spec(fig: go.Figure) -> dict:
    """The figure as the plain dict that HTML, PNG and SVG are written from, in Plotly's own template.

    Importing st.plotly_chart makes Streamlit's template Plotly's default: pinning Plotly's own makes a file
    the same whether the CLI or the server draws it. Set here on the dict, not on the figure, where Plotly
    would validate and copy the whole template again for every chart.
    """
    spec = fig.to_dict()
    spec["layout"]["template"] = _plotly_template()
    return spec


def chart_html(chart: Chart) -> bytes:
    """The chart as a page to open or embed in an iframe: its language, title, text alternative, source line and
    (where the site's address is known) a link back to the figure's view; the chart fills its frame at any width.
    `chart.plotlyjs=True` inlines plotly.js, "directory" loads it from beside the file."""
    spec = figure_spec(indicator_figure(chart.ds, chart.indicator_id, chart.lang))
    for size in ("width", "height"):  # the frame sets the size: Plotly's `responsive` follows it
        spec["layout"].pop(size, None)
    # A fixed div id (Plotly's default is random): the same chart is the same file everywhere, one ETag.
    plot = pio.to_html(spec, include_plotlyjs=chart.plotlyjs, full_html=False, div_id="chart",
                       default_width="100%", default_height="100%",
                       config={"displaylogo": False, "displayModeBar": False, "responsive": True}, validate=False)
    ds, lang = chart.ds, chart.lang
    sources = dict.fromkeys(obs.source for obs in observations_of(ds, chart.indicator_id))
    return render(
        "chart_embed.html", lang=lang, label=translated(ds.indicators[chart.indicator_id].label, lang),
        description=chart_description(ds, chart.indicator_id, lang), plot=Markup(plot),  # noqa: S704 (Plotly's own)
        source_label=t("source", lang), sources=[citation.source_line(ds.sources[s], lang) for s in sources],
        view=citing.permalink(chart.site, chart.indicator_id, lang) if chart.site else None,
        view_text=t("embed_view_figure", lang),
    ).encode("utf-8")


def utc_today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


@dataclass
class Chart:
    """One chart on its way out, in one language: what every format's writer reads, each part made once."""

    ds: Dataset
    indicator_id: str
    lang: Lang
    renderer: ImageRenderer | None = None  # None: an image starts (and stops) a browser of its own
    plotlyjs: bool | str = True
    rows: pd.DataFrame | None = field(default=None, repr=False)  # its observations, formula-like cells inert
    site: str | None = None  # the site's address (`http://host/`): the figure's permalink; None: not known
    accessed: dt.date = field(default_factory=utc_today)  # a citation's access date (UTC)

    @cached_property
    def spec(self) -> dict:
        return figure_spec(indicator_figure(self.ds, self.indicator_id, self.lang, standalone=True))

    @cached_property
    def inert_rows(self) -> pd.DataFrame:
        if self.rows is not None:
            return self.rows
        frame = self.ds.frame
        return _inert_frame(frame[frame.indicator_id == self.indicator_id])

    @cached_property
    def citation(self) -> list[dict]:
        """The chart's citation as CSL-JSON items, what the BibTeX and RIS are written from."""
        return citing.csl_items(self.ds, self.indicator_id, self.lang, self.site, self.accessed)


def _write_image(fmt: str, chart: Chart) -> bytes:
    if chart.renderer is None:
        with ImageRenderer() as own:
            return own.render(chart.spec, fmt)
    return chart.renderer.render(chart.spec, fmt)


@dataclass(frozen=True)
class Format:
    """One way a chart can be exported: the page's links, the ZIP, `/charts/…` and the CLI offer each one
    in this registry, and nothing else."""

    id: str
    extension: str
    media_type: str  # text types carry the charset a browser needs for Vietnamese
    write: Callable[[Chart], bytes]  # the chart's file in this format
    image: bool = False  # drawn by the browser: unavailable without one
    compressed: bool = False  # compressed already: the ZIP stores it as it is (faster, and no larger)
    citation: bool = False  # the chart's citation, offered in its Cite panel rather than with the downloads


FORMATS: dict[str, Format] = {f.id: f for f in (
    Format("png", "png", "image/png", functools.partial(_write_image, "png"), image=True, compressed=True),
    Format("svg", "svg", "image/svg+xml", functools.partial(_write_image, "svg"), image=True),
    Format("html", "html", "text/html; charset=utf-8", chart_html),
    Format("csv", "csv", "text/csv; charset=utf-8", lambda chart: _csv_bytes(chart.inert_rows)),
    Format("bib", "bib", "application/x-bibtex; charset=utf-8", lambda chart: citing.bibtex(chart.citation),
           citation=True),
    Format("ris", "ris", "application/x-research-info-systems; charset=utf-8",
           lambda chart: citing.ris(chart.citation), citation=True),
    Format("csl-json", "csl.json", "application/vnd.citationstyles.csl+json; charset=utf-8",
           lambda chart: citing.csl_json(chart.citation), citation=True),
)}


def format_of_extension(extension: str) -> Format | None:
    """The format a file name's extension names (`csl.json` → CSL-JSON)."""
    return next((f for f in FORMATS.values() if f.extension == extension), None)


def known_formats(formats: Iterable[str]) -> list[str]:
    """The formats asked for, once each in their order; ValueError naming any the registry does not have."""
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    return formats


def needs_browser(formats: Iterable[str]) -> bool:
    return any(FORMATS[fmt].image for fmt in formats)


def export_chart(
    ds: Dataset, indicator_id: str, fmt: str, lang: Lang,
    renderer: ImageRenderer | None = None, plotlyjs: bool | str = True, site: str | None = None,
) -> bytes:
    """One chart in one format; `site` is the site's address, for the permalink in a citation or an embed."""
    known_formats([fmt])
    return FORMATS[fmt].write(Chart(ds, indicator_id, lang, renderer, plotlyjs, site=site))


def readme(ds: Dataset, indicator_ids: list[str], formats: Iterable[str], lang: Lang,
           sectors: Iterable[str] = ()) -> str:
    """What the bundle holds and how to cite every source its charts and the tasks of `sectors` quote."""
    used = dict.fromkeys(o.source for o in ds.observations if o.indicator in indicator_ids)
    for task in plans_of(ds, list(sectors)):
        following = next_review(ds, task)
        used.update(dict.fromkeys([task.source] + ([following.id] if following else [])))
    lines = [
        t("readme_title", lang, years=year_span(ds.years, lang)),
        "",
        t("readme_contents", lang, n=len(indicator_ids), formats=", ".join(formats), language=lang),
        t("readme_data", lang, file=DATA_FILE),
        t("readme_tasks", lang, file=PLANS_FILE),
        t("readme_datapackage", lang, file=datapackage.DESCRIPTOR),
    ]
    if "html" in formats:
        lines.append(t("readme_html", lang, file=PLOTLY_JS))
    lines += ["", t("readme_cite", lang)]
    for source_id in used:
        lines.append(f"- {citation.reference(ds.sources[source_id], lang)}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class BundlePlan:
    indicator_ids: list[str]
    formats: list[str]
    sectors: list[str]


def plan_bundle(ds: Dataset, sectors: list[str], formats: Iterable[str]) -> BundlePlan:
    return BundlePlan([ind.id for ind in sector_indicators(ds, sectors)], known_formats(formats), list(sectors))


Progress = Callable[[int, int, str], None]


def bundle_files(
    ds: Dataset, plan: BundlePlan, lang: Lang, renderer: ImageRenderer | None = None,
    progress: Progress | None = None, site: str | None = None,
) -> Iterator[tuple[str, bytes]]:
    """(file name, bytes): plotly.js if HTML is asked for, every chart in every format, then data, its Data Package
    descriptor and README.

    Image formats are skipped (not attempted) when `renderer` is None. The browser draws one chart's images
    on a thread of their own while the next chart's figure is built here; the files still come in order.
    """
    formats = [FORMATS[f] for f in plan.formats if renderer is not None or not FORMATS[f].image]
    inert = _inert_frame(ds.frame)
    rows = dict(iter(inert.groupby("indicator_id", sort=False)))  # one pass over the frame for the batch
    total, done = len(plan.indicator_ids) * len(formats), 0
    drawn = any(fmt.image for fmt in formats)
    if "html" in (f.id for f in formats):
        yield PLOTLY_JS, plotly_js()  # first: `zip_bundle` then starts from the archive that holds it already
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="export-images") as drawing:

        def start(indicator_id: str) -> list[tuple[str, Future | bytes]]:
            chart = Chart(ds, indicator_id, lang, renderer, plotlyjs="directory",
                          rows=rows.get(indicator_id, inert.iloc[:0]), site=site)
            if drawn:
                chart.spec  # built here, before the drawing thread reads it  # noqa: B018
            base = chart_basename(ds, indicator_id)
            return [(f"{base}.{fmt.extension}", drawing.submit(fmt.write, chart) if fmt.image else fmt.write(chart))
                    for fmt in formats]

        charts = map(start, plan.indicator_ids)
        current = next(charts, None)
        while current is not None:
            following = next(charts, None)  # started before this chart's images are waited for
            for name, made in current:
                yield name, made.result() if isinstance(made, Future) else made
                done += 1
                if progress:
                    progress(done, total, name)
            current = following
    yield DATA_FILE, _csv_bytes(inert[inert.indicator_id.isin(plan.indicator_ids)])
    yield PLANS_FILE, plans_csv(ds, plan.sectors)
    # Each CSV by the name it is written under (`safe_name`, as the ZIP and the folder write it).
    charts_csv = [safe_name(f"{chart_basename(ds, i)}.{FORMATS['csv'].extension}") for i in plan.indicator_ids] \
        if "csv" in (f.id for f in formats) else []
    tables = [(DATA_FILE, "observations"), (PLANS_FILE, "plans"), *((name, "observations") for name in charts_csv)]
    yield datapackage.DESCRIPTOR, datapackage.bundle_descriptor(ds, lang, tables)
    yield README_FILE, readme(ds, plan.indicator_ids, [f.id for f in formats], lang, plan.sectors).encode("utf-8")


@functools.cache
def plotly_js() -> bytes:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs().encode("utf-8")


def zip_bundle(files: Iterable[tuple[str, bytes]]) -> bytes:
    """The files in one ZIP. When the first is plotly.js (as `bundle_files` hands it), the archive starts as a
    copy of one that holds it, compressed once per process: deflating its 4.8 MB took longer than all the
    rest of a ZIP."""
    files = iter(files)
    first = next(files, None)
    shared = first is not None and first == (PLOTLY_JS, plotly_js())
    buffer = io.BytesIO(_plotly_js_archive() if shared else b"")
    buffer.seek(0, io.SEEK_END)
    _add_to_zip(buffer, [] if shared or first is None else [first], files, mode="a" if shared else "w")
    return buffer.getvalue()


@functools.cache
def _plotly_js_archive() -> bytes:
    buffer = io.BytesIO()
    _add_to_zip(buffer, [(PLOTLY_JS, plotly_js())], mode="w")
    return buffer.getvalue()


def _add_to_zip(buffer: io.BytesIO, *parts: Iterable[tuple[str, bytes]], mode: str) -> None:
    stored = tuple(f".{fmt.extension}" for fmt in FORMATS.values() if fmt.compressed)
    with zipfile.ZipFile(buffer, mode, compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, content in itertools.chain(*parts):
            compress = zipfile.ZIP_STORED if name.endswith(stored) else zipfile.ZIP_DEFLATED
            archive.writestr(safe_name(name), content, compress_type=compress)


def safe_name(name: str) -> str:
    """A bare file name: no folders, no `..`, nothing that leaves the export folder."""
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", base).lstrip(".-")
    stem, dot, suffix = base.rpartition(".")
    if dot and stem and len(suffix) <= 8:  # shorten the stem, never the extension
        return f"{stem[:119 - len(suffix)]}.{suffix}"
    return base[:120] or "file"


def write_files(out_dir: Path, files: Iterable[tuple[str, bytes]]) -> list[Path]:
    # Resolved first: `out/../../elsewhere` makes `elsewhere` and nothing of an `out/` it only passes through.
    root = Path(out_dir).resolve()
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in files:
        target = (root / safe_name(name)).resolve()
        if target.parent != root:  # belt and braces: safe_name already makes a bare name
            raise ValueError(f"refusing to write outside {root}: {name!r}")
        target.write_bytes(content)
        written.append(target)
    return written
