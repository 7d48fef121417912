"""Trust boundaries (issue 16): a seed is what was verified, every data string is inert text,
every file we write is safe to open.

Each test tries one way past an edge, as a pen-tester would, on a copy of the project."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import os
import re
import subprocess
import sys
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.core import search
from dashboard.core.data import DataError, load
from dashboard.core.i18n import t
from dashboard.curate import coverage as curation_coverage
from dashboard.present import exports
from dashboard.present.figures import indicator_figure
from tests.conftest import ROOT, read_yaml, run_app, write_yaml

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: mirrors whatever follows it in its paragraph
OUTSIDE_LINE = "root:x:0:0:"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def problems_of(data_dir: Path) -> list:
    with pytest.raises(DataError) as caught:
        load(data_dir)
    return caught.value.problems


def has_problem(problems, file: str, record: str, field: str, words: str) -> bool:
    return any(p.file == file and p.record.startswith(record) and p.field == field and words in p.message
               for p in problems)


def check(data_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dashboard", "--data-dir", str(data_dir), "check"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def add_source(data_dir: Path, file: str, sha: str) -> None:
    sources = read_yaml(data_dir / "sources.yaml")
    sources.append({**sources[-1], "id": "mic-2025", "file": file, "sha256": sha, "reviewed_year": 2025})
    write_yaml(data_dir / "sources.yaml", sources)




def page_html(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


# --------------------------------------------------------------------------- 1. seeds and data files


@pytest.mark.parametrize("target", ["/etc/passwd", "outside"])
def test_a_seed_linked_outside_seeds_is_a_data_error(project_copy, tmp_path, target):
    outside = Path(target) if target.startswith("/") else tmp_path / "outside.txt"
    if not outside.exists():
        outside.write_text(f"{OUTSIDE_LINE}/root:/bin/bash\n", encoding="utf-8")
    link = project_copy.parent / "seeds" / "mic-review-2025.txt"
    link.symlink_to(outside)
    add_source(project_copy, "seeds/mic-review-2025.txt", sha256(outside))

    problems = problems_of(project_copy)
    assert has_problem(problems, "data/sources.yaml", "record 3 (mic-2025)", "file", "lies outside seeds/"), \
        "\n".join(map(str, problems))
    result = check(project_copy)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "record 3 (mic-2025) › file: seed seeds/mic-review-2025.txt lies outside seeds/" in result.stderr
    assert OUTSIDE_LINE not in result.stdout + result.stderr


def test_a_seed_outside_the_seeds_folder_or_not_a_file_is_a_data_error(project_copy):
    add_source(project_copy, "data/sectors.yaml", sha256(project_copy / "sectors.yaml"))
    assert has_problem(problems_of(project_copy), "data/sources.yaml", "record 3 (mic-2025)", "file",
                       "lies outside seeds/")
    (project_copy.parent / "seeds" / "folder.txt").mkdir()
    sources = read_yaml(project_copy / "sources.yaml")
    sources[-1]["file"] = "seeds/folder.txt"
    write_yaml(project_copy / "sources.yaml", sources)
    assert has_problem(problems_of(project_copy), "data/sources.yaml", "record 3 (mic-2025)", "file",
                       "is a folder")


def test_a_data_file_linked_outside_the_data_folder_is_a_data_error(project_copy, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_bytes((project_copy / "sectors.yaml").read_bytes())
    (project_copy / "sectors.yaml").unlink()
    (project_copy / "sectors.yaml").symlink_to(outside)
    assert has_problem(problems_of(project_copy), "data/sectors.yaml", "", "", "lies outside data/")


def test_links_inside_their_own_folder_still_load(project_copy):
    """The rule is where a file really is, not whether a link leads there."""
    seeds = project_copy.parent / "seeds"
    (seeds / "mic-review-2024.txt").rename(seeds / "real-2024.txt")
    (seeds / "mic-review-2024.txt").symlink_to("real-2024.txt")
    assert load(project_copy).report_text("mic-2024") == (seeds / "real-2024.txt").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- 2. only verified bytes are shown


def test_the_dataset_keeps_the_verified_text_when_the_seed_changes_or_goes(project_copy):
    seed = project_copy.parent / "seeds" / "mic-review-2024.txt"
    verified = seed.read_text(encoding="utf-8")
    ds = load(project_copy)
    with seed.open("a", encoding="utf-8") as file:
        file.write("\n\nĐoạn chèn thêm sau khi kiểm tra 999.999 tỷ đồng.\n")
    assert ds.report_text("mic-2024") == verified
    assert not any("999.999" in m.text for m in curation_coverage.mentions(ds, "mic-2024"))
    assert not search.search(search.build_index(ds), "đoạn chèn thêm")
    assert has_problem(problems_of(project_copy), "data/sources.yaml", "record 2 (mic-2024)", "sha256", "changed")

    seed.unlink()
    assert ds.report_text("mic-2024") == verified
    assert curation_coverage.sentence_spans(ds, "mic-2024")
    assert has_problem(problems_of(project_copy), "data/sources.yaml", "record 2 (mic-2024)", "file", "missing")


def test_the_sources_tab_shows_the_verified_seed_while_the_app_runs(project_copy, app_env):
    app_env(project_copy)
    seed = project_copy.parent / "seeds" / "mic-review-2024.txt"
    at = run_app(tab="sources")
    before = page_html(at)
    assert "fulltext" in before

    with seed.open("a", encoding="utf-8") as file:
        file.write("\n\nĐOẠN CHÈN THÊM SAU KHI KIỂM TRA.\n")
    at.run()
    assert not at.exception and "ĐOẠN CHÈN THÊM" not in page_html(at)

    seed.unlink()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert page_html(at) == before

    st.cache_resource.clear()  # the next load: a missing seed is a data error like any other
    at = run_app()
    assert at.error and not at.title
    assert "record 2 (mic-2024) › file: seed seeds/mic-review-2024.txt is missing" in page_html(at)


# --------------------------------------------------------------------------- 3. a seed that is not UTF-8


def test_a_seed_that_is_not_utf8_is_a_data_error_with_its_byte_offset(project_copy, app_env):
    seed = project_copy.parent / "seeds" / "mic-review-2024.txt"
    good = seed.read_bytes()
    seed.write_bytes(good + b"\n\xff\xfe broken\n")
    sources = read_yaml(project_copy / "sources.yaml")
    sources[1]["sha256"] = sha256(seed)
    write_yaml(project_copy / "sources.yaml", sources)

    problems = problems_of(project_copy)
    expected = f"seed seeds/mic-review-2024.txt is not UTF-8 (invalid start byte at byte {len(good) + 1})"
    assert has_problem(problems, "data/sources.yaml", "record 2 (mic-2024)", "file", expected), \
        "\n".join(map(str, problems))
    result = check(project_copy)
    assert result.returncode == 1 and "Traceback" not in result.stderr and expected in result.stderr

    app_env(project_copy)
    at = run_app()
    assert [e.value for e in at.error] == [f"{t('data_error', 'vi')}\n\n{t('data_error', 'en')}"]
    assert expected in page_html(at)


# --------------------------------------------------------------------------- 4. formulas


@pytest.mark.parametrize("formula", [
    "71 + 15  # **bold** :red[red] [click](https://x)",
    "71 + 15  # <b>bold</b>",
    "71 + 1_5",
    "(71 + 15)  ",
])
def test_a_formula_is_numbers_and_operators_only(project_copy, formula):
    observations = read_yaml(project_copy / "observations.yaml")
    derived = next(i for i, o in enumerate(observations) if o.get("formula"))
    observations[derived]["formula"] = formula
    write_yaml(project_copy / "observations.yaml", observations)
    if formula.strip() == "(71 + 15)":  # YAML strips no spaces, the schema does: a plain formula still passes
        load(project_copy)
        return
    problems = problems_of(project_copy)
    assert has_problem(problems, "data/observations.yaml", f"record {derived + 1} (egov-rank 2022)", "formula",
                       "only digits, a decimal point, + - * / ( ) and spaces"), "\n".join(map(str, problems))
    result = check(project_copy)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "› formula:" in result.stderr


def with_formula(ds, formula: str):
    """The dataset with its derived value's formula replaced, past the schema: what each view does with it."""
    observations = [o.model_copy(update={"formula": formula}) if o.formula else o for o in ds.observations]
    return dataclasses.replace(ds, observations=observations)


