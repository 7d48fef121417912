"""Hostile data (issue 6).

Text in the curated data is shown exactly as written: never run as script, never
turned into elements, never read as Markdown. Broken data gives one clear error
page, and a failing `check`, that name file, record and field.

The browser tests put every payload into a copy of the project (sector names,
indicator labels, comparability notes, derivations, quotes — appended verbatim to
the seeds, whose SHA-256 is updated — translations, source titles and publisher),
serve it, and read what Chromium actually shows.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from markupsafe import escape
from playwright.sync_api import expect
from streamlit.testing.v1 import AppTest

from dashboard.core.data import MAX_FILE_BYTES, DataError, load
from dashboard.core.i18n import t
from dashboard.serve.process import APP
from tests.browser import goto, new_page, rerun
from tests.conftest import ROOT, TITLES, read_yaml, write_yaml
from tests.serving import serve

TIMEOUT_MS = 90_000

# Each would set window.__xss (or open a dialog) if the page ever ran it.
XSS = {
    "script": '<script>window.__xss="script";alert("script")</script>',
    "img-onerror": '<img src=x onerror="window.__xss=\'img\';alert(\'img\')">',
    "javascript-url": 'javascript:window.__xss="js-url";alert("js-url")',
    "a-javascript": '<a href="javascript:window.__xss=\'a\'">click a-js</a>',
    "markdown-link": '[click md-link](javascript:window.__xss="md-link")',
    "svg-onload": '<svg onload="window.__xss=\'svg\'"><circle r=9></circle></svg>',
    "iframe": '<iframe src="javascript:window.__xss=\'iframe\'" srcdoc="<script>parent.__xss=\'srcdoc\'</script>">'
              '</iframe>',
    "entities": "&lt;b&gt;entity&lt;/b&gt; &#60;i&#62;num&#60;/i&#62; &amp;amp; &quot;q&quot;",
    "event-attributes": '<div onmouseover="window.__xss=\'div\'" onclick="window.__xss=\'div\'">event-attr</div>',
    "style": '<style>*{display:none!important}</style><p style="position:fixed;inset:0;background:red">style-inj</p>',
    "attribute-breakout": '"><script>window.__xss="breakout"</script><p title="',
    "autofocus": '<input autofocus onfocus="window.__xss=\'focus\'">',
    "details-ontoggle": '<details open ontoggle="window.__xss=\'details\'">details-toggle</details>',
    "mutation-xss": '<noscript><p title="</noscript><img src=x onerror=window.__xss=\'mxss\'>">',
}
# Markdown (and Streamlit's extensions of it) that must show as typed.
MARKDOWN = {
    "bold": "**boldmd**",
    "tex": "$x^2$ and $$y^3$$",
    "colour": ":red[redmd] :material/home: :smile:",
    "heading": "# headingmd",
    "emphasis": "_italmd_ ~~strikemd~~ `codemd`",
    "html-in-markdown": "<b>boldhtml</b> <br> a<sub>subhtml</sub>",
}
PAYLOADS = {**XSS, **MARKDOWN}
# marker → the literal text around it: an element showing the marker without it was interpreted.
MD_MARKERS = {
    "boldmd": "**boldmd**", "redmd": ":red[redmd]", "headingmd": "# headingmd", "italmd": "_italmd_",
    "strikemd": "~~strikemd~~", "codemd": "`codemd`", "boldhtml": "<b>boldhtml</b>", "subhtml": "<sub>subhtml</sub>",
}


def clean(text: str) -> str:
    """The text as a reader sees it: spaces folded, the invisible bidi isolates around data dropped."""
    return " ".join(text.replace("\u2068", "").replace("\u2069", "").split())


# --------------------------------------------------------------------------- hostile copy of the project


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def hostile_records() -> dict[str, dict]:
    """One sector per payload, with an indicator, three observations and two passages."""
    out: dict[str, dict] = {}
    for number, (name, payload) in enumerate(PAYLOADS.items(), start=1):
        sid, iid = f"hostile-{number:02d}", f"hostile-ind-{number:02d}"
        out[name] = {
            "sector": {"id": sid, "name": {"vi": f"{payload} sec{number}vi", "en": f"{payload} sec{number}en"}},
            "indicator": {
                "id": iid, "sector": sid,
                "label": {"vi": f"{payload} lab{number}vi", "en": f"{payload} lab{number}en"},
                "unit": "count", "better": "higher",
                "comparability": {"vi": f"{payload} note{number}vi", "en": f"{payload} note{number}en"},
            },
            "observations": [
                {"indicator": iid, "year": 2022, "value": 41, "kind": "derived", "qualifier": "exact",
                 "formula": "40 + 1", "source": "mic-2023",
                 "derivation": {"vi": f"{payload} how{number}vi", "en": f"{payload} how{number}en"},
                 "quote": f"{payload} drv{number} từ 40 cộng 1", "translation": {"en": f"{payload} trdrv{number}"},
                 "year_note": {"vi": f"{payload} yn{number}vi", "en": f"{payload} yn{number}en"}},
                {"indicator": iid, "year": 2023, "value": 41, "kind": "actual", "qualifier": "exact",
                 "source": "mic-2023", "quote": f"{payload} obs{number}a đạt 41",
                 "translation": {"en": f"{payload} tr{number}a"},
                 "year_note": {"vi": f"{payload} yn{number}vi", "en": f"{payload} yn{number}en"}},
                {"indicator": iid, "year": 2024, "value": 42, "kind": "actual", "qualifier": "exact",
                 "source": "mic-2024", "quote": f"{payload} obs{number}b đạt 42",
                 "translation": {"en": f"{payload} tr{number}b"},
                 "year_note": {"vi": f"{payload} yn{number}vi", "en": f"{payload} yn{number}en"}},
            ],
            "statements": [
                {"id": f"{sid}-2023", "sector": sid, "source": "mic-2023",
                 "quote": f"{payload} stmt{number} năm cũ", "translation": {"en": f"{payload} stmt{number}en old"}},
                {"id": f"{sid}-2024", "sector": sid, "source": "mic-2024",
                 "quote": f"{payload} stmt{number} năm mới", "translation": {"en": f"{payload} stmt{number}en new"}},
            ],
        }
    return out


RECORDS = hostile_records()
GROUPS = [list(PAYLOADS)[:10], list(PAYLOADS)[10:]]  # one page each, under any sensible page size
SOURCE_TEXT = {
    "mic-2023": {
        "title": {"vi": f"{MARKDOWN['heading']} {XSS['script']} {MARKDOWN['bold']} {XSS['entities']} srctitle1vi",
                  "en": f"{MARKDOWN['tex']} {XSS['img-onerror']} {MARKDOWN['colour']} srctitle1en"},
        "publisher": f"{XSS['a-javascript']} {XSS['iframe']} {MARKDOWN['emphasis']} publisher1",
    },
    "mic-2024": {
        "title": {"vi": f"{MARKDOWN['html-in-markdown']} {XSS['markdown-link']} {XSS['style']} srctitle2vi",
                  "en": f"{XSS['svg-onload']} {XSS['entities']} {XSS['attribute-breakout']} srctitle2en"},
        "publisher": f"{XSS['event-attributes']} {XSS['mutation-xss']} publisher2",
    },
}


def copy_project(target: Path) -> Path:
    shutil.copytree(ROOT / "data", target / "data")
    shutil.copytree(ROOT / "seeds", target / "seeds")
    return target / "data"


def make_hostile(data_dir: Path) -> None:
    """Put every payload into the copy; quotes go verbatim into the seeds, whose hashes are updated."""
    seeds = data_dir.parent / "seeds"
    sources = read_yaml(data_dir / "sources.yaml")
    by_id = {s["id"]: s for s in sources}
    paragraphs: dict[str, list[str]] = {"mic-2023": [], "mic-2024": []}
    for record in RECORDS.values():
        for item in record["observations"] + record["statements"]:
            paragraphs[item["source"]].append(item["quote"])

    seed_2023 = data_dir.parent / by_id["mic-2023"]["file"]
    text = seed_2023.read_text(encoding="utf-8")
    end = text.index(by_id["mic-2023"]["body_end"])  # quotes must stand before the article's end
    seed_2023.write_text(text[:end] + "\n\n".join(paragraphs["mic-2023"]) + "\n\n" + text[end:], encoding="utf-8")
    seed_2024 = data_dir.parent / by_id["mic-2024"]["file"]
    text = seed_2024.read_text(encoding="utf-8")
    seed_2024.write_text(text + "\n\n" + "\n\n".join(paragraphs["mic-2024"]) + "\n", encoding="utf-8")
    assert seed_2023.parent == seeds and seed_2024.parent == seeds

    for source_id, fields in SOURCE_TEXT.items():
        by_id[source_id].update(fields)
        by_id[source_id]["sha256"] = sha256(data_dir.parent / by_id[source_id]["file"])
    write_yaml(data_dir / "sources.yaml", sources)
    for name, key in (("sectors.yaml", "sector"), ("indicators.yaml", "indicator")):
        write_yaml(data_dir / name, read_yaml(data_dir / name) + [r[key] for r in RECORDS.values()])
    for name, key in (("observations.yaml", "observations"), ("statements.yaml", "statements")):
        write_yaml(data_dir / name, read_yaml(data_dir / name) + [i for r in RECORDS.values() for i in r[key]])


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Path:
    data_dir = copy_project(tmp_path_factory.mktemp("hostile"))
    make_hostile(data_dir)
    return data_dir


def test_the_hostile_copy_is_valid_data(hostile_dir):
    """Payloads are legal text: the data loads, so the page must show them, not reject them."""
    ds = load(hostile_dir)
    for record in RECORDS.values():
        assert ds.sectors[record["sector"]["id"]].name == record["sector"]["name"]
        assert record["indicator"]["id"] in ds.indicators
    assert ds.sources["mic-2023"].title == SOURCE_TEXT["mic-2023"]["title"]


# --------------------------------------------------------------------------- AppTest


def run_app(params: dict[str, list[str] | str] | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("tab", ["overview", "sectors", "text", "data", "sources"])
def test_every_tab_runs_on_hostile_data(hostile_dir, app_env, tab, lang):
    app_env(hostile_dir)
    sectors = [r["sector"]["id"] for r in RECORDS.values()][:10]
    at = run_app({"lang": lang, "tab": tab, "sector": sectors})
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    assert [x.value for x in at.title] == [TITLES[lang]]


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="module")
def hostile_url(hostile_dir):
    with serve(env={"DASHBOARD_DATA_DIR": str(hostile_dir)}, timeout=120) as url:
        yield url


class Watched:
    """A page whose dialogs are recorded (and dismissed), to prove no script called alert()."""

    def __init__(self, browser):
        self.page = new_page(browser, 1400, 1000, timeout=TIMEOUT_MS, locale="en-US")
        self.context = self.page.context
        self.dialogs: list[str] = []
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser):
    w = Watched(browser)
    yield w
    w.close()


def open_tab(page, label: str) -> None:
    tab = page.get_by_role("tab", name=label, exact=True)
    with rerun(page):
        tab.click()
    expect(tab).to_have_attribute("aria-selected", "true", timeout=TIMEOUT_MS)


INJECTION_CHECK = r"""() => {
  const bad = [];
  const show = el => el.tagName + ' ' + el.outerHTML.slice(0, 160);
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith('on')) bad.push('event attribute ' + name + ': ' + show(el));
      if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(name) && /^\s*javascript:/i.test(a.value))
        bad.push('javascript: url: ' + show(el));
      if (name === 'srcdoc') bad.push('srcdoc: ' + show(el));
      if (name === 'style' && /inset:\s*0|background:\s*red/.test(a.value)) bad.push('style: ' + show(el));
    }
  }
  const injected = 'iframe, frame, object, embed, img[src="x"], input[autofocus], details[ontoggle], svg[onload], '
    + 'a[href^="javascript"]';
  for (const el of document.querySelectorAll(injected))
    bad.push('element: ' + show(el));
  for (const el of document.querySelectorAll('style'))
    if (el.textContent.includes('display:none!important')) bad.push('style element: ' + show(el));
  for (const el of document.querySelectorAll('script'))
    if (el.textContent.includes('__xss')) bad.push('script element: ' + show(el));
  for (const el of document.querySelectorAll('.katex, .katex-display, math'))
    bad.push('TeX: ' + show(el));
  for (const el of document.body.querySelectorAll('*')) {
    const text = el.textContent;
    for (const [marker, literal] of Object.entries(MARKERS)) {
      // An embed snippet is HTML source: there the literal stands escaped (`&lt;b&gt;boldhtml&lt;/b&gt;`).
      const escaped = literal.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      if (text.includes(marker) && !text.includes(literal) && !text.includes(escaped))
        bad.push('Markdown/HTML read: ' + marker + ' in ' + show(el));
    }
  }
  return bad;
}"""


def assert_nothing_ran(watched: Watched) -> None:
    page = watched.page
    injected = page.evaluate(f"() => {{ const MARKERS = {MD_MARKERS!r}; return ({INJECTION_CHECK})(); }}")
    assert injected == [], "\n".join(injected[:20])
    assert page.evaluate("() => [window.__xss, window.parent.__xss, window.top.__xss]") == [None, None, None]
    assert watched.dialogs == []
    assert page.locator('[data-testid="stException"]').count() == 0


def texts(page, selector: str) -> list[str]:
    return [clean(x) for x in page.locator(selector).all_inner_texts()]


def missing_from(expected: list[str], shown: list[str], exact: bool = True) -> list[str]:
    """The expected texts that are not the visible text of an element (or inside one, if not `exact`)."""
    return [e for e in expected if not any((clean(e) == s) if exact else (clean(e) in s) for s in shown)]


def assert_shown(expected: list[str], shown: list[str], where: str, exact: bool = True) -> None:
    missing = missing_from(expected, shown, exact)
    assert not missing, f"{where}: not shown as written:\n" + "\n".join(missing) + "\n--- shown:\n" + "\n".join(shown)


class Findings:
    """Every mismatch on a page, so one failing payload does not hide the others."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def shown(self, expected: list[str], shown: list[str], where: str, exact: bool = True) -> None:
        for text in missing_from(expected, shown, exact):
            self.items.append(f"{where}: not shown as written: {text}")
        if not shown:
            self.items.append(f"{where}: nothing found on the page")

    def injections(self, watched: Watched, where: str) -> None:
        try:
            assert_nothing_ran(watched)
        except AssertionError as exc:
            self.items.append(f"{where}: {exc}")

    def check(self) -> None:
        assert not self.items, f"{len(self.items)} problem(s):\n" + "\n".join(self.items)


