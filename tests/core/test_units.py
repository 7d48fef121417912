"""The one registry of units (dashboard/core/units.py): the schema, the charts, the changes and the words all
read it, so changing a unit there changes it everywhere."""

from dataclasses import FrozenInstanceError, replace
from typing import get_args

import pytest
from pydantic import ValidationError

from dashboard.core import compare, schema
from dashboard.core.i18n import catalogues, quantity
from dashboard.core.schema import Indicator
from dashboard.core.units import UNITS
from dashboard.present.figures import change_label, indicator_figure


@pytest.fixture
def registry(monkeypatch):
    """`registry("count", ordinal=True)`: one unit redefined for the test."""
    def redefine(unit_id: str, **fields) -> None:
        monkeypatch.setitem(UNITS, unit_id, replace(UNITS[unit_id], **fields))
    return redefine


def share_change(ds) -> compare.Change:
    """The Vietnamese-value share from 28.7% to 30.2%."""
    [before] = [o for o in ds.observations if o.indicator == "vietnamese-value-share" and o.year == 2023]
    return compare.Change(ds.indicators["vietnamese-value-share"], before,
                          before.model_copy(update={"year": 2024, "value": 30.2}))


def test_what_each_unit_is():
    assert [unit.id for unit in UNITS.values() if unit.ordinal] == ["rank"]
    assert [unit.id for unit in UNITS.values() if unit.integer_ticks] == ["count", "rank"]
    assert {unit.id: unit.change for unit in UNITS.values()} == {
        "count": "amount", "percent": "points", "percent_per_year": "points", "rank": "places", "times": "amount"}
    assert [unit.id for unit in UNITS.values() if not unit.relative_change] == ["rank"]
    assert (UNITS["rank"].least, UNITS["count"].least) == (1, 0)
    with pytest.raises(FrozenInstanceError):
        UNITS["rank"].ordinal = False  # type: ignore[misc]


def test_the_schema_takes_its_units_from_the_registry(ds):
    assert get_args(schema.Unit) == tuple(UNITS)
    record = ds.indicators["laws-passed"].model_dump() | {"unit": "kilograms"}
    with pytest.raises(ValidationError, match="'count', 'percent', 'percent_per_year', 'rank' or 'times'"):
        Indicator.model_validate(record)


def test_every_catalogue_words_exactly_the_registry_units():
    for lang, texts in catalogues().items():
        names = {key.removeprefix("unit_") for key in texts if key.startswith("unit_") and "suffix" not in key}
        suffixes = {key.removeprefix("unit_suffix_") for key in texts if key.startswith("unit_suffix_")}
        assert names == set(UNITS), lang
        assert suffixes == {unit.id for unit in UNITS.values() if not unit.ordinal}, lang  # a place has none


def test_integer_ticks_follow_the_registry(ds, registry):
    assert indicator_figure(ds, "digital-economy-growth-vs-gdp", "en").layout.yaxis.dtick is None
    assert indicator_figure(ds, "party-members", "en").layout.yaxis.tickformat == ",d"
    registry("times", integer_ticks=True)
    registry("count", integer_ticks=False)
    assert indicator_figure(ds, "digital-economy-growth-vs-gdp", "en").layout.yaxis.tickformat == ",d"
    assert indicator_figure(ds, "party-members", "en").layout.yaxis.dtick is None


def test_an_ordinal_unit_is_a_marker_on_a_reversed_axis_written_as_a_place(ds, registry):
    registry("count", ordinal=True)
    fig = indicator_figure(ds, "party-members", "en")
    low, high = fig.layout.yaxis.range
    assert low > high  # the first place at the top
    assert fig.data[0].y[0] == 1  # the empty slots sit at the first place, not at zero
    assert {trace.type for trace in fig.data} == {"scatter"}  # no bar from zero
    assert quantity(86, "count", "en") == "86th"


def test_a_change_is_expressed_as_the_registry_says(ds, registry):
    change = share_change(ds)
    assert change_label(change, "en") == "+1.5 pp (+5.23%)"
    registry("percent", change="amount")
    assert change_label(change, "en") == "+1.5 (+5.23%)"
    registry("percent", relative_change=False)
    assert change.percent_bounds is None
    assert change_label(change, "en") == "+1.5"
    registry("percent", change="places")
    assert change_label(change, "en") == "down 1.5 places"
