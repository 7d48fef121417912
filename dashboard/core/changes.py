"""What changed between reviews, from the curated data and nothing else.

Two questions: how did the tasks each review set for a coming year fare in the
next review (`plans_frame`, `outcome_counts`), and, sector by sector, what do
the latest two reviews each state, and how do they differ (`sector_changes`)?
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from dashboard.core import columns
from dashboard.core.compare import STATED, Change, latest_change
from dashboard.core.data import Dataset, by_language
from dashboard.core.languages import translation_languages
from dashboard.core.schema import Indicator, Observation, Plan, Source, Statement

STATUSES = ("figure", "words", "not_mentioned", "awaiting")


def plan_columns(langs: tuple[str, ...]) -> list[str]:
    """The columns of `plans_frame`, with one column per language for each translated field
    (dashboard/core/columns.py: `PLANS`)."""
    return columns.names(columns.PLANS, langs)


def next_review(ds: Dataset, plan: Plan) -> Source | None:
    """The review that reports on the year the task is for, once it is in the data."""
    return ds.review_of_year.get(plan.for_year)


def plans_of(ds: Dataset, sectors: list[str]) -> list[Plan]:
    chosen = set(sectors)
    return [plan for plan in ds.plans if plan.sector in chosen]


def as_written(obs: Observation) -> str:
    """A figure as the review writes it (`71/193`, `ba lần`), else its plain value."""
    return obs.as_written or f"{obs.value:g}"


def plans_frame(ds: Dataset, sectors: list[str] | None = None) -> pd.DataFrame:
    """One row per task, in the columns of `plan_columns`; lists joined with "; "."""
    langs, other = ds.languages, translation_languages(ds.languages)
    rows = []
    for plan in plans_of(ds, list(ds.sectors) if sectors is None else sectors):
        sector, source, following = ds.sectors[plan.sector], ds.sources[plan.source], next_review(ds, plan)
        outcomes = [ds.observations_by_key[key] for key in plan.outcome_observations]
        linked = [ds.observations_by_key[key] for key in plan.targets] + outcomes
        rows.append({
            "id": plan.id, "set_in_year": source.reviewed_year, "set_in_source": source.id,
            "for_year": plan.for_year, "sector": sector.id, **by_language("sector", sector.name, langs),
            "task_quote": plan.quote, **by_language("task_translation", plan.translation, other),
            "status": plan.status, "outcome_source": following.id if following else None,
            "outcome_quote": plan.outcome_quote, **by_language("outcome_translation", plan.outcome_translation, other),
            "outcome_figures": "; ".join(f"{o.indicator} {o.year}: {as_written(o)}" for o in outcomes) or None,
            "indicators": "; ".join(dict.fromkeys(o.indicator for o in linked)) or None,
            "search_terms": "; ".join(plan.search_terms) or None,
        })
    return pd.DataFrame(rows, columns=plan_columns(langs))


def outcome_counts(ds: Dataset, sectors: list[str]) -> pd.DataFrame:
    """Tasks per (year they are for, sector, status), for the chosen sectors that set any.

    Columns `for_year, sector, status, tasks`; sectors in the data's order, statuses in `STATUSES`.
    """
    order = {sector: index for index, sector in enumerate(ds.sectors)}
    counts: dict[tuple[int, str, str], int] = {}
    for plan in plans_of(ds, sectors):
        key = (plan.for_year, plan.sector, plan.status)
        counts[key] = counts.get(key, 0) + 1
    rows = sorted(counts.items(), key=lambda item: (item[0][0], order[item[0][1]], STATUSES.index(item[0][2])))
    return pd.DataFrame([(*key, n) for key, n in rows], columns=["for_year", "sector", "status", "tasks"])


def latest_pair(ds: Dataset) -> tuple[Source, Source] | None:
    """The latest two reviews, older first: what the landing page compares."""
    reviews = [ds.review_of_year[year] for year in ds.years]
    return (reviews[-2], reviews[-1]) if len(reviews) >= 2 else None


@dataclass(frozen=True)
class ReviewSide:
    """What one review says of one sector."""

    source: Source
    figures: list[Observation]
    passages: list[Statement]
    tasks: list[Plan]  # the tasks this review sets for a coming year
    mentions: bool  # anything of it curated for the sector (`Dataset.curated_pairs`); else it is searched silent

    @property
    def says_in_words(self) -> bool:
        """A passage or a task: what the text comparison shows of a review."""
        return bool(self.passages or self.tasks)


FigureChangeKind = Literal["repeated", "new", "dropped"]


@dataclass(frozen=True)
class FigureChange:
    indicator: Indicator
    kind: FigureChangeKind
    change: Change | None  # the two latest stated figures, where there are two years of them


@dataclass(frozen=True)
class SectorChanges:
    sector: str
    old: ReviewSide
    new: ReviewSide
    figures: list[FigureChange]

    @property
    def sector_dropped(self) -> bool:
        """The older review speaks of the sector, the newer one does not at all."""
        return self.old.mentions and not self.new.mentions


def review_side(ds: Dataset, sector: str, source: Source) -> ReviewSide:
    return ReviewSide(
        source=source,
        figures=[o for ind in ds.indicators_by_sector.get(sector, [])
                 for o in ds.observations_by_indicator.get(ind.id, []) if o.source == source.id],
        passages=[s for s in ds.statements if s.source == source.id and s.sector == sector],
        tasks=[p for p in ds.plans if p.source == source.id and p.sector == sector],
        mentions=(sector, source.id) in ds.curated_pairs,
    )


def review_sides(ds: Dataset, sector: str) -> list[ReviewSide]:
    """What each review says of the sector, oldest first: the text comparison's columns."""
    return [review_side(ds, sector, ds.review_of_year[year]) for year in ds.years]


def sector_changes(ds: Dataset, sector: str, old: Source, new: Source) -> SectorChanges:
    """A figure stated by both reviews is repeated, by the newer only new, by the older only dropped."""
    old_side, new_side = review_side(ds, sector, old), review_side(ds, sector, new)
    stated_in = {
        side.source.id: {o.indicator for o in side.figures if o.kind in STATED} for side in (old_side, new_side)
    }
    figures = []
    for ind in ds.indicators_by_sector.get(sector, []):
        in_old, in_new = ind.id in stated_in[old.id], ind.id in stated_in[new.id]
        if in_old or in_new:
            kind: FigureChangeKind = "repeated" if in_old and in_new else "new" if in_new else "dropped"
            figures.append(FigureChange(ind, kind, latest_change(ds, ind)))
    return SectorChanges(sector, old_side, new_side, figures)
