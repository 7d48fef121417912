"""Plotly figures built from the dataset: pure functions, no Streamlit.

One colour per year across every chart (Okabe–Ito, safe for colour-blind
readers). Targets and derived values are patterned, never drawn like actuals.
A year with no figure gets a "not reported" note, never a bar. A range ("từ 20% đến 22%") is a bar floating
from its lower bound to its upper, labelled as written, never a bar from zero.
"""

from __future__ import annotations

import json
import re
import textwrap
from functools import partial
from html import escape

import plotly.graph_objects as go
from plotly.basedatatypes import BaseFigure
from plotly.subplots import make_subplots

from dashboard.core import citation
from dashboard.core.changes import STATUSES, outcome_counts
from dashboard.core.compare import STATED, Change, latest_change, observations_of, unreported_years
from dashboard.core.data import Dataset
from dashboard.core.i18n import Lang, number, plotly_separators, quantity, stated_value, t, unit_name
from dashboard.core.languages import translated
from dashboard.core.schema import Indicator, Observation
from dashboard.core.text_rules import FIRST_STRONG_ISOLATE, ISOLATE_INITIATORS, POP_DIRECTIONAL_ISOLATE, fold, isolate
from dashboard.core.units import UNITS
from dashboard.present.quote_markup import figures_as_written

# Plotly renders a subset of HTML in text, so data must be escaped to show as written; it is never in an
# attribute, so quotes stay as they are (and the exported images stay byte-for-byte what they were).
_plotly_escape = partial(escape, quote=False)

PALETTE = ["#E69F00", "#0072B2", "#009E73", "#CC79A7", "#56B4E9", "#7F7F7F"]
FONT = "Noto Sans, DejaVu Sans, Arial, sans-serif"
# Text ink set on every label: Streamlit's chart theme would otherwise draw ticks and notes in a grey
# of 3.7:1 on white; this is 14:1.
INK = "#1F2933"
PATTERNS = {"actual": "", "derived": "/", "target": ".", "estimate": "-"}
RANK_SYMBOLS = {"actual": "circle", "derived": "circle-dot", "target": "circle-open", "estimate": "diamond"}
EXPORT_SIZE = (1000, 600)
# A task's fate in the next review: Okabe–Ito colours, each with its own pattern, so no status is told by colour alone.
# Counts are written on the bars in the text colour that contrasts most with the fill.
STATUS_STYLE = {
    "figure": dict(color="#0072B2", pattern="", text="#FFFFFF"),
    "words": dict(color="#009E73", pattern="/", text="#000000"),
    "not_mentioned": dict(color="#D55E00", pattern="x", text="#000000"),
    "awaiting": dict(color="#FFFFFF", pattern=".", line="#000000", fgcolor="#888888", text="#000000"),
}


class SharedFigure(BaseFigure):
    """A built figure as every session shares it: its JSON, frozen.

    `st.plotly_chart` reads a Plotly figure only through `to_dict()` (`plotly.tools.
    return_figure_from_figure_or_data`), which hands each caller a copy of its own; nothing can change the
    shared one. Cheaper than a copy per session: a deep copy or pickle costs ~10 ms a chart, this ~1 ms.
    """

    def __init__(self, figure: go.Figure):
        object.__setattr__(self, "_spec", figure.to_json())

    def to_dict(self) -> dict:
        return json.loads(self._spec)

    def to_json(self, *args, **kwargs) -> str:
        return self._spec

    def __setattr__(self, name, value):
        raise AttributeError("a shared figure is read-only: build a new one")


def year_colour(year: int) -> str:
    """2023 orange, 2024 blue, 2025 green…, the same in every chart. The palette's six hues serve six
    years; each six years before and after take them shaded (darker before, lighter after), so every year
    from 2011 to 2040 has a colour of its own."""
    offset = year - 2023
    cycle = offset // len(PALETTE)
    base = PALETTE[offset % len(PALETTE)]
    if cycle == 0:
        return base
    toward = INK if cycle < 0 else "#FFFFFF"
    return _mix(base, toward, 0.3 * min(abs(cycle), 2))