MARKUP_FORMULA = "**71** + 15 <b>bold</b> [click](https://x)"


def test_a_formula_shows_as_inert_text_in_the_chart():
    ds = with_formula(load(ROOT / "data"), MARKUP_FORMULA)
    for standalone in (False, True):
        fig = indicator_figure(ds, "egov-rank", "en", standalone=standalone)
        texts = [h for trace in fig.data for h in (trace.hovertext or ())]
        texts += [a.text for a in fig.layout.annotations]
        shown = "\n".join(texts)
        assert "<b>bold</b>" not in shown and "&lt;b&gt;bold&lt;/b&gt;" in shown


def test_a_formula_shows_as_inert_text_in_the_page_caption(monkeypatch):
    from dashboard.serve import web

    ds = with_formula(load(ROOT / "data"), MARKUP_FORMULA)
    monkeypatch.setattr(web.CATALOG, "dataset", lambda: ("with-markup-formula", ds))
    st.cache_resource.clear()
    try:
        at = run_app(tab="sectors", sector="digital-transformation", lang="en")
    finally:
        st.cache_resource.clear()
    notes = [h.proto.body for h in at.get("html") if t("derived_how", "en") in h.proto.body]
    assert len(notes) == 1
    assert f": {escape(MARKUP_FORMULA)} = " in notes[0]  # as typed: HTML escaped, and st.html reads no Markdown
    assert "<b>bold</b>" not in notes[0]


