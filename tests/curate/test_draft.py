"""`dashboard draft`: every record a review calls for, drafted from its text, never written into data/."""

import hashlib
from pathlib import Path

import pytest
import yaml

from bench.drafting import withdraw_review
from dashboard.cli import main
from dashboard.core.data import load
from dashboard.core.i18n import stated_value
from dashboard.core.schema import Observation, Plan
from dashboard.core.text_rules import fold
from dashboard.curate.accept import DRAFT_FIELDS
from tests.conftest import SEED_2024, index_of, problems_of, read_yaml, write_yaml


def fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(params=["mic-2023", "mic-2024"])
def withdrawn(request, project_copy) -> tuple[Path, str]:
    """A copy of the project whose review `source` is in sources.yaml but not curated."""
    withdraw_review(project_copy, request.param)
    return project_copy, request.param


def drafted(data_dir: Path, source: str, capsys) -> dict[str, list[dict]]:
    code = main(["--data-dir", str(data_dir), "draft", source])
    assert code == 0, capsys.readouterr().err
    folder = data_dir.parent / "drafts" / source
    return {p.stem: read_yaml(p) for p in folder.glob("*.yaml")}


def test_a_review_not_yet_curated_is_drafted_though_the_load_would_refuse_it(withdrawn, capsys):
    data_dir, source = withdrawn
    assert problems_of(data_dir)  # tasks awaiting a review in the data, or a sector silent without search terms
    before = fingerprint(data_dir)
    drafts = drafted(data_dir, source, capsys)
    assert drafts["observations"] and drafts["plans"] and drafts["statements"]
    assert fingerprint(data_dir) == before  # nothing written into data/
    assert all(r["draft"] is True and r["reason"] for records in drafts.values() for r in records)


def test_every_curated_figure_comes_back_with_its_value_qualifier_year_and_a_verbatim_quote(withdrawn, ds, capsys):
    data_dir, source = withdrawn
    candidates = drafted(data_dir, source, capsys)["observations"]
    seed = ds.seed_texts[source]
    for candidate in candidates:
        assert fold(candidate["quote"]) in seed  # verbatim by construction
        # Shaped like a curated record: with its translation written, the schema takes it as it is.
        record = {k: v for k, v in candidate.items() if k not in DRAFT_FIELDS} | {"translation": {"en": "-"}}
        Observation.model_validate(record)
    for obs in (o for o in ds.observations if o.source == source and o.kind != "derived"):
        assert any(c["value"] == obs.value and c["qualifier"] == obs.qualifier and c["year"] == obs.year
                   and c["kind"] == obs.kind and fold(obs.as_written) in fold(c["quote"]) for c in candidates), obs.key


def test_the_tasks_awaiting_the_review_get_a_suggested_outcome_the_schema_accepts(project_copy, ds, capsys):
    withdraw_review(project_copy, "mic-2024")
    plans = {p["id"]: p for p in drafted(project_copy, "mic-2024", capsys)["plans"]}
    awaiting = [p for p in ds.plans if p.for_year == 2024]
    assert {p.id for p in awaiting} <= set(plans)
    assert plans["inspection-supervision-2024"]["status"] == "words"
    assert plans["inspection-supervision-2024"]["outcome_quote"] == "công tác kiểm tra, giám sát được tăng cường"
    assert plans["digital-applications-economy-2024"]["outcome_observations"] == [
        "digital-economy-growth 2024 actual", "digital-economy-growth-vs-gdp 2024 actual"]
    silent = plans["ai-virtual-assistants-2024"]
    assert silent["status"] == "not_mentioned" and "trí tuệ" in silent["search_terms"]
    assert "not found" in silent["reason"]
    for plan in plans.values():
        record = {k: v for k, v in plan.items() if k not in DRAFT_FIELDS}
        for name in ("translation", "outcome_translation"):
            if name in record:
                record[name] = {"en": "-"}
        Plan.model_validate(record)


def test_the_tasks_a_review_sets_are_drafted_one_per_task(project_copy, ds, capsys):
    withdraw_review(project_copy, "mic-2023")
    drafted_tasks = [p["quote"] for p in drafted(project_copy, "mic-2023", capsys)["plans"]]
    for plan in (p for p in ds.plans if p.source == "mic-2023"):
        assert any(fold(plan.quote) in fold(quote) for quote in drafted_tasks), plan.id
    assert "Phổ cập hạ tầng số" in drafted_tasks


def test_structure_checks_still_stop_a_draft(project_copy, capsys):
    withdraw_review(project_copy, "mic-2024")
    observations = read_yaml(project_copy / "observations.yaml")
    observations[0]["indicator"] = "no-such-indicator"
    (project_copy / "observations.yaml").write_text(yaml.safe_dump(observations, allow_unicode=True), "utf-8")
    assert main(["--data-dir", str(project_copy), "draft", "mic-2024"]) == 1
    assert "unknown indicator 'no-such-indicator'" in capsys.readouterr().err
    assert not (project_copy.parent / "drafts").exists()


