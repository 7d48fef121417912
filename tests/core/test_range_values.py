"""A range ("từ 20% đến 22%") and a scale word ("25 triệu") as the report writes them: held by the schema,
checked against the quote, worded as written in every language, and compared without pretending to be exact."""

import pytest

from dashboard.core import compare
from dashboard.core.data import load
from dashboard.core.i18n import stated_value
from dashboard.core.schema import Observation
from dashboard.present.figures import change_label
from tests.conftest import RANGE, SCALED, add_range_and_scale, problems_of


@pytest.fixture
def ranged(project_copy):
    return load(add_range_and_scale(project_copy))


def test_a_range_loads_and_reads_as_the_report_words_it(ranged):
    obs = ranged.observations_by_key["vietnamese-value-share 2024 actual"]
    ind = ranged.indicators[obs.indicator]
    assert (obs.value, obs.upper) == (30, 32)
    assert stated_value(obs, ind, "vi") == "từ 30% đến 32%"
    assert stated_value(obs, ind, "en") == "from 30% to 32%"


def test_a_scale_word_reads_as_written_in_every_language(ranged):
    obs = ranged.observations_by_key["party-members 2024 actual"]
    ind = ranged.indicators[obs.indicator]
    assert stated_value(obs, ind, "vi") == "khoảng 2,5 nghìn"
    assert stated_value(obs, ind, "en") == "about 2.5 thousand"  # never "about 2,500"


def test_a_range_bound_not_in_the_quote_is_a_data_error_naming_file_record_and_field(project_copy):
    add_range_and_scale(project_copy, upper=33)
    assert any(p.startswith("data/observations.yaml › record ") and "(vietnamese-value-share 2024) › upper: "
               "the bound 33 is not in 'từ 30% đến 32%'" in p for p in problems_of(project_copy))


def test_a_range_whose_upper_bound_is_not_above_its_lower_is_refused(project_copy):
    add_range_and_scale(project_copy, value=32, upper=30)
    assert any("› upper: 30 is not above the lower bound 32" in p for p in problems_of(project_copy))


def test_a_range_needs_its_words_as_written(project_copy):
    add_range_and_scale(project_copy, as_written=None)
    assert any("› as_written: a range needs the words that give it" in p for p in problems_of(project_copy))


def test_a_rank_takes_no_range(project_copy):
    add_range_and_scale(project_copy, indicator="egov-rank")
    assert any("(egov-rank 2024) › upper: a place in an order is one place" in p for p in problems_of(project_copy))


def _observation(**fields) -> Observation:
    return Observation.model_validate(RANGE | {"translation": {"en": "-"}} | fields)


def test_a_ranges_bounds_are_in_one_unit_and_scale():
    with pytest.raises(ValueError, match=r"different units or scales \(%, lần\)"):
        _observation(quote="Năm 2024 tăng từ 30% đến 32 lần", as_written="từ 30% đến 32 lần")
    with pytest.raises(ValueError, match=r"different units or scales \(nghìn, triệu\)"):
        _observation(quote="Năm 2024 có từ 800 nghìn đến 1,2 triệu thuê bao", as_written="từ 800 nghìn đến 1,2 triệu",
                     value=800_000, upper=1_200_000, scale="million")


def test_a_range_with_a_scale_word_and_a_dash(ranged):
    ind = ranged.indicators["party-members"]
    millions = _observation(quote="Năm 2024 có từ 1,5 đến 2 triệu thuê bao", as_written="từ 1,5 đến 2 triệu",
                            indicator="party-members", value=1_500_000, upper=2_000_000, scale="million")
    assert stated_value(millions, ind, "en") == "from 1.5 million to 2 million"
    assert stated_value(millions, ind, "vi") == "từ 1,5 đến 2 triệu"
    dashed = _observation(quote="Năm 2024 chiếm 20-22%", as_written="20-22%", value=20, upper=22)
    assert stated_value(dashed, ranged.indicators["vietnamese-value-share"], "en") == "from 20% to 22%"


def test_a_figure_written_with_a_scale_word_carries_its_scale(project_copy):
    with pytest.raises(ValueError, match=r"'2,5 nghìn' writes the scale word 'nghìn': give `scale: thousand`"):
        Observation.model_validate(SCALED | {"scale": None})
    with pytest.raises(ValueError, match=r"2500 but '2,5 triệu' states 2.5e\+06"):
        Observation.model_validate(SCALED | {"scale": "million", "as_written": "2,5 triệu",
                                             "quote": "có khoảng 2,5 triệu cán bộ"})
    with pytest.raises(ValueError, match=r"the quote writes '2,5 nghìn' after the figure: give the whole amount"):
        Observation.model_validate(SCALED | {"scale": None, "as_written": None, "value": 2.5})


def test_a_change_to_a_range_is_the_least_and_the_most_it_can_be(ranged):
    change = compare.latest_change(ranged, ranged.indicators["vietnamese-value-share"])
    assert (change.old.value, change.new.upper) == (28.7, 32)
    assert change_label(change, "en") == "+1.3 to +3.3 pp (+4.53% to +11.5%)"
    assert change_label(change, "vi") == "+1,3 đến +3,3 điểm % (+4,53 % đến +11,5 %)"
    assert change.improved is True  # better either way


def test_a_change_that_may_be_either_way_has_no_direction(ranged):
    ind = ranged.indicators["vietnamese-value-share"]
    old = ranged.observations_by_key["vietnamese-value-share 2024 actual"]
    new = _observation(year=2025, value=31, upper=None, as_written="31%", quote="Năm 2025 chiếm 31%")
    change = compare.Change(ind, old, new)
    assert change_label(change, "en").startswith("−1 to +1 pp")
    assert change.improved is None  # it may have fallen or risen: no arrow, no colour


def test_a_scaled_figures_whole_amount_is_compared(ranged):
    change = compare.latest_change(ranged, ranged.indicators["party-members"])
    assert change_label(change, "en") == "≈ +500 (+25%)"



def test_a_qualified_range_keeps_its_cue(ranged):
    about = _observation(quote="Năm 2024 chiếm khoảng từ 20% đến 22%", as_written="từ 20% đến 22%", value=20,
                         upper=22, qualifier="about")
    ind = ranged.indicators["vietnamese-value-share"]
    assert (stated_value(about, ind, "vi"), stated_value(about, ind, "en")) == (
        "khoảng từ 20% đến 22%", "about 20% to 22%")
