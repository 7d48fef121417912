"""Search finds claims however they are typed; coverage proves no number was left out."""

import hashlib
import subprocess
import sys

import pytest

from dashboard.core import search
from dashboard.core.data import DataError, load
from dashboard.curate import coverage as curation_coverage
from tests.conftest import ROOT, read_yaml, write_yaml


@pytest.fixture(scope="module")
def index(ds):
    return search.build_index(ds)


def matched(hit):
    text = hit.entry.translation if hit.in_translation else hit.entry.text
    return [text[a:b] for a, b in hit.spans]


@pytest.mark.parametrize(
    "query, found",
    [
        ("chuyen doi so", "chuyển đổi số"),
        ("an toan thong tin", "An toàn thông tin"),
        ("dang uy", "Đảng ủy"),  # đ matches d
        ("CHÍNH PHỦ ĐIỆN TỬ", "Chính phủ điện tử"),
    ],
)
def test_a_query_without_diacritics_finds_text_with_them(index, query, found):
    hits = search.search(index, query)
    assert any(found in matched(h) for h in hits)


def test_chinh_phu_dien_tu_finds_the_e_government_sentence_with_its_indicator(index):
    top = search.search(index, "chinh phu dien tu")[0]
    assert top.entry.text.startswith("Xếp hạng Chính phủ điện tử của Việt Nam")
    assert top.entry.indicators == ("egov-rank",)
    assert top.entry.year == 2024


def test_diacritics_as_typed_rank_before_folded_matches(index):
    # "an toàn" typed exactly outranks sentences that only match once diacritics are dropped
    hits = search.search(index, "tư tưởng")
    assert hits and hits[0].rank == search.EXACT
    folded_only = search.search(index, "tu tuong")
    assert {h.rank for h in folded_only} == {search.FOLDED}


def test_curated_sentences_come_first(index):
    hits = search.search(index, "an toan thong tin")
    assert hits[0].entry.indicators == ("cybersecurity-rank",)
    assert not hits[-1].entry.indicators


def test_english_queries_search_the_translations(index):
    hits = search.search(index, "cybersecurity")
    assert hits and hits[0].in_translation
    assert "cybersecurity" in matched(hits[0])[0].lower()
    assert "17/194" in hits[0].entry.text


def test_nothing_found_and_empty_query(index):
    assert search.search(index, "xyzzy") == []
    assert search.search(index, "   ") == []


def test_search_cli(tmp_path):
    found = subprocess.run([sys.executable, "-m", "dashboard", "search", "chinh", "phu", "dien", "tu"],
                           capture_output=True, text=True, cwd=ROOT)
    assert found.returncode == 0
    assert "»Chính phủ điện tử«" in found.stdout and "indicators: egov-rank" in found.stdout
    none = subprocess.run([sys.executable, "-m", "dashboard", "search", "xyzzy"], capture_output=True, text=True,
                          cwd=ROOT)
    assert none.returncode == 1 and "0 match(es)" in none.stderr


def test_real_data_has_no_missing_number(ds):
    for source_id in ds.sources:
        summary = curation_coverage.summarise(curation_coverage.mentions(ds, source_id), source_id)
        assert summary.missing == 0, source_id
        assert summary.curated > 0


def test_every_curated_indicator_is_found_in_the_reports(ds):
    mentions = [m for s in ds.sources for m in curation_coverage.mentions(ds, s)]
    ids = {i for m in mentions if m.status == "curated" for i in m.indicators}
    assert ids == set(ds.indicators)


@pytest.mark.parametrize(
    "text, status, detail",
    [
        ("71/193", "curated", "egov-rank"),
        ("15", "curated", "egov-rank"),  # an operand of the derived 2022 rank
        ("ba", "curated", "digital-economy-growth-vs-gdp"),
        ("2022", "excluded", "A calendar year, not a figure"),
    ],
)
def test_mentions_are_classified(ds, text, status, detail):
    found = [m for m in curation_coverage.mentions(ds, "mic-2024") if m.text == text]
    assert found and (found[0].status, found[0].detail("en")) == (status, detail)


def test_coverage_cli_passes_on_the_real_data():
    result = subprocess.run([sys.executable, "-m", "dashboard", "coverage"], capture_output=True, text=True,
                            cwd=ROOT)
    assert result.returncode == 0, result.stdout
    assert "22 numeric mentions: 8 curated, 14 deliberately left out, 0 missing" in result.stdout


def test_coverage_fails_on_a_report_with_an_uncurated_number(project_copy):
    seed = project_copy.parent / "seeds" / "mic-review-2024.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + " Mạng 5G phủ sóng 63 tỉnh.", encoding="utf-8")
    sources = read_yaml(project_copy / "sources.yaml")
    sources[1]["sha256"] = hashlib.sha256(seed.read_bytes()).hexdigest()
    write_yaml(project_copy / "sources.yaml", sources)
    result = subprocess.run([sys.executable, "-m", "dashboard", "--data-dir", str(project_copy), "coverage"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert "“Mạng 5G phủ sóng 63 tỉnh.”" in result.stdout
    # "5G" is a number to the scanner too: a curator rules it out in exclusions.yaml
    assert "✗ 63  missing" in result.stdout and "✗ 5  missing" in result.stdout
    assert "24 numeric mentions: 8 curated, 14 deliberately left out, 2 missing" in result.stdout


def test_a_stale_exclusion_rule_is_an_error(project_copy):
    rules = read_yaml(project_copy / "exclusions.yaml")
    rules.append({"pattern": "không có trong báo cáo", "reason": {"vi": "x", "en": "x"}})
    write_yaml(project_copy / "exclusions.yaml", rules)
    with pytest.raises(DataError, match="exclusions.yaml › record 10 › pattern: matches nothing"):
        load(project_copy)
