"""Hostile URLs (issue 6).

Whatever a link carries — unknown sectors, repeated keys, 10,000 characters,
bidi overrides, zero-width and NUL characters, markup — the page renders,
ignores what it cannot use and says so in a visible notice; nothing in the URL
runs. Export file names stay inside the folder asked for, whatever the ids.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
import shutil
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from frictionless import validate
from playwright.sync_api import expect
from streamlit.testing.v1 import AppTest

from dashboard.core.data import load
from dashboard.core.i18n import t
from dashboard.core.schema import Indicator, Observation, Sector
from dashboard.present import exports
from dashboard.present.url_view import shorten
from dashboard.serve.process import APP
from tests.browser import goto, new_page
from tests.conftest import ROOT, TITLES, read_yaml, write_yaml
from tests.serving import serve

TIMEOUT_MS = 90_000
LONG = "x" * 10_000


def prefix(key: str, lang: str) -> str:
    """The fixed start of a notice, before the rejected values."""
    return t(key, lang).split("{values}")[0]


def unescape_md(text: str) -> str:
    """Markdown as a reader sees it: escapes and the invisible bidi isolates around each value dropped."""
    return re.sub(r"\\(.)", r"\1", re.sub("[\u2068\u2069]", "", text))


# case: (query parameters, {notice key: values it must echo (shortened)}, (lang, sectors, tab) the page then shows)
URLS = {
    "unknown sector": ({"sector": ["nowhere"]}, {"unknown_sectors": ["nowhere"]}, ("vi", (), "overview")),
    "repeated keys": (
        {"lang": ["en", "vi"], "sector": ["postal", "nowhere", "postal"], "tab": ["text", "data"]},
        {"unknown_lang": ["vi"], "unknown_sectors": ["nowhere"], "unknown_tab": ["data"]},
        ("en", ("postal",), "text"),
    ),
    "10,000-character value": ({"sector": [LONG]}, {"unknown_sectors": [LONG]}, ("vi", (), "overview")),
    "10,000-character key": ({LONG: ["1"]}, {"unknown_params": [LONG]}, ("vi", (), "overview")),
    "right-to-left override": (
        {"sector": ["\u202epostal"], "lang": ["\u202ben"]},
        {"unknown_sectors": ["\u202epostal"], "unknown_lang": ["\u202ben"]},
        ("vi", (), "overview"),
    ),
    "zero-width characters": (
        {"sector": ["post\u200bal", "\ufeffpostal"], "lang": ["e\u200dn"]},
        {"unknown_sectors": ["post\u200bal", "\ufeffpostal"], "unknown_lang": ["e\u200dn"]},
        ("vi", (), "overview"),
    ),
    "emoji": (
        {"sector": ["📮", "postal📮"], "tab": ["🗂️"], "🦄": ["1"]},
        {"unknown_sectors": ["📮", "postal📮"], "unknown_tab": ["🗂️"], "unknown_params": ["🦄"]},
        ("vi", (), "overview"),
    ),
    "wrong language codes": (
        {"lang": ["fr", "vi-VN", "english", "zz"]},
        {"unknown_lang": ["fr", "vi-vn", "english", "zz"]},
        ("vi", (), "overview"),
    ),
    "script in values": (
        {"sector": ["<script>window.__xss=1</script>"], "lang": ['<img src=x onerror="window.__xss=2">']},
        {"unknown_sectors": ["<script>window.__xss=1</script>"],
         "unknown_lang": ['<img src=x onerror="window.__xss=2">']},
        ("vi", (), "overview"),
    ),
    "NUL and control characters": (
        {"sector": ["\x00", "postal\x00"], "lang": ["\x00en"], "tab": ["\x1b[31msectors"]},
        {"unknown_sectors": ["\x00", "postal\x00"], "unknown_lang": ["\x00en"], "unknown_tab": ["\x1b[31msectors"]},
        ("vi", (), "overview"),
    ),
    "empty lang": ({"lang": [""]}, {"unknown_lang": [""]}, ("vi", (), "overview")),
    "empty tab": ({"tab": [""]}, {"unknown_tab": [""]}, ("vi", (), "overview")),
    "empty sector": ({"sector": [""]}, {"unknown_sectors": [""]}, ("vi", (), "overview")),
    "empty key": ({"": ["x"]}, {"unknown_params": [""]}, ("vi", (), "overview")),
    "unknown parameters": (
        {"utm_source": ["mail"], "fbclid": ["abc"], "Lang": ["en"]},
        {"unknown_params": ["utm_source", "fbclid", "Lang"]},
        ("vi", (), "overview"),
    ),
    "Markdown in a value": (
        {"sector": ["**bold** :red[x] $x^2$ [a](javascript:alert(1))"]},
        {"unknown_sectors": ["**bold** :red[x] $x^2$ [a](javascript:alert(1))"]},
        ("vi", (), "overview"),
    ),
    "comma list with garbage": (
        {"sector": ["postal,,nowhere, ,information-security,"]},
        {"unknown_sectors": ["nowhere"]},
        ("vi", ("postal", "information-security"), "overview"),
    ),
    "percent-encoded twice": (
        {"sector": ["%00%3Cscript%3E"], "tab": ["%2e%2e%2f"]},
        {"unknown_sectors": ["%00%3Cscript%3E"], "unknown_tab": ["%2e%2e%2f"]},
        ("vi", (), "overview"),
    ),
}


@pytest.fixture
def real_data(app_env, project_copy):
    """The app on a private copy of the real data (others may be editing data/)."""
    app_env(project_copy)
    return project_copy


def run_app(params: dict[str, list[str]]) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    for key, values in params.items():
        at.query_params[key] = values
    return at.run()


def notices(at: AppTest, key: str, lang: str) -> list[str]:
    return [unescape_md(w.value) for w in at.warning if w.value.startswith(prefix(key, lang))]


@pytest.mark.parametrize("case", URLS, ids=list(URLS))
def test_garbage_in_the_url_is_ignored_with_a_notice(real_data, case):
    params, expected, (lang, sectors, tab) = URLS[case]
    at = run_app(params)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    assert [x.value for x in at.title] == [TITLES[lang]], "the page did not render"
    view = at.session_state["view"]
    assert (view.lang, view.sectors, view.tab) == (lang, sectors, tab)
    for key, values in expected.items():
        shown = notices(at, key, lang)
        assert len(shown) == 1, f"no single {key!r} notice; warnings: {[w.value for w in at.warning]}"
        for value in values:
            assert f"“{shorten(value)}”" in shown[0], (value, shown[0])
        assert len(shown[0]) < 1_000 + 50 * len(values), f"notice of {len(shown[0]):,} characters"
        assert not re.search("[\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff\x00-\x1f]", shown[0]), repr(shown[0])


def test_a_clean_url_gives_no_notice(real_data):
    at = run_app({"lang": ["en"], "sector": ["postal", "information-security"], "tab": ["sectors"]})
    assert not at.exception
    assert not [w for w in at.warning if any(w.value.startswith(prefix(k, "en")) for k in
                                             ("unknown_lang", "unknown_sectors", "unknown_tab", "unknown_params"))]
    shown = [unescape_md(h.value) for h in at.header]
    assert shown == ["Postal services", "Network information security (cybersecurity)"]


def test_many_bogus_values_give_a_short_notice(real_data):
    """A link repeating `sector=` a thousand times must not bury the page under a notice listing all of them."""
    bogus = [f"junk-sector-{n:04d}" for n in range(1000)]
    at = run_app({"sector": bogus})
    assert not at.exception
    assert [x.value for x in at.title] == [TITLES["vi"]]
    shown = notices(at, "unknown_sectors", "vi")
    assert len(shown) == 1 and bogus[0] in shown[0]
    assert len(shown[0]) < 2_000, f"a notice of {len(shown[0]):,} characters naming {shown[0].count('junk')} values"


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("urls")
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    with serve(env={"DASHBOARD_DATA_DIR": str(root / "data")}, timeout=120) as url:
        yield url


BROWSER_URLS = {
    "markup": (
        [("sector", "<script>window.__xss=1;alert(1)</script>"), ("lang", '<img src=x onerror="window.__xss=2">'),
         ("tab", "<svg onload=window.__xss=3>"), ("<iframe src=javascript:window.__xss=4>", "1")],
        {"unknown_sectors": ["<script>window.__xss=1;alert(1)</script>"],
         "unknown_lang": ['<img src=x onerror="window.__xss=2">'], "unknown_tab": ["<svg onload=window.__xss=3>"],
         "unknown_params": ["<iframe src=javascript:window.__xss=4>"]},
    ),
    "unicode and size": (
        [("sector", "\u202epostal"), ("sector", "post\u200bal"), ("sector", "📮"), ("sector", "\x00"),
         ("lang", "fr"), ("lang", ""), ("x", LONG), (LONG, "y")],
        {"unknown_sectors": ["\u202epostal", "post\u200bal", "📮", "\x00"], "unknown_lang": ["fr", ""],
         "unknown_params": ["x", LONG]},
    ),
    "entities and Markdown": (
        [("sector", "&lt;b&gt;ent&lt;/b&gt; &amp;amp;"), ("sector", ":material/home: **b**"), ("lang", "$x^2$")],
        {"unknown_sectors": ["&lt;b&gt;ent&lt;/b&gt; &amp;amp;", ":material/home: **b**"],
         "unknown_lang": ["$x^2$"]},
    ),
}


@pytest.mark.parametrize("case", BROWSER_URLS, ids=list(BROWSER_URLS))
def test_hostile_url_in_a_browser(app_url, browser, case):
    pairs, expected = BROWSER_URLS[case]
    page = new_page(browser, 1400, 1000, timeout=TIMEOUT_MS, locale="en-US")
    dialogs: list[str] = []
    try:
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        goto(page, f"{app_url}/?{urlencode(pairs)}")
        expect(page.locator("h1")).to_contain_text(TITLES["vi"])
        alerts = page.locator('[data-testid="stAlert"]')
        expect(alerts).not_to_have_count(0)
        # as a reader sees it: the invisible bidi isolates around each value dropped
        shown = [" ".join(re.sub("[\u2068\u2069]", "", x).split()) for x in alerts.all_inner_texts()]
        problems = []
        for key, values in expected.items():
            notice = [s for s in shown if prefix(key, "vi").strip() in s]
            if len(notice) != 1:
                problems.append(f"no {key} notice in {shown}")
                continue
            for value in values:
                if f"“{' '.join(shorten(value).split())}”" not in notice[0]:
                    problems.append(f"{key}: {shorten(value)!r} not shown as written in {notice[0]!r}")
        assert not problems, "\n".join(problems)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.evaluate("() => window.__xss") is None and dialogs == []
        assert page.locator('img[src="x"], iframe, svg[onload], [onerror], [onload]').count() == 0
        assert page.locator(".katex, math").count() == 0
        # The garbage is dropped from the address bar too: only what the page uses stays.
        query = parse_qs(urlsplit(page.url).query, keep_blank_values=True)
        assert set(query) <= {"lang", "sector", "tab", "q"}, page.url
        assert all(v in ("vi", "en") for v in query.get("lang", [])), page.url
    finally:
        page.context.close()


# --------------------------------------------------------------------------- export file names

HOSTILE_NAMES = [
    "../../etc/passwd", "..\\..\\windows\\system32\\evil.dll", "/etc/shadow", "C:\\evil.csv", "a/../../b.csv",
    "..", ".", "", " ", ".hidden", "-rf", "~/.bashrc", "name\x00.csv", "line\nbreak.csv", "\u202egnp.exe",
    "zero\u200bwidth.csv", "📮.png", "Bưu chính/Đà Nẵng.csv", "CON", "nul.txt", "x" * 10_000 + ".csv",
    "<script>alert(1)</script>.html", "$(rm -rf ~).svg", "`id`.png", "%2e%2e%2fescape.csv", "a" * 300,
    "//server/share/file.csv", "\\\\server\\share\\file.csv", "....//....//x.csv",
]


def tree(root: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) if p.is_file() else (-1, 0)
        for p in sorted(root.rglob("*"))
    }


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=range(len(HOSTILE_NAMES)))
def test_safe_name_is_a_bare_portable_name(name):
    safe = exports.safe_name(name)
    assert safe and safe not in (".", "..")
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", safe), safe
    assert len(safe) <= 120
    assert os.path.basename(safe) == safe


def test_write_files_stays_in_the_folder_asked_for(tmp_path):
    outside = tmp_path / "outside"
    (outside / "etc").mkdir(parents=True)
    (outside / "etc" / "passwd").write_text("root:x:0:0\n")
    out = outside / "deep" / "exports"
    before = tree(tmp_path)
    written = exports.write_files(out, [(name, name.encode("utf-8", "replace")) for name in HOSTILE_NAMES])
    assert written
    for path in written:
        assert path.parent == out.resolve(), path
    after = tree(tmp_path)
    new = set(after) - set(before)
    assert new and all(p == "outside/deep" or p.startswith("outside/deep/exports") for p in new), sorted(new)
    assert {p: after[p] for p in before} == before, "a file outside the export folder changed"
    assert (outside / "etc" / "passwd").read_text() == "root:x:0:0\n"


@pytest.fixture(scope="module")
def base_ds(tmp_path_factory):
    root = tmp_path_factory.mktemp("names")
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    return load(root / "data")


def hostile_dataset(ds, sector_id: str, indicator_id: str):
    """The data with one more indicator whose ids are anything at all (bypassing the schema, as a bug might)."""
    sector = Sector.model_construct(id=sector_id, name={"vi": sector_id, "en": sector_id})
    indicator = Indicator.model_construct(
        id=indicator_id, sector=sector_id, label={"vi": indicator_id, "en": indicator_id}, unit="count",
        better="higher", contrasts_with=(), comparability=None,
    )
    template = ds.observations[0]
    observations = [
        Observation.model_construct(**{**template.model_dump(), "indicator": indicator_id, "year": year})
        for year in (2023, 2024)
    ]
    return dataclasses.replace(
        ds, sectors={**ds.sectors, sector_id: sector}, indicators={**ds.indicators, indicator_id: indicator},
        observations=ds.observations + observations,
    )


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=range(len(HOSTILE_NAMES)))
def test_chart_file_names_from_hostile_ids_stay_in_the_folder(base_ds, tmp_path, name):
    indicator_id = name + "/../../../../tmp/owned"
    ds = hostile_dataset(base_ds, sector_id=name, indicator_id=indicator_id)
    base = exports.chart_basename(ds, indicator_id)
    assert "/" not in base and "\\" not in base and ".." not in base and base == base.strip()
    out = tmp_path / "out"
    before = tree(tmp_path)
    files = [(f"{base}.{fmt}", exports.export_chart(ds, indicator_id, fmt, "vi")) for fmt in ("html", "csv")]
    written = exports.write_files(out, files)
    assert [p.parent for p in written] == [out.resolve()] * 2
    new = set(tree(tmp_path)) - set(before)
    assert all(p == "out" or p.startswith("out/") for p in new), sorted(new)


@pytest.mark.filterwarnings("ignore:Duplicate name")  # many hostile names fold to one safe name, on purpose
def test_zip_entries_are_bare_names():
    archive = exports.zip_bundle((name, b"x") for name in HOSTILE_NAMES)
    for info in zipfile.ZipFile(io.BytesIO(archive)).infolist():
        assert "/" not in info.filename and "\\" not in info.filename and not info.filename.startswith(".")


def test_long_ids_keep_every_export_file(project_copy, tmp_path):
    """Valid ids (slugs of up to 80 characters) must not make two exports share one file name: the
    extension has to survive shortening, or the CSV overwrites the HTML."""
    sector_id = "s" + "-long" * 14 + "-sector"
    indicator_id = "i" + "-long" * 13 + "-indicator"
    assert len(sector_id) <= 80 and len(indicator_id) <= 80
    sectors = read_yaml(project_copy / "sectors.yaml")
    write_yaml(project_copy / "sectors.yaml", sectors + [{"id": sector_id, "name": {"vi": "Dài", "en": "Long"},
                                                                 "search_terms": ["Dài Dài"]}])
    indicators = read_yaml(project_copy / "indicators.yaml")
    write_yaml(project_copy / "indicators.yaml", indicators + [{
        "id": indicator_id, "sector": sector_id, "label": {"vi": "Dài", "en": "Long"}, "unit": "percent",
        "better": "higher"}])
    observations = read_yaml(project_copy / "observations.yaml")
    share = next(o for o in observations if o["indicator"] == "vietnamese-value-share")
    write_yaml(project_copy / "observations.yaml", observations + [{**share, "indicator": indicator_id}])
    ds = load(project_copy)
    plan = exports.plan_bundle(ds, [sector_id], ["html", "csv"])
    files = list(exports.bundle_files(ds, plan, "en"))
    out = tmp_path / "out"
    exports.write_files(out, files)
    on_disk = sorted(p.name for p in out.iterdir())
    names = [name for name, _ in files]
    assert len(on_disk) == len(files), f"exported {names}, on disk only {on_disk}"
    assert {Path(n).suffix for n in on_disk} >= {".html", ".csv", ".js", ".txt"}, on_disk
    assert validate(str(out / "datapackage.json")).valid, "the data package names a CSV by another name"



def test_hostile_dataset_helper_is_realistic(base_ds):
    ds = hostile_dataset(base_ds, "../x", "../y")
    assert exports.chart_basename(ds, "../y") == "x_y_2023-2024"
