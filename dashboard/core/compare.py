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
KINDS = ("actual", "estimate", "target", "derived")  # the order a count of figures lists them in


@dataclass(frozen=True)
class Change:
    """Two stated figures of an indicator and the change between them.

    Where either is a range ("từ 20% đến 22%"), the change is not one number: it is given as the least and
    the most it can be (`bounds`), from the bounds the report states, never from a midpoint it does not.
    """

    indicator: Indicator
    old: Observation
    new: Observation

    @property
    def ranged(self) -> bool:
        return self.old.upper is not None or self.new.upper is not None

    @property
    def bounds(self) -> tuple[float, float]:
        """The least and the most the change can be; one number twice where neither side is a range."""
        return self.new.value - _top(self.old), _top(self.new) - self.old.value

    @property
    def delta(self) -> float:
        return self.new.value - self.old.value

    @property
    def percent_bounds(self) -> tuple[float, float] | None:
        """The least and the most relative change, as `bounds`; none where the unit says not (places are the
        honest measure of a rank) or from zero."""
        if not UNITS[self.indicator.unit].relative_change or self.old.value == 0:
            return None
        least, most = self.bounds
        return 100 * least / _top(self.old), 100 * most / self.old.value

    @property
    def improved(self) -> bool | None:
        """Better or worse; none where the direction is neutral, or the change may be none (or either way)."""
        least, most = self.bounds
        if self.indicator.better == "neutral" or least <= 0 <= most:
            return None
        return (most < 0) == (self.indicator.better == "lower")

    @property
    def approximate(self) -> bool:
        return self.old.qualifier != "exact" or self.new.qualifier != "exact"


def _top(obs: Observation) -> float:
    """A figure's upper bound: its value, or a range's upper."""
    return obs.upper if obs.upper is not None else obs.value


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
    """Sector × review year: ('numbers', ((kind, n), …)), its figures counted by kind (actual, target, derived:
    a target or a derived value is not a figure the review reports) / ('text', ()), a passage or a task /
    ('nothing', ()), searched."""
    figures = Counter((ds.indicators[o.indicator].sector, o.source, o.kind) for o in ds.observations)
    texts = ds.curated_pairs
    sources = sorted(ds.sources.values(), key=lambda s: s.reviewed_year)
    rows = {}
    for sector in sectors:
        row = {}
        for source in sources:
            kinds = tuple((kind, n) for kind in KINDS if (n := figures[(sector, source.id, kind)]))
            state: CoverageState = "numbers" if kinds else "text" if (sector, source.id) in texts else "nothing"
            row[source.reviewed_year] = (state, kinds)
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
