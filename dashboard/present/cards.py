"""The landing page's cards and the rules of what they show: the headline changes, and the "what changed"
section's figures, passages and tasks, HTML from the page's autoescaped Jinja2 templates.

Pure functions: data in, `Markup` out. Every data string is escaped by the template;
only `quotes.mark` output (escaped before it is marked) goes in as markup.
"""

from __future__ import annotations

import textwrap
from typing import Literal, TypeVar

from markupsafe import Markup

from dashboard.core.changes import STATUSES, SectorChanges, as_written, next_review, outcome_counts
from dashboard.core.compare import Change, CoverageState, by_quote
from dashboard.core.data import Dataset
from dashboard.core.i18n import REPORTS_LANG, Lang, quantity, t
from dashboard.core.languages import quote_translation, translated
from dashboard.core.schema import Observation, Plan, Sector, Source, Statement
from dashboard.core.text_rules import isolate
from dashboard.present.figures import STATUS_STYLE, change_label
from dashboard.present.page import TEMPLATES, render, small_print
from dashboard.present.quote_markup import figures_as_written, mark
from dashboard.present.url_view import view_query

KEY_PASSAGE_CHARS = 140
MAX_HEADLINES = 12
MAX_FIGURES_PER_REVIEW = 12  # on the landing page; the By sector tab has them all

FIGURES = TEMPLATES.from_string("""
{% for lines, quote, english in groups %}
<ul class=figs>
{% for label, view, value, year, kind, year_note in lines %}
<li><b><a href="{{ view }}"><bdi>{{ label }}</bdi></a></b>: <bdi>{{ value }}</bdi>
({{ year }}{% if kind %}, {{ kind }}{% endif %})
{%- if year_note %}<br><span class=src>{{ year_note_label }}: <bdi>{{ year_note }}</bdi></span>{% endif %}</li>
{% endfor %}
</ul>
<div class=src><span lang={{ reports_lang }}>“<bdi>{{ quote }}</bdi>”</span>
{% if english %}<div class=en lang={{ lang }}><bdi>{{ english }}</bdi></div>{% endif %}
</div>
{% endfor %}
""")

TASK = TEMPLATES.from_string("""
<div class=task>
<div class=quote lang={{ reports_lang }}>“<bdi>{{ plan.quote }}</bdi>”
{% if english %}<div class=en lang={{ lang }}><bdi>{{ english }}</bdi></div>{% endif %}
</div>
<div class=status style="border-color:{{ colour }}">
<span class=badge style="border-color:{{ colour }}">{{ status }}</span>
{% if status_key == "words" %}
 {{ intro }} <span class=judgement>{{ judgement }}</span>
 <div class=quote lang={{ reports_lang }}>“<bdi>{{ plan.outcome_quote }}</bdi>”
 {% if outcome_en %}<div class=en lang={{ lang }}><bdi>{{ outcome_en }}</bdi></div>{% endif %}
 </div>
{% elif status_key == "figure" %}
 {{ intro }}{{ figures }}
{% else %}
 {{ intro }}
{% endif %}
</div></div>
""")

CLASSIFICATION = TEMPLATES.from_string("""
<ul class=changes>
{% for symbol, kind, label, change in items %}
<li><span class=badge>{{ symbol }} {{ kind }}</span> <bdi>{{ label }}</bdi>
{%- if change %}: <b>{{ change }}</b>{% endif %}</li>
{% endfor %}
</ul>
""")

PASSAGE = TEMPLATES.from_string("""
<div class=quote lang={{ reports_lang }}>“<bdi>{{ text }}</bdi>”
{% if english %}<div class=en lang={{ lang }}><bdi>{{ english }}</bdi></div>{% endif %}</div>
""")

LEGEND = TEMPLATES.from_string("""
<ul class=legend aria-label="{{ title }}">
{% for label, css in items %}
<li><span class=swatch style="{{ css }}" aria-hidden=true></span>{{ label }}</li>
{% endfor %}
</ul>
""")

