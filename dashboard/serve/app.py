"""The Streamlit page. It only lays out the page and wires widgets to the
pure functions of the `dashboard` package; run it with `make run`."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import streamlit as st
from markupsafe import Markup

from dashboard.core import changes, citation, compare, search
from dashboard.core.data import DataError, Dataset
from dashboard.core.i18n import CATALOGUE_ERROR, LANGUAGES, CatalogueError, Lang, stated_value, t, title
from dashboard.core.languages import translated
from dashboard.core.search import MAX_QUERY
from dashboard.curate import coverage as curation_coverage
from dashboard.present import cards, exports, page, pagination
from dashboard.present.describe import chart_description
from dashboard.present.figures import SharedFigure, change_label, indicator_figure
from dashboard.present.quote_markup import diff_html, md_escape, paragraphs_with_passage
from dashboard.present.url_view import TABS, View, parse_view, tab_labels, tab_of_label, view_query
from dashboard.serve import landing, web


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
    st.html(page.data_errors([str(p) for p in error.problems]))


def read_view(ds: Dataset) -> View:
    """The view from the URL on a session's first run; after that, from the widgets."""
    if "view" not in st.session_state:
        params = {key: st.query_params.get_all(key) for key in st.query_params}
        view = parse_view(params, ds.sectors, ds.indicators)
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
        figure = st.session_state.view.figure
        if figure:  # a figure's own view: no filter or search to apply to it
            sectors, query = st.session_state.view.sectors, st.session_state.view.query
        else:
            sectors = st.multiselect(
                t("sectors", lang), list(ds.sectors), key="sectors",
                format_func=lambda s: sector_name(ds, s, lang),
                placeholder=t("all_sectors_hint", lang),
            )
            query = st.text_input(t("search", lang), st.session_state.view.query, key="query",
                                  placeholder=t("search_hint", lang), max_chars=MAX_QUERY, icon=":material/search:")
    view = View(lang=lang, sectors=tuple(s for s in ds.sectors if s in sectors), tab=st.session_state.tab,
                query=" ".join(query.split()), figure=figure)
    if replace(view, tab="") != replace(st.session_state.view, tab="", rejected=()):
        st.session_state.notices = ()  # the user has moved on from the link that needed them
    st.session_state.view = view
    st.query_params.from_dict(view.to_params())
    return view


def relabel_sectors() -> None:
    """The browser holds the chosen sectors by their labels: set them again so the new language's labels go out."""
    st.session_state.sectors = list(st.session_state.view.sectors)


def label_of(ind, lang: Lang) -> str:
    return translated(ind.label, lang)


def sector_name(ds: Dataset, sector: str, lang: Lang) -> str:
    return translated(ds.sectors[sector].name, lang)


def set_page_config(ds: Dataset | None) -> None:
    """The browser tab names the years the data covers."""
    years = f" {ds.years[0]}–{ds.years[-1]}" if ds is not None and ds.years else ""
    st.set_page_config(page_title=f"Bộ TT&TT{years}", page_icon=str(page.ICON), layout="wide")


@st.cache_resource(show_spinner=False, max_entries=2000)
def cached_sector_block(sector: str, lang: Lang, version: str) -> Markup:
    """The card of what changed in a sector between the latest two reviews, built once per language and data
    version."""
    ds = dataset()
    return cards.sector_block(ds, changes.sector_changes(ds, sector, *changes.latest_pair(ds)), lang)


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
    found = compare.changes(ds, sectors)
    if not found:
        st.info(t("no_headline", lang))
    shown, hidden = cards.capped(found, cards.MAX_HEADLINES)
    for row_start in range(0, len(shown), 3):
        for column, change in zip(st.columns(3), shown[row_start:row_start + 3], strict=False):
            new = change.new
            value = stated_value(new, change.indicator, lang)
            colour, arrow = cards.delta_style(change)
            column.metric(
                f"[{md_escape(label_of(change.indicator, lang))}]({view_query(lang, change.indicator.id)})",
                f"{value} ({new.year})",
                delta=f"{change_label(change, lang)} · {cards.year_of(change.old, lang)}→{new.year}",
                delta_color=colour, delta_arrow=arrow, border=True,
            )
    if hidden:
        st.caption(t("more_headlines", lang, n=hidden))
    what_changed(ds, sectors, lang)
    st.header(t("coverage", lang), anchor=False)
    matrix = compare.coverage(ds, sectors)
    rows = [(sector_name(ds, sector, lang), [cards.coverage_label(cell, ds.sectors[sector], lang) for cell in cells])
            for sector, cells in zip(matrix.index, matrix.itertuples(index=False), strict=True)]
    st.html(page.coverage_table(t("sectors", lang), [t("review_of", lang, year=y) for y in matrix.columns], rows))