# --------------------------------------------------------------------------- 5. bidirectional text


class _BdiChecker(HTMLParser):
    """Records each U+202E in page HTML that is not inside a <bdi> element."""

    def __init__(self):
        super().__init__()
        self.depth, self.loose = 0, []

    def handle_starttag(self, tag, attrs):
        self.depth += tag == "bdi"

    def handle_endtag(self, tag):
        self.depth -= tag == "bdi"

    def handle_data(self, data):
        if RLO in data and not self.depth and not isolated(data):
            self.loose.append(data)


def isolated(text: str) -> bool:
    """Each U+202E in `text` lies between FIRST STRONG ISOLATE and its POP DIRECTIONAL ISOLATE."""
    depth = 0
    for char in text:
        if char == "\u2068":
            depth += 1
        elif char == "\u2069":
            depth = max(depth - 1, 0)
        elif char == RLO and not depth:
            return False
    return True


@pytest.fixture
def rtl_copy(project_copy):
    """Every data string a page shows beside our own words ends in U+202E (quotes must stay in the seeds)."""
    def spoil(name, fields):
        records = read_yaml(project_copy / name)
        for record in records:
            for field in fields:
                value = record.get(field)
                if isinstance(value, dict):  # a new mapping for each record: an aliased one is shared
                    record[field] = {lang: text + RLO for lang, text in value.items()}
                elif value:
                    record[field] = value + RLO
        write_yaml(project_copy / name, records)
    spoil("sources.yaml", ["title", "publisher"])
    spoil("sectors.yaml", ["name"])
    spoil("indicators.yaml", ["label", "comparability"])
    spoil("observations.yaml", ["derivation", "translation"])
    spoil("statements.yaml", ["translation"])
    spoil("plans.yaml", ["translation", "outcome_translation", "outcome_note"])  # one translation per sentence
    return project_copy


def loose_rtl(at: AppTest) -> list[str]:
    checker = _BdiChecker()
    checker.feed(page_html(at))
    markdown = [e.value for kind in ("caption", "header", "subheader", "info", "warning", "markdown", "title")
                for e in at.get(kind)]
    markdown += [m.label for m in at.metric]
    return checker.loose + [text for text in markdown if not isolated(text)]


@pytest.mark.parametrize("tab", ["overview", "sectors", "text", "sources"])
def test_data_strings_cannot_mirror_the_page_around_them(rtl_copy, app_env, tab):
    app_env(rtl_copy)
    at = run_app(tab=tab, lang="en", q="thông tin")
    assert RLO in page_html(at) + "".join(e.value for e in at.header)  # the data did reach the page
    assert loose_rtl(at) == []


def test_the_search_query_cannot_mirror_our_sentence(app_env):
    app_env(ROOT / "data")
    at = run_app(q=RLO + "xyz", lang="en")
    shown = [e.value for e in at.info]
    assert len(shown) == 1 and RLO in shown[0]
    assert loose_rtl(at) == []


def test_exported_figure_text_isolates_each_data_string_on_every_line(rtl_copy):
    fig = indicator_figure(load(rtl_copy), "egov-rank", "vi", standalone=True)
    texts = [fig.layout.title.text] + [a.text for a in fig.layout.annotations]
    texts += [h for trace in fig.data for h in (trace.hovertext or ())]
    lines = [line for text in texts for line in text.split("<br>")]
    assert any(RLO in line for line in lines)
    assert [line for line in lines if not isolated(line)] == []


def test_exported_svg_isolates_each_data_string_on_every_line(rtl_copy):
    """What a reader of the exported image sees: Chromium lays out each SVG line on its own."""
    if exports.browser_path() is None:
        pytest.skip(exports.INSTALL_HINT)
    svg = exports.export_chart(load(rtl_copy), "egov-rank", "svg", "vi").decode("utf-8")
    lines = [re.sub(r"<[^>]+>", "", line) for line in re.findall(r'<tspan class="line".*?</tspan></tspan>', svg)]
    lines += [re.sub(r"<[^>]+>", "", text) for text in re.findall(r"<text[^>]*>(.*?)</text>", svg)
              if 'class="line"' not in text]
    assert any(RLO in line for line in lines), "the data did not reach the image"
    assert [line for line in lines if not isolated(line)] == []


