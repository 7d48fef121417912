"""Count and rank axes tick on whole numbers, as rendered (SVG through Kaleido and Chromium), in
both languages, on the page and in exports; change views join only neighbouring reported years."""

import re
from dataclasses import replace

import pytest

from dashboard.core.data import load
from dashboard.present.exports import ImageRenderer
from dashboard.present.figures import indicator_figure, plans_figure
from tests.core.test_data import add_review_of_2025

TICK = re.compile(r'<g class="([xy]\d?)tick"><text[^>]*>([^<]*)</text>')


@pytest.fixture(scope="module")
def renderer():
    with ImageRenderer() as own:
        yield own


def value_ticks(svg: bytes, axis: str) -> list[str]:
    """The tick labels of one value axis (`y`, `x`, `x2`…) as drawn."""
    return [label for name, label in TICK.findall(svg.decode()) if name == axis]


def assert_whole_and_distinct(labels: list[str], what: str) -> None:
    assert labels, f"{what}: no ticks drawn"
    assert len(labels) == len(set(labels)), f"{what}: repeated tick labels {labels}"
    numbers = [label.replace(".", "").replace(",", "").replace("\u2212", "-") for label in labels]
    assert all(re.fullmatch(r"-?\d+", n) for n in numbers), f"{what}: ticks that are not whole numbers {labels}"


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("standalone", [False, True], ids=["page", "export"])
def test_count_and_rank_axes_tick_on_whole_numbers(ds, renderer, lang, standalone):
    integral = [ind.id for ind in ds.indicators.values() if ind.unit in ("count", "rank")]
    assert "laws-passed" in integral  # 2 laws: drawn 0, 1, 1, 2, 2, 3 with half-step ticks
    for indicator_id in integral:
        svg = renderer.render(indicator_figure(ds, indicator_id, lang, standalone=standalone), "svg")
        assert_whole_and_distinct(value_ticks(svg, "y"), f"{indicator_id} ({lang})")


@pytest.mark.parametrize("value", [1, 3, 7, 12, 2500, 123456])
def test_small_and_large_counts(ds, renderer, value):
    laws = next(o for o in ds.observations if o.indicator == "laws-passed")
    scaled = replace(ds, observations=[o.model_copy(update={"value": value}) if o is laws else o
                                       for o in ds.observations])
    labels = value_ticks(renderer.render(indicator_figure(scaled, "laws-passed", "en", standalone=True), "svg"), "y")
    assert_whole_and_distinct(labels, f"laws-passed = {value}")
    assert len(labels) <= 10


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_task_chart_counts_tasks_in_whole_numbers(ds, renderer, lang):
    svg = renderer.render(plans_figure(ds, list(ds.sectors), lang), "svg")
    for axis in ("x", "x2"):
        assert_whole_and_distinct(value_ticks(svg, axis), f"task chart {axis} ({lang})")
    narrow = renderer.render(plans_figure(ds, ["press-media"], lang), "svg")
    assert value_ticks(narrow, "x") == ["0", "1"]


def slopes(fig):
    return [(list(trace.x), list(trace.y)) for trace in fig.data if getattr(trace, "mode", None) == "lines"]


def test_a_slope_joins_neighbouring_years_and_never_an_unreported_one(project_copy):
    add_review_of_2025(project_copy)
    ds = load(project_copy)
    assert slopes(indicator_figure(ds, "digital-economy-growth", "en")) == [(["2024", "2025"], [20.0, 25.5])]
    # 2022 (derived) and 2024 are both stated, but 2023 is not reported: no line across it.
    assert slopes(indicator_figure(ds, "egov-rank", "en")) == []
    change = [a.text for a in indicator_figure(ds, "digital-economy-growth", "en").layout.annotations
              if a.text.startswith("Change")]
    assert change == ["Change 2024→2025:<br><b>≈ +5.5 pp (+27.5%)</b>"]


def test_no_slope_within_one_year_or_to_a_target(ds):
    assert slopes(indicator_figure(ds, "online-public-service-use", "en")) == []
    assert slopes(indicator_figure(ds, "digital-economy-growth", "vi")) == []
