"""Plotly figures built from the dataset: pure functions, no Streamlit.

One colour per year across every chart (Okabe–Ito, safe for colour-blind
readers). Targets and derived values are patterned, never drawn like actuals.
A year with no figure gets a "not reported" note, never a bar.
"""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go

from dashboard import citation
from dashboard.compare import Change, latest_change, observations_of, unreported_years
from dashboard.data import Dataset
from dashboard.i18n import Lang, number, quantity, t
from dashboard.schema import Indicator, Observation
from dashboard.text import FIRST_STRONG_ISOLATE, ISOLATE_INITIATORS, POP_DIRECTIONAL_ISOLATE, isolate

PALETTE = ["#E69F00", "#0072B2", "#009E73", "#CC79A7", "#56B4E9", "#7F7F7F"]
FONT = "Noto Sans, DejaVu Sans, Arial, sans-serif"
# Text ink set on every label: Streamlit's chart theme would otherwise draw ticks and notes in a grey
# of 3.7:1 on white; this is 14:1.
INK = "#1F2933"
PATTERNS = {"actual": "", "derived": "/", "target": "."}
EXPORT_SIZE = (1000, 600)


def year_colour(year: int) -> str:
    """2023 orange, 2024 blue, 2025 green…, the same in every chart."""
    return PALETTE[(year - 2023) % len(PALETTE)]


def category(obs: Observation, lang: Lang) -> str:
    """A target gets its own slot beside the year, so it never sits on an actual."""
    return f"{obs.year} ({t('target', lang)})" if obs.kind == "target" else str(obs.year)


def stated_value(obs: Observation, ind: Indicator, lang: Lang) -> str:
    """The figure as the report words it: qualifier in words, unit, denominator."""
    return quantity(obs.value, ind.unit, lang, obs.qualifier, obs.denominator, obs.cue)


def value_label(obs: Observation, ind: Indicator, lang: Lang) -> str:
    label = stated_value(obs, ind, lang)
    return label if obs.kind == "actual" else f"{label} ({t(obs.kind, lang)})"


def change_label(change: Change, lang: Lang) -> str:
    approx = "≈ " if change.approximate else ""
    delta = change.delta
    if change.indicator.unit == "rank":
        key = "places_better" if delta < 0 else "places_worse" if delta > 0 else "places_same"
        return approx + t(key, lang, n=number(abs(delta), lang))
    sign = "+" if delta > 0 else "−" if delta < 0 else "±"
    if change.indicator.unit in ("percent", "percent_per_year"):
        text = f"{sign}{number(abs(delta), lang)} {t('points', lang)}"
    else:
        text = f"{sign}{number(abs(delta), lang)}"
    if change.percent is not None:
        text += f" ({sign}{number(abs(change.percent), lang)} %)" if lang == "vi" else \
            f" ({sign}{number(abs(change.percent), lang)}%)"
    return approx + text


def _hover(obs: Observation, ind: Indicator, lang: Lang) -> str:
    lines = [f"<b>{obs.year}</b> · {t(obs.kind, lang)}", value_label(obs, ind, lang)]
    if obs.kind == "derived":
        derivation = obs.derivation_vi if lang == "vi" else obs.derivation_en
        lines.append(f"{t('derived_how', lang)}: {_escape(obs.formula)} = {number(obs.value, lang)}")
        lines.append(_escape(isolate(derivation)))
    if obs.year_note_vi:
        lines.append(_wrap(f"{t('year_note', lang)}: {isolate(year_note(obs, lang))}", 60))
    return "<br>".join(lines)


def year_note(obs: Observation, lang: Lang) -> str | None:
    return obs.year_note_vi if lang == "vi" else obs.year_note_en


def indicator_note(ind: Indicator, lang: Lang) -> str | None:
    return ind.note_vi if lang == "vi" else ind.note_en


