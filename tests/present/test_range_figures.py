"""A range and a scale word on the chart, in its description, its image and every export, as the report words them."""

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from frictionless import validate

from dashboard.core.data import load
from dashboard.present import datapackage, exports
from dashboard.present.describe import chart_description
from dashboard.present.figures import indicator_figure
from tests.conftest import ROOT, add_range_and_scale
from tests.present.test_exports import png_size

SHARE = "vietnamese-value-share"


@pytest.fixture(scope="module")
def ranged(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ranged")
    shutil.copytree(ROOT / "data", folder / "data")
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    return load(add_range_and_scale(folder / "data"))


def _bars(fig):
    return {trace.x[0]: trace for trace in fig.data if trace.type == "bar"}


@pytest.mark.parametrize(("lang", "label"), [("vi", "từ 30% đến 32%"), ("en", "from 30% to 32%")])
def test_a_range_is_a_bar_floating_from_its_lower_to_its_upper_bound_labelled_as_written(ranged, lang, label):
    bars = _bars(indicator_figure(ranged, SHARE, lang))
    assert (bars["2024"].text[0], bars["2024"].base[0], bars["2024"].y[0]) == (label, 30, 2)
    assert bars["2023"].base is None and bars["2023"].y[0] == 28.7  # a single figure stands on zero
    figure = indicator_figure(ranged, SHARE, lang)
    lines = [trace for trace in figure.data if trace.type == "scatter" and trace.mode == "lines"]
    assert not lines  # no slope to a point of the range the report does not state


def test_the_axis_reaches_above_the_upper_bound(ranged):
    assert indicator_figure(ranged, SHARE, "en").layout.yaxis.range[1] > 32


def test_the_chart_description_says_a_range_is_one(ranged):
    assert ("2024: from 30% to 32% (a range, not one figure: drawn as a bar from its lower to its upper bound)"
            in chart_description(ranged, SHARE, "en"))
    assert "từ 30% đến 32% (một khoảng, không phải một số" in chart_description(ranged, SHARE, "vi")
    assert "Change 2023→2024: +1.3 to +3.3 pp (+4.53% to +11.5%)." in chart_description(ranged, SHARE, "en")


def test_a_scale_word_is_on_the_chart_label_in_every_language(ranged):
    assert _bars(indicator_figure(ranged, "party-members", "en"))["2024"].text[0] == "about 2.5 thousand"
    assert _bars(indicator_figure(ranged, "party-members", "vi"))["2024"].text[0] == "khoảng 2,5 nghìn"


def test_the_csv_carries_the_upper_bound_the_scale_and_the_figure_as_worded(ranged):
    rows = {(r["indicator_id"], r["year"]): r
            for r in csv.DictReader(io.StringIO(exports.data_csv(ranged).decode("utf-8-sig")))}
    share, members = rows[(SHARE, "2024")], rows[("party-members", "2024")]
    assert (share["value"], share["upper"], share["scale"]) == ("30", "32", "")
    assert (share["stated_vi"], share["stated_en"]) == ("từ 30% đến 32%", "from 30% to 32%")
    assert (members["value"], members["upper"], members["scale"]) == ("2500", "", "thousand")
    assert (members["stated_vi"], members["stated_en"]) == ("khoảng 2,5 nghìn", "about 2.5 thousand")
    assert rows[(SHARE, "2023")]["upper"] == ""


def test_the_data_package_describes_upper_and_scale_and_validates(ranged, tmp_path):
    plan = exports.plan_bundle(ranged, ["digital-industry", "party-building"], ["csv"])
    exports.write_files(tmp_path, exports.bundle_files(ranged, plan, "en"))
    report = validate(str(tmp_path / datapackage.DESCRIPTOR))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    described = json.loads((tmp_path / datapackage.DESCRIPTOR).read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in described["resources"][0]["schema"]["fields"]}
    assert fields["upper"]["type"] == "number" and "upper bound" in fields["upper"]["description"]
    assert fields["scale"]["constraints"] == {"enum": ["thousand", "million", "billion"]}
    figures = datapackage.chart_metadata(ranged, SHARE, "en")["figures"]
    assert {"upper": 32, "stated_as": "from 30% to 32%"}.items() <= figures[-1].items()


def test_a_chart_with_a_range_renders_to_an_image(ranged, tmp_path):
    """Look at it: `RANGE_SHOTS=folder pytest …` keeps the PNGs."""
    keep = Path(os.environ.get("RANGE_SHOTS") or tmp_path)
    with exports.ImageRenderer() as renderer:
        for lang in ("vi", "en"):
            png = exports.export_chart(ranged, SHARE, "png", lang, renderer)
            assert png_size(png) == exports.EXPORT_SIZE
            (keep / f"range-{lang}.png").write_bytes(png)


def test_a_range_of_change_is_on_lines_a_phone_screen_does_not_cut(ranged):
    [note] = [a.text for a in indicator_figure(ranged, SHARE, "vi").layout.annotations if "Thay đổi" in a.text]
    assert note.endswith("<b>+1,3 đến +3,3 điểm %<br>(+4,53 % đến +11,5 %)</b>")