def group_url(url: str, names: list[str], lang: str, tab: str = "overview") -> str:
    sectors = "&".join(f"sector={RECORDS[n]['sector']['id']}" for n in names)
    return f"{url}/?lang={lang}&{sectors}" + (f"&tab={tab}" if tab != "overview" else "")


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("group", [0, 1], ids=["payloads-1-10", "payloads-11-20"])
def test_payloads_show_as_text_and_never_run(hostile_url, watched, lang, group):
    page = watched.page
    found = Findings()
    names = GROUPS[group]
    records = [RECORDS[n] for n in names]
    goto(page, group_url(hostile_url, names, lang))
    expect(page.locator("h1")).to_contain_text(TITLES[lang], timeout=TIMEOUT_MS)

    sector_names = [r["sector"]["name"][lang] for r in records]
    labels = [r["indicator"]["label"][lang] for r in records]
    # The sidebar's filter names the chosen sectors.
    expect(page.locator('[data-testid="stMultiSelect"] [data-tag]')).not_to_have_count(0)
    found.shown(sector_names, texts(page, '[data-testid="stMultiSelect"] [data-tag] span[title]'), "filter")
    # Overview: headline metrics are labelled by indicator (capped in number; each shown must be verbatim).
    expect(page.locator('[data-testid="stMetricLabel"]')).not_to_have_count(0)
    for label in texts(page, '[data-testid="stMetricLabel"]'):
        if label not in [clean(x) for x in labels]:
            found.items.append(f"Overview metric label: shown as {label!r}, which is no label as written")
    found.injections(watched, "Overview")

    open_tab(page, t("tab_sectors", lang))
    expect(page.locator(".ind")).not_to_have_count(0)
    found.shown(sector_names, texts(page, "h2"), "By sector header")
    found.shown(labels, texts(page, ".ind"), "By sector indicator label")
    found.shown([r["indicator"]["comparability"][lang] for r in records], texts(page, ".note"), "note", exact=False)
    found.shown([f"“{o['quote']}”" for r in records for o in r["observations"]], texts(page, ".quote"), "quote",
                exact=False)
    if lang == "en":
        found.shown([o["translation"]["en"] for r in records for o in r["observations"]], texts(page, ".quote .en"),
                    "quote translation")
    found.shown([r["observations"][0]["derivation"][lang] for r in records],
                texts(page, ".derivation"), "derivation note", exact=False)
    sources = texts(page, ".src")
    for fields in SOURCE_TEXT.values():
        found.shown([fields["title"][lang], fields["publisher"]], sources, "quote source line", exact=False)
    found.injections(watched, "By sector")

    open_tab(page, t("tab_text", lang))
    expect(page.locator(".diff")).not_to_have_count(0)
    expect(page.locator(".ind")).to_have_count(0)
    found.shown(sector_names, texts(page, "h2"), "Text comparison header")
    found.shown([f"“{s['quote']}”" for r in records for s in r["statements"]], texts(page, ".quote"), "passage",
                exact=False)
    if lang == "en":
        found.shown([s["translation"]["en"] for r in records for s in r["statements"]], texts(page, ".quote .en"),
                    "passage translation")
    found.shown([PAYLOADS[n] for n in names], texts(page, ".diff"), "word diff", exact=False)
    found.injections(watched, "Text comparison")

    open_tab(page, t("tab_sources", lang))
    expect(page.locator("th", has_text="SHA-256")).not_to_have_count(0)
    found.shown([SOURCE_TEXT[s]["title"][lang] for s in SOURCE_TEXT], texts(page, "h2"), "Sources title")
    found.shown([SOURCE_TEXT[s]["publisher"] for s in SOURCE_TEXT], texts(page, "td"), "Sources publisher",
                exact=False)  # the 2024 review names no publisher: the cell says so after the name
    for summary in page.locator('[data-testid="stExpander"] summary').all():
        summary.press("Enter")
    for box in page.locator(".fulltext").all():
        expect(box).to_be_visible()
    found.shown([o["quote"] for r in records for o in r["observations"]], texts(page, ".fulltext p"), "seed full text")
    found.injections(watched, "Sources")
    found.check()


