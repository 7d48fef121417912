"""The language catalogues (dashboard/locales/): a file is a language, checked once when first read."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.core import i18n
from dashboard.core.data import DataError, load
from dashboard.core.i18n import (
    LANGUAGES,
    CatalogueError,
    catalogues,
    number,
    plotly_separators,
    quantity,
    stated_value,
    t,
)
from dashboard.present.figures import indicator_figure
from dashboard.present.url_view import parse_view
from dashboard.serve import web
from tests.conftest import ROOT, add_language, run_app

NNBSP = "\u202f"  # French groups digits with a narrow no-break space (Babel's locale data, not ours)


@pytest.fixture
def locales(tmp_path, monkeypatch) -> Path:
    """A writable copy of the catalogues, in use until the test ends."""
    folder = tmp_path / "locales"
    shutil.copytree(i18n.LOCALES_DIR, folder)
    monkeypatch.setenv("DASHBOARD_LOCALES_DIR", str(folder))
    catalogues.cache_clear()
    yield folder
    catalogues.cache_clear()  # the environment is restored after this, and the next read uses it


def edit(path: Path, **changes: str | None) -> None:
    """Replace (or, given None, drop) whole `key: text` lines of a catalogue."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        key = line.split(":", 1)[0]
        if key in changes:
            if changes[key] is not None:
                lines.append(f"{key}: {changes.pop(key)}")
            else:
                changes.pop(key)
        else:
            lines.append(line)
    lines += [f"{key}: {text}" for key, text in changes.items() if text is not None]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def add_french(folder: Path) -> None:
    """English with French texts where a test looks; French has the ordinal categories `one` and `other`."""
    french = folder / "fr.yaml"
    shutil.copy(folder / "en.yaml", french)
    edit(french, language_name="Français", title="'Bilans de fin d''année du ministère : {years}'",
         quantity_nearly="près de", unit_suffix_percent="' %'", unit_rank="Rang (le plus bas est le meilleur)",
         ordinal_one="'{n}er'", ordinal_two=None, ordinal_few=None, ordinal_other="'{n}e'")


def test_a_third_catalogue_is_a_third_language_with_no_code_change(locales, project_copy, app_env):
    """A third catalogue, and a copy of the data with a third translation of every field: the page in French."""
    add_french(locales)
    with pytest.raises(DataError, match=r"indicators\.yaml › record 1 \(laws-passed\) › label\.fr: no fr text"):
        load(ROOT / "data")  # the data must speak every page language
    add_language(project_copy, "fr")
    ds = load(project_copy)
    assert list(LANGUAGES) == ["vi", "en", "fr"]  # the default first
    assert LANGUAGES["fr"] == "Français"
    assert t("title", "fr", years="2023–2024") == "Bilans de fin d'année du ministère : 2023–2024"
    assert number(1234567.5, "fr") == f"1{NNBSP}234{NNBSP}567,5"
    assert quantity(2000, "count", "fr", "nearly") == f"près de 2{NNBSP}000"
    assert quantity(28.7, "percent", "fr") == "28,7 %"
    growth = next(o for o in ds.observations if o.indicator == "digital-economy-growth")
    # the report's own word ("vượt") is the reports' language's: a copy of the English catalogue translates it
    assert stated_value(growth, ds.indicators["digital-economy-growth"], "fr") == "over 20%/year"
    assert [quantity(n, "rank", "fr") for n in (1, 2, 86)] == ["1er", "2e", "86e"]
    fig = indicator_figure(ds, "egov-rank", "fr")
    assert fig.layout.separators == f",{NNBSP}"
    assert fig.layout.yaxis.title.text == "Rang (le plus bas est le meilleur)"
    assert parse_view({"lang": "fr"}, ds.sectors).lang == "fr"
    app_env(project_copy)
    at = run_app(lang="fr", tab="sectors", sector="digital-transformation")
    assert [title.value for title in at.title] == [i18n.title("fr", ds.years)]
    assert i18n.title("fr", ds.years).startswith("Bilans de fin d'année du ministère : ")
    shown = " ".join(h.proto.body for h in at.get("html"))
    assert "[fr] E-government ranking (United Nations)" in shown  # the label in French, from the data


def test_separators_come_from_babel():
    assert (plotly_separators("vi"), plotly_separators("en"), plotly_separators("de")) == (",.", ".,", ",.")


@pytest.mark.parametrize("change, message", [
    (lambda d: edit(d / "en.yaml", title=None), "en.yaml › title: missing, though vi.yaml has it"),
    (lambda d: edit(d / "vi.yaml", extra_note="thêm"), "en.yaml › extra_note: missing, though vi.yaml has it"),
    (lambda d: edit(d / "en.yaml", ordinal_few=None), "en.yaml › ordinal_few: missing; en has this ordinal"),
    (lambda d: edit(d / "vi.yaml", ordinal_two="'thứ {n}'"), "vi.yaml › ordinal_two: vi has no such ordinal"),
    (lambda d: edit(d / "en.yaml", points="[pp]"), "en.yaml › points: not a text but list"),
    (lambda d: edit(d / "en.yaml", points="'unclosed"), "en.yaml › not a readable YAML file"),
    (lambda d: edit(d / "en.yaml", points="!!str points"), "en.yaml › line "),
    (lambda d: (d / "vi.yaml").unlink(), "vi.yaml › missing: the default language's catalogue"),
    (lambda d: shutil.copy(d / "en.yaml", d / "english.yaml"), "english.yaml › file name: 'english' is not a locale"),
])
def test_a_broken_catalogue_is_an_error_naming_file_and_key(locales, change, message):
    change(locales)
    with pytest.raises(CatalogueError) as error:
        t("title", "vi")
    assert message in str(error.value)
    assert str(locales) in str(error.value)  # the file by its whole path


def test_every_problem_is_reported_at_once(locales):
    edit(locales / "en.yaml", title=None, caption=None)
    with pytest.raises(CatalogueError, match=r"(?s)en\.yaml › caption: missing.*en\.yaml › title: missing"):
        catalogues()


def test_catalogues_are_read_once(locales):
    assert t("points", "en") == "pp"
    shutil.rmtree(locales)
    assert t("points", "en") == "pp"


def test_an_edit_to_a_catalogue_gives_the_stable_urls_a_new_etag(locales):
    """A chart's words come from the catalogues, so its ETag (web.Catalog.version) covers them."""
    catalog = web.Catalog()
    before = catalog.version()
    edit(locales / "en.yaml", points="p.p.")
    assert catalog.version() != before


def test_a_yaml_tag_in_a_catalogue_is_refused_on_the_page_and_by_check(locales, fresh_caches):
    """fast_yaml would read `!!python/object/apply:…` as the plain text after it: a tag is an error instead."""
    edit(locales / "en.yaml", title="!!python/object/apply:os.system 'touch x'")
    line = next(n for n, text in enumerate((locales / "en.yaml").read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("title:"))
    problem = f"en.yaml › line {line}: a YAML tag (!!python/object/apply:os.system)"
    at = run_app()
    assert [e.value for e in at.error] == [i18n.CATALOGUE_ERROR]
    assert problem in at.get("html")[0].proto.body
    assert not at.title and not at.tabs
    check = subprocess.run([sys.executable, "-m", "dashboard", "check"], capture_output=True, text=True, cwd=ROOT)
    assert check.returncode == 1 and "Traceback" not in check.stderr
    assert problem in check.stderr
