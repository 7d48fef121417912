"""The By sector tab's charts a page at a time: a big data set never renders all at once."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.core.compare import sector_indicators
from dashboard.core.data import Dataset
from dashboard.core.schema import Indicator

PAGE_SIZE = 20  # indicator charts per page


def page_count(ds: Dataset, sectors: list[str], size: int = PAGE_SIZE) -> int:
    """Pages of charts for these sectors: at least one, even with none."""
    return max(1, -(-len(sector_indicators(ds, sectors)) // size))


@dataclass(frozen=True)
class ChartPage:
    first: int  # the first chart's place among all, from 1
    last: int
    total: int
    # Each sector headed on this page, in the chosen order, with its charts on this page.
    sections: list[tuple[str, list[Indicator]]]


def chart_page(ds: Dataset, sectors: list[str], number: int, size: int = PAGE_SIZE) -> ChartPage:
    """Page `number` (from 1). A sector with no figures at all is named once, on the first page, so none
    silently vanishes; the others are named on each page that has charts of theirs."""
    indicators = sector_indicators(ds, sectors)
    start = (number - 1) * size
    shown = indicators[start:start + size]
    sections = [
        (sector, [ind for ind in shown if ind.sector == sector]) for sector in sectors
        if any(ind.sector == sector for ind in shown) or (number == 1 and not ds.indicators_by_sector.get(sector))
    ]
    return ChartPage(first=start + 1, last=min(start + size, len(indicators)), total=len(indicators),
                     sections=sections)
