"""HTML pieces of the landing page's "what changed" section, from autoescaped Jinja2 templates.

Pure functions: data in, HTML out. Every data string is escaped by the template;
only `quotes.mark` output (escaped before it is marked) goes in as markup.
"""

from __future__ import annotations

import textwrap

from jinja2 import Environment
from markupsafe import Markup

from dashboard.changes import STATUSES, SectorChanges, as_written, next_review, outcome_counts
from dashboard.data import Dataset
from dashboard.figures import STATUS_STYLE, change_label
from dashboard.i18n import REPORTS_LANG, Lang, quantity, t
from dashboard.languages import quote_translation, translated
from dashboard.quotes import figures_as_written, mark
from dashboard.schema import Observation, Plan, Statement
from dashboard.text import isolate

KEY_PASSAGE_CHARS = 140
ENV = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)  # noqa: S701 (autoescape is on)

FIGURES = ENV.from_string("""
{% for lines, quote, english in groups %}
<ul class=figs>
{% for label, value, year, kind in lines %}
<li><b><bdi>{{ label }}</bdi></b>: <bdi>{{ value }}</bdi> ({{ year }}{% if kind %}, {{ kind }}{% endif %})</li>
{% endfor %}
</ul>
<div class=src><span lang=vi>“<bdi>{{ quote }}</bdi>”</span>
{% if english %}<div class=en lang=en><bdi>{{ english }}</bdi></div>{% endif %}
</div>
{% endfor %}
""")

TASK = ENV.from_string("""
<div class=task>
<div class=quote lang=vi>“<bdi>{{ plan.quote }}</bdi>”
{% if english %}<div class=en lang=en><bdi>{{ english }}</bdi></div>{% endif %}
</div>
<div class=status style="border-color:{{ colour }}">
<span class=badge style="border-color:{{ colour }}">{{ status }}</span>
{% if status_key == "words" %}
 {{ intro }} <span class=judgement>{{ judgement }}</span>
 <div class=quote lang=vi>“<bdi>{{ plan.outcome_quote }}</bdi>”
 {% if outcome_en %}<div class=en lang=en><bdi>{{ outcome_en }}</bdi></div>{% endif %}
 </div>
{% elif status_key == "figure" %}
 {{ intro }}{{ figures }}
{% else %}
 {{ intro }}
{% endif %}
</div></div>
""")

CLASSIFICATION = ENV.from_string("""
<ul class=changes>
{% for symbol, kind, label, change in items %}
<li><span class=badge>{{ symbol }} {{ kind }}</span> <bdi>{{ label }}</bdi>
{%- if change %}: <b>{{ change }}</b>{% endif %}</li>
{% endfor %}
</ul>
""")

PASSAGE = ENV.from_string("""
<div class=quote lang=vi>“<bdi>{{ text }}</bdi>”
{% if english %}<div class=en lang=en><bdi>{{ english }}</bdi></div>{% endif %}</div>
""")

LEGEND = ENV.from_string("""
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


def figure_list(ds: Dataset, observations: list[Observation], lang: Lang) -> str:
    """Each figure as the review writes it, with the year it describes, under its quote (once per
    quote, every figure in it marked)."""
    if not observations:
        return f"<p class=src>{t('none_stated', lang)}</p>"
    by_quote: dict[str, list[Observation]] = {}
    for obs in observations:
        by_quote.setdefault(obs.quote, []).append(obs)
    groups = []
    for quote, found in by_quote.items():
        lines = []
        for obs in found:
            ind = ds.indicators[obs.indicator]
            value = as_written(obs) if lang == REPORTS_LANG else \
                quantity(obs.value, ind.unit, lang, obs.qualifier, obs.denominator)
            lines.append((translated(ind.label, lang), value, obs.year,
                          t(obs.kind, lang) if obs.kind != "actual" else ""))
        marked = Markup(mark(quote, [w for obs in found for w in figures_as_written(obs)]))  # noqa: S704 (escaped)
        groups.append((lines, marked, quote_translation(found[0].translation, lang)))
    return FIGURES.render(groups=groups)


def task_card(ds: Dataset, plan: Plan, lang: Lang) -> str:
    following = next_review(ds, plan)
    year = plan.for_year
    searched = ", ".join(f"“{isolate(term)}”" for term in plan.search_terms)
    intro = {
        "figure": t("outcome_figure", lang, year=year),
        "words": t("outcome_words", lang, year=year),
        "not_mentioned": t("outcome_not_mentioned", lang, year=year, terms=searched),
        "awaiting": t("outcome_awaiting", lang, year=year),
    }[plan.status]
    outcomes = [ds.observations_by_key[key] for key in plan.outcome_observations] if following else []
    return TASK.render(
        plan=plan, english=quote_translation(plan.translation, lang),
        status_key=plan.status, status=t(f"status_{plan.status}", lang),
        colour=STATUS_STYLE[plan.status].get("line", STATUS_STYLE[plan.status]["color"]),
        intro=intro, judgement=t("outcome_judgement", lang),
        outcome_en=quote_translation(plan.outcome_translation, lang),
        figures=Markup(figure_list(ds, outcomes, lang)),  # noqa: S704 (an autoescaped template's output)
    )


def is_short(statement: Statement) -> bool:
    return len(statement.quote) <= KEY_PASSAGE_CHARS


def key_passage(statement: Statement, lang: Lang, short: bool = True) -> str:
    """The passage, cut at a word to fit a glance when `short`; whole, with its English, when not."""
    text = textwrap.shorten(statement.quote, KEY_PASSAGE_CHARS, placeholder=" …") if short else statement.quote
    english = None if short else quote_translation(statement.translation, lang)
    return PASSAGE.render(text=text, english=english)


def classification(ds: Dataset, changes: SectorChanges, lang: Lang) -> str:
    items = [
        (SYMBOLS[found.kind], t(f"change_{found.kind}", lang), translated(found.indicator.label, lang),
         change_label(found.change, lang) + f" ({found.change.old.year}→{found.change.new.year})"
         if found.change else "")
        for found in changes.figures
    ]
    if changes.sector_dropped:
        items.append((SYMBOLS["sector_dropped"], t("sector_dropped", lang),
                      t("not_in_review", lang, year=changes.new.source.reviewed_year), ""))
    return CLASSIFICATION.render(items=items)


def status_legend(lang: Lang) -> str:
    """The task chart's key: each status's pattern and its name in words."""
    items = []
    for status in STATUSES:
        style = STATUS_STYLE[status]
        css = PATTERN_CSS[style["pattern"]].format(color=style["color"], fg=style.get("fgcolor", "#FFFFFF"))
        items.append((t(f"status_{status}", lang), f"{css};border-color:{style.get('line', style['color'])}"))
    return LEGEND.render(items=items, title=t("legend", lang))


def tasks_summary(ds: Dataset, sectors: list[str], lang: Lang) -> str:
    """The task chart in words, for a reader who cannot see it: "Tasks for 2024: 1 reported with a figure, …"."""
    counts = outcome_counts(ds, sectors)
    lines = []
    for year in sorted(counts.for_year.unique()):
        of_year = counts[counts.for_year == year].groupby("status").tasks.sum()
        parts = [f"{of_year[status]} {t(f'status_{status}', lang)}" for status in STATUSES if status in of_year]
        lines.append(t("tasks_summary", lang, year=year, parts=", ".join(parts)))
    return " ".join(lines)