def _mix(colour: str, other: str, share: float) -> str:
    a, b = (tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in (colour, other))
    return "#" + "".join(f"{round(x + (y - x) * share):02X}" for x, y in zip(a, b, strict=True))


def category(obs: Observation, lang: Lang) -> str:
    """A target gets its own slot beside the year, so it never sits on an actual."""
    return f"{obs.year} ({t('target', lang)})" if obs.kind == "target" else str(obs.year)


def value_label(obs: Observation, ind: Indicator, lang: Lang) -> str:
    """The figure as the report words it (`stated_value`), a target or derived value named as such."""
    label = stated_value(obs, ind, lang)
    return label if obs.kind == "actual" else f"{label} ({t(obs.kind, lang)})"


def change_label(change: Change, lang: Lang) -> str:
    """`+1.5 pp (+5.23%)`, `down 3 places`: as the unit expresses a change (dashboard/core/units.py); where a side
    is a range, the least and the most it can be, `+2 to +4 pp (+10% to +22.22%)`."""
    approx = "≈ " if change.approximate else ""
    style = UNITS[change.indicator.unit].change
    if style == "places":  # a rank is never a range (the load refuses one)
        delta = change.delta
        key = "places_better" if delta < 0 else "places_worse" if delta > 0 else "places_same"
        return approx + t(key, lang, n=number(abs(delta), lang))
    text = _between([_signed(bound, lang) for bound in change.bounds], lang)
    if style == "points":
        text += f" {t('points', lang)}"
    if (percent := change.percent_bounds) is not None:
        text += f" ({_between([_signed(bound, lang, 'percent') for bound in percent], lang)})"
    return approx + text


def _signed(amount: float, lang: Lang, unit: str | None = None) -> str:
    sign = "+" if amount > 0 else "−" if amount < 0 else "±"
    return sign + (quantity(abs(amount), unit, lang) if unit else number(abs(amount), lang))


def _between(bounds: list[str], lang: Lang) -> str:
    """One change, or a range of change where its bounds differ."""
    low, high = bounds
    return low if low == high else t("change_range", lang, low=low, high=high)


def derivation(obs: Observation, lang: Lang) -> tuple[str, str]:
    """How a derived value was reached: its formula with the value in the page's number format, and the
    curator's words. Every place that shows a derived value says it with these."""
    return f"{obs.formula} = {number(obs.value, lang)}", translated(obs.derivation, lang)


def _hover(obs: Observation, ind: Indicator, lang: Lang) -> str:
    lines = [f"<b>{obs.year}</b> · {t(obs.kind, lang)}", value_label(obs, ind, lang)]
    if obs.kind == "derived":
        formula, how = derivation(obs, lang)
        lines.append(f"{t('derived_how', lang)}: {_plotly_escape(formula)}")
        lines.append(_plotly_escape(isolate(how)))
    if obs.year_note:
        lines.append(_wrap(f"{t('year_note', lang)}: {isolate(translated(obs.year_note, lang))}", 60))
    return "<br>".join(lines)


def _wrap(text: str, width: int) -> str:
    """Escaped and wrapped; an isolate cut by a line break is closed and reopened, as each line of an
    exported SVG is its own run of text."""
    lines, carried = [], 0
    for line in textwrap.wrap(_plotly_escape(text), width):
        depth = carried
        for char in line:
            if char == POP_DIRECTIONAL_ISOLATE:
                depth = max(depth - 1, 0)
            elif char in ISOLATE_INITIATORS:
                depth += 1
        lines.append(FIRST_STRONG_ISOLATE * carried + line + POP_DIRECTIONAL_ISOLATE * depth)
        carried = depth
    return "<br>".join(lines) or " "


def _bar_marker(obs: Observation, colour: str) -> dict:
    # The ink outline gives every bar 3:1 or more against the white page (WCAG 1.4.11), orange included.
    marker = dict(color=colour, line=dict(color=INK, width=1.5))
    if obs.kind == "target":
        marker.update(color="white", pattern=dict(shape=PATTERNS["target"], fgcolor=colour, size=8))
    elif obs.kind in ("derived", "estimate"):
        marker.update(pattern=dict(shape=PATTERNS[obs.kind], fgcolor="white", size=8))
    return marker


