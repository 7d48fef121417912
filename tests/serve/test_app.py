"""The Streamlit page, run headless with AppTest: what a reader sees for each
view, how the URL restores and follows the view, and how bad links and bad
data are reported instead of crashing the page."""

import html
import json
import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.core.i18n import t
from dashboard.core.languages import translated
from dashboard.present.quote_markup import md_escape
from tests.conftest import APP, TITLES, read_yaml, run_app, write_yaml

pytestmark = pytest.mark.usefixtures("fresh_caches")


def charts(at: AppTest) -> dict[str, dict]:
    """The page's Plotly figures by indicator id (from the chart key `chart-<id>`)."""
    found = {}
    for chart in at.get("plotly_chart"):
        indicator = chart.proto.id.split("-chart-", 1)[1]
        found[indicator] = json.loads(chart.proto.spec)
    return found


def headers(at: AppTest) -> list[str]:
    return [h.value for h in at.header]


def html_bodies(at: AppTest) -> list[str]:
    return [h.proto.body for h in at.get("html")]


def sector_headers(ds, sectors, lang):
    names = {s: translated(ds.sectors[s].name, lang) for s in sectors}
    return [md_escape(names[s]) for s in sectors]


def texts_of(figure: dict) -> str:
    """Every piece of text a figure shows: trace labels, hovers, annotations and the axis title."""
    parts = []
    for trace in figure["data"]:
        parts += trace.get("text") or []
        parts += trace.get("hovertext") or []
    parts += [a["text"] for a in figure["layout"].get("annotations", [])]
    parts.append(json.dumps(figure["layout"]["yaxis"].get("title"), ensure_ascii=False))
    return " ".join(parts).replace("<br>", " ")  # a line break reads as a space


# ---------------------------------------------------------------- default view


def test_default_page_runs_and_covers_every_sector(ds):
    at = run_app()
    assert [x.value for x in at.title] == [TITLES["vi"]]
    assert [tab.label for tab in at.tabs] == [t(f"tab_{k}", "vi") for k in ("overview", "sectors", "text", "data",
                                                                           "sources")]
    assert not at.warning and not at.error
    [matrix] = [h.proto.body for h in at.get("html") if "class=coverage" in h.proto.body]
    rows = re.findall(r"<th scope=row><bdi>(.*?)</bdi></th>", matrix)
    assert rows == [html.escape(s.name["vi"]) for s in ds.sectors.values()]  # every sector, none hidden
    assert not at.dataframe  # the landing page loads no data grid
    metric = at.metric[0]
    assert metric.value == "71/193 (2024)" and "tăng 15 bậc" in metric.proto.delta
    assert dict(at.query_params) == {}  # the default view is the bare address


def test_by_sector_shows_every_sector_and_every_chart(ds):
    at = run_app(tab="sectors")
    assert headers(at) == sector_headers(ds, ds.sectors, "vi")
    assert len(at.get("plotly_chart")) == 17 == len(ds.indicators)
    assert set(charts(at)) == set(ds.indicators)


# ---------------------------------------------------------------- widgets


def test_choosing_one_sector_shows_only_that_sector(ds):
    at = run_app(tab="sectors")
    at.multiselect(key="sectors").set_value(["digital-economy"]).run()
    assert not at.exception
    assert headers(at) == sector_headers(ds, ["digital-economy"], "vi")
    assert set(charts(at)) == {"digital-economy-growth", "digital-economy-growth-vs-gdp"}
    assert not any("71/193" in body for body in html_bodies(at))  # no quote from another sector


def test_two_sectors_keep_the_page_order(ds):
    at = run_app(tab="sectors")
    at.multiselect(key="sectors").set_value(["party-building", "digital-transformation"]).run()
    assert headers(at) == sector_headers(ds, ["digital-transformation", "party-building"], "vi")
    assert len(at.get("plotly_chart")) == 2 + 4


