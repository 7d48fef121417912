"""Tasks each review sets for the next year, and what the next review says of them: proven on
load (silence by a search), listed by the CLI, exported, and shown first on the landing page."""

import csv
import io
import json
import subprocess
import sys
from dataclasses import replace

import pytest
import streamlit as st
from markupsafe import escape
from streamlit.testing.v1 import AppTest

from dashboard.core import changes
from dashboard.core.data import load
from dashboard.core.text_rules import isolate
from dashboard.present import cards, exports
from dashboard.present.figures import STATUS_STYLE, plans_figure
from tests.conftest import (
    APP,
    ROOT,
    SEED_2024,
    add_to_review_of_2024,
    index_of,
    problems_of,
    read_yaml,
    run_app,
    write_yaml,
)


def edit_plan(data_dir, plan_id, **fields):
    """Set (or, with None, delete) fields of one task; returns its record label."""
    plans = read_yaml(data_dir / "plans.yaml")
    index = index_of(plans, plan_id)
    for key, value in fields.items():
        if value is None:
            plans[index].pop(key, None)
        else:
            plans[index][key] = value
    write_yaml(data_dir / "plans.yaml", plans)
    return f"record {index + 1} ({plan_id})"


# ------------------------------------------------------------------ the curated tasks

def test_every_task_of_both_reviews_is_curated_with_its_status(ds):
    by_quote = {p.quote: p for p in ds.plans}
    # The Party secretary's key tasks for 2024, one record per task of his list.
    assert by_quote["Phổ cập hạ tầng số"].status == "words"
    assert by_quote["phổ cập các thành tố nền tảng của chuyển đổi số"].status == "not_mentioned"
    press = by_quote["lĩnh vực báo chí, xuất bản, truyền thông coi không gian mạng là mặt trận chính"]
    assert press.translation["en"] == "the press, publishing and media sector to treat cyberspace as the main front"
    growth = next(p for p in ds.plans if p.quote.startswith("phát triển các ứng dụng số"))
    assert growth.status == "figure" and "digital-economy-growth 2024 actual" in growth.outcome_observations
    # The guest's party-building tasks, each its own record, and his call to work with the Ban Cán sự Đảng.
    for task in ("Triển khai thực hiện đầy đủ, có hiệu quả các Nghị quyết của Trung ương, của Đảng ủy Khối",
                 "đẩy mạnh, kịp thời nắm bắt tình hình chính trị, tư tưởng của cán bộ, đảng viên trong toàn Đảng bộ",
                 "tăng cường công tác đấu tranh, bảo vệ nền tảng tư tưởng của Đảng trên không gian mạng",
                 "đẩy mạnh học tập, làm theo tư tưởng đạo đức, phong cách Hồ Chí Minh",
                 "chuẩn bị công tác triển khai hội Đảng các cấp", "tăng cường công tác kiểm tra, giám sát..."):
        assert by_quote[task].sector == "party-building" and by_quote[task].for_year == 2024
    coordinate = next(p for p in ds.plans if "Ban Cán sự Đảng" in p.quote)
    assert coordinate.status == "words" and "đã phối hợp cùng Ban cán sự Đảng" in coordinate.outcome_quote
    # The directions for 2025 await the review of 2025.
    assert {p.status for p in ds.plans if p.for_year == 2025} == {"awaiting"}
    assert {p.source for p in ds.plans if p.for_year == 2025} == {"mic-2024"}


def test_statements_hold_no_tasks_any_more(ds):
    task_quotes = {p.quote for p in ds.plans}
    assert not [s.id for s in ds.statements if s.quote in task_quotes]


# ------------------------------------------------------------------ proof on load

@pytest.mark.parametrize("term, added", [
    ("mặt trận", "Báo chí đã coi mạng là mặt trận chính."),
    ("mat tran", "Báo chí đã coi mạng là MẶT TRẬN chính."),  # diacritics and case aside
])
def test_silence_is_proven_by_a_search_of_the_next_review(project_copy, term, added):
    record = edit_plan(project_copy, "press-cyberspace-front-2024", search_terms=[term])
    assert load(project_copy)  # silent before the sentence is added
    add_to_review_of_2024(project_copy, added)
    found = problems_of(project_copy)
    assert len(found) == 1
    assert found[0].startswith(f"data/plans.yaml › {record} › search_terms: '{term}' occurs in seeds/{SEED_2024}")
    assert found[0].endswith(f"“{added}”")  # names the sentence


