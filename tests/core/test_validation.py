"""Broken data gets one clear message per problem, naming file, record and field."""

import subprocess
import sys

import pytest

from dashboard.core.data import DataError, load
from dashboard.core.languages import translated
from tests.conftest import ROOT, add_language, read_yaml, write_yaml


def edit(file, index, /, **changes):
    """A mutation: set (or, with value None, delete) fields of record `index` of `file`."""
    def mutate(data_dir):
        records = read_yaml(data_dir / file)
        for key, value in changes.items():
            if value is None:
                records[index].pop(key, None)
            else:
                records[index][key] = value
        write_yaml(data_dir / file, records)
    return mutate


def append_copy(name, index):
    def mutate(data_dir):
        records = read_yaml(data_dir / name)
        records.append(dict(records[index]))
        write_yaml(data_dir / name, records)
    return mutate


def write_text(name, text):
    def mutate(data_dir):
        (data_dir / name).write_text(text, encoding="utf-8")
    return mutate


def change_seed(data_dir):
    seed = data_dir.parent / "seeds" / "mic-review-2024.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("71/193", "70/193"), encoding="utf-8")


def remove_seed(data_dir):
    (data_dir.parent / "seeds" / "mic-review-2023.txt").unlink()


CASES = {
    # case: (mutation, file, record, field, words in the message)
    "quote not in seed": (
        edit("observations.yaml", 5, quote="Công nghiệp công nghệ số chiếm 28,7%"),
        "observations.yaml", "record 6 (vietnamese-value-share 2023)", "quote", "not found verbatim"),
    "value not in quote": (
        edit("observations.yaml", 5, value=29.7, as_written=None),
        "observations.yaml", "record 6 (vietnamese-value-share 2023)", "value", "29.7 is not in the quote"),
    "as_written not in quote": (
        edit("observations.yaml", 0, as_written="03 Luật"),
        "observations.yaml", "record 1 (laws-passed 2023)", "as_written", "not in the quote"),
    "as_written states another number": (
        edit("observations.yaml", 0, value=3),
        "observations.yaml", "record 1 (laws-passed 2023)", "as_written", "does not state 3"),
    "unknown indicator": (
        edit("observations.yaml", 0, indicator="laws-pased"),
        "observations.yaml", "record 1 (laws-pased 2023)", "indicator", "unknown indicator 'laws-pased'"),
    "unknown source": (
        edit("observations.yaml", 0, source="mic-2019"),
        "observations.yaml", "record 1 (laws-passed 2023)", "source", "unknown source 'mic-2019'"),
    "unknown sector": (
        edit("indicators.yaml", 0, sector="law"),
        "indicators.yaml", "record 1 (laws-passed)", "sector", "unknown sector 'law'"),
    "duplicate indicator id": (
        append_copy("indicators.yaml", 0),
        "indicators.yaml", "record 18 (laws-passed)", "id", "duplicate id 'laws-passed'"),
    "duplicate observation": (
        append_copy("observations.yaml", 0),
        "observations.yaml", "record 19 (laws-passed 2023)", "year", "a second actual value"),
    "implausible year": (
        edit("observations.yaml", 0, year=2013, year_note={"vi": "Năm khác", "en": "Another year"}),
        "observations.yaml", "record 1 (laws-passed 2013)", "year", "implausible"),
    "wrong type": (
        edit("observations.yaml", 0, value="hai"),
        "observations.yaml", "record 1 (laws-passed 2023)", "value", "valid number"),
    "unknown kind": (
        edit("observations.yaml", 0, kind="forecast"),
        "observations.yaml", "record 1 (laws-passed 2023)", "kind", "'actual', 'target', 'derived' or 'estimate'"),
    "missing translation": (
        edit("observations.yaml", 0, translation=None),
        "observations.yaml", "record 1 (laws-passed 2023)", "translation", "Field required"),
    "translation missing a page language": (
        edit("statements.yaml", 1, translation={}),
        "statements.yaml", "record 2 (postal-2023)", "translation.en", "no en text"),
    "translation into the reports' own language": (
        edit("plans.yaml", 0, translation={"vi": "Phổ cập hạ tầng số", "en": "Make digital infrastructure universal"}),
        "plans.yaml", "record 1 (universal-digital-infrastructure-2024)", "translation.vi",
        "'vi' is not one of its languages: a quote is translated into every page language but vi"),
    "label missing a page language": (
        edit("indicators.yaml", 5, label={"vi": "Tỷ lệ giá trị Việt Nam"}),
        "indicators.yaml", "record 6 (vietnamese-value-share)", "label.en", "no en text"),
    "text in a language that is not a page language": (
        edit("sectors.yaml", 1, name={"vi": "Thể chế", "en": "Institutions", "fr": "Institutions"}),
        "sectors.yaml", "record 2 (institutions)", "name.fr", "'fr' is not one of its languages"),
    "text as text, not one per language": (
        edit("exclusions.yaml", 0, reason="Năm dương lịch"),
        "exclusions.yaml", "record 1", "reason", "valid dictionary"),
    "blank label": (
        edit("indicators.yaml", 5, label={"vi": "Tỷ lệ", "en": "   "}),
        "indicators.yaml", "record 6 (vietnamese-value-share)", "label.en", "at least 1 character"),
    "misspelt field": (
        edit("indicators.yaml", 5, lable="x"),
        "indicators.yaml", "record 6 (vietnamese-value-share)", "lable", "unknown field"),
    "qualifier the quote does not carry": (
        edit("observations.yaml", 5, qualifier="over"),
        "observations.yaml", "record 6 (vietnamese-value-share 2023)", "qualifier", "none of vượt"),
    "derived without formula": (
        edit("observations.yaml", 12, formula=None),
        "observations.yaml", "record 13 (egov-rank 2022)", "formula", "needs the formula"),
    "derived without its explanation": (
        edit("observations.yaml", 12, derivation=None),
        "observations.yaml", "record 13 (egov-rank 2022)", "derivation", "explains its formula"),
    "formula that does not give the value": (
        edit("observations.yaml", 12, formula="71 + 16"),
        "observations.yaml", "record 13 (egov-rank 2022)", "value", "formula gives 87"),
    "formula with code in it": (
        edit("observations.yaml", 12, formula="__import__('os')"),
        "observations.yaml", "record 13 (egov-rank 2022)", "formula", "not arithmetic"),
    "denominator not in quote": (
        edit("observations.yaml", 11, denominator=194),
        "observations.yaml", "record 12 (egov-rank 2024)", "denominator", "no '71/194'"),
    "changed seed": (
        change_seed, "sources.yaml", "record 2 (mic-2024)", "sha256", "has changed"),
    "missing seed": (
        remove_seed, "sources.yaml", "record 1 (mic-2023)", "file", "seeds/mic-review-2023.txt is missing"),
    "seed path escaping the project": (
        edit("sources.yaml", 0, file="../../etc/passwd"),
        "sources.yaml", "record 1 (mic-2023)", "file", "inside the project"),
    "bad hash format": (
        edit("sources.yaml", 0, sha256="abc"),
        "sources.yaml", "record 1 (mic-2023)", "sha256", "should match pattern"),
    "statement quote from elsewhere": (
        edit("statements.yaml", 1, quote="Bưu chính tăng trưởng mạnh."),
        "statements.yaml", "record 2 (postal-2023)", "quote", "not found verbatim"),
    "comparability note in one language": (
        edit("indicators.yaml", 0, comparability={"en": "A different measure."}),
        "indicators.yaml", "record 1 (laws-passed)", "comparability.vi", "no vi text"),
    "contrast without a note": (
        edit("indicators.yaml", 0, comparability=None),
        "indicators.yaml", "record 1 (laws-passed)", "comparability", "needs a note saying why"),
    "number the YAML reads as a float": (
        write_text("sectors.yaml", "- id: postal\n  name:\n    vi: 2.000\n    en: Postal\n"),
        "sectors.yaml", "record 1 (postal)", "name.vi", "put the value in quotes"),
    "name past its ceiling": (
        edit("sectors.yaml", 0, name={"vi": "Kinh tế số" + "Ư" * 191, "en": "Whole sector"}),
        "sectors.yaml", "record 1 (whole-sector)", "name.vi", "at most 200 characters"),
    "label past its ceiling": (
        edit("indicators.yaml", 0, label={"vi": "Luật", "en": "Laws" + "s" * 197}),
        "indicators.yaml", "record 1 (laws-passed)", "label.en", "at most 200 characters"),
    "title past its ceiling": (
        edit("sources.yaml", 0, title={"vi": "Báo cáo " * 40, "en": "A review"}),
        "sources.yaml", "record 1 (mic-2023)", "title.vi", "at most 300 characters"),
    "note past its ceiling": (
        edit("indicators.yaml", 0, note={"vi": "Ghi chú " * 130, "en": "A note."}),
        "indicators.yaml", "record 1 (laws-passed)", "note.vi", "at most 1000 characters"),
    "malformed YAML": (
        write_text("sectors.yaml", "- id: postal\n  name: {vi: [unclosed\n"),
        "sectors.yaml", "line", "", "not valid YAML"),
    "empty file": (
        write_text("statements.yaml", ""), "statements.yaml", "", "", "file is empty"),
    "not a list": (
        write_text("sectors.yaml", "id: postal\n"), "sectors.yaml", "", "", "expected a list of records"),
    "missing file": (
        lambda d: (d / "sectors.yaml").unlink(), "sectors.yaml", "", "", "file is missing"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_problem_names_file_record_and_field(project_copy, case):
    mutate, file, record, field, words = CASES[case]
    mutate(project_copy)
    with pytest.raises(DataError) as caught:
        load(project_copy)
    matches = [
        p for p in caught.value.problems
        if p.file == f"data/{file}" and p.record.startswith(record) and p.field == field
    ]
    assert matches, "\n".join(map(str, caught.value.problems))
    assert any(words in p.message for p in matches), "\n".join(map(str, matches))


def test_every_problem_is_reported_not_just_the_first(project_copy):
    edit("observations.yaml", 0, source="nowhere")(project_copy)
    edit("indicators.yaml", 0, sector="nowhere")(project_copy)
    with pytest.raises(DataError) as caught:
        load(project_copy)
    assert {p.file for p in caught.value.problems} == {"data/observations.yaml", "data/indicators.yaml"}


def test_two_reviews_of_one_year_are_an_error(project_copy):
    sources = read_yaml(project_copy / "sources.yaml")
    sources[1]["reviewed_year"] = 2023
    write_yaml(project_copy / "sources.yaml", sources)
    with pytest.raises(DataError, match=r"record 2 \(mic-2024\) › reviewed_year: a second review of 2023"):
        load(project_copy)


def test_the_languages_are_data(project_copy):
    """Every record of every file lacks a third language until the data gives one; then it loads in three."""
    load(project_copy)  # cached for two languages: not an answer for three
    three = ("vi", "en", "fr")
    with pytest.raises(DataError) as caught:
        load(project_copy, languages=three)
    lacking = {(p.file, p.record) for p in caught.value.problems if p.field.endswith(".fr")}
    for path in project_copy.glob("*.yaml"):
        assert len({record for file, record in lacking if file == f"data/{path.name}"}) == len(read_yaml(path))
    assert ("data/indicators.yaml", "record 1 (laws-passed)", "label.fr") in {
        (p.file, p.record, p.field) for p in caught.value.problems}

    add_language(project_copy, "fr")
    ds = load(project_copy, languages=three)
    assert translated(ds.indicators["laws-passed"].label, "fr") == "[fr] Laws passed by the National Assembly"
    assert {"sector_fr", "label_fr", "translation_fr"} <= set(ds.frame.columns)
    assert "translation_vi" not in ds.frame.columns  # the quote is the Vietnamese
    with pytest.raises(DataError, match=r"label\.fr: 'fr' is not one of its languages"):
        load(project_copy)


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "dashboard", *args], capture_output=True, text=True, cwd=ROOT)