def what_changed(ds: Dataset, sectors: list[str], lang: Lang) -> None:
    pair = changes.latest_pair(ds)
    if pair is None:
        return
    old, new = pair
    st.header(t("what_changed", lang, old=old.reviewed_year, new=new.reviewed_year), anchor=False)
    # One element for every sector's card (h3s under this h2): the browser renders it at once, where a dozen
    # Streamlit elements a sector held up the first chart's paint.
    st.html(Markup().join(cached_sector_block(sector, lang, data_version()) for sector in sectors))


@st.cache_resource(show_spinner=False, max_entries=2000)
def cached_figure(indicator_id: str, lang: Lang, version: str):
    """Figures depend only on the dataset (its version), the indicator and the language."""
    return SharedFigure(indicator_figure(dataset(), indicator_id, lang))


@st.cache_resource(show_spinner=False, max_entries=2000)
def cached_chart_panels(indicator_id: str, lang: Lang, page_url: str | None, accessed: dt.date,
                        version: str) -> Markup:
    """A chart's Cite and Embed panels for the site the page is read at, on the day it is read: citeproc-py took
    6 ms a chart, 0.1 s a run of By sector with every sector."""
    ds = dataset()
    return web.chart_panels_html(ds, indicator_id, lang, label_of(ds.indicators[indicator_id], lang), page_url,
                                 accessed)


@st.cache_resource(show_spinner=False)
def search_index(version: str) -> list[search.Entry]:
    return search.build_index(dataset())


@st.cache_resource(show_spinner=False)
def report_coverage(source_id: str, version: str) -> list[curation_coverage.Mention]:
    return curation_coverage.mentions(dataset(), source_id)


def search_results(ds: Dataset, query: str, lang: Lang) -> None:
    hits = search.search(search_index(data_version()), query)
    if not hits:
        st.info(t("search_none", lang, q=md_escape(query)), icon=":material/search_off:")
        return
    st.header(t("search_results", lang, n=len(hits), q=md_escape(query)), anchor=False)
    for hit in hits[: search.MAX_HITS]:
        curated = [label_of(ds.indicators[i], lang) for i in hit.entry.indicators]
        st.html(page.search_hit(ds, hit, lang, curated))
    if len(hits) > search.MAX_HITS:
        st.caption(t("search_more", lang, shown=search.MAX_HITS))


def export_links(ds: Dataset, ind, lang: Lang) -> Markup:
    """Plain links to the chart's stable URLs (served by serve/asgi.py): nothing to build, nothing to expire."""
    images_ok = exports.browser_path() is not None
    # The citation formats are offered in the chart's Cite panel.
    formats = [f.id for f in exports.FORMATS.values() if (images_ok or not f.image) and not f.citation]
    links = web.chart_links_html(ds, ind.id, lang, label_of(ind, lang), st.context.url, formats)
    return links if images_ok else links + page.small_print(t("images_unavailable", lang))


def export_all(ds: Dataset, sectors: list[str], lang: Lang) -> None:
    with st.expander(t("export_all", lang), icon=":material/folder_zip:"):
        formats = st.pills(t("formats", lang), list(exports.FORMATS), selection_mode="multi",
                           default=list(exports.FORMATS), key="export-formats", format_func=str.upper)
        if not st.button(t("make_zip", lang), key="make-zip", disabled=not formats):
            return
        plan = exports.plan_bundle(ds, sectors, formats)
        renderer = None
        if exports.needs_browser(plan.formats):
            try:
                renderer = web.CATALOG.renderer()
            except exports.ImageExportUnavailable as exc:
                st.warning(str(exc), icon=":material/warning:")
        bar = st.progress(0.0, text=t("building", lang))
        files = exports.bundle_files(
            ds, plan, lang, renderer, progress=lambda done, total, name: bar.progress(done / total, text=name),
            site=web.site_of_page(st.context.url),
        )
        archive = exports.zip_bundle(files)
        bar.progress(1.0, text=t("zip_ready", lang))
        st.download_button(
            t("download_zip", lang), archive, file_name=f"bo-tttt-charts-{lang}.zip", mime=exports.ZIP_TYPE,
            icon=":material/download:", key="download-zip", on_click="ignore", type="primary",
        )