def test_switching_language_changes_labels_and_number_formats(ds):
    at = run_app(tab="sectors")
    vi = charts(at)
    assert "gần 2.000" in texts_of(vi["party-members"]) and "28,7%" in texts_of(vi["vietnamese-value-share"])
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert [x.value for x in at.title] == [TITLES["en"]]
    assert [tab.label for tab in at.tabs][1] == "By sector"
    assert headers(at) == sector_headers(ds, ds.sectors, "en")
    en = charts(at)
    egov = texts_of(en["egov-rank"])
    assert "71/193" in egov and "up 15 places" in egov and "Rank (lower is better)" in egov
    assert "86th (derived)" in egov and "71 + 15" in egov
    assert "nearly 2,000" in texts_of(en["party-members"]) and "28.7%" in texts_of(en["vietnamese-value-share"])
    assert "not reported" in texts_of(en["party-members"])
    assert any("<div class=en lang=en>" in body and "71st of 193" in body for body in html_bodies(at))
    assert at.multiselect(key="sectors").label == "Sectors"


def test_english_overview_metric(ds):
    at = run_app(lang="en")
    metric = at.metric[0]
    # The headline's label is a link to the figure's own view, in the page's language.
    assert metric.label == f"[{md_escape('E-government ranking (United Nations)')}](?figure=egov-rank&lang=en)"
    assert metric.value == "71/193 (2024)"
    assert "up 15 places" in metric.proto.delta


def test_quote_beside_the_chart_marks_the_figure():
    at = run_app(tab="sectors", sector="digital-transformation")
    quotes = [b for b in html_bodies(at) if "class=quote" in b and "71/193" in b]
    assert len(quotes) == 1
    assert "<mark>71/193</mark>" in quotes[0] and "<mark>15</mark>" in quotes[0]
    assert "đăng 2024-12<" in quotes[0] and "(chú thích ảnh)" in quotes[0]


def test_query_params_follow_the_widgets():
    at = run_app()
    at.multiselect(key="sectors").set_value(["digital-economy", "postal"]).run()
    assert at.query_params["sector"] == ["postal", "digital-economy"]  # the page's order
    assert "lang" not in at.query_params
    at.radio(key="lang").set_value("en").run()
    assert at.query_params["lang"] == "en"
    assert at.query_params["sector"] == ["postal", "digital-economy"]
    at.multiselect(key="sectors").set_value(["digital-economy"]).run()
    assert at.query_params["sector"] == "digital-economy"
    at.radio(key="lang").set_value("vi").run()
    at.multiselect(key="sectors").set_value([]).run()
    assert dict(at.query_params) == {}


# ---------------------------------------------------------------- links


def test_a_link_restores_its_view(ds):
    at = run_app(lang="en", sector=["digital-economy"], tab="sectors")
    assert at.radio(key="lang").value == "en"
    assert at.multiselect(key="sectors").value == ["digital-economy"]
    assert [x.value for x in at.title] == [TITLES["en"]]
    assert headers(at) == [md_escape("Digital economy")]
    assert set(charts(at)) == {"digital-economy-growth", "digital-economy-growth-vs-gdp"}
    assert "over 20%/year" in texts_of(charts(at)["digital-economy-growth"])
    assert not at.warning
    assert at.query_params["lang"] == "en" and at.query_params["tab"] == "sectors"


def test_a_link_with_comma_separated_sectors(ds):
    at = run_app(sector="party-building,postal", tab="sectors")
    assert at.multiselect(key="sectors").value == ["postal", "party-building"]
    assert headers(at) == sector_headers(ds, ["postal", "party-building"], "vi")


def test_bad_params_give_notices_and_the_page_still_renders():
    long = "z" * 5000
    at = run_app(sector=["nope", "digital-economy"], lang="xx", utm_source="mail", q=long, tab="sectors")
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 4, warnings
    joined = "\n".join(warnings)
    for rejected in ("nope", "xx", "utm_source"):
        assert f"“{md_escape(rejected)}”" in joined, joined
    assert long not in joined and all(len(w) < 400 for w in warnings)
    assert not at.error
    # what could be used still is
    assert [x.value for x in at.title] == [TITLES["vi"]]
    assert headers(at) == [md_escape("Kinh tế số")]
    assert len(at.get("plotly_chart")) == 2
    # and the URL now holds only the view actually shown
    assert "utm_source" not in at.query_params and at.query_params["sector"] == "digital-economy"
    assert len(at.query_params["q"]) == 200


def test_a_long_unknown_key_and_unicode_are_shown_shortened():
    key = "k" * 5000
    at = run_app(**{key: "1", "sector": "kinh-tế-số\u202e"})
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 2 and all(len(w) < 300 for w in warnings), warnings
    assert [x.value for x in at.title] == [TITLES["vi"]]


# ---------------------------------------------------------------- bad data