# The chart's patterns (figures.STATUS_STYLE) drawn in CSS, so the legend can wrap like text on a phone.
PATTERN_CSS = {
    "": "background:{color}",
    "/": "background:repeating-linear-gradient(-45deg,{fg} 0 1.5px,{color} 1.5px 5px)",
    "x": "background:repeating-linear-gradient(45deg,{fg} 0 1.5px,transparent 1.5px 5px),"
         "repeating-linear-gradient(-45deg,{fg} 0 1.5px,{color} 1.5px 5px)",
    ".": "background:radial-gradient({fg} 1.2px,transparent 1.6px) 0 0/5px 5px,{color}",
}

SYMBOLS = {"repeated": "=", "new": "+", "dropped": "−", "sector_dropped": "∅"}


def figure_list(ds: Dataset, observations: list[Observation], lang: Lang) -> Markup:
    """Each figure as the review writes it, with the year it describes, under its quote (once per
    quote, every figure in it marked); its label links to the figure's own view."""
    if not observations:
        return small_print(t("none_stated", lang))
    groups = []
    for found in by_quote(observations):
        lines = []
        for obs in found:
            ind = ds.indicators[obs.indicator]
            value = as_written(obs) if lang == REPORTS_LANG else \
                quantity(obs.value, ind.unit, lang, obs.qualifier, obs.denominator)
            lines.append((translated(ind.label, lang), view_query(lang, ind.id), value, obs.year,
                          t(obs.kind, lang) if obs.kind != "actual" else "", translated(obs.year_note, lang)))
        marked = mark(found[0].quote, [w for obs in found for w in figures_as_written(obs)])
        groups.append((lines, marked, quote_translation(found[0].translation, lang)))
    return render(FIGURES, groups=groups, lang=lang, year_note_label=t("year_note", lang))


def task_card(ds: Dataset, plan: Plan, lang: Lang) -> Markup:
    following = next_review(ds, plan)
    year = plan.for_year
    intro = {
        "figure": t("outcome_figure", lang, year=year),
        "words": t("outcome_words", lang, year=year),
        "not_mentioned": t("outcome_not_mentioned", lang, year=year, terms=searched(plan.search_terms)),
        "awaiting": t("outcome_awaiting", lang, year=year),
    }[plan.status]
    outcomes = [ds.observations_by_key[key] for key in plan.outcome_observations] if following else []
    return render(
        TASK, lang=lang, plan=plan, english=quote_translation(plan.translation, lang),
        status_key=plan.status, status=t(f"status_{plan.status}", lang),
        colour=STATUS_STYLE[plan.status].get("line", STATUS_STYLE[plan.status]["color"]),
        intro=intro, judgement=t("outcome_judgement", lang),
        outcome_en=quote_translation(plan.outcome_translation, lang),
        figures=figure_list(ds, outcomes, lang),
    )


def is_short(statement: Statement) -> bool:
    return len(statement.quote) <= KEY_PASSAGE_CHARS


def shows_more_whole(passages: list[Statement], lang: Lang) -> bool:
    """Whether the whole passages add to the key one shown short: another passage, the rest of a cut
    one, or the English translation, which only the whole passages carry."""
    return lang != REPORTS_LANG or len(passages) > 1 or not is_short(passages[0])


def key_passage(statement: Statement, lang: Lang, short: bool = True) -> Markup:
    """The passage, cut at a word to fit a glance when `short`; whole, with its English, when not."""
    text = textwrap.shorten(statement.quote, KEY_PASSAGE_CHARS, placeholder=" …") if short else statement.quote
    english = None if short else quote_translation(statement.translation, lang)
    return render(PASSAGE, text=text, english=english, lang=lang)


def whole_passages(passages: list[Statement], lang: Lang) -> Markup:
    return Markup().join(key_passage(statement, lang, short=False) for statement in passages)


def classification(ds: Dataset, changes: SectorChanges, lang: Lang) -> Markup:
    items = [
        (SYMBOLS[found.kind], t(f"change_{found.kind}", lang), translated(found.indicator.label, lang),
         change_label(found.change, lang) + f" ({found.change.old.year}→{found.change.new.year})"
         if found.change else "")
        for found in changes.figures
    ]
    if changes.sector_dropped:
        items.append((SYMBOLS["sector_dropped"], t("sector_dropped", lang),
                      t("not_in_review", lang, year=changes.new.source.reviewed_year), ""))
    return render(CLASSIFICATION, items=items)