def test_a_search_term_matches_whole_words_only(project_copy):
    # "thành tố" folds to "thanh to", which "hoàn thành tốt" holds inside a word; that is no mention.
    edit_plan(project_copy, "ai-virtual-assistants-2024", search_terms=["thành tố"])
    assert load(project_copy)


def test_awaiting_is_an_error_once_the_next_review_is_in(project_copy):
    record = edit_plan(project_copy, "inspection-supervision-2024", status="awaiting",
                       outcome_quote=None, outcome_translation=None)
    assert problems_of(project_copy) == [
        f"data/plans.yaml › {record} › status: the review of 2024 (mic-2024) is in the data: record its outcome"
    ]


def test_an_outcome_is_required_before_the_next_review_is_in(project_copy):
    record = edit_plan(project_copy, "hold-firm-ideologically-2025", status="not_mentioned", search_terms=["x"])
    assert problems_of(project_copy) == [
        f"data/plans.yaml › {record} › status: no review of 2025 is in the data yet: the status is `awaiting`"
    ]


BROKEN = {
    # case: (fields to set on a task, field named, words in the message)
    "words without its quote": (
        "inspection-supervision-2024", {"outcome_quote": None}, "outcome_quote", "a `words` outcome needs"),
    "words quote not in the next review": (
        "inspection-supervision-2024", {"outcome_quote": "tăng cường công tác kiểm tra, giám sát"},
        "outcome_quote", "not found verbatim in seeds/mic-review-2024.txt, the review of 2024"),
    "figure from the wrong review": (
        "digital-applications-economy-2024", {"outcome_observations": ["laws-passed 2023 actual"]},
        "outcome_observations", "'laws-passed 2023 actual' is not a figure from mic-2024"),
    "figure with a words quote": (
        "digital-applications-economy-2024", {"outcome_quote": "Kinh tế số"}, "outcome_quote",
        "only `words` has outcome_quote, not `figure`"),
    "silence without search terms": (
        "ho-chi-minh-study-2024", {"search_terms": None}, "search_terms", "a `not_mentioned` outcome needs"),
    "task not in its review": (
        "ho-chi-minh-study-2024", {"quote": "đẩy mạnh học tập Hồ Chí Minh"}, "quote", "not found verbatim"),
    "task for a past year": (
        "hold-firm-ideologically-2025", {"for_year": 2024, "status": "words",
                                          "outcome_quote": "Với tinh thần đó", "outcome_translation": {"en": "So"}},
        "for_year", "2024 is not after the year 2024 it reviews"),
    "unknown status": ("ho-chi-minh-study-2024", {"status": "done"}, "status", "'figure', 'words'"),
    "target that is not one": (
        "online-public-services-2024", {"targets": ["vietnamese-value-share 2023 actual"]}, "targets",
        "is not a target figure from mic-2023"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_task_is_named_by_file_record_and_field(project_copy, case):
    plan_id, fields, field, words = BROKEN[case]
    record = edit_plan(project_copy, plan_id, **fields)
    found = problems_of(project_copy)
    assert [p for p in found if p.startswith(f"data/plans.yaml › {record} › {field}: ") and words in p], found


def test_every_broken_task_is_reported_at_once(project_copy):
    first = edit_plan(project_copy, "ho-chi-minh-study-2024", search_terms=None)
    second = edit_plan(project_copy, "inspection-supervision-2024", status="awaiting",
                       outcome_quote=None, outcome_translation=None)
    found = problems_of(project_copy)
    assert len(found) == 2 and first in found[0] and second in found[1]


# ------------------------------------------------------------------ CLI and exports

def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "dashboard", *args], capture_output=True, text=True, cwd=ROOT)


