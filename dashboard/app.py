"""The Streamlit page. It only lays out the page and wires widgets to the
pure functions of the `dashboard` package; run it with `make run`."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import streamlit as st

# `streamlit run dashboard/app.py` puts dashboard/ on the path, not the project.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import cards, changes, citation, compare, coverage, exports, landing, search, web
from dashboard.data import DataError, Dataset
from dashboard.describe import chart_description
from dashboard.figures import change_label, indicator_figure, indicator_note, stated_value, year_note
from dashboard.i18n import LANGUAGES, Lang, t, title
from dashboard.page import page_script
from dashboard.quotes import (
    bdi,
    diff_html,
    figures_as_written,
    inert,
    mark,
    mark_spans,
    md_escape,
    paragraphs_with_passage,
    passage_context,
)
from dashboard.search import MAX_QUERY
from dashboard.state import TABS, View, parse_view

STYLE = """<style>
.quote{border-left:4px solid #0072B2;background:#F2F5F9;padding:.5rem .8rem;margin:.2rem 0 .4rem;
  overflow-wrap:anywhere;line-height:1.5}
.quote mark{background:#FFE08A;padding:0 .15em;border-radius:2px;box-shadow:inset 0 -2px 0 #8A6100}
.quote .en{color:#3E4C59;font-style:italic;margin-top:.35rem}
.chartdesc{font-size:.9rem;color:#3E4C59;margin:.1rem 0 .3rem}
.src{font-size:.8rem;color:#52606D}
.ind{font-weight:600;font-size:1.05rem;margin:0;padding:0;line-height:1.4;overflow-wrap:anywhere}
.st-key-page-script{display:none}
.note{background:#FFF4E5;border-left:4px solid #E69F00;padding:.4rem .7rem;font-size:.9rem}
.plan{font-size:.8rem;color:#52606D;text-transform:uppercase;letter-spacing:.03em}
.lbl{font-weight:600;margin:.4rem 0 .1rem}
.task{margin:.3rem 0 .8rem}
.status{border-left:4px solid;padding:.2rem .6rem;font-size:.9rem}
.badge{display:inline-block;border:2px solid #3E4C59;border-radius:3px;padding:0 .35em;font-size:.8rem;
  font-weight:600;margin-right:.3em}
.judgement{color:#52606D;font-size:.8rem}
.changes{list-style:none;padding:0;margin:.2rem 0 .6rem} .changes li{margin:.15rem 0}
.figs{margin:.1rem 0}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:.2rem 1.2rem;padding:0;margin:0;font-size:.9rem}
.swatch{display:inline-block;width:1rem;height:1rem;border:1.5px solid;margin-right:.4rem;vertical-align:-.15rem}
.diff ins{background:#D4F4DD;text-decoration:underline 2px #1B5E20;text-underline-offset:3px}
.diff del{background:#FDE2E1;color:#7B2C2C;text-decoration:line-through 2px}
.fulltext{max-height:60vh;overflow-y:auto;line-height:1.55}
.fulltext mark{background:#FFE08A;box-shadow:inset 0 -2px 0 #8A6100}
/* Contrast: Streamlit's captions (grey at 60% opacity) and input hints are under 4.5:1 on white. */
[data-testid="stCaptionContainer"]{opacity:1 !important}
[data-testid="stCaptionContainer"],[data-testid="stCaptionContainer"] *,input::placeholder,textarea::placeholder{
  color:#52606D !important}
/* A focus ring on everything a key can reach: #0072B2 is 5.2:1 on white. */
:focus-visible{outline:3px solid #0072B2 !important;outline-offset:2px}
/* A collapsed sidebar is only moved off-screen: hide it, so Tab does not walk through its unseen controls. */
[data-testid="stSidebar"][data-collapsed="true"]{visibility:hidden}
/* Reflow: a headline's label, value and change wrap instead of being cut at 320 px or 200% zoom. */
[data-testid="stMetric"] [data-testid="stMarkdownContainer"],[data-testid="stMetric"] p{
  white-space:normal !important;overflow:visible !important;text-overflow:clip !important}
@media (max-width:640px){h1{font-size:2rem !important}h2{font-size:1.5rem !important}}
.chart-links{display:flex;gap:.5rem;flex-wrap:wrap;margin:.3rem 0 0}
.chart-link{border:1px solid #0072B2;border-radius:.4rem;padding:.15rem .9rem;color:#005A8C;text-decoration:none;
  font-weight:600}
.chart-link:hover{background:#E6F1F8} .chart-link:focus-visible{outline:3px solid #0072B2;outline-offset:2px}
.chart-url{font-size:.8rem;color:#52606D;overflow-wrap:anywhere;margin:.3rem 0 0}
</style>"""

PAGE_SIZE = 20  # indicator charts per page: a big data set never renders all at once
MAX_HEADLINES = 12
MAX_FIGURES_PER_REVIEW = 12  # on the landing page; the By sector tab has them all


def dataset() -> Dataset:
    """This session's data, taken at its first run and kept for every rerun: a view never mixes two states
    of the files. A new session (the next page load) asks again, and the process-wide catalog reloads
    when the files have changed (a cheap stat first); a failure is not kept, so a fix shows on reload."""
    if "dataset" not in st.session_state:
        st.session_state.data_version, st.session_state.dataset = web.CATALOG.dataset()
    return st.session_state.dataset


def data_version() -> str:
    """The key that ties process-wide caches to the session's dataset."""
    return st.session_state.data_version


def show_data_error(error: DataError) -> None:
    st.error(f"{t('data_error', 'vi')}\n\n{t('data_error', 'en')}", icon=":material/error:")
    items = "".join(f"<li><code>{inert(str(p))}</code></li>" for p in error.problems)
    st.html(f"<ul>{items}</ul>")


def read_view(ds: Dataset) -> View:
    """The view from the URL on a session's first run; after that, from the widgets."""
    if "view" not in st.session_state:
        params = {key: st.query_params.get_all(key) for key in st.query_params}
        view = parse_view(params, ds.sectors)
        st.session_state.view = view
        st.session_state.sectors = list(view.sectors)
        st.session_state.tab = view.tab
        st.session_state.notices = view.rejected
    return st.session_state.view


def sidebar(ds: Dataset) -> View:
    with st.sidebar:
        # The language is the radio's own default, not a value pushed through session state: under load,
        # a browser can miss a pushed value and later send the default back as if the user had chosen it.
        lang: Lang = st.radio(
            "Ngôn ngữ / Language", list(LANGUAGES), format_func=LANGUAGES.get, key="lang", horizontal=True,
            index=list(LANGUAGES).index(st.session_state.view.lang), on_change=relabel_sectors,
        )
        sectors = st.multiselect(
            t("sectors", lang), list(ds.sectors), key="sectors",
            format_func=lambda s: ds.sectors[s].name_vi if lang == "vi" else ds.sectors[s].name_en,
            placeholder=t("all_sectors_hint", lang),
        )
        query = st.text_input(t("search", lang), st.session_state.view.query, key="query",
                              placeholder=t("search_hint", lang), max_chars=MAX_QUERY, icon=":material/search:")
    view = View(lang=lang, sectors=tuple(s for s in ds.sectors if s in sectors), tab=st.session_state.tab,
                query=" ".join(query.split()))
    if replace(view, tab="") != replace(st.session_state.view, tab="", rejected=()):
        st.session_state.notices = ()  # the user has moved on from the link that needed them
    st.session_state.view = view
    st.query_params.from_dict(view.to_params())
    return view


def relabel_sectors() -> None:
    """The browser holds the chosen sectors by their labels: set them again so the new language's labels go out."""
    st.session_state.sectors = list(st.session_state.view.sectors)


def label_of(ind, lang: Lang) -> str:
    return ind.label_vi if lang == "vi" else ind.label_en


def sector_name(ds: Dataset, sector: str, lang: Lang) -> str:
    return ds.sectors[sector].name_vi if lang == "vi" else ds.sectors[sector].name_en


def set_page_config(ds: Dataset | None) -> None:
    """The browser tab names the years the data covers."""
    years = f" {ds.years[0]}–{ds.years[-1]}" if ds is not None and ds.years else ""
    st.set_page_config(page_title=f"Bộ TT&TT{years}", page_icon=":material/bar_chart:", layout="wide")


@st.cache_resource(show_spinner=False, max_entries=2000)
def cached_sector_changes(sector: str, version: str) -> changes.SectorChanges:
    """What changed in a sector between the latest two reviews (there are two), built once per data version."""
    ds = dataset()
    return changes.sector_changes(ds, sector, *changes.latest_pair(ds))


def tasks_chart(ds: Dataset, sectors: list[str], lang: Lang) -> None:
    st.header(t("tasks_chart_title", lang), anchor=False)
    fig = landing.tasks_figure(ds, tuple(sectors), lang, data_version())  # the served app's warm-up built it
    if fig is None:
        st.info(t("no_tasks", lang))
        return
    st.html(cards.status_legend(lang))
    # theme=None: the figure's own colours and patterns, which carry the status, not Streamlit's.
    st.plotly_chart(fig, key="chart-plans", theme=None,
                    config={"displaylogo": False, "toImageButtonOptions": {"filename": "bo-tttt-tasks", "scale": 2}})
    st.caption(cards.tasks_summary(ds, sectors, lang))  # the chart in words


def overview(ds: Dataset, sectors: list[str], lang: Lang) -> None:
    tasks_chart(ds, sectors, lang)
    st.header(t("headline", lang), anchor=False)
    changes = compare.changes(ds, sectors)
    if not changes:
        st.info(t("no_headline", lang))
    hidden = len(changes) - MAX_HEADLINES
    changes = changes[:MAX_HEADLINES]
    for row_start in range(0, len(changes), 3):
        for column, change in zip(st.columns(3), changes[row_start:row_start + 3], strict=False):
            new = change.new
            value = stated_value(new, change.indicator, lang)
            column.metric(
                md_escape(label_of(change.indicator, lang)),
                f"{value} ({new.year})",
                delta=f"{change_label(change, lang)} · {change.old.year}→{new.year}",
                delta_color="off" if change.improved is None else "normal" if change.improved else "inverse",
                delta_arrow="off" if change.improved is None else "up" if change.improved else "down",
                border=True,
            )
    if hidden > 0:
        st.caption(t("more_headlines", lang, n=hidden))
    what_changed(ds, sectors, lang)
    st.header(t("coverage", lang), anchor=False)
    matrix = compare.coverage(ds, sectors)
    shown = matrix.apply(lambda col: col.map(lambda cell: coverage_cell(cell, lang)))
    shown.columns = [t("review_of", lang, year=year) for year in matrix.columns]
    # The sector as a named column, not the index: an index column has an empty header.
    shown.insert(0, t("sectors", lang), [sector_name(ds, s, lang) for s in matrix.index])
    st.dataframe(shown, width="stretch", hide_index=True)


def what_changed(ds: Dataset, sectors: list[str], lang: Lang) -> None:
    pair = changes.latest_pair(ds)
    if pair is None:
        return
    old, new = pair
    st.header(t("what_changed", lang, old=old.reviewed_year, new=new.reviewed_year), anchor=False)
    for sector in sectors:
        found = cached_sector_changes(sector, data_version())
        with st.container(border=True):
            st.subheader(md_escape(sector_name(ds, sector, lang)), anchor=False)  # h3, under this section's h2
            if found.figures or found.sector_dropped:
                st.html(cards.classification(ds, found, lang))
            for column, side in zip(st.columns(2), (found.old, found.new), strict=True):
                with column:
                    review_side(ds, sector, side, lang)


def review_side(ds: Dataset, sector: str, side: changes.ReviewSide, lang: Lang) -> None:
    year = side.source.reviewed_year
    st.markdown(f"**{t('review_of', lang, year=year)}**")
    if not side.mentions:
        st.caption(t("nothing_said", lang))
        return
    shown = side.figures[:MAX_FIGURES_PER_REVIEW]
    st.html(f"<p class=lbl>{t('figures_stated', lang)}</p>{cards.figure_list(ds, shown, lang)}")
    if len(side.figures) > len(shown):
        st.caption(t("more_figures", lang, n=len(side.figures) - len(shown)))
    if side.passages:
        st.html(f"<p class=lbl>{t('key_passage', lang)}</p>{cards.key_passage(side.passages[0], lang)}")
        if lang == "en" or len(side.passages) > 1 or not cards.is_short(side.passages[0]):
            with st.expander(t("whole_passage", lang)):
                st.html("".join(cards.key_passage(s, lang, short=False) for s in side.passages))
    if side.tasks:
        st.html(f"<p class=lbl>{t('tasks_set', lang)}</p>" + "".join(cards.task_card(ds, p, lang) for p in side.tasks))


def coverage_cell(cell: tuple[str, int], lang: Lang) -> str:
    state, figures = cell
    if state == "numbers":
        return "● " + t("coverage_numbers", lang).format(n=figures)
    return "◐ " + t("coverage_text", lang) if state == "text" else "○ " + t("coverage_nothing", lang)


def quote_card(ds: Dataset, observations, lang: Lang) -> str:
    first = observations[0]
    source = ds.sources[first.source]
    marked = mark(first.quote, [w for obs in observations for w in figures_as_written(obs)])
    english = f"<div class=en lang=en>{inert(first.translation_en)}</div>" if lang == "en" else ""
    notes = "".join(
        f"<div class=src>{t('year_note', lang)} {obs.year}: {inert(year_note(obs, lang))}</div>"
        for obs in observations if obs.year_note_vi
    )
    return (
        f"<div class=quote lang=vi>“{bdi(marked)}”{english}</div>{notes}"
        f"<div class=src>{t('source', lang)}: {citation.source_line(source, lang, inert)}</div>"
    )


@st.cache_resource(show_spinner=False, max_entries=2000)
def cached_figure(indicator_id: str, lang: Lang, version: str):
    """Figures depend only on the dataset (its version), the indicator and the language."""
    return indicator_figure(dataset(), indicator_id, lang)


@st.cache_resource(show_spinner=False)
def search_index(version: str) -> list[search.Entry]:
    return search.build_index(dataset())


@st.cache_resource(show_spinner=False)
def report_coverage(source_id: str, version: str) -> list[coverage.Mention]:
    return coverage.mentions(dataset(), source_id)


def search_results(ds: Dataset, query: str, lang: Lang) -> None:
    hits = search.search(search_index(data_version()), query)
    if not hits:
        st.info(t("search_none", lang, q=md_escape(query)), icon=":material/search_off:")
        return
    st.header(t("search_results", lang, n=len(hits), q=md_escape(query)), anchor=False)
    for hit in hits[: search.MAX_HITS]:
        entry = hit.entry
        source = ds.sources[entry.source]
        if hit.in_translation:
            body = (f"“{inert(entry.text)}”"
                    f"<div class=en lang=en>{bdi(mark_spans(entry.translation or '', hit.spans))}</div>")
        else:
            english = f"<div class=en lang=en>{inert(entry.translation)}</div>" if lang == "en" and entry.translation \
                else ""
            body = f"“{bdi(mark_spans(entry.text, hit.spans))}”{english}"
        curated = ""
        if entry.indicators:
            names = ", ".join(inert(label_of(ds.indicators[i], lang)) for i in entry.indicators)
            curated = f" · {t('curated_as', lang)}: <b>{names}</b>"
        st.html(f"<div class=quote lang=vi>{body}</div><div class=src>{t('review_of', lang, year=entry.year)} · "
                f"{citation.source_line(source, lang, inert)}{curated}</div>")
    if len(hits) > search.MAX_HITS:
        st.caption(t("search_more", lang, shown=search.MAX_HITS))


def export_links(ds: Dataset, ind, lang: Lang) -> None:
    """Plain links to the chart's stable URLs (served by dashboard/asgi.py): nothing to build, nothing to expire."""
    images_ok = exports.browser_path() is not None
    formats = [f for f in exports.FORMATS if images_ok or f not in exports.IMAGE_FORMATS]
    st.html(web.chart_links_html(ds, ind.id, lang, label_of(ind, lang), st.context.url, formats))
    if not images_ok:
        st.caption(t("images_unavailable", lang))


def export_all(ds: Dataset, sectors: list[str], lang: Lang) -> None:
    with st.expander(t("export_all", lang), icon=":material/folder_zip:"):
        formats = st.pills(t("formats", lang), exports.FORMATS, selection_mode="multi",
                           default=list(exports.FORMATS), key="export-formats", format_func=str.upper)
        if not st.button(t("make_zip", lang), key="make-zip", disabled=not formats):
            return
        plan = exports.plan_bundle(ds, sectors, formats)
        renderer = None
        if any(f in exports.IMAGE_FORMATS for f in plan.formats):
            try:
                renderer = web.CATALOG.renderer()
            except exports.ImageExportUnavailable as exc:
                st.warning(str(exc), icon=":material/warning:")
        bar = st.progress(0.0, text=t("building", lang))
        files = exports.bundle_files(
            ds, plan, lang, renderer, progress=lambda done, total, name: bar.progress(done / total, text=name),
        )
        archive = exports.zip_bundle(files)
        bar.progress(1.0, text=t("zip_ready", lang))
        st.download_button(
            t("download_zip", lang), archive, file_name=f"bo-tttt-charts-{lang}.zip", mime=exports.MIME["zip"],
            icon=":material/download:", key="download-zip", on_click="ignore", type="primary",
        )


@st.dialog("Toàn văn / Full text", width="large")
def full_text_dialog(source_id: str, passage: str) -> None:
    ds = dataset()
    source = ds.sources[source_id]
    lang = st.session_state.get("lang", "vi")
    st.html(f"<p><b>{citation.source_line(source, lang, inert)}</b></p>"
            f"<div class=quote lang=vi>{passage_context(ds.seed_texts[source_id], passage)}</div>")
    seed = ds.report_text(source_id)
    st.caption(t("full_text", lang))
    st.html(f"{STYLE}{full_text_box(paragraphs_with_passage(seed, passage), lang)}")


def full_text_box(paragraphs: str, lang: Lang) -> str:
    """A scrolling box a keyboard can focus (and so scroll), named for a screen reader."""
    return (f"<div class=fulltext lang=vi tabindex=0 role=region aria-label='{t('full_text', lang)}'>"
            f"{paragraphs}</div>")


def indicator_block(ds: Dataset, ind, lang: Lang) -> None:
    observations = compare.observations_of(ds, ind.id)
    with st.container(border=True):
        chart, quotes = st.columns([3, 2], gap="medium")
        with chart:
            st.html(f"<h3 class=ind>{inert(label_of(ind, lang))}</h3>"
                    f"<p class=chartdesc>{inert(chart_description(ds, ind.id, lang))}</p>")
            if ind.note_vi:
                st.html(f"<div class=src>{t('indicator_note', lang)}: {inert(indicator_note(ind, lang))}</div>")
            # No Plotly toolbar: its eight buttons were tab stops before ours; the export links below do its job.
            st.plotly_chart(cached_figure(ind.id, lang, data_version()), key=f"chart-{ind.id}",
                            config={"displayModeBar": False})
            note = ind.comparability_vi if lang == "vi" else ind.comparability_en
            if note:
                others = ", ".join(inert(label_of(ds.indicators[o], lang)) for o in ind.contrasts_with)
                see_also = f"<br>{t('see_also', lang)}: {others}" if others else ""
                st.html(f"<div class=note><b>{t('not_one_series', lang)}</b>: {inert(note)}{see_also}</div>")
            unreported = compare.unreported_years(ds, ind.id)
            if unreported:
                st.caption(t("not_reported_in", lang, year=", ".join(map(str, unreported))))
            export_links(ds, ind, lang)
        with quotes:
            by_quote: dict[tuple[str, str], list] = {}
            for obs in observations:
                by_quote.setdefault((obs.source, obs.quote), []).append(obs)
            for number, ((source_id, quote), group) in enumerate(by_quote.items()):
                st.html(quote_card(ds, group, lang))
                for obs in group:
                    if obs.kind == "derived":
                        how = md_escape(obs.derivation_vi if lang == "vi" else obs.derivation_en)
                        st.caption(f"{t('derived_how', lang)}: {md_escape(obs.formula)} = {obs.value:g}. {how}")
                if st.button(t("open_full_text", lang), key=f"full-{ind.id}-{number}", icon=":material/article:"):
                    full_text_dialog(source_id, quote)


def by_sector(ds: Dataset, sectors: list[str], lang: Lang) -> None:
    export_all(ds, sectors, lang)
    indicators = compare.sector_indicators(ds, sectors)
    pages = max(1, -(-len(indicators) // PAGE_SIZE))
    page = 1
    if pages > 1:
        page = int(st.number_input(t("page", lang), min_value=1, max_value=pages, step=1, key="page"))
        first = (page - 1) * PAGE_SIZE
        st.caption(t("page_of", lang, first=first + 1, last=min(first + PAGE_SIZE, len(indicators)),
                     total=len(indicators)))
    shown = indicators[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    on_page = {ind.sector for ind in shown}
    for sector in sectors:
        # Sectors with no figures are named once, on the first page, so none silently vanishes.
        if sector not in on_page and not (page == 1 and not ds.indicators_by_sector.get(sector)):
            continue
        st.header(md_escape(sector_name(ds, sector, lang)), divider="gray", anchor=False)
        if not ds.indicators_by_sector.get(sector):
            st.info(t("no_figures", lang))
        for ind in shown:
            if ind.sector == sector:
                indicator_block(ds, ind, lang)


def text_comparison(ds: Dataset, sectors: list[str], lang: Lang) -> None:
    for sector in sectors:
        st.header(md_escape(sector_name(ds, sector, lang)), divider="gray", anchor=False)
        by_year = compare.passages(ds, sector)
        for column, (year, statements) in zip(st.columns(len(by_year)), by_year.items(), strict=True):
            with column:
                st.markdown(f"**{t('review_of', lang, year=year)}**")
                tasks = [p for p in ds.plans if p.sector == sector and ds.sources[p.source].reviewed_year == year]
                if not statements and not tasks:
                    st.caption(t("nothing_said", lang))
                for statement in statements:
                    english = f"<div class=en lang=en>{inert(statement.translation_en)}</div>" if lang == "en" else ""
                    st.html(f"<div class=quote lang=vi>“{inert(statement.quote)}”{english}</div>")
                for plan in tasks:
                    st.html(f"<div class=plan>{t('plan', lang, year=plan.for_year)}</div>"
                            + cards.task_card(ds, plan, lang))
        for repeated in compare.repeated_passages(ds, sector):
            st.caption(t("diff_legend", lang, old=repeated.old_year, new=repeated.new_year))
            st.html(f"<div class='quote diff' lang=vi>{diff_html(repeated.segments)}</div>")


def data_table(ds: Dataset, sectors: list[str], lang: Lang) -> None:
    shown = st.radio(t("table", lang), ("figures", "tasks"), key="data-table", horizontal=True,
                     format_func=lambda table: t(f"tab_data_{table}", lang))
    if shown == "tasks":
        tasks_table(ds, sectors, lang)
        return
    frame = ds.frame[ds.frame.sector.isin(sectors)]
    st.caption(t("rows", lang, n=len(frame)))
    # The download before the table: after it, a keyboard reached it only through Streamlit's grid.
    st.html(web.data_link_html("observations", sectors, list(ds.sectors), exports.DATA_FILE, t("download_csv", lang)))
    label, sector_col = ("label_vi", "sector_vi") if lang == "vi" else ("label_en", "sector_en")
    st.dataframe(
        frame[[sector_col, label, "year", "value", "denominator", "unit", "kind", "qualifier", "source", "quote"]],
        hide_index=True, width="stretch",
    )


def tasks_table(ds: Dataset, sectors: list[str], lang: Lang) -> None:
    frame = changes.plans_frame(ds, sectors)
    st.caption(t("task_rows", lang, n=len(frame)))
    frame = frame.assign(status=frame.status.map(lambda status: t(f"status_{status}", lang)))
    sector_col = "sector_vi" if lang == "vi" else "sector_en"
    english = ["task_translation_en"] if lang == "en" else []
    st.html(web.data_link_html("plans", sectors, list(ds.sectors), exports.PLANS_FILE, t("download_csv", lang)))
    st.dataframe(
        frame[[sector_col, "set_in_year", "for_year", "task_quote", *english, "status", "outcome_quote",
               "outcome_figures", "search_terms"]],
        hide_index=True, width="stretch",
    )


def sources_tab(ds: Dataset, lang: Lang) -> None:
    for source in sorted(ds.sources.values(), key=lambda s: s.reviewed_year):
        st.header(md_escape(citation.title(source, lang)), anchor=False)
        event = citation.event_line(source, lang, inert)
        st.html(
            f"<table><tr><th>{t('title_kind', lang)}</th><td>{t(f'title_{source.title_kind}', lang)}</td></tr>"
            f"<tr><th>{t('reviewed_year', lang)}</th><td>{source.reviewed_year}</td></tr>"
            f"<tr><th>{t('published', lang)}</th><td>{source.published} "
            f"({t('stated_as', lang, text=inert(source.published_as_written))})</td></tr>"
            + (f"<tr><th>{t('event', lang)}</th><td>{event}</td></tr>" if event else "")
            + f"<tr><th>{t('publisher', lang)}</th><td>{inert(source.publisher)}</td></tr>"
            f"<tr><th>SHA-256</th><td><code>{source.sha256}</code></td></tr>"
            f"<tr><th>{t('file', lang)}</th><td><code>{inert(source.file)}</code></td></tr></table>"
        )
        found = report_coverage(source.id, data_version())
        summary = coverage.summarise(found, source.id)
        (st.success if summary.missing == 0 else st.warning)(t(
            "coverage_summary", lang, curated=summary.curated, excluded=summary.excluded,
            missing=summary.missing, total=summary.total,
        ))
        with st.expander(t("coverage_details", lang)):
            st.dataframe(
                [{t("coverage_col_number", lang): m.text, t("coverage_col_status", lang): t(f"status_{m.status}", lang),
                  t("coverage_col_detail", lang): m.detail(lang), t("coverage_col_sentence", lang): m.sentence}
                 for m in found],
                hide_index=True, width="stretch",
            )
        with st.expander(t("full_text", lang)):
            seed = ds.report_text(source.id)
            st.html(full_text_box(paragraphs_with_passage(seed, ""), lang))


def main() -> None:
    try:
        ds = dataset()
    except DataError as error:
        set_page_config(None)
        st.html(STYLE)
        show_data_error(error)
        return
    set_page_config(ds)
    st.html(STYLE)
    read_view(ds)
    view = sidebar(ds)
    lang = view.lang
    with st.container(key="page-script"):
        st.html(page_script(lang), unsafe_allow_javascript=True)
    for key, values in st.session_state.get("notices", ()):
        shown = ", ".join(f"“{md_escape(v)}”" for v in values)
        st.warning(t(key, lang, max=MAX_QUERY, values=shown), icon=":material/warning:")
    # No heading anchors: each was a Tab stop of its own, hidden until hovered.
    st.title(title(lang, ds.years), anchor=False)
    st.caption(t("caption", lang))
    if view.query:
        search_results(ds, view.query, lang)
    sectors = list(view.sectors) or list(ds.sectors)
    labels = {tab: t(f"tab_{tab}", lang) for tab in TABS}
    # Only the open tab runs: a filter change redraws what is on screen, not every tab.
    tabs = st.tabs(list(labels.values()), key=f"tabs-{lang}", default=labels[view.tab],
                   on_change=remember_tab, args=(lang,))
    render = {"overview": lambda: overview(ds, sectors, lang), "sectors": lambda: by_sector(ds, sectors, lang),
              "text": lambda: text_comparison(ds, sectors, lang), "data": lambda: data_table(ds, sectors, lang),
              "sources": lambda: sources_tab(ds, lang)}
    for tab, container in zip(TABS, tabs, strict=True):
        if container.open:
            with container:
                render[tab]()


def remember_tab(lang: Lang) -> None:
    label = st.session_state[f"tabs-{lang}"]
    st.session_state.tab = next(tab for tab in TABS if t(f"tab_{tab}", lang) == label)
    st.query_params.from_dict(replace(st.session_state.view, tab=st.session_state.tab).to_params())


main()