def test_broken_data_names_file_record_and_field(project_copy, monkeypatch):
    observations = read_yaml(project_copy / "observations.yaml")
    good = [dict(r) for r in observations]
    observations[5]["value"] = 29.7
    observations[5].pop("as_written")
    write_yaml(project_copy / "observations.yaml", observations)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(project_copy))
    st.cache_resource.clear()

    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception
    assert len(at.error) == 1
    assert t("data_error", "en") in at.error[0].value and t("data_error", "vi") in at.error[0].value
    shown = html.unescape(" ".join(html_bodies(at)))
    assert ("data/observations.yaml › record 6 (vietnamese-value-share 2023) › value: "
            "29.7 is not in the quote") in shown
    assert not at.get("plotly_chart") and not at.title

    # fixed on disk: a reload shows the page, the failure was not cached
    write_yaml(project_copy / "observations.yaml", good)
    at.run()
    assert not at.exception and not at.error
    assert [x.value for x in at.title] == [TITLES["vi"]]


def test_a_missing_data_file_is_an_error_not_a_crash(project_copy, monkeypatch):
    (project_copy / "sectors.yaml").unlink()
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(project_copy))
    st.cache_resource.clear()
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception and len(at.error) == 1
    assert "data/sectors.yaml: file is missing" in html.unescape(" ".join(html_bodies(at)))


# ---------------------------------------------------------------- a figure's own view


def test_a_figure_link_opens_that_figure_alone_with_its_quote_notes_and_panels(ds):
    at = run_app(figure="egov-rank", lang="en")
    assert set(charts(at)) == {"egov-rank"} and not at.tabs  # the figure alone, no tabs
    assert headers(at) == [md_escape("Sector: " + ds.sectors["digital-transformation"].name["en"])]
    bodies = " ".join(html_bodies(at))
    assert "<mark>71/193</mark>" in bodies and "<div class=en lang=en>" in bodies  # the quote, figure marked
    assert "Not reported in 2023" in bodies  # the years not reported, as By sector says them
    assert "71 + 15" in bodies  # the derivation note
    assert '<a href="?lang=en">' in bodies  # the way back, keeping the language
    assert "<details class=panel><summary>Cite</summary>" in bodies
    assert "E-government ranking (United Nations): 86th (2022, derived); 71/193 (2024). In: " in bodies
    assert ('<iframe src="/charts/egov-rank.html?lang=en" '  # the embed snippet, as text to copy; the label isolated
            'title="Chart: \u2068E-government ranking (United Nations)\u2069" loading="lazy"') in html.unescape(bodies)
    assert not at.warning
    assert dict(at.query_params) == {"lang": "en", "figure": "egov-rank"}  # the URL keeps the view


def test_a_figure_view_in_vietnamese_cites_in_vietnamese(ds):
    at = run_app(figure="party-members")
    assert set(charts(at)) == {"party-members"}
    bodies = " ".join(html_bodies(at))
    assert "gần <mark>2.000</mark>" in bodies and "<div class=en" not in bodies
    assert "<summary>Trích dẫn</summary>" in bodies and "<summary>Nhúng</summary>" in bodies
    assert "gần 2.000 (2023). Trong: Đảng ủy Bộ Thông tin và Truyền thông triển khai nhiệm vụ năm 2024." in bodies


def test_an_unknown_figure_is_ignored_with_a_notice():
    at = run_app(figure="no-such-figure", lang="en")
    [warning] = at.warning
    assert "figure that does not exist" in warning.value and md_escape("no-such-figure") in warning.value
    assert [tab.label for tab in at.tabs][0] == "Overview"  # the landing page, as without the parameter


def test_every_indicator_on_by_sector_links_to_its_own_view(ds):
    at = run_app(tab="sectors", lang="en")
    bodies = " ".join(html_bodies(at))
    for indicator in ds.indicators:
        assert f'<h3 class=ind><a href="?figure={indicator}&amp;lang=en"' in bodies


def test_switching_language_in_a_figure_view_keeps_the_figure(ds):
    at = run_app(figure="egov-rank")
    at.radio(key="lang").set_value("en").run()
    assert not at.exception and set(charts(at)) == {"egov-rank"}
    assert "E-government ranking (United Nations): 86th (2022, derived)" in " ".join(html_bodies(at))
    assert dict(at.query_params) == {"lang": "en", "figure": "egov-rank"}
