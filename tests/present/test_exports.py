"""Exports are real files, checked by content: PNG, SVG, HTML, CSV, ZIP and the CLI."""

import csv
import io
import json
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

import pandas as pd
import pytest

from dashboard.present import exports
from tests.conftest import ROOT

IMAGES = [fmt.id for fmt in exports.FORMATS.values() if fmt.image]


@pytest.fixture(scope="module")
def renderer():
    with exports.ImageRenderer() as shared:
        yield shared


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_png_is_a_valid_image_of_the_export_size(ds, renderer):
    data = exports.export_chart(ds, "egov-rank", "png", "vi", renderer)
    assert png_size(data) == exports.EXPORT_SIZE


def test_svg_parses_and_carries_title_and_source_line(ds, renderer):
    svg = exports.export_chart(ds, "egov-rank", "svg", "vi", renderer).decode("utf-8")
    root = ET.fromstring(svg)
    text = " ".join(root.itertext())
    assert "Xếp hạng Chính phủ điện tử (Liên hợp quốc)" in text
    assert "Nguồn:" in text and "đăng 2024-12" in text and "2024-12-25" not in text
    assert "71/193" in text


def test_svg_in_english_speaks_english(ds, renderer):
    text = " ".join(ET.fromstring(exports.export_chart(ds, "cybersecurity-rank", "svg", "en", renderer)).itertext())
    assert "Cybersecurity index rank" in text and "Source:" in text and "Rank (lower is better)" in text


def test_html_is_self_contained_and_holds_the_data(ds):
    page = exports.export_chart(ds, "vietnamese-value-share", "html", "en").decode("utf-8")
    assert "<script src=" not in page  # plotly.js is inlined, nothing fetched
    assert "Plotly.newPlot" in page
    assert "Vietnamese value share (digital technology industry)" in page
    assert re.search(r'"y":\[28\.7\]', page)


def test_csv_round_trips_to_the_same_values(ds):
    frame = pd.read_csv(io.BytesIO(exports.export_chart(ds, "egov-rank", "csv", "vi")), encoding="utf-8-sig")
    rows = sorted(zip(frame.year, frame.value, frame.kind, strict=True))
    assert rows == [(2022, 86, "derived"), (2024, 71, "actual")]
    assert frame.quote.iloc[0].startswith("Xếp hạng Chính phủ điện tử")


def test_file_names_are_deterministic_safe_slugs(ds):
    assert exports.chart_basename(ds, "egov-rank") == "digital-transformation_egov-rank_2022-2024"
    assert exports.chart_basename(ds, "digital-economy-growth") == "digital-economy_digital-economy-growth_2024"
    assert exports.slugify("Kinh tế số — Đà Nẵng!") == "kinh-te-so-da-nang"


@pytest.mark.parametrize("hostile", ["../../etc/passwd", "/abs/path.png", "..", "a\\..\\b.csv", "\x00x.png", ""])
def test_export_names_never_leave_the_folder(tmp_path, hostile):
    out = tmp_path / "out"
    written = exports.write_files(out, [(hostile, b"x")])
    assert [p.parent for p in written] == [out.resolve()]
    assert list(tmp_path.iterdir()) == [out]


def test_zip_holds_exactly_the_expected_files(ds, renderer):
    plan = exports.plan_bundle(ds, ["digital-transformation"], exports.FORMATS)
    seen = []
    archive = zipfile.ZipFile(io.BytesIO(exports.zip_bundle(
        exports.bundle_files(ds, plan, "en", renderer, progress=lambda done, total, name: seen.append(done))
    )))
    charts = ["digital-transformation_online-public-service-use_2024", "digital-transformation_egov-rank_2022-2024"]
    expected = {f"{c}.{fmt.extension}" for c in charts for fmt in exports.FORMATS.values()}
    expected |= {exports.DATA_FILE, exports.PLANS_FILE, exports.README_FILE, exports.PLOTLY_JS, "datapackage.json"}
    assert set(archive.namelist()) == expected
    tasks = list(csv.DictReader(io.StringIO(archive.read(exports.PLANS_FILE).decode("utf-8-sig"))))
    assert {row["sector"] for row in tasks} == {"digital-transformation"}
    online = next(row for row in tasks if row["id"] == "online-public-services-2024")
    assert online["status"] == "not_mentioned" and online["indicators"] == "online-public-service-use"
    assert online["task_quote"] == "dịch vụ công trực tuyến toàn trình và thực chất, ít nhất có 70% người dân sử dụng"
    # the tasks quote the review of 2023 and are answered in the review of 2024: both are cited
    party = exports.readme(ds, [], ["csv"], "en", ["party-building"])
    assert party.count("\n- ") == 2 and "2024-01-11" in party and "2024-12" in party
    assert seen == list(range(1, 2 * len(exports.FORMATS) + 1))
    readme = archive.read(exports.README_FILE).decode()
    assert "Hội nghị tổng kết công tác năm 2024" in readme and "2024-01-11" in readme
    assert png_size(archive.read(f"{charts[1]}.png")) == exports.EXPORT_SIZE
    html = archive.read(f"{charts[1]}.html").decode()
    assert f'src="{exports.PLOTLY_JS}"' in html
    assert archive.testzip() is None and archive.read(exports.PLOTLY_JS) == exports.plotly_js()


