"""Year-over-year comparisons, computed from the dataset and nothing else.

Every number here is either a curated value or arithmetic on two of them
(a change), and a change is only made between two stated figures.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from dashboard.core.data import Dataset
from dashboard.core.schema import Indicator, Observation, Statement
from dashboard.core.units import UNITS

STATED = ("actual", "derived", "estimate")


@dataclass(frozen=True)
class Change:
    indicator: Indicator
    old: Observation
    new: Observation

    @property
    def delta(self) -> float:
        return self.new.value - self.old.value

    @property
    def percent(self) -> float | None:
        """Relative change; none where the unit says not (places are the honest measure of a rank) or from zero."""
        if not UNITS[self.indicator.unit].relative_change or self.old.value == 0:
            return None
        return 100 * self.delta / self.old.value

    @property
    def improved(self) -> bool | None:
        if self.indicator.better == "neutral" or self.delta == 0:
            return None
        return (self.delta < 0) == (self.indicator.better == "lower")

    @property
    def approximate(self) -> bool:
        return self.old.qualifier != "exact" or self.new.qualifier != "exact"


def sector_indicators(ds: Dataset, sectors: list[str]) -> list[Indicator]:
    return [ind for sector in sectors for ind in ds.indicators_by_sector.get(sector, [])]


def observations_of(ds: Dataset, indicator_id: str) -> list[Observation]:
    """Sorted by year, then kind."""
    return ds.observations_by_indicator.get(indicator_id, [])


def by_quote(observations: list[Observation]) -> list[list[Observation]]:
    """Observations grouped by the passage that states them (one source's quote), in their order:
    a passage stating several figures is shown once, each figure marked in it."""
    groups: dict[tuple[str, str], list[Observation]] = {}
    for obs in observations:
        groups.setdefault((obs.source, obs.quote), []).append(obs)
    return list(groups.values())


def unreported_years(ds: Dataset, indicator_id: str) -> list[int]:
    """Review years for which no report states an actual (or derived) figure."""
    stated = {o.year for o in observations_of(ds, indicator_id) if o.kind in STATED}
    return [year for year in ds.years if year not in stated]


def latest_change(ds: Dataset, indicator: Indicator) -> Change | None:
    """The figures of the two latest years with one stated, if there are two such years.

    A year with both an actual and a derived figure is represented by the actual one.
    """
    by_year: dict[int, Observation] = {}
    for obs in observations_of(ds, indicator.id):
        if obs.kind in STATED and (obs.year not in by_year or obs.kind == "actual"):
            by_year[obs.year] = obs
    years = sorted(by_year)
    if len(years) < 2:
        return None
    return Change(indicator, by_year[years[-2]], by_year[years[-1]])


def changes(ds: Dataset, sectors: list[str]) -> list[Change]:
    found = (latest_change(ds, ind) for ind in sector_indicators(ds, sectors))
    return [change for change in found if change is not None]


CoverageState = Literal["numbers", "text", "nothing"]


def coverage(ds: Dataset, sectors: list[str]) -> pd.DataFrame:
    """Sector × review year: ('numbers', n) / ('text', 0), a passage or a task / ('nothing', 0), searched."""
    figures = Counter((ds.indicators[o.indicator].sector, o.source) for o in ds.observations)
    texts = ds.curated_pairs
    sources = sorted(ds.sources.values(), key=lambda s: s.reviewed_year)
    rows = {}
    for sector in sectors:
        row = {}
        for source in sources:
            count = figures[(sector, source.id)]
            state: CoverageState = "numbers" if count else "text" if (sector, source.id) in texts else "nothing"
            row[source.reviewed_year] = (state, count)
        rows[sector] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def passages(ds: Dataset, sector: str) -> dict[int, list[Statement]]:
    """A sector's passages by the year each review covers (every review year present)."""
    by_year: dict[int, list[Statement]] = {year: [] for year in ds.years}
    for statement in ds.statements:
        if statement.sector == sector:
            by_year[ds.sources[statement.source].reviewed_year].append(statement)
    return by_year


DiffOp = Literal["same", "added", "dropped"]
REPEATED_PASSAGE = 0.5


@dataclass(frozen=True)
class RepeatedPassage:
    """A passage of the latest review that repeats one of the review before, with its word diff."""

    old: Statement
    new: Statement
    old_year: int
    new_year: int
    segments: list[tuple[DiffOp, str]]


def repeated_passages(ds: Dataset, sector: str) -> list[RepeatedPassage]:
    """Each passage of the latest review paired with the most alike passage of the review before,
    where the two are one passage repeated with changes."""
    reviews = passages(ds, sector)
    years = [year for year, found in reviews.items() if found]
    if len(years) < 2:
        return []
    old_year, new_year = years[-2], years[-1]
    repeated = []
    for new in reviews[new_year]:
        diffs = ((word_diff(old.quote, new.quote), old) for old in reviews[old_year])
        found = [(diff, old) for diff, old in diffs if diff is not None]
        if found:
            segments, old = max(found, key=lambda pair: _same_words(pair[0]))
            repeated.append(RepeatedPassage(old, new, old_year, new_year, segments))
    return repeated


def _same_words(segments: list[tuple[DiffOp, str]]) -> int:
    return sum(len(text.split()) for op, text in segments if op == "same")


def word_diff(old: str, new: str) -> list[tuple[DiffOp, str]] | None:
    """Word-level diff of two passages, or None when they are not one passage repeated."""
    old_words, new_words = old.split(), new.split()
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    if matcher.ratio() < REPEATED_PASSAGE:
        return None
    segments: list[tuple[DiffOp, str]] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("same", " ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            segments.append(("dropped", " ".join(old_words[a1:a2])))
        if b2 > b1:
            segments.append(("added", " ".join(new_words[b1:b2])))
    return segments