def test_isolate_keeps_a_stray_pop_from_closing_it_early():
    from dashboard.core.text_rules import isolate  # here, not above: the module's other tests also run against old code

    assert isolated(isolate("a\u2069" + RLO + "b"))
    assert isolate("plain") == "\u2068plain\u2069"


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200f", "\u061c"])
def test_bidi_controls_in_a_file_name_are_refused(project_copy, char):
    sources = read_yaml(project_copy / "sources.yaml")
    sources[0]["file"] = f"seeds/mic-review-{char}2023.txt"
    write_yaml(project_copy / "sources.yaml", sources)
    assert has_problem(problems_of(project_copy), "data/sources.yaml", "record 1 (mic-2023)", "file",
                       "bidirectional control character")


def test_bidi_controls_in_an_id_are_refused(project_copy):
    sectors = read_yaml(project_copy / "sectors.yaml")
    sectors[0]["id"] = "postal" + RLO
    write_yaml(project_copy / "sectors.yaml", sectors)
    assert any(p.file == "data/sectors.yaml" and p.field == "id" for p in problems_of(project_copy))


# --------------------------------------------------------------------------- 6. CSV formula injection

INJECTIONS = ['=HYPERLINK("http://example.com","click")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.fixture
def injected_copy(project_copy):
    indicators = read_yaml(project_copy / "indicators.yaml")
    for record, payload in zip(indicators, INJECTIONS, strict=False):
        record["label"]["en"] = payload
    write_yaml(project_copy / "indicators.yaml", indicators)
    return project_copy


def rows_of(csv_bytes: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(csv_bytes.decode("utf-8-sig"))))


def test_exported_csv_cells_cannot_start_a_formula(injected_copy):
    ds = load(injected_copy)
    rows = rows_of(exports.data_csv(ds))
    labels = {row["label_en"] for row in rows}
    for payload in INJECTIONS:
        if payload in {ind.label["en"] for ind in ds.indicators.values() if ds.observations_by_indicator[ind.id]}:
            assert "'" + payload in labels and payload not in labels
    for row in rows:
        assert not any(cell.startswith(tuple("=+-@\t\r")) for cell in row.values() if cell), row
    assert [float(r["value"]) for r in rows] == list(ds.frame.value)  # numbers unchanged
    assert [int(r["year"]) for r in rows] == list(ds.frame.year)


def test_every_csv_we_write_is_the_one_safe_csv(injected_copy, tmp_path):
    ds = load(injected_copy)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cli = subprocess.run([sys.executable, "-m", "dashboard", "--data-dir", str(injected_copy), "data", "--format",
                          "csv"], capture_output=True, cwd=ROOT, env=env, check=True, timeout=120)
    assert cli.stdout == exports.data_csv(ds)
    out = tmp_path / "out"
    subprocess.run([sys.executable, "-m", "dashboard", "--data-dir", str(injected_copy), "export", "--out",
                    str(out), "--format", "csv"], capture_output=True, cwd=ROOT, env=env, check=True, timeout=300)
    for path in out.glob("*.csv"):
        for row in rows_of(path.read_bytes()):
            assert not any(cell.startswith(tuple("=+-@\t\r")) for cell in row.values() if cell), (path.name, row)


def test_the_data_tab_download_is_the_one_safe_csv(injected_copy, app_env):
    """The bytes behind the Data tab's download link, as its stable URL serves them."""
    from urllib.parse import parse_qs, urlsplit

    from dashboard.serve import web

    app_env(injected_copy)
    at = run_app(tab="data", lang="en")
    link = next(h.proto.body for h in at.get("html") if f'download="{exports.DATA_FILE}"' in h.proto.body)
    address = urlsplit(re.search(r'href="([^"]+)"', link)[1])
    reply = web.answer("/" + address.path, parse_qs(address.query), catalog=web.Catalog(injected_copy))
    assert reply.status == 200 and reply.body == exports.data_csv(load(injected_copy))
    assert "'" + INJECTIONS[0] in {row["label_en"] for row in rows_of(reply.body)}


# --------------------------------------------------------------------------- 7. export --out


@pytest.mark.parametrize("out, message", [
    ("", "argument --out: is empty"),
    ("existing.txt", "existing.txt is a file"),
    ("existing.txt/charts", "existing.txt/charts is under existing.txt, which is a file"),
    ("dangling", "dangling: dangling is a link to nothing"),
    ("dangling/charts", "dangling/charts: dangling is a link to nothing"),
])
def test_export_out_must_be_a_folder_we_can_make(tmp_path, out, message):
    (tmp_path / "existing.txt").write_text("keep me", encoding="utf-8")
    (tmp_path / "dangling").symlink_to(tmp_path / "gone")
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "--data-dir", str(ROOT / "data"), "export", "--out", out,
         "--format", "csv,html"],
        capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dangling", "existing.txt"]  # nothing written
    assert (tmp_path / "existing.txt").read_text(encoding="utf-8") == "keep me"