def test_cli_lists_every_task_with_its_status(ds):
    result = run_cli("plans", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("\ufeff")  # the one CSV writer: spreadsheets read the Vietnamese right
    rows = list(csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    assert len(rows) == len(ds.plans)
    assert set(rows[0]) >= {"set_in_year", "for_year", "sector", "task_quote", "status", "outcome_quote",
                            "indicators", "search_terms"}
    press = next(r for r in rows if r["id"] == "press-cyberspace-front-2024")
    assert (press["set_in_year"], press["for_year"], press["status"]) == ("2023", "2024", "not_mentioned")
    assert press["search_terms"] == "không gian mạng; mặt trận; xuất bản"
    growth = next(r for r in rows if r["id"] == "digital-applications-economy-2024")
    assert growth["indicators"] == "digital-economy-growth; digital-economy-growth-vs-gdp"
    assert growth["outcome_figures"] == \
        "digital-economy-growth 2024: vượt 20%/năm; digital-economy-growth-vs-gdp 2024: gần ba lần"
    assert {r["set_in_year"] for r in rows} == {"2023", "2024"}


def test_cli_json_and_sector_filter():
    result = run_cli("plans", "--format", "json", "--sector", "press-media")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == ["press-cyberspace-front-2024"]
    assert rows[0]["outcome_quote"] is None and rows[0]["outcome_source"] == "mic-2024"
    unknown = run_cli("plans", "--sector", "press")
    assert unknown.returncode == 2 and "unknown sector(s): press" in unknown.stderr


# ------------------------------------------------------------------ chart and cards

def test_chart_counts_tasks_by_status_and_narrows_with_the_sector_filter(ds):
    fig = plans_figure(ds, list(ds.sectors), "en")
    totals = {}
    for trace in fig.data:
        totals[trace.name] = totals.get(trace.name, 0) + sum(trace.x)
    assert totals == {"reported with a figure (curator's judgement)": 1, "reported in words (curator's judgement)": 6,
                      "not mentioned (searched)": 8,
                      "awaiting the next review": 2}
    assert [a.text for a in fig.layout.annotations] == ["Tasks for 2024", "Tasks for 2025"]
    press = plans_figure(ds, ["press-media"], "vi")
    assert [(trace.name, list(trace.y), list(trace.x)) for trace in press.data] == [
        ("không đề cập (đã tìm)", [isolate("Báo chí, truyền thông")], [1])]
    assert plans_figure(ds, ["postal"], "en") is None


def test_no_status_is_told_by_colour_alone(ds):
    fig = plans_figure(ds, list(ds.sectors), "en")
    patterns = {trace.name: trace.marker.pattern.shape for trace in fig.data}
    assert len(set(patterns.values())) == len(patterns)  # one pattern per status
    assert all(str(n) == text for trace in fig.data for n, text in zip(trace.x, trace.text, strict=True))
    key = cards.status_legend("vi")
    assert all(f"{label}</li>" in key for label in ("báo cáo bằng số liệu (đánh giá của người tuyển chọn)",
                                                    "báo cáo bằng lời (đánh giá của người tuyển chọn)",
                                                    "không đề cập (đã tìm)", "chờ báo cáo sau"))
    assert len({style["pattern"] for style in STATUS_STYLE.values()}) == len(STATUS_STYLE)


def test_sector_changes_classify_figures_and_silence(ds):
    old, new = changes.latest_pair(ds)
    assert (old.reviewed_year, new.reviewed_year) == (2023, 2024)
    institutions = changes.sector_changes(ds, "institutions", old, new)
    assert {f.kind for f in institutions.figures} == {"dropped"}
    assert not institutions.sector_dropped  # the 2024 review still speaks of the legal framework
    postal = changes.sector_changes(ds, "postal", old, new)
    assert postal.sector_dropped and postal.figures == []
    egov = changes.sector_changes(ds, "digital-transformation", old, new)
    [rank] = [f for f in egov.figures if f.indicator.id == "egov-rank"]
    assert rank.kind == "new" and rank.change.delta == -15
    html = cards.classification(ds, egov, "en")
    assert "new figure" in html and "up 15 places (2022→2024)" in html


def test_cards_escape_data_and_say_whose_judgement_a_words_outcome_is(ds):
    plan = next(p for p in ds.plans if p.id == "coordinate-with-party-affairs-committee-2024")
    html = cards.task_card(ds, plan, "en")
    assert "On this, the review of 2024 says:" in html and "the curator&#39;s judgement" in html
    assert escape(plan.outcome_quote) in html and escape(plan.outcome_translation["en"]) in html
    hostile = plan.model_copy(update={"quote": "<script>alert(1)</script>"})
    assert "<script>" not in cards.task_card(ds, hostile, "vi")


# ------------------------------------------------------------------ the landing page



def test_landing_page_shows_the_task_chart_first(fresh_caches):
    at = run_app(lang="en")
    assert at.get("plotly_chart")[0].proto.id.endswith("chart-plans")
    tab = at.tabs[0]
    assert tab.header[0].value == "Tasks set for each year: what the next review says of them"
    assert "Sector by sector: what changed from the review of 2023 to the review of 2024" in \
        [s.value for s in tab.header]
    bodies = " ".join(h.proto.body for h in tab.get("html"))
    searched = ", ".join(f"“{isolate(term)}”" for term in ("không gian mạng", "mặt trận", "xuất bản"))
    assert f"Searched the review of 2024 for: {searched}; not found." in bodies
    assert "On this, the review of 2024 says:" in bodies
    assert "sector no longer mentioned" in bodies  # postal services
    assert tab.caption[0].value == ("Tasks for 2024: 1 reported with a figure (curator's judgement), 6 reported in "
                                    "words (curator's judgement), 8 not mentioned (searched). Tasks for 2025: 2 "
                                    "awaiting the next review.")


def test_the_sector_filter_narrows_the_landing_page(fresh_caches):
    at = run_app(lang="vi", sector="press-media")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert {tuple(trace["y"]) for trace in spec["data"]} == {(isolate("Báo chí, truyền thông"),)}
    sector_cards = " ".join(h.proto.body for h in at.get("html") if "sector-changes" in h.proto.body)
    assert sector_cards.count("<h3>") == 1 and "<h3><bdi>Báo chí, truyền thông</bdi></h3>" in sector_cards
    postal = run_app(lang="en", sector="postal")
    assert not postal.get("plotly_chart")
    assert "No review sets a task for the chosen sectors." in [i.value for i in postal.info]


def test_data_tab_and_text_comparison_show_the_tasks(fresh_caches):
    at = run_app(lang="en", tab="data", sector="party-building")
    at.radio(key="data-table").set_value("tasks").run()
    assert not at.exception
    [table] = at.dataframe
    assert len(table.value) == 11 and "task_quote" in table.value.columns
    assert "11 tasks" in [c.value for c in at.caption]
    text = run_app(lang="en", tab="text", sector="press-media")
    bodies = " ".join(h.proto.body for h in text.get("html"))
    assert "Task set for 2024" in bodies and "treat cyberspace as the main front" in bodies


def test_the_tasks_csv_neutralises_formula_like_cells(ds):
    plan = ds.plans[0].model_copy(update={"quote": "=HYPERLINK(\"http://x\")", "translation": {"en": "@SUM(1)"}})
    rows = list(csv.DictReader(io.StringIO(
        exports.plans_csv(replace(ds, plans=[plan])).decode("utf-8-sig"))))
    assert (rows[0]["task_quote"], rows[0]["task_translation_en"]) == ("'=HYPERLINK(\"http://x\")", "'@SUM(1)")


def test_the_landing_page_shows_a_few_figures_per_review_and_points_to_the_rest(tmp_path, monkeypatch):
    """A big data set: each review's side of a sector card lists the first few figures, then says how many more."""
    from bench.generate import write_project

    data_dir = write_project(tmp_path, 200)  # 25 indicators a sector
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data_dir))
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.query_params.update({"lang": "en"})
        at.run()
    finally:
        st.cache_resource.clear()
    assert not at.exception
    cards_html = " ".join(h.proto.body for h in at.get("html"))
    assert cards_html.count("<p class=src>…and 13 more figures; see the By sector tab.</p>") == 16  # 8 sectors × 2
