"""Adding next year's review, end to end on a copy of the project: ingest the saved page, draft, judge,
accept, translate, check; the page and the exports then show three reviews."""

from pathlib import Path

from dashboard.cli import main
from dashboard.core.data import load
from dashboard.core.i18n import title
from dashboard.core.text_rules import find_phrase
from dashboard.present.exports import data_csv
from tests.conftest import ROOT, read_yaml, run_app, write_yaml

PAGE = Path(__file__).parent / "pages" / "portal.html"
TEXTS = ("title", "label", "translation", "outcome_translation", "name", "year_note")


def run(data_dir: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def translate(record: dict) -> None:
    """The curator's translations: every empty text of the record written (here, marked as English)."""
    for name in TEXTS:
        text = record.get(name)
        if isinstance(text, dict):
            source = record.get("outcome_quote" if name == "outcome_translation" else "quote") or text.get("vi")
            record[name] = {lang: value or f"[{lang}] {source}" for lang, value in text.items()}


def test_next_years_review_from_its_saved_page_to_the_dashboard(project_copy, app_env, capsys):
    data = project_copy
    # 1. Ingest: the seed is written, the record printed; the curator writes the English title and adds it.
    code, record, _ = run(data, capsys, "ingest", str(PAGE), "--id", "mic-2025", "--reviewed-year", "2025")
    assert code == 0
    with (data / "sources.yaml").open("a", encoding="utf-8") as sources:
        sources.write("\n" + record.replace("en: ''", "en: The Party Committee reviews 2025"))
    # 2. Draft: the review is in sources.yaml but not curated, which the check refuses and the draft expects.
    assert run(data, capsys, "check")[0] == 1
    code, _, told = run(data, capsys, "draft", "mic-2025")
    assert code == 0
    drafts = data.parent / "drafts" / "mic-2025"
    observations = read_yaml(drafts / "observations.yaml")
    by_value = {o["as_written"]: o for o in observations}
    assert (by_value["2.100"]["qualifier"], by_value["2.100"]["indicator"]) == ("nearly", "party-members")
    assert (by_value["15/194"]["denominator"], by_value["15/194"]["indicator"]) == (194, "cybersecurity-rank")
    assert by_value["25%"]["kind"] == "target" and by_value["25%"]["year"] == 2026
    estimate = by_value["25 triệu"]  # "ước đạt khoảng 25 triệu": an estimate, about (not nearly) 25 million
    assert (estimate["value"], estimate["qualifier"], estimate["kind"]) == (25_000_000, "about", "estimate")
    assert estimate["scale"] == "million"  # so the English page reads "about 25 million", not "25,000,000"
    # 3. Judge: delete what is not a figure ("gấp đôi so với năm 2020" is kept here as a figure), translate, and
    # choose a sector where the draft found no sector's words (it never guesses one).
    for path in drafts.glob("*.yaml"):
        records = read_yaml(path)
        for candidate in records:
            translate(candidate)
            if "sector" in candidate and candidate["sector"] is None:
                assert "no sector's words" in candidate["reason"]
                candidate["sector"] = "digital-infrastructure"
        write_yaml(path, records)
    # A sector the review is silent on gets the words it would use (the draft named the sectors).
    silent = told.split("No candidate speaks of ")[1].split(":")[0].split(", ")
    body = (data.parent / "seeds" / "mic-2025.txt").read_text(encoding="utf-8")
    sectors = read_yaml(data / "sectors.yaml")
    for sector in sectors:
        if sector["id"] in silent and not sector.get("search_terms"):
            assert find_phrase(body, sector["name"]["vi"]) is None
            sector["search_terms"] = [sector["name"]["vi"]]
    write_yaml(data / "sectors.yaml", sectors)
    # 4. Accept: the candidates move into data/, the files keep their comments.
    comments = (data / "observations.yaml").read_text(encoding="utf-8")
    assert run(data, capsys, "draft", "mic-2025", "--accept")[0] == 0
    assert (data / "observations.yaml").read_text(encoding="utf-8").startswith(comments)
    assert not drafts.exists()
    # 5. Check passes; the data, the exports and the page show three reviews.
    code, out, err = run(data, capsys, "check")
    assert code == 0, err
    ds = load(data)
    assert ds.years == [2023, 2024, 2025]
    assert sum(1 for o in ds.observations if o.source == "mic-2025") == len(observations)
    rows = [row for row in data_csv(ds).decode("utf-8-sig").splitlines() if "mic-2025" in row]
    assert len(rows) == len(observations) and any("2.100" in row and "nearly" in row for row in rows)
    assert any("25 triệu" in row and ",estimate,about," in row for row in rows)
    assert any(",about 25 million," in row for row in rows)  # the English stated column, scale in words
    app_env(data)
    at = run_app(lang="en")
    assert [x.value for x in at.title] == [title("en", [2023, 2024, 2025])]
    assert (ROOT / "data" / "sources.yaml").read_text(encoding="utf-8").count("- id:") == 2  # the repo untouched