def test_drafts_already_there_are_never_overwritten(project_copy, capsys):
    withdraw_review(project_copy, "mic-2024")
    drafted(project_copy, "mic-2024", capsys)
    edited = project_copy.parent / "drafts" / "mic-2024" / "observations.yaml"
    edited.write_text("[]\n", encoding="utf-8")
    assert main(["--data-dir", str(project_copy), "draft", "mic-2024"]) == 2
    assert "holds drafts already" in capsys.readouterr().err
    assert edited.read_text(encoding="utf-8") == "[]\n"


def test_check_refuses_a_data_folder_holding_a_draft_record(project_copy, capsys):
    with (project_copy / "statements.yaml").open("a", encoding="utf-8") as out:
        out.write("- draft: true\n  reason: speaks of postal\n  id: postal-2024\n  sector: postal\n"
                  "  source: mic-2024\n  quote: x\n  translation: {en: ''}\n")
    assert main(["--data-dir", str(project_copy), "check"]) == 1
    assert "a draft candidate (`draft: true`)" in capsys.readouterr().err
    with pytest.raises(Exception, match="draft candidate"):
        load(project_copy)


# Made-up paragraphs a review might hold: ranges and scale words (the real reviews have none), a figure whose
# sector is named only in its paragraph, and one with no sector's words anywhere near it.
INVENTED = ("Năm 2024, tỷ lệ hộ gia đình có cáp quang đạt từ 20% đến 22%. Doanh thu dịch vụ số tăng 20-22%. "
            "Số thuê bao di động băng rộng đạt từ 1,5 đến 2 triệu thuê bao; khoảng 25 triệu người dùng mạng xã hội.",
            "Lĩnh vực bưu chính tiếp tục phát triển. Sản lượng đạt 1.234 tấn hàng.",
            "Con số đạt 4.321 đơn vị.")


def with_paragraphs(data_dir: Path, *paragraphs: str) -> Path:
    """The copy's review of 2024, withdrawn, with `paragraphs` added at its end and its SHA-256 pinned again."""
    withdraw_review(data_dir, "mic-2024")
    seed = data_dir.parent / "seeds" / SEED_2024
    seed.write_text(seed.read_text(encoding="utf-8") + "".join(f"\n\n{p}" for p in paragraphs), encoding="utf-8")
    sources = read_yaml(data_dir / "sources.yaml")
    sources[index_of(sources, "mic-2024")]["sha256"] = hashlib.sha256(seed.read_bytes()).hexdigest()
    write_yaml(data_dir / "sources.yaml", sources)
    return data_dir


def test_a_range_is_one_candidate_with_both_bounds_and_a_scale_word_its_scale(project_copy, ds, capsys):
    candidates = drafted(with_paragraphs(project_copy, *INVENTED), "mic-2024", capsys)["observations"]
    by_written = {c["as_written"]: c for c in candidates}
    expected = {"từ 20% đến 22%": (20, 22, None), "20-22%": (20, 22, None),
                "từ 1,5 đến 2 triệu": (1_500_000, 2_000_000, "million"), "25 triệu": (25_000_000, None, "million")}
    for written, (value, upper, scale) in expected.items():
        found = by_written[written]
        assert (found["value"], found.get("upper"), found.get("scale")) == (value, upper, scale), written
        record = {k: v for k, v in found.items() if k not in DRAFT_FIELDS} | {"translation": {"en": "-"}}
        Observation.model_validate(record)  # the schema takes it as drafted
    assert by_written["25 triệu"]["qualifier"] == "about"
    assert not [c for c in candidates if c["as_written"] in ("22%", "2 triệu")]  # an upper bound is no figure
    share = Observation.model_validate({k: v for k, v in by_written["từ 20% đến 22%"].items()
                                        if k not in DRAFT_FIELDS} | {"translation": {"en": "-"}})
    assert stated_value(share, ds.indicators["vietnamese-value-share"], "en") == "from 20% to 22%"


def test_a_sector_is_suggested_from_its_words_nearby_or_not_at_all(project_copy, capsys):
    drafts = drafted(with_paragraphs(project_copy, *INVENTED), "mic-2024", capsys)
    new = {i["id"]: i for i in drafts["indicators"]}
    tonnes = next(i for i in new.values() if "1.234" in i["reason"])
    assert tonnes["sector"] == "postal" and "in its paragraph" in tonnes["reason"]
    units = next(i for i in new.values() if "4.321" in i["reason"])
    assert units["sector"] is None  # no sector's words in its clause, sentence or paragraph: none, not a default
    assert "no sector's words" in units["reason"] and "choose one" in units["reason"]


def test_a_silent_tasks_search_is_recorded_term_by_term(project_copy, ds, capsys):
    withdraw_review(project_copy, "mic-2024")
    plans = {p["id"]: p for p in drafted(project_copy, "mic-2024", capsys)["plans"]}
    silent = plans["ai-virtual-assistants-2024"]
    assert {"trợ lý ảo", "AI"} <= set(silent["search_terms"])  # the task's key words, as written
    assert silent["searched"]["trợ lý ảo"] == "not found"
    resolutions = plans["implement-resolutions-2024"]
    assert "Đảng ủy Khối" in resolutions["search_terms"]  # a name kept whole
    found = resolutions["searched"]["Nghị quyết"]  # found, so not claimed absent: the sentence shown to judge
    assert found != "not found" and fold(found) in ds.seed_texts["mic-2024"]
    assert "Nghị quyết" not in resolutions["search_terms"] and "judge whether" in resolutions["reason"]