@st.dialog("Toàn văn / Full text", width="large")
def full_text_dialog(source_id: str, passage: str) -> None:
    ds = dataset()
    lang = st.session_state.get("lang", "vi")
    st.html(page.full_text_passage(ds, source_id, passage, lang))
    seed = ds.report_text(source_id)
    st.caption(t("full_text", lang))
    st.html(page.STYLE_SHEET)
    st.html(page.full_text(paragraphs_with_passage(seed, passage), lang))


def indicator_block(ds: Dataset, ind, lang: Lang, linked: bool = True) -> None:
    """An indicator's chart beside its quotes, its heading `linked` to the figure's own view. As few elements as
    the page allows (HTML before the chart, the chart, HTML after it with the Cite and Embed panels; a quote card
    and its button): with every sector chosen, the browser renders them all before the first chart paints."""
    observations = compare.observations_of(ds, ind.id)
    with st.container(border=True):
        chart, quotes = st.columns([3, 2], gap="medium")
        with chart:
            heading = page.indicator_heading(label_of(ind, lang), chart_description(ds, ind.id, lang),
                                             view_query(lang, ind.id) if linked else None, lang)
            st.html(heading + page.indicator_note(translated(ind.note, lang), lang) if ind.note else heading)
            # No Plotly toolbar: its eight buttons were tab stops before ours; the export links below do its job.
            st.plotly_chart(cached_figure(ind.id, lang, data_version()), key=f"chart-{ind.id}",
                            config={"displayModeBar": False})
            below = Markup()
            note = translated(ind.comparability, lang)
            if note:
                others = [label_of(ds.indicators[o], lang) for o in ind.contrasts_with]
                below += page.comparability_note(note, others, lang)
            unreported = compare.unreported_years(ds, ind.id)
            if unreported:
                below += page.small_print(t("not_reported_in", lang, year=", ".join(map(str, unreported))))
            st.html(below + export_links(ds, ind, lang)
                    + cached_chart_panels(ind.id, lang, st.context.url, exports.utc_today(), data_version()))
        with quotes:
            for number, group in enumerate(compare.by_quote(observations)):
                st.html(page.quote_card(ds, group, lang) + Markup().join(
                    page.derivation_note(obs, lang) for obs in group if obs.kind == "derived"))
                if st.button(t("open_full_text", lang), key=f"full-{ind.id}-{number}", icon=":material/article:"):
                    full_text_dialog(group[0].source, group[0].quote)


def by_sector(ds: Dataset, sectors: list[str], lang: Lang) -> None:
    export_all(ds, sectors, lang)
    pages = pagination.page_count(ds, sectors)
    number = 1
    if pages > 1:
        number = int(st.number_input(t("page", lang), min_value=1, max_value=pages, step=1, key="page"))
    shown = pagination.chart_page(ds, sectors, number)
    if pages > 1:
        st.caption(t("page_of", lang, first=shown.first, last=shown.last, total=shown.total))
    for sector, indicators in shown.sections:
        st.header(md_escape(sector_name(ds, sector, lang)), divider="gray", anchor=False)
        if not indicators:
            st.info(t("no_figures", lang))
        for ind in indicators:
            indicator_block(ds, ind, lang)


def figure_view(ds: Dataset, indicator_id: str, lang: Lang) -> None:
    """One figure alone (`?figure=…`): what By sector shows for it, under its sector's name, and the way back."""
    ind = ds.indicators[indicator_id]
    st.html(page.back_link(view_query(lang), t("back_to_dashboard", lang)))
    st.header(md_escape(t("figure_of_sector", lang, sector=sector_name(ds, ind.sector, lang))), anchor=False)
    indicator_block(ds, ind, lang, linked=False)