def sector_block(ds: Dataset, found: SectorChanges, lang: Lang) -> Markup:
    """One sector of "what changed": its classification, then what each review states of it side by side
    (the first few figures, the key passage with the whole behind a disclosure, the tasks it sets), or the
    search that shows a review silent on it."""
    sides = []
    for side in (found.old, found.new):
        shown, hidden = capped(side.figures, MAX_FIGURES_PER_REVIEW)
        sides.append({
            "heading": t("review_of", lang, year=side.source.reviewed_year),
            "silence": None if side.mentions else silence(ds.sectors[found.sector], side.source, lang),
            "figures": figure_list(ds, shown, lang),
            "more_figures": t("more_figures", lang, n=hidden) if hidden else None,
            "key_passage": key_passage(side.passages[0], lang) if side.passages else None,
            "whole": whole_passages(side.passages, lang) if side.passages and shows_more_whole(side.passages, lang)
            else None,
            "tasks": Markup().join(task_card(ds, plan, lang) for plan in side.tasks),
        })
    return render(
        "sector_changes.html", name=translated(ds.sectors[found.sector].name, lang), sides=sides,
        classification=classification(ds, found, lang) if found.figures or found.sector_dropped else "",
        figures_label=t("figures_stated", lang), passage_label=t("key_passage", lang),
        whole_label=t("whole_passage", lang), tasks_label=t("tasks_set", lang),
    )


def status_legend(lang: Lang) -> Markup:
    """The task chart's key: each status's pattern and its name in words."""
    items = []
    for status in STATUSES:
        style = STATUS_STYLE[status]
        css = PATTERN_CSS[style["pattern"]].format(color=style["color"], fg=style.get("fgcolor", "#FFFFFF"))
        items.append((t(f"status_{status}", lang), f"{css};border-color:{style.get('line', style['color'])}"))
    return render(LEGEND, items=items, title=t("legend", lang))


def tasks_summary(ds: Dataset, sectors: list[str], lang: Lang) -> str:
    """The task chart in words, for a reader who cannot see it: "Tasks for 2024: 1 reported with a figure, …"."""
    counts = outcome_counts(ds, sectors)
    lines = []
    for year in sorted(counts.for_year.unique()):
        of_year = counts[counts.for_year == year].groupby("status").tasks.sum()
        parts = [f"{of_year[status]} {t(f'status_{status}', lang)}" for status in STATUSES if status in of_year]
        lines.append(t("tasks_summary", lang, year=year, parts=", ".join(parts)))
    return " ".join(lines)


Shown = TypeVar("Shown")


def capped(items: list[Shown], most: int) -> tuple[list[Shown], int]:
    """The first `most` items, and how many more there are (a caption counts them)."""
    return items[:most], max(0, len(items) - most)


DeltaStyle = tuple[Literal["normal", "inverse", "off"], Literal["up", "down", "off"]]


def delta_style(change: Change) -> DeltaStyle:
    """A headline's colour and arrow (Streamlit's metric): better is green and up, worse red and down,
    whatever the sign of the change (a rank improves as it falls); no direction, no colour and no arrow."""
    if change.improved is None:
        return "off", "off"
    return ("normal", "up") if change.improved else ("inverse", "down")


COVERAGE_SYMBOLS: dict[CoverageState, str] = {"numbers": "●", "text": "◐", "nothing": "○"}


def coverage_label(cell: tuple[CoverageState, int], sector: Sector, lang: Lang) -> str:
    """A cell of the sector × review matrix: a symbol beside the words, so the state is not in a shape alone;
    "not mentioned" names the words searched for."""
    state, figures = cell
    return f"{COVERAGE_SYMBOLS[state]} {t(f'coverage_{state}', lang, n=figures, terms=searched(sector.search_terms))}"


def searched(terms: tuple[str, ...]) -> str:
    """Search terms as the page lists them, each quoted and isolated."""
    return ", ".join(f"“{isolate(term)}”" for term in terms)


def silence(sector: Sector, source: Source, lang: Lang) -> str:
    """What the page says of a review with nothing curated for a sector: the search that proved it silent."""
    return t("sector_not_mentioned", lang, year=source.reviewed_year, terms=searched(sector.search_terms))