def test_check_passes_on_the_real_data():
    result = run_cli("check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: 2 sources")


def test_check_fails_with_every_problem_and_no_traceback(project_copy):
    edit("observations.yaml", 0, source="nowhere")(project_copy)
    remove_seed(project_copy)
    result = run_cli("--data-dir", str(project_copy), "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "data/observations.yaml › record 1 (laws-passed 2023) › source: unknown source 'nowhere'" in result.stderr
    assert "data/sources.yaml › record 1 (mic-2023) › file: seed seeds/mic-review-2023.txt is missing" in result.stderr


SECTORS_WITH = "- id: postal\n  name: {{vi: {tagged}, en: Postal}}\n  search_terms: ['bưu chính']\n"


@pytest.mark.parametrize("tagged", ['!!python/object/apply:os.system "touch x"', "!!python/object/apply:os.system [x]",
                                    "!foo Bưu chính", "!!str Bưu chính", "! Bưu chính"])
def test_a_yaml_tag_is_a_data_error_naming_file_and_line(project_copy, tagged):
    """fast_yaml drops a tag without a word (the sector's name became "touch x"): a tag is refused instead."""
    (project_copy / "sectors.yaml").write_text(SECTORS_WITH.format(tagged=tagged), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(project_copy)
    tags = [p for p in caught.value.problems if "YAML tag" in p.message]
    assert [(p.file, p.record) for p in tags] == [("data/sectors.yaml", "line 2")], caught.value.problems
    result = run_cli("--data-dir", str(project_copy), "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "data/sectors.yaml › line 2: a YAML tag" in result.stderr


def test_a_bang_in_text_or_a_comment_is_no_tag(project_copy):
    sectors = read_yaml(project_copy / "sectors.yaml")
    sectors[0]["name"]["en"] = "!foo Postal !!str"  # written quoted: text, not a tag
    sectors[1]["name"]["en"] += " !!str"  # within a plain text
    write_yaml(project_copy / "sectors.yaml", sectors)
    with (project_copy / "sectors.yaml").open("a", encoding="utf-8") as file:
        file.write("# !!python/object/apply:os.system a comment\n")
    ds = load(project_copy)
    assert translated(ds.sectors[sectors[0]["id"]].name, "en") == "!foo Postal !!str"