def text_comparison(ds: Dataset, sectors: list[str], lang: Lang) -> None:
    for sector in sectors:
        st.header(md_escape(sector_name(ds, sector, lang)), divider="gray", anchor=False)
        sides = changes.review_sides(ds, sector)
        for column, side in zip(st.columns(len(sides)), sides, strict=True):
            with column:
                st.markdown(f"**{t('review_of', lang, year=side.source.reviewed_year)}**")
                if not side.mentions:
                    st.caption(md_escape(cards.silence(ds.sectors[sector], side.source, lang)))
                elif not side.says_in_words:
                    st.caption(t("figures_only", lang))
                for statement in side.passages:
                    st.html(cards.key_passage(statement, lang, short=False))
                for plan in side.tasks:
                    st.html(page.task_set(plan.for_year, cards.task_card(ds, plan, lang), lang))
        for repeated in compare.repeated_passages(ds, sector):
            st.caption(t("diff_legend", lang, old=repeated.old_year, new=repeated.new_year))
            st.html(page.word_diff(diff_html(repeated.segments)))


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
    label, sector_col = f"label_{lang}", f"sector_{lang}"
    st.dataframe(
        frame[[sector_col, label, "year", f"stated_{lang}", "value", "upper", "denominator", "unit", "kind",
               "qualifier", "source", "quote"]],
        hide_index=True, width="stretch",
    )


def tasks_table(ds: Dataset, sectors: list[str], lang: Lang) -> None:
    frame = changes.plans_frame(ds, sectors)
    st.caption(t("task_rows", lang, n=len(frame)))
    frame = frame.assign(status=frame.status.map(lambda status: t(f"status_{status}", lang)))
    sector_col = f"sector_{lang}"
    # A quote, and the figures as the report words them, beside their words in the page's language where it
    # is not the reports' own (a column only such a language has).
    task_en, figures_en = ([c] if (c := f"{name}_{lang}") in frame else [] for name in ("task_translation",
                                                                                          "outcome_figures"))
    st.html(web.data_link_html("plans", sectors, list(ds.sectors), exports.PLANS_FILE, t("download_csv", lang)))
    st.dataframe(
        frame[[sector_col, "set_in_year", "for_year", "task_quote", *task_en, "status", "outcome_judged",
               "outcome_quote", "outcome_figures", *figures_en, "search_terms"]],
        hide_index=True, width="stretch",
    )


def sources_tab(ds: Dataset, lang: Lang) -> None:
    for source in sorted(ds.sources.values(), key=lambda s: s.reviewed_year):
        st.header(md_escape(citation.title(source, lang)), anchor=False)
        st.html(page.source_table(source, lang))
        found = report_coverage(source.id, data_version())
        summary = curation_coverage.summarise(found, source.id)
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
            st.html(page.full_text(paragraphs_with_passage(seed, ""), lang))


def main() -> None:
    try:
        ds = dataset()
    except DataError as error:
        set_page_config(None)
        st.html(page.STYLE_SHEET)
        show_data_error(error)
        return
    except CatalogueError as error:
        set_page_config(None)
        st.html(page.STYLE_SHEET)
        st.error(CATALOGUE_ERROR, icon=":material/error:")
        st.html(page.data_errors(error.problems))
        return
    set_page_config(ds)
    st.html(page.STYLE_SHEET)
    read_view(ds)
    view = sidebar(ds)
    lang = view.lang
    with st.container(key="page-script"):
        st.html(page.page_script(lang), unsafe_allow_javascript=True)
    for key, values in st.session_state.get("notices", ()):
        shown = ", ".join(f"“{md_escape(v)}”" for v in values)
        st.warning(t(key, lang, max=MAX_QUERY, values=shown), icon=":material/warning:")
    # No heading anchors: each was a Tab stop of its own, hidden until hovered.
    st.title(title(lang, ds.years), anchor=False)
    st.caption(t("caption", lang))
    if view.figure:
        figure_view(ds, view.figure, lang)
        return
    if view.query:
        search_results(ds, view.query, lang)
    sectors = list(view.sectors) or list(ds.sectors)
    labels = tab_labels(lang)
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
    st.session_state.tab = tab_of_label(label, lang)
    st.query_params.from_dict(replace(st.session_state.view, tab=st.session_state.tab).to_params())


main()