def _escape(text: str | None) -> str:
    """Plotly renders a subset of HTML in text; data must show as written."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _wrap(text: str, width: int) -> str:
    """Escaped and wrapped; an isolate cut by a line break is closed and reopened, as each line of an
    exported SVG is its own run of text."""
    lines, carried = [], 0
    for line in textwrap.wrap(_escape(text), width):
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
    marker = dict(color=colour, line=dict(color=colour, width=2))
    if obs.kind == "target":
        marker.update(color="white", pattern=dict(shape=PATTERNS["target"], fgcolor=colour, size=8))
    elif obs.kind == "derived":
        marker.update(pattern=dict(shape=PATTERNS["derived"], fgcolor="white", size=8))
    return marker


def values_floor(ind: Indicator) -> float:
    return 1 if ind.unit == "rank" else 0


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
    is_rank = ind.unit == "rank"

    fig = go.Figure()
    # An invisible point in every slot, so a year with no figure keeps its place.
    fig.add_trace(go.Scatter(
        x=order, y=[values_floor(ind)] * len(order), mode="markers", marker=dict(opacity=0),
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
        if is_rank:
            symbol = {"actual": "circle", "derived": "circle-dot", "target": "circle-open"}[obs.kind]
            fig.add_trace(go.Scatter(
                mode="markers+text", textposition="middle right",
                marker=dict(size=20, color=colour, symbol=symbol, line=dict(width=2, color=colour)), **common,
            ))
        else:
            fig.add_trace(go.Bar(
                textposition="outside", constraintext="none",  # never shrunk to the bar's width on a phone
                marker=_bar_marker(obs, colour),
                **common,
            ))
    for year in missing:
        fig.add_annotation(
            # By slot index: a year-like category name would be read as a number.
            # One word a line: side by side on a 320 px screen, two labels on one line would overlap.
            x=order.index(str(year)), y=0.5, yref="paper", text=f"<i>{_wrap(t('not_reported', lang), 8)}</i>",
            showarrow=False, font=dict(color="#555555", size=13),
        )

    values = [o.value for o in observations] or [1]
    if is_rank:
        bottom = max([o.denominator or 0 for o in observations] + values)
        yaxis = dict(range=[bottom * 1.08, 0], title=t("unit_rank", lang), zeroline=False)
    else:
        yaxis = dict(range=[0, max(values) * 1.3], title=t(f"unit_{ind.unit}", lang), rangemode="tozero")
    fig.update_layout(
        xaxis=dict(
            type="category", categoryorder="array", categoryarray=order, title=None,
            range=[-0.5, len(order) - 0.5],
        ),
        yaxis=yaxis, font=dict(family=FONT, size=14, color=INK), plot_bgcolor="white", paper_bgcolor="white",
        margin=dict(l=60, r=40, t=56, b=40), height=320, bargap=0.45,
        separators=",." if lang == "vi" else ".,",
    )
    fig.update_yaxes(gridcolor="#e5e5e5", tickformat=",d" if is_rank or ind.unit == "count" else None)
    fig.update_xaxes(tickfont_color=INK, title_font_color=INK)
    fig.update_yaxes(tickfont_color=INK, title_font_color=INK)

    change = latest_change(ds, ind)
    if change is not None:
        # Left-aligned on two lines: right-aligned on one, a 320 px screen cut off its start.
        fig.add_annotation(
            x=0, y=1.02, xref="paper", yref="paper", xanchor="left", yanchor="bottom", showarrow=False, align="left",
            text=f"{t('change', lang)} {change.old.year}→{change.new.year}:<br><b>{change_label(change, lang)}</b>",
            font=dict(color=INK),
        )
    if standalone:
        _add_frame(fig, ds, ind, observations, lang)
    return fig


def _add_frame(fig: go.Figure, ds: Dataset, ind: Indicator, observations: list[Observation], lang: Lang) -> None:
    # Importing st.plotly_chart makes Streamlit's template Plotly's default: pin Plotly's own, so a file is the
    # same whether the CLI or the server (/charts/…) draws it.
    fig.layout.template = "plotly"
    label = isolate(ind.label_vi if lang == "vi" else ind.label_en)
    sector = ds.sectors[ind.sector]
    subtitle = f"{isolate(sector.name_vi if lang == 'vi' else sector.name_en)} · {t(f'unit_{ind.unit}', lang)}"
    sources = []
    for source_id in dict.fromkeys(o.source for o in observations):
        quote = next(o.quote for o in observations if o.source == source_id)
        sources.append(
            f"{t('source', lang)}: {citation.source_line(ds.sources[source_id], lang, isolate)}. "
            f"{t('quoted', lang)}: “{isolate(textwrap.shorten(quote, 90, placeholder='…'))}”"
        )
    for obs in observations:
        if obs.kind == "derived":
            how = isolate(obs.derivation_vi if lang == "vi" else obs.derivation_en)
            sources.append(f"{obs.year} ({t('derived', lang)}): {obs.formula} = {number(obs.value, lang)}. {how}")
        if obs.year_note_vi:
            sources.append(f"{t('year_note', lang)} {obs.year}: {isolate(year_note(obs, lang))}")
    if ind.note_vi:
        sources.append(f"{t('indicator_note', lang)}: {isolate(indicator_note(ind, lang))}")
    comparability = ind.comparability_vi if lang == "vi" else ind.comparability_en
    if comparability:
        sources.append(f"{t('not_one_series', lang)}: {isolate(comparability)}")
    footer = "<br>".join(_wrap(line, 150) for line in sources)
    lines = footer.count("<br>") + 1
    fig.update_layout(
        title=dict(text=f"<b>{_wrap(label, 80)}</b><br><sup>{_escape(subtitle)}</sup>", x=0.02, xanchor="left"),
        width=EXPORT_SIZE[0], height=EXPORT_SIZE[1],
        margin=dict(l=80, r=60, t=110, b=60 + 17 * lines),
    )
    fig.add_annotation(
        x=0, y=0, xref="paper", yref="paper", xanchor="left", yanchor="top", yshift=-40, showarrow=False,
        align="left", text=f"<span style='font-size:11px;color:#444'>{footer}</span>",
    )