def test_full_text_dialog_shows_payloads_as_text(hostile_url, watched):
    page = watched.page
    name = "img-onerror"
    goto(page, group_url(hostile_url, [name], "vi", tab="sectors"))
    # The button under the payload's chart that opens its first passage, the review of 2023's (by its widget key,
    # not by its place on the page: a click while the page is still settling could land on another).
    button = page.locator(f".st-key-full-{RECORDS[name]['indicator']['id']}-0").get_by_role(
        "button", name=t("open_full_text", "vi"))
    with rerun(page):
        button.press("Enter")
    dialog = page.locator('[role="dialog"]')
    expect(dialog.locator(".fulltext")).to_be_visible()
    shown = clean(dialog.inner_text())
    assert clean(SOURCE_TEXT["mic-2023"]["title"]["vi"]) in shown
    assert clean(RECORDS[name]["observations"][0]["quote"]) in shown
    assert_nothing_ran(watched)


# --------------------------------------------------------------------------- broken data


def edit(name: str, index: int, **changes):
    def mutate(data_dir: Path) -> None:
        records = read_yaml(data_dir / name)
        records[index].update(changes)
        write_yaml(data_dir / name, records)
    return mutate


def write_text(name: str, text: str):
    def mutate(data_dir: Path) -> None:
        (data_dir / name).write_text(text, encoding="utf-8")
    return mutate


