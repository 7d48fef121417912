"""The data with its description: a Frictionless Data Package beside every export, checked by `frictionless validate`
itself, and each chart's metadata."""

import csv
import io
import json
import zipfile
from typing import get_args

import pytest
from frictionless import validate

from dashboard.core.changes import plans_frame
from dashboard.core.i18n import LANGUAGES
from dashboard.core.schema import Kind
from dashboard.present import datapackage, exports


@pytest.fixture(scope="module")
def exported(ds, tmp_path_factory):
    """Every chart as HTML and CSV with the data, the tasks and datapackage.json, as the CLI writes them."""
    folder = tmp_path_factory.mktemp("export")
    plan = exports.plan_bundle(ds, list(ds.sectors), ["html", "csv"])
    exports.write_files(folder, exports.bundle_files(ds, plan, "en"))
    return folder


def descriptor_of(folder) -> dict:
    return json.loads((folder / datapackage.DESCRIPTOR).read_text(encoding="utf-8"))


def test_an_exported_folder_is_a_valid_data_package_of_every_csv_in_it(exported):
    report = validate(str(exported / datapackage.DESCRIPTOR))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    described = {resource["path"] for resource in descriptor_of(exported)["resources"]}
    assert described == {path.name for path in exported.glob("*.csv")}


def test_a_column_of_the_wrong_type_fails_validation(exported):
    descriptor = descriptor_of(exported)
    fields = descriptor["resources"][0]["schema"]["fields"]
    next(field for field in fields if field["name"] == "source_published")["type"] = "date"  # 2024-12 is a month
    broken = exported / "broken-datapackage.json"
    broken.write_text(json.dumps(descriptor), encoding="utf-8")
    report = validate(str(broken))
    assert not report.valid
    assert {tuple(error[1:]) for error in report.flatten(["rowNumber", "fieldName", "type"])} == {
        ("source_published", "type-error")}


def test_every_column_of_every_table_is_described_with_its_type_and_the_language_of_its_text(ds, exported):
    tables = {resource["path"]: resource for resource in descriptor_of(exported)["resources"]}
    for name, frame in ((exports.DATA_FILE, ds.frame), (exports.PLANS_FILE, plans_frame(ds))):
        fields = tables[name]["schema"]["fields"]
        with open(exported / name, encoding="utf-8-sig", newline="") as file:
            assert [f["name"] for f in fields] == next(csv.reader(file)) == list(frame.columns)
        assert all(f["description"] and f["type"] in ("string", "integer", "number") for f in fields)
    fields = {f["name"]: f for f in tables[exports.DATA_FILE]["schema"]["fields"]}
    assert (fields["quote"]["language"], fields["label_en"]["language"], fields["translation_en"]["language"]) == (
        "vi", "en", "en")
    assert "language" not in fields["value"] and fields["value"]["type"] == "number"
    assert fields["year"]["type"] == "integer"
    assert set(ds.frame.kind) <= set(fields["kind"]["constraints"]["enum"]) == set(get_args(Kind))


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_description_is_in_the_page_language(ds, lang):
    described = datapackage.descriptor(ds, lang, [("observations", "observations.csv", "observations")])
    fields = described["resources"][0]["schema"]["fields"]
    other = next(other for other in LANGUAGES if other != lang)
    assert described["language"] == lang
    assert described != datapackage.descriptor(ds, other, [("observations", "observations.csv", "observations")])
    assert next(f for f in fields if f["name"] == "label_en")["description"].endswith("(en).")


def test_the_sources_are_stated_as_sources_yaml_states_them_and_no_terms_are_claimed(ds, exported):
    described = descriptor_of(exported)
    assert "licenses" not in described
    assert "none stated" in described["terms_of_use"].lower()
    by_hash = {source["sha256"]: source for source in described["sources"]}
    for source in ds.sources.values():
        stated = by_hash[source.sha256]
        assert stated["published"] == source.published  # a month stays a month
        assert (stated["publisher"], stated["title_vi"]) == (source.publisher, source.title["vi"])
        assert stated["terms_of_use"] == "none stated"
    assert any(s["published"] == "2024-12" and s["title"].endswith("(photo caption)") for s in described["sources"])


def test_the_zip_holds_the_data_package_and_its_readme_names_it(ds):
    plan = exports.plan_bundle(ds, ["digital-transformation"], ["csv"])
    archive = zipfile.ZipFile(io.BytesIO(exports.zip_bundle(exports.bundle_files(ds, plan, "vi"))))
    described = json.loads(archive.read(datapackage.DESCRIPTOR))
    assert {r["path"] for r in described["resources"]} == {n for n in archive.namelist() if n.endswith(".csv")}
    assert datapackage.DESCRIPTOR in archive.read(exports.README_FILE).decode("utf-8")


def test_a_chart_metadata_gives_its_unit_notes_year_notes_derivations_and_sources(ds):
    metadata = datapackage.chart_metadata(ds, "egov-rank", "en")
    assert metadata["indicator"]["label"] == "E-government ranking (United Nations)"
    assert metadata["unit"]["id"] == "rank"
    assert [(f["year"], f["stated_as"]) for f in metadata["figures"]] == [(2022, "86th"), (2024, "71/193")]
    assert metadata["derivations"] == [{"formula": "71 + 15 = 86", "year": 2022,
                                        "how": "The 2024 rank (71) plus the 15 places gained since 2022"}]
    assert [note["year"] for note in metadata["year_notes"]] == [2024]
    assert [s["sha256"] for s in metadata["sources"]] == [ds.sources["mic-2024"].sha256]
