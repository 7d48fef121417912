"""The curated data: provenance proven on every load, and a data layer that
accepts a new year's review with no code change."""

import hashlib
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.core.data import load
from dashboard.core.text_rules import fold, isolate
from dashboard.present import exports
from tests.conftest import APP, ROOT, read_yaml, write_yaml

SHARED_SEEDS = ROOT.parent / "shared" / "seeds"


def test_seeds_are_byte_copies_of_the_shared_reports():
    originals = sorted(SHARED_SEEDS.glob("*.txt"))
    if not originals:
        pytest.skip("shared/ is not beside this checkout")
    ours = {hashlib.sha256(p.read_bytes()).hexdigest() for p in (ROOT / "seeds").glob("*.txt")}
    assert {hashlib.sha256(p.read_bytes()).hexdigest() for p in originals} == ours


def test_every_quote_stands_verbatim_in_its_seed(ds):
    for record in [*ds.observations, *ds.statements]:
        seed = (ROOT / ds.sources[record.source].file).read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", record.quote)
        assert fold(record.quote) in fold(seed), record


def test_no_quote_comes_from_the_web_page_boilerplate(ds):
    boilerplate = fold((ROOT / "seeds/mic-review-2023.txt").read_text()).split("Thảo Anh banner")[1]
    for record in [*ds.observations, *ds.statements]:
        assert fold(record.quote) not in boilerplate


@pytest.mark.parametrize(
    "indicator, year, value, kind",
    [
        ("laws-passed", 2023, 2, "actual"),
        ("circulars-issued", 2023, 17, "actual"),
        ("vietnamese-value-share", 2023, 28.7, "actual"),
        ("online-public-service-use", 2024, 70, "target"),
        ("party-members", 2023, 2000, "actual"),
        ("egov-rank", 2024, 71, "actual"),
        ("egov-rank", 2022, 86, "derived"),
        ("cybersecurity-rank", 2024, 17, "actual"),
        ("digital-economy-growth", 2024, 20, "actual"),
        ("digital-economy-growth-vs-gdp", 2024, 3, "actual"),
        ("policy-communication-coverage", 2024, 97.8, "actual"),
        ("harmful-content-removal", 2024, 93, "actual"),
        ("thematic-resolutions", 2024, 4, "actual"),
    ],
)
def test_headline_figures_are_curated_with_the_right_year(ds, indicator, year, value, kind):
    frame = ds.frame
    row = frame[(frame.indicator_id == indicator) & (frame.year == year) & (frame.kind == kind)]
    assert row.value.tolist() == [value]


def test_every_sector_has_a_passage_from_some_review(ds):
    for sector in ds.sectors:
        assert any(s.sector == sector for s in ds.statements), sector


def test_ranks_are_lower_is_better(ds):
    for ind in ds.indicators.values():
        if ind.unit == "rank":
            assert ind.better == "lower"


REVIEW_2025 = (
    "date 2025-12\nNăm 2025, Kinh tế số tăng trưởng 25,5%/năm. "
    "Các cán bộ đảng viên tiếp tục giữ vững tư tưởng, chính trị. "
    "Năm 2026 cần đẩy mạnh chuyển đổi số.\n"
)