def test_a_zip_without_plotly_js_first_is_written_whole():
    files = [("a.csv", b"1"), (exports.PLOTLY_JS, b"not plotly.js")]
    archive = zipfile.ZipFile(io.BytesIO(exports.zip_bundle(files)))
    assert [(name, archive.read(name)) for name in archive.namelist()] == files
    archive = zipfile.ZipFile(io.BytesIO(exports.zip_bundle([(exports.PLOTLY_JS, b"not plotly.js"), ("a.csv", b"1")])))
    assert archive.read(exports.PLOTLY_JS) == b"not plotly.js" and archive.namelist() == [exports.PLOTLY_JS, "a.csv"]


def test_a_batch_writes_each_chart_as_a_single_export_does(ds, renderer):
    """The ZIP builds a figure while the browser draws the previous one and filters the data once: the files
    are still each chart's own, byte for byte, in the order asked for."""
    plan = exports.plan_bundle(ds, ["institutions", "digital-transformation"], ["svg", "csv", "png", "html"])
    first, *files = exports.bundle_files(ds, plan, "en", renderer)
    assert first == (exports.PLOTLY_JS, exports.plotly_js())  # first, so the ZIP can start from its archive
    charts = [name for name, _ in files[:len(plan.indicator_ids) * 4]]
    assert charts == [f"{exports.chart_basename(ds, i)}.{fmt}" for i in plan.indicator_ids
                      for fmt in ("svg", "csv", "png", "html")]
    for (name, content), (indicator_id, fmt) in zip(files, [(i, f) for i in plan.indicator_ids
                                                             for f in ("svg", "csv", "png", "html")], strict=False):
        assert content == exports.export_chart(ds, indicator_id, fmt, "en", renderer, plotlyjs="directory"), name


def test_an_svg_is_the_same_file_whatever_order_or_ids_the_page_gave_it():
    drawn = (b'<svg class="main-svg" width="1000" height="600" style="" viewBox="0 0 1000 600"><defs id="defs-4ea7dd">'
             b'<clipPath id="clip4ea7ddxyplot"/><pattern id="p19ba4e-144d48"/></defs>'
             b"<path class=\"pattern_filled\" style=\"fill: url('#p19ba4e-144d48')\" "
             b"clip-path=\"url('#clip4ea7ddxyplot')\"/></svg>")
    again = (drawn.replace(b'style="" viewBox="0 0 1000 600"', b'viewBox="0 0 1000 600" style=""')
             .replace(b' class="pattern_filled"', b"")
             .replace(b"4ea7dd", b"0b1c2d").replace(b"19ba4e-144d48", b"a0a0a0-b1b1b1"))
    assert exports.stable_svg(drawn) == exports.stable_svg(again)
    assert b"p19ba4e" not in exports.stable_svg(drawn) and b"url('#p000001')" in exports.stable_svg(drawn)


def test_without_a_browser_html_and_csv_still_export(ds, monkeypatch):
    monkeypatch.setenv("CHROMIUM", "/nonexistent/chrome")
    assert exports.browser_path() is None
    with pytest.raises(exports.ImageExportUnavailable, match="apt-get install chromium"):
        exports.export_chart(ds, "egov-rank", "png", "vi")
    assert b"Plotly.newPlot" in exports.export_chart(ds, "egov-rank", "html", "vi")
    plan = exports.plan_bundle(ds, ["digital-transformation"], exports.FORMATS)
    names = [name for name, _ in exports.bundle_files(ds, plan, "vi", renderer=None)]
    assert not [n for n in names if n.endswith((".png", ".svg"))]
    assert "digital-transformation_egov-rank_2022-2024.html" in names


def run_export(*args, env=None):
    import os

    return subprocess.run(
        [sys.executable, "-m", "dashboard", "export", *args], capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, **(env or {})},
    )


def test_cli_exports_a_whole_sector(tmp_path):
    result = run_export("--out", str(tmp_path), "--sector", "digital-economy", "--lang", "en")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "digital-economy_digital-economy-growth_2024.png" in names
    assert "digital-economy_digital-economy-growth-vs-gdp_2024.svg" in names
    files = 2 * len(exports.FORMATS)  # two charts, every format of the registry
    assert len([n for n in names if n.startswith("digital-economy_")]) == files
    assert f"{files}/{files}" in result.stderr  # the progress bar reached the end


