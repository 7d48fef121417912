"""The units a figure can be in, and everything the code knows of each: one registry.

How a unit reads in each language (its name on an axis, `unit_<id>`, and what follows a number,
`unit_suffix_<id>`) is in the language catalogues (dashboard/locales/), looked up by the unit's id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# How the difference between two figures is said: as an amount in the unit ("+300"), in percentage
# points ("+2.4 pp": a difference of two percentages is not itself a percentage), or in places ("up 3 places").
ChangeStyle = Literal["amount", "points", "places"]


@dataclass(frozen=True)
class Unit:
    id: str
    # A place in an order (a rank): written "86th" or "71/193", drawn as a marker on an axis running
    # down from 1 at the top, since lower is better.
    ordinal: bool = False
    integer_ticks: bool = False  # whole things: axis ticks on whole numbers only (Plotly's fall on halves)
    change: ChangeStyle = "amount"
    # A change also given relative to the earlier figure ("+12%"); never for places, where the count of
    # places is the honest measure.
    relative_change: bool = True

    @property
    def least(self) -> float:
        """The smallest value the unit takes: the first place, or nothing."""
        return 1 if self.ordinal else 0


# In the order the schema has always listed them, so its error messages read as before.
UNITS: dict[str, Unit] = {unit.id: unit for unit in (
    Unit("count", integer_ticks=True),
    Unit("percent", change="points"),
    Unit("percent_per_year", change="points"),
    Unit("rank", ordinal=True, integer_ticks=True, change="places", relative_change=False),
    Unit("times"),
)}


@dataclass(frozen=True)
class Scale:
    """A scale word the reports write after a number ("25 triệu"): the figure is the number times `factor`.
    How each language words it is its catalogue's `scale_<id>` (`{n} million`, `{n} triệu`)."""

    id: str
    factor: float
    words: tuple[str, ...]  # the reports' words for it, lower case


SCALES: dict[str, Scale] = {scale.id: scale for scale in (
    Scale("thousand", 1e3, ("nghìn", "ngàn")),
    Scale("million", 1e6, ("triệu",)),
    Scale("billion", 1e9, ("tỷ",)),
)}