def integer_ticks(top: float, most: int = 8) -> dict:
    """Axis settings that put ticks on whole numbers only, at most `most` of them up to `top`.

    Plotly's own ticks fall on halves for small ranges, and `,d` then prints 0, 1, 1, 2, 2.
    """
    step = 1
    while top / step > most:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2  # 1, 2, 5, 10, 20, 50, …
    return dict(tick0=0, dtick=step, tickformat=",d")


def indicator_figure(ds: Dataset, indicator_id: str, lang: Lang, standalone: bool = False) -> go.Figure:
    """One indicator across the years: bars (or rank markers) per stated figure.

    `standalone` adds the title, unit, source and passage reference an image
    needs once it is cut out of the page.
    """
    ind = ds.indicators[indicator_id]
    observations = observations_of(ds, indicator_id)
    missing = unreported_years(ds, indicator_id)
    slots = sorted(
        {(o.year, o.kind == "target", category(o, lang)) for o in observations}
        | {(year, False, str(year)) for year in missing}
    )
    order = [slot[2] for slot in slots]
    unit = UNITS[ind.unit]

    fig = go.Figure()
    # An invisible point in every slot, so a year with no figure keeps its place.
    fig.add_trace(go.Scatter(
        x=order, y=[unit.least] * len(order), mode="markers", marker=dict(opacity=0),
        hoverinfo="skip", showlegend=False,
    ))
    for obs in observations:
        label = value_label(obs, ind, lang)
        common = dict(
            x=[category(obs, lang)], y=[obs.value], text=[label], name=label,
            hovertext=[_hover(obs, ind, lang)], hoverinfo="text", showlegend=False, cliponaxis=False,
            textfont=dict(color=INK),
        )
        colour = year_colour(obs.year)
        if unit.ordinal:  # a place, not an amount: a marker, never a bar from zero
            symbol = RANK_SYMBOLS[obs.kind]
            fig.add_trace(go.Scatter(
                mode="markers+text", textposition="middle right",
                marker=dict(size=20, color=colour, symbol=symbol, line=dict(width=2, color=INK)), **common,
            ))
        else:
            if obs.upper is not None:  # a range is no single bar: it floats from its lower bound to its upper
                common.update(y=[obs.upper - obs.value], base=[obs.value])
            fig.add_trace(go.Bar(
                textposition="outside", constraintext="none",  # never shrunk to the bar's width on a phone
                marker=_bar_marker(obs, colour),
                **common,
            ))
    for old, new in _joinable(observations, missing):
        # A slope between two stated figures of one measure in neighbouring reported years; the gap
        # over an unreported year is left open.
        fig.add_trace(go.Scatter(
            x=[category(old, lang), category(new, lang)], y=[old.value, new.value], mode="lines",
            line=dict(color="#555555", width=2, dash="dot"), hoverinfo="skip", showlegend=False,
        ))
    for year in missing:
        fig.add_annotation(
            # By slot index: a year-like category name would be read as a number.
            # One word a line: side by side on a 320 px screen, two labels on one line would overlap.
            x=order.index(str(year)), y=0.5, yref="paper", text=f"<i>{_wrap(t('not_reported', lang), 8)}</i>",
            showarrow=False, font=dict(color="#555555", size=13),
        )

    values = [o.upper or o.value for o in observations] or [1]
    if unit.ordinal:  # the first place at the top
        end = max([o.denominator or 0 for o in observations] + values) * 1.08
        yaxis = dict(range=[end, 0], zeroline=False)
    else:
        end = max(values) * 1.3
        yaxis = dict(range=[0, end], rangemode="tozero")
    yaxis.update(title=unit_name(ind.unit, lang), **(integer_ticks(end) if unit.integer_ticks else {}))
    fig.update_layout(
        xaxis=dict(
            type="category", categoryorder="array", categoryarray=order, title=None,
            range=[-0.5, len(order) - 0.5],
        ),
        yaxis=yaxis, font=dict(family=FONT, size=14, color=INK), plot_bgcolor="white", paper_bgcolor="white",
        margin=dict(l=60, r=40, t=56, b=40), height=320, bargap=0.45,
        separators=plotly_separators(lang),
    )
    fig.update_yaxes(gridcolor="#e5e5e5")
    fig.update_xaxes(tickfont_color=INK, title_font_color=INK)
    fig.update_yaxes(tickfont_color=INK, title_font_color=INK)

    change = latest_change(ds, ind)
    if change is not None:
        # Left-aligned on two lines: right-aligned on one, a 320 px screen cut off its start. A range of change
        # is longer: its relative part goes on a third line, above a plot moved down to make room for it.
        worded = change_label(change, lang)
        if change.ranged:
            worded = worded.replace(" (", "<br>(", 1)
            fig.update_layout(margin_t=fig.layout.margin.t + 20)
        fig.add_annotation(
            x=0, y=1.02, xref="paper", yref="paper", xanchor="left", yanchor="bottom", showarrow=False, align="left",
            text=f"{t('change', lang)} {change.old.year}→{change.new.year}:<br><b>{worded}</b>",
            font=dict(color=INK),
        )
    if standalone:
        _add_frame(fig, ds, ind, observations, lang)
    return fig