def write_bytes(name: str, data: bytes):
    def mutate(data_dir: Path) -> None:
        (data_dir / name).write_bytes(data)
    return mutate


def duplicate(name: str, index: int):
    def mutate(data_dir: Path) -> None:
        records = read_yaml(data_dir / name)
        write_yaml(data_dir / name, records + [dict(records[index])])
    return mutate


def huge(name: str):
    def mutate(data_dir: Path) -> None:
        path = data_dir / name
        line = "# " + "x" * 1022 + "\n"
        with path.open("a", encoding="utf-8") as out:
            out.write(line * (MAX_FILE_BYTES // len(line) + 64))
        assert path.stat().st_size > MAX_FILE_BYTES
    return mutate


def remove_seed(data_dir: Path) -> None:
    (data_dir.parent / "seeds" / "mic-review-2023.txt").unlink()


def change_seed(data_dir: Path) -> None:
    seed = data_dir.parent / "seeds" / "mic-review-2024.txt"
    seed.write_bytes(seed.read_bytes() + b"\nOne more line.\n")


def hostile_field(data_dir: Path) -> None:
    """A misspelt field whose name is markup, and a record whose id is: both echoed in the problems."""
    records = read_yaml(data_dir / "sectors.yaml")
    records[0][XSS["img-onerror"]] = "x"
    records[1]["id"] = XSS["script"]
    write_yaml(data_dir / "sectors.yaml", records)


BROKEN = {
    # case: (mutation, file, record (start), field)
    "malformed YAML": (write_text("sectors.yaml", "- id: postal\n  name:\n    vi: [unclosed\n    en: x\n"),
                       "data/sectors.yaml", "line ", ""),
    "a second YAML document": (write_text("sectors.yaml", "- id: postal\n  name: {vi: a, en: b}\n---\n- id: x\n"),
                               "data/sectors.yaml", "line 3", ""),
    "tab-indented YAML": (write_text("indicators.yaml", "- id: a\n\tsector: postal\n"),
                          "data/indicators.yaml", "line ", ""),
    "wrong type: text for a number": (edit("observations.yaml", 0, value="hai"),
                                      "data/observations.yaml", "record 1 (laws-passed 2023)", "value"),
    "wrong type: number for text": (write_text("sectors.yaml", "- id: postal\n  name: {vi: 2.000, en: Postal}\n"),
                                    "data/sectors.yaml", "record 1 (postal)", "name.vi"),
    "wrong type: list for a record": (write_text("sectors.yaml", "- [postal, Bưu chính]\n"),
                                      "data/sectors.yaml", "record 1", ""),
    "missing seed file": (remove_seed, "data/sources.yaml", "record 1 (mic-2023)", "file"),
    "changed seed hash": (change_seed, "data/sources.yaml", "record 2 (mic-2024)", "sha256"),
    "unknown sector": (edit("indicators.yaml", 0, sector="nowhere"),
                       "data/indicators.yaml", "record 1 (laws-passed)", "sector"),
    "unknown source": (edit("statements.yaml", 0, source="mic-1999"),
                       "data/statements.yaml", "record 1 (institutions-2023)", "source"),
    "duplicate id": (duplicate("sectors.yaml", 2), "data/sectors.yaml", "record 3 (postal)", "id"),
    "empty file": (write_text("statements.yaml", ""), "data/statements.yaml", "", ""),
    "comments only": (write_text("observations.yaml", "# nothing yet\n"), "data/observations.yaml", "", ""),
    "missing data file": (lambda d: (d / "sectors.yaml").unlink(), "data/sectors.yaml", "", ""),
    "not UTF-8": (write_bytes("sectors.yaml", "- id: postal\n  name: {vi: Bưu chính}\n".encode("utf-16")),
                  "data/sectors.yaml", "", ""),
    "file over 20 MiB": (huge("statements.yaml"), "data/statements.yaml", "", ""),
    "markup in field name and id": (hostile_field, "data/sectors.yaml", "record 1 (whole-sector)",
                                    XSS["img-onerror"]),
}


def problems_of(data_dir: Path) -> list:
    with pytest.raises(DataError) as caught:
        load(data_dir)
    return caught.value.problems


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_broken_data_gives_one_clear_error_page(project_copy, app_env, case):
    mutate, file, record, field = BROKEN[case]
    mutate(project_copy)
    problems = problems_of(project_copy)
    assert any(p.file == file and p.record.startswith(record) and p.field == field for p in problems), \
        "\n".join(map(str, problems))

    app_env(project_copy)
    at = run_app()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [f"{t('data_error', 'vi')}\n\n{t('data_error', 'en')}"]
    assert not at.title and not at.tabs and not at.warning
    listing = "".join(h.value for h in at.html)
    for problem in problems:
        assert escape(str(problem)) in listing, str(problem)
    assert "Traceback" not in listing

    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "--data-dir", str(project_copy), "check"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for problem in problems:
        assert str(problem) in result.stderr, str(problem)
    assert not result.stdout.startswith("OK")


def test_a_fix_shows_on_reload(project_copy, app_env):
    """The error page is not cached: fixing the file and rerunning shows the dashboard."""
    (project_copy / "sectors.yaml").rename(project_copy / "sectors.yaml.bak")
    app_env(project_copy)
    at = run_app()
    assert at.error and not at.title
    (project_copy / "sectors.yaml.bak").rename(project_copy / "sectors.yaml")
    at = run_app()
    assert not at.error and not at.exception
    assert [x.value for x in at.title] == [TITLES["vi"]]


def test_aliases_cannot_blow_up_an_error_message(project_copy):
    """A 600-byte file of nested YAML aliases (a "billion laughs") must not become a message of millions of
    characters: every problem is short, and `check` answers quickly."""
    lines = ["- id: postal", "  name:", "    vi: &l0 [x, x, x, x, x, x, x, x, x]", "    en: Postal"]
    for level in range(1, 7):
        refs = ", ".join([f"*l{level - 1}"] * 9)
        lines += [f"- id: s{level}", "  name:", f"    vi: &l{level} [{refs}]", f"    en: S{level}"]
    (project_copy / "sectors.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert (project_copy / "sectors.yaml").stat().st_size < 1000
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "--data-dir", str(project_copy), "check"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    took = time.monotonic() - started
    assert result.returncode == 1
    # The parser refuses to expand aliases past 1 MiB, naming the file and line.
    assert re.search(r"data/sectors\.yaml › line \d+: not valid YAML: .*alias expansion exceeds", result.stderr)
    longest = max(map(len, result.stderr.splitlines()))
    assert longest < 2_000, f"a problem line of {longest:,} characters ({len(result.stderr):,} in all)"
    assert took < 30


def test_error_page_in_a_browser(tmp_path, browser):
    data_dir = copy_project(tmp_path)
    hostile_field(data_dir)
    remove_seed(data_dir)
    problems = problems_of(data_dir)
    with serve(env={"DASHBOARD_DATA_DIR": str(data_dir)}, timeout=120) as url:
        watched = Watched(browser)
        try:
            page = watched.page
            goto(page, url)
            alert = page.locator('[data-testid="stAlert"]')
            expect(alert).to_contain_text(t("data_error", "en"))
            assert alert.count() == 1
            items = texts(page, "li code")
            assert_shown([str(p) for p in problems], items, "error page")
            assert any(XSS["img-onerror"] in item and "sectors.yaml" in item for item in items)
            assert "mic-review-2023.txt is missing" in clean(page.locator("body").inner_text())
            assert page.locator("h1").count() == 0 and page.get_by_role("tab").count() == 0
            assert "Traceback" not in page.locator("body").inner_text()
            assert_nothing_ran(watched)
        finally:
            watched.close()

