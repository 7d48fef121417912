"""The page's HTML, from the autoescaped Jinja2 templates in dashboard/present/templates/.

Pure functions: data in, `Markup` out. A template escapes every string it is given and
isolates data text in `<bdi>`; only markup (quote_markup.py's marked passages, another
template's output) goes in as it is, so forgetting to escape is impossible by construction.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, Template
from markupsafe import Markup, escape

from dashboard.core import citation
from dashboard.core.data import Dataset
from dashboard.core.i18n import REPORTS_LANG, Lang, t
from dashboard.core.languages import quote_translation, translated
from dashboard.core.schema import Observation, Source
from dashboard.core.search import SEARCHED, Hit
from dashboard.present.figures import derivation
from dashboard.present.quote_markup import figures_as_written, inert, mark, mark_spans, passage_context

STYLE_SHEET = Path(__file__).parent / "templates" / "page.css"  # st.html puts a .css file in <style>
# The page's icon, served by the page itself: a Material icon name would be fetched from Google's font server.
ICON = Path(__file__).parent / "static" / "icon.png"
TEMPLATES = Environment(  # noqa: S701 (autoescape is on)
    loader=PackageLoader("dashboard.present"), autoescape=True, trim_blocks=True, lstrip_blocks=True,
)
TEMPLATES.globals["reports_lang"] = REPORTS_LANG  # the `lang` of every quoted passage


def render(template: str | Template, **context) -> Markup:
    """A template's output is markup: everything in it was escaped, so another template embeds it as it is."""
    found = TEMPLATES.get_template(template) if isinstance(template, str) else template
    return Markup(found.render(**context))  # noqa: S704 (an autoescaped template's output)


def _ui(key: str, lang: Lang, **markup: Markup) -> Markup:
    """An interface text around markup: the text escaped, the markup (escaped data) put in as it is."""
    return escape(t(key, lang, **{name: f"{{{name}}}" for name in markup})).format(**markup)


def page_script(lang: Lang) -> Markup:
    """Sets <html lang>, hides chart SVGs behind their captions, keeps focus across reruns."""
    return render("page_script.html", lang=lang)


BACK_LINK = TEMPLATES.from_string("<p class=back><a href=\"{{ href }}\">{{ text }}</a></p>")


def back_link(href: str, text: str) -> Markup:
    """A plain link out of a figure's view to the whole dashboard (a new page: the URL holds the view)."""
    return render(BACK_LINK, href=href, text=text)


SMALL_PRINT = TEMPLATES.from_string("<p class=src>{{ text }}</p>")


def small_print(text: str) -> Markup:
    """A line of our own in small print under a chart (what a caption was, without reading Markdown)."""
    return render(SMALL_PRINT, text=text)


def data_errors(problems: list[str]) -> Markup:
    return render("data_errors.html", problems=problems)


def quote_card(ds: Dataset, observations: list[Observation], lang: Lang) -> Markup:
    """One quote beside its chart, every figure its observations state marked, with its English in English,
    the notes on the year each figure is filed under, and the source."""
    first = observations[0]
    return render(
        "quote_card.html", lang=lang,
        quote=mark(first.quote, [w for obs in observations for w in figures_as_written(obs)]),
        english=quote_translation(first.translation, lang),
        notes=[(obs.year, translated(obs.year_note, lang)) for obs in observations if obs.year_note],
        year_note=t("year_note", lang), source_label=t("source", lang),
        source=citation.source_line(ds.sources[first.source], lang, inert),
    )


def search_hit(ds: Dataset, hit: Hit, lang: Lang, curated: list[str]) -> Markup:
    """A passage found, the words found marked in the text they were found in; `curated` names its indicators."""
    entry = hit.entry
    if hit.in_translation:
        text, english = entry.text, mark_spans(entry.translation or "", hit.spans)
    else:
        text = mark_spans(entry.text, hit.spans)
        english = entry.translation if lang == SEARCHED and entry.translation else None
    return render(
        "search_hit.html", lang=SEARCHED, text=text, english=english, review=t("review_of", lang, year=entry.year),
        source=citation.source_line(ds.sources[entry.source], lang, inert),
        curated=curated, curated_as=t("curated_as", lang),
    )


def full_text_passage(ds: Dataset, source_id: str, passage: str, lang: Lang) -> Markup:
    """The full-text dialog's head: the source, and the passage marked in the text around it."""
    return render("full_text_passage.html", source=citation.source_line(ds.sources[source_id], lang, inert),
                  context=passage_context(ds.seed_texts[source_id], passage))


def full_text(paragraphs: Markup, lang: Lang) -> Markup:
    return render("full_text.html", paragraphs=paragraphs, label=t("full_text", lang))


def indicator_heading(label: str, description: str, view: str | None = None, lang: Lang = REPORTS_LANG) -> Markup:
    """An indicator's heading and its text alternative; `view` links the heading to the figure's own view."""
    return render("indicator_heading.html", label=label, description=description, view=view,
                  view_label=t("open_figure_named", lang, label=label))


def indicator_note(note: str, lang: Lang) -> Markup:
    return render("indicator_note.html", heading=t("indicator_note", lang), note=note)


def derivation_note(obs: Observation, lang: Lang) -> Markup:
    """Under a derived value's quote: its formula, the value in the page's number format, and how."""
    formula, how = derivation(obs, lang)
    return render("derivation_note.html", heading=t("derived_how", lang), formula=formula, how=how)


def comparability_note(note: str, others: list[str], lang: Lang) -> Markup:
    """Why two series are not one, naming the indicators it is not one series with."""
    return render("comparability_note.html", heading=t("not_one_series", lang), note=note, others=others,
                  see_also=t("see_also", lang))


def task_set(for_year: int, card: Markup, lang: Lang) -> Markup:
    return render("task_set.html", heading=t("plan", lang, year=for_year), card=card)


def word_diff(diff: Markup) -> Markup:
    return render("word_diff.html", diff=diff)


def source_table(source: Source, lang: Lang) -> Markup:
    """A report's metadata: title kind, year reviewed, dates as the page states them, publisher, hash, file."""
    return render(
        "source_table.html", source=source, title_kind=t(f"title_{source.title_kind}", lang),
        stated_as=_ui("stated_as", lang, text=inert(source.published_as_written)),
        event=citation.event_line(source, lang, inert),
        label={key: t(key, lang) for key in ("title_kind", "reviewed_year", "published", "event", "publisher", "file")},
    )


def coverage_table(sector_heading: str, review_headings: list[str], rows: list[tuple[str, list[str]]]) -> Markup:
    """The sector × review matrix as a plain table: a screen reader reads its headers, and it costs the
    landing page none of the data grid's JavaScript."""
    return render("coverage_table.html", sector_heading=sector_heading, review_headings=review_headings, rows=rows)