def _joinable(observations: list[Observation], missing: list[int]) -> list[tuple[Observation, Observation]]:
    """Consecutive stated figures with no unreported year between them; a range joins nothing, since a slope
    to it would have to pick a point of it the report does not state."""
    stated = [o for o in observations if o.kind in STATED]
    return [
        (old, new) for old, new in zip(stated, stated[1:], strict=False)
        if new.year > old.year and not any(old.year < year < new.year for year in missing)
        and old.upper is None and new.upper is None
    ]


def plans_figure(ds: Dataset, sectors: list[str], lang: Lang, legend: bool = True) -> go.Figure | None:
    """How the tasks set for each year fared in the next review, by sector: stacked bars, one panel
    per year the tasks are for, stacked so a phone screen keeps them readable. None when the chosen
    sectors set no task. `legend=False` for a page that shows the key as text beside the chart."""
    counts = outcome_counts(ds, sectors)
    if counts.empty:
        return None
    years = sorted(counts.for_year.unique())
    names = {s: _wrap(isolate(translated(ds.sectors[s].name, lang)), 24)
             for s in counts.sector.unique()}
    panels = {year: list(dict.fromkeys(counts[counts.for_year == year].sector)) for year in years}
    fig = make_subplots(
        rows=len(years), cols=1, shared_xaxes=True, vertical_spacing=0.35 / len(years),
        row_heights=[len(panels[year]) for year in years],
        subplot_titles=[t("tasks_for", lang, year=year) for year in years],
    )
    top = counts.groupby(["for_year", "sector"]).tasks.sum().max()  # one scale for every panel
    in_legend: set[str] = set()
    for row, year in enumerate(years, start=1):
        of_year = counts[counts.for_year == year]
        for status in STATUSES:
            found = of_year[of_year.status == status]
            if found.empty:
                continue
            style = STATUS_STYLE[status]
            fig.add_trace(go.Bar(
                y=[names[s] for s in found.sector], x=found.tasks.tolist(), orientation="h",
                name=t(f"status_{status}", lang), legendgroup=status, showlegend=legend and status not in in_legend,
                legendrank=STATUSES.index(status), text=found.tasks.tolist(), textposition="inside",
                insidetextanchor="middle", textangle=0, textfont=dict(color=style["text"]),
                marker=dict(color=style["color"], line=dict(color=style.get("line", style["color"]), width=1.5),
                            pattern=dict(shape=style["pattern"], fgcolor=style.get("fgcolor", "#FFFFFF"),
                                         bgcolor=style["color"], size=8, solidity=0.2)),
                hovertemplate=f"%{{y}}<br>{_plotly_escape(t(f'status_{status}', lang))}: %{{x}}<extra></extra>",
            ), row=row, col=1)
            in_legend.add(status)
        # Top to bottom in the data's order: Plotly draws a category axis from the bottom up.
        fig.update_yaxes(type="category", categoryorder="array", automargin=True,
                         categoryarray=[names[s] for s in reversed(panels[year])], row=row, col=1)
    fig.update_xaxes(range=[0, top * 1.05], gridcolor="#e5e5e5", showticklabels=True, **integer_ticks(top))
    fig.update_xaxes(title=t("tasks_axis", lang), row=len(years), col=1)
    bars = sum(len(found) for found in panels.values())
    fig.update_layout(
        barmode="stack", font=dict(family=FONT, size=13), plot_bgcolor="white", paper_bgcolor="white",
        height=(140 if legend else 100) + 30 * bars + 50 * len(years), bargap=0.25,
        margin=dict(l=10, r=10, t=90 if legend else 40, b=40),
        legend=dict(orientation="h", x=0, y=1, xanchor="left", yanchor="top", yref="container"),
        separators=plotly_separators(lang),
    )
    return fig


