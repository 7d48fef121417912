"""A chart's text alternative: one sentence saying what the chart shows, in the page's language.

It is the chart's visible caption and what a screen reader reads in its place:
each year's figure as the report words it (`figures.value_label`, the one wording: the
qualifier in words, "trên 93%", "over 93%"), a target or derived figure named as such, a range said to be one
and how it is drawn, the years with
no figure as "not reported", and the change where the chart shows one.
"""

from __future__ import annotations

from dashboard.core.compare import latest_change, observations_of, unreported_years
from dashboard.core.data import Dataset
from dashboard.core.i18n import Lang, t, unit_name
from dashboard.core.languages import translated
from dashboard.present.figures import change_label, value_label


def chart_description(ds: Dataset, indicator_id: str, lang: Lang) -> str:
    ind = ds.indicators[indicator_id]
    label = translated(ind.label, lang)
    by_year: dict[int, list[str]] = {}
    for obs in observations_of(ds, indicator_id):
        worded = value_label(obs, ind, lang)
        by_year.setdefault(obs.year, []).append(worded if obs.upper is None else t("chart_range", lang, value=worded))
    for year in unreported_years(ds, indicator_id):
        by_year.setdefault(year, []).insert(0, t("not_reported", lang))
    years = "; ".join(f"{t('in_year', lang, year=year)}: {', '.join(values)}"
                      for year, values in sorted(by_year.items()))
    sentence = t("chart_shows", lang, label=label, unit=unit_name(ind.unit, lang), years=years)
    change = latest_change(ds, ind)
    if change is not None:
        sentence += " " + t("chart_change", lang, old=change.old.year, new=change.new.year,
                            change=change_label(change, lang))
    return sentence