@pytest.mark.parametrize(
    "args, message",
    [
        (["--sector", "nope"], "unknown sector(s): nope"),
        (["--format", "png,gif"], "unknown format(s) gif"),
    ],
)
def test_cli_rejects_bad_arguments_clearly(tmp_path, args, message):
    result = run_export("--out", str(tmp_path), *args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_export_into_a_path_through_a_missing_folder_leaves_nothing_behind(tmp_path):
    """`--out out/../../elsewhere/dir` from `run/`: the files land in `elsewhere/dir`, and no `run/out` is made."""
    run = tmp_path / "run"
    run.mkdir()
    result = subprocess.run([sys.executable, "-m", "dashboard", "--data-dir", str(ROOT / "data"), "export",
                             "--out", "out/../../elsewhere/dir", "--format", "csv", "--sector", "postal"],
                            capture_output=True, text=True, cwd=run)
    assert result.returncode == 0, result.stderr
    assert list(run.iterdir()) == []
    assert {p.name for p in (tmp_path / "elsewhere" / "dir").iterdir()} >= {"README.txt", "bo-tttt-indicators.csv"}
    assert f"to {tmp_path / 'elsewhere' / 'dir'}" in result.stdout


def test_cli_without_browser_writes_html_and_csv_and_says_why(tmp_path):
    result = run_export("--out", str(tmp_path), "--sector", "information-security",
                        env={"CHROMIUM": "/nonexistent/chrome"})
    assert result.returncode == 1
    assert "apt-get install chromium" in result.stderr and "Traceback" not in result.stderr
    names = {p.name for p in tmp_path.iterdir()}
    assert "information-security_cybersecurity-rank_2024.html" in names
    assert "information-security_cybersecurity-rank_2024.csv" in names
    assert not any(n.endswith((".png", ".svg")) for n in names)


def test_cli_data_json_is_valid(tmp_path):
    result = subprocess.run([sys.executable, "-m", "dashboard", "data", "--format", "json"],
                            capture_output=True, text=True, cwd=ROOT, check=True)
    rows = json.loads(result.stdout)
    assert {r["indicator_id"] for r in rows} >= {"egov-rank", "party-members"}


def _without_random_ids(svg: bytes) -> str:
    """Plotly gives each drawing fresh random ids (`defs-4ea7dd`, `clip4ea7ddxyplot`): set them aside."""
    return re.sub(r"([a-z]+-?)[0-9a-f]{6}(?=[\"')a-z])", r"\1", svg.decode("utf-8"))


def test_the_kept_page_draws_what_a_fresh_page_draws(ds, monkeypatch):
    """Kaleido's private hook (`_return_kaleido_tab`) keeps one page for many images. If a Kaleido release
    stops calling it, or a kept page draws differently from a fresh one, this fails: update the pin and the hook."""
    import kaleido._kaleido_tab as kaleido_tab

    reloads = []
    real_reload = kaleido_tab._KaleidoTab.reload

    async def counted_reload(self):
        reloads.append(self)
        await real_reload(self)

    monkeypatch.setattr(kaleido_tab._KaleidoTab, "reload", counted_reload)
    first, second = "egov-rank", "vietnamese-value-share"
    with exports.ImageRenderer() as fresh:
        expected = {fmt: exports.export_chart(ds, first, fmt, "en", fresh) for fmt in IMAGES}
    with exports.ImageRenderer() as kept:
        for fmt in IMAGES:
            exports.export_chart(ds, second, fmt, "en", kept)
        drawn = {fmt: exports.export_chart(ds, first, fmt, "en", kept) for fmt in IMAGES}
        assert kept._kaleido.renders == 4, "Kaleido no longer returns its page through _return_kaleido_tab"
    assert reloads == [], "the page was reloaded between images"
    assert drawn["png"] == expected["png"]
    assert _without_random_ids(drawn["svg"]) == _without_random_ids(expected["svg"])


def test_the_readme_of_a_bundle_is_in_the_pages_language(ds):
    """A Vietnamese page's ZIP once carried an English README; the titles stay as the reports give them,
    with their translation in brackets only where the page's language is another."""
    vi = exports.readme(ds, ["egov-rank"], ["png", "csv"], "vi")
    en = exports.readme(ds, ["egov-rank"], ["png", "csv"], "en")
    assert vi.startswith("Tổng kết năm của Bộ TT&TT, 2023 so với 2024: biểu đồ đã xuất")
    assert "Cách trích dẫn các nguồn:" in vi and "Đăng 2024-12. Hội nghị ngày 2024-12-25." in vi
    assert "How to cite" not in vi and ds.sources["mic-2024"].title["en"] not in vi
    assert en.startswith("Bộ TT&TT year-end reviews, 2023 vs 2024: exported charts")
    assert f"“{ds.sources['mic-2024'].title['vi']}” [photo caption; the text has no headline] " \
           f"[{ds.sources['mic-2024'].title['en']}]. Published 2024-12." in en


def test_a_page_that_loaded_into_the_wrong_context_is_reloaded_before_drawing(ds, monkeypatch):
    """Kaleido takes the first JavaScript context Chromium reports while its page loads; on a loaded machine that can
    be the blank page's ("kaleido_scopes is not defined", a ZIP failing in CI). Simulated: every page loads so."""
    from kaleido._kaleido_tab import _KaleidoTab

    navigate = _KaleidoTab.navigate

    async def navigate_into_the_blank_page(self, url=""):
        await navigate(self, url)
        self._current_js_id = 987_654  # a context that is not the page's

    monkeypatch.setattr(_KaleidoTab, "navigate", navigate_into_the_blank_page)
    with exports.ImageRenderer() as renderer:
        png = exports.export_chart(ds, "egov-rank", "png", "en", renderer)
    assert png_size(png) == (1000, 600)