EXCERPT_CHARS = 90
_CLAUSE_START = re.compile(r"[;,:]\s|\.\s")


def excerpt(obs: Observation, width: int = EXCERPT_CHARS) -> str:
    """The quote cut to `width` at a word, always holding the figure: from its start where the figure stands
    early enough, else from the figure's clause (a footer that stopped before "trên 93%" cited nothing)."""
    quote = fold(obs.quote)
    short = textwrap.shorten(quote, width, placeholder="…")
    stated = figures_as_written(obs)
    if not stated or any(figure in short.removesuffix("…") for figure in stated):
        return short
    at = quote.find(stated[0])
    clauses = [m.end() for m in _CLAUSE_START.finditer(quote, 0, at)]
    start = clauses[-1] if clauses else 0
    if at - start > width // 2:  # a long clause: a few words before the figure
        start = quote.rfind(" ", 0, at - width // 3) + 1
    return "…" + textwrap.shorten(quote[start:], width - 1, placeholder="…")


def _add_frame(fig: go.Figure, ds: Dataset, ind: Indicator, observations: list[Observation], lang: Lang) -> None:
    label = isolate(translated(ind.label, lang))
    subtitle = f"{isolate(translated(ds.sectors[ind.sector].name, lang))} · {unit_name(ind.unit, lang)}"
    sources = []
    for source_id in dict.fromkeys(o.source for o in observations):
        # A stated figure's quote first: a derived value's operands stand in the formula line.
        first = min((o for o in observations if o.source == source_id), key=lambda o: o.kind == "derived")
        sources.append(
            f"{t('source', lang)}: {citation.source_line(ds.sources[source_id], lang, isolate)}. "
            f"{t('quoted', lang)}: “{isolate(excerpt(first))}”"
        )
    for obs in observations:
        if obs.kind == "derived":
            formula, how = derivation(obs, lang)
            sources.append(f"{obs.year} ({t('derived', lang)}): {formula}. {isolate(how)}")
        if obs.year_note:
            sources.append(f"{t('year_note', lang)} {obs.year}: {isolate(translated(obs.year_note, lang))}")
    if ind.note:
        sources.append(f"{t('indicator_note', lang)}: {isolate(translated(ind.note, lang))}")
    if ind.comparability:
        sources.append(f"{t('not_one_series', lang)}: {isolate(translated(ind.comparability, lang))}")
    footer = "<br>".join(_wrap(line, 150) for line in sources)
    lines = footer.count("<br>") + 1
    fig.update_layout(
        # The title at the very top, and room under it for the two-line change note above the plot.
        title=dict(text=f"<b>{_wrap(label, 80)}</b><br><sup>{_plotly_escape(subtitle)}</sup>", x=0.02, xanchor="left",
                   y=1, yanchor="top", pad=dict(t=24)),
        width=EXPORT_SIZE[0], height=EXPORT_SIZE[1],
        margin=dict(l=80, r=60, t=150, b=60 + 17 * lines),
    )
    fig.add_annotation(
        x=0, y=0, xref="paper", yref="paper", xanchor="left", yanchor="top", yshift=-40, showarrow=False,
        align="left", text=f"<span style='font-size:11px;color:#444'>{footer}</span>",
    )