def add_review_of_2025(data_dir: Path) -> None:
    """A review of 2025 added as data only: its seed, source, a figure, the outcomes of the tasks
    set for 2025 and a task it sets for 2026, exactly as a curator would."""
    root = data_dir.parent
    seed = root / "seeds" / "mic-review-2025.txt"
    seed.write_text(REVIEW_2025, encoding="utf-8")
    sources = read_yaml(data_dir / "sources.yaml")
    sources.append({
        "id": "mic-2025", "file": "seeds/mic-review-2025.txt",
        "title": {"vi": "Tổng kết năm 2025", "en": "Review of 2025"},
        "publisher": "Bộ Thông tin và Truyền thông", "published": "2025-12", "published_as_written": "date 2025-12",
        "body_start": "date 2025-12",
        "reviewed_year": 2025, "sha256": hashlib.sha256(seed.read_bytes()).hexdigest(),
    })
    write_yaml(data_dir / "sources.yaml", sources)
    observations = read_yaml(data_dir / "observations.yaml")
    observations.append({
        "indicator": "digital-economy-growth", "year": 2025, "value": 25.5, "kind": "actual",
        "qualifier": "exact", "source": "mic-2025",
        "quote": "Năm 2025, Kinh tế số tăng trưởng 25,5%/năm.",
        "translation": {"en": "In 2025 the digital economy grew 25.5% a year."},
    })
    write_yaml(data_dir / "observations.yaml", observations)
    outcomes = {
        "hold-firm-ideologically-2025": {
            "status": "words", "outcome_quote": "Các cán bộ đảng viên tiếp tục giữ vững tư tưởng, chính trị.",
            "outcome_translation": {
                "en": "Cadres and Party members continued to hold firm ideologically and politically."},
        },
        "pioneering-exemplary-2025": {"status": "not_mentioned", "search_terms": ["tiên phong", "gương mẫu"]},
    }
    plans = [{**plan, **outcomes.get(plan["id"], {})} for plan in read_yaml(data_dir / "plans.yaml")]
    assert {p["id"] for p in plans if p["for_year"] == 2025} == set(outcomes)
    plans.append({
        "id": "digital-transformation-2026", "sector": "digital-transformation", "source": "mic-2025",
        "for_year": 2026, "quote": "đẩy mạnh chuyển đổi số", "translation": {"en": "step up digital transformation"},
        "status": "awaiting",
    })
    write_yaml(data_dir / "plans.yaml", plans)
    sectors = read_yaml(data_dir / "sectors.yaml")
    for sector in sectors:  # the sectors it is silent on, searched for by name
        sector.setdefault("search_terms", [sector["name"]["vi"]])
    write_yaml(data_dir / "sectors.yaml", sectors)


def test_a_third_review_needs_no_code_change(project_copy, monkeypatch):
    add_review_of_2025(project_copy)

    dataset = load(project_copy)
    assert dataset.years == [2023, 2024, 2025]
    growth = dataset.frame.query("indicator_id == 'digital-economy-growth'")
    assert growth.year.tolist() == [2024, 2025]
    csv = subprocess.run(
        [sys.executable, "-m", "dashboard", "--data-dir", str(project_copy), "data"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout
    assert ",Digital economy growth rate,2025,25.5,,percent_per_year,actual,exact," in csv

    # The tasks set for 2025 now have outcomes from the review of 2025.
    tasks = json.loads(subprocess.run(
        [sys.executable, "-m", "dashboard", "--data-dir", str(project_copy), "plans", "--format", "json"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout)
    fates = {row["id"]: (row["status"], row["outcome_source"]) for row in tasks if row["set_in_year"] >= 2024}
    assert fates == {
        "hold-firm-ideologically-2025": ("words", "mic-2025"),
        "pioneering-exemplary-2025": ("not_mentioned", "mic-2025"),
        "digital-transformation-2026": ("awaiting", None),
    }
    readme = exports.readme(dataset, ["digital-economy-growth"], ["csv"], "en")
    assert readme.startswith("Bộ TT&TT year-end reviews, 2023–2025:")

    # The page: the title names the new range, the landing compares the latest two reviews.
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(project_copy))
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.query_params["lang"] = "en"
        at.run()
    finally:
        st.cache_resource.clear()
    assert not at.exception, [e.value for e in at.exception]
    assert [x.value for x in at.title] == ["Ministry of Information and Communications year-end reviews: 2023–2025"]
    subheaders = [x.value for x in at.header]
    assert "Sector by sector: what changed from the review of 2024 to the review of 2025" in subheaders
    chart = json.loads(next(c for c in at.get("plotly_chart") if c.proto.id.endswith("chart-plans")).proto.spec)
    panels = [a["text"] for a in chart["layout"]["annotations"]]
    assert panels == ["Tasks for 2024", "Tasks for 2025", "Tasks for 2026"]
    pages = " ".join(h.proto.body for h in at.get("html"))
    assert "On this, the review of 2025 says:" in pages
    searched = ", ".join(f"“{isolate(term)}”" for term in ("tiên phong", "gương mẫu"))
    assert f"Searched the review of 2025 for: {searched}; not found." in pages
