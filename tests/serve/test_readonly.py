"""Nothing is written where it must not be (issue 6).

A copy of data/ and seeds/ is made read-only (chmod, and `chattr +i` when
running as root, since root ignores permissions) and fingerprinted: every
file's bytes, size, mode and mtime, every folder's listing. The CLI (check,
data, export), the app under AppTest and the served app in Chromium then run
against it, and afterwards every fingerprint must be unchanged. Exports land
only in the folder asked for.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import streamlit as st
from playwright.sync_api import expect, sync_playwright
from streamlit.testing.v1 import AppTest

from dashboard.core.data import load
from dashboard.core.i18n import t
from dashboard.present import exports
from dashboard.present.url_view import TABS
from dashboard.serve.process import APP
from tests.browser import goto, new_page, rerun
from tests.conftest import ROOT, TITLES
from tests.serving import CHROMIUM, CHROMIUM_ARGS, serve

TIMEOUT_MS = 90_000


def fingerprint(root: Path) -> dict[str, tuple]:
    """Every path under `root` (itself included): kind, mode, mtime and, for files, size and SHA-256."""
    out: dict[str, tuple] = {}
    for path in [root, *sorted(root.rglob("*"))]:
        info = path.lstat()
        key = str(path.relative_to(root))
        if path.is_dir():
            out[key] = ("dir", info.st_mode, info.st_mtime_ns, tuple(sorted(os.listdir(path))))
        else:
            out[key] = ("file", info.st_mode, info.st_mtime_ns, info.st_size,
                        hashlib.sha256(path.read_bytes()).hexdigest())
    return out


def diff(before: dict, after: dict) -> list[str]:
    changes = [f"new: {p}" for p in sorted(set(after) - set(before))]
    changes += [f"gone: {p}" for p in sorted(set(before) - set(after))]
    changes += [f"changed: {p} {before[p]} -> {after[p]}" for p in sorted(set(before) & set(after))
                if before[p] != after[p]]
    return changes


def set_writable(paths: list[Path], writable: bool) -> None:
    for top in paths:
        for path in [top, *top.rglob("*")]:
            mode = path.stat().st_mode
            bits = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
            path.chmod(mode | stat.S_IWUSR if writable else mode & ~bits)


def chattr(paths: list[Path], flag: str) -> bool:
    """`chattr -R +i` as root (where permissions do not bind); False if unavailable here."""
    if os.geteuid() != 0 or shutil.which("chattr") is None:
        return False
    result = subprocess.run(["chattr", "-R", flag, *map(str, paths)], capture_output=True, text=True)
    return result.returncode == 0


class Guarded:
    def __init__(self, root: Path):
        self.root = root
        self.data = root / "data"
        self.protected = [root / "data", root / "seeds"]
        self.before: dict[str, tuple] = {}
        self.immutable = False

    def snapshot(self) -> dict[str, tuple]:
        return {f"{p.name}/{k}": v for p in self.protected for k, v in fingerprint(p).items()}

    def assert_untouched(self) -> None:
        changes = diff(self.before, self.snapshot())
        assert not changes, "written where it must not be:\n" + "\n".join(changes)


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    root = tmp_path_factory.mktemp("readonly") / "project"
    root.mkdir()
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    g = Guarded(root)
    set_writable(g.protected, False)
    g.immutable = chattr(g.protected, "+i")
    g.before = g.snapshot()
    try:
        yield g
    finally:
        if g.immutable:
            chattr(g.protected, "-i")
        set_writable(g.protected, True)


@pytest.fixture
def untouched(guarded):
    """Check the fingerprints after the test, whatever it did."""
    yield guarded
    guarded.assert_untouched()


def test_the_copy_is_really_protected(untouched):
    probe = untouched.data / "probe.txt"
    # Root ignores permissions: only `chattr +i` makes the copy read-only for it.
    assert untouched.immutable or os.geteuid() != 0, "running as root without a working `chattr +i`"
    with pytest.raises(PermissionError):
        probe.write_text("x")
    assert not probe.exists()
    assert {p.split("/")[0] for p in untouched.before} == {"data", "seeds"}
    assert any(p.endswith(".yaml") for p in untouched.before) and any(p.endswith(".txt") for p in untouched.before)


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dashboard", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_cli_check_and_data_write_nothing(untouched):
    data = str(untouched.data)
    result = cli("--data-dir", data, "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK")
    for fmt in ("csv", "json"):
        result = cli("--data-dir", data, "data", "--format", fmt)
        assert result.returncode == 0, result.stderr
        assert "vietnamese-value-share" in result.stdout


def test_cli_export_writes_only_into_the_folder_asked_for(untouched, tmp_path):
    """Run from inside the protected project, so a relative write would land there."""
    out = tmp_path / "exports" / "run"
    outside = fingerprint(tmp_path)
    result = cli("--data-dir", str(untouched.data), "export", "--out", str(out), "--format", "html,csv",
                 cwd=untouched.root)
    assert result.returncode == 0, result.stderr
    result = cli("--data-dir", "data", "export", "--out", str(out / "images"), "--format", "png,svg",
                 "--sector", "digital-industry", cwd=untouched.root)
    assert result.returncode == 0, result.stderr
    after = fingerprint(tmp_path)
    new = set(after) - set(outside)
    assert new and all(p in ("exports", "exports/run") or p.startswith("exports/run/") for p in new), sorted(new)
    assert {p for p in outside if p != "."} <= set(after)
    names = {p.name for p in out.rglob("*") if p.is_file()}
    assert {"bo-tttt-indicators.csv", "README.txt", "plotly.min.js"} <= names
    assert any(n.endswith(".png") for n in names) and any(n.endswith(".svg") for n in names)
    assert not list(untouched.root.glob("*.csv")) and not (untouched.root / "exports").exists()


@pytest.fixture
def app_on(untouched, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(untouched.data))
    st.cache_resource.clear()
    yield untouched
    st.cache_resource.clear()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_app_writes_nothing(app_on, lang):
    for tab in TABS:
        at = AppTest.from_file(str(APP), default_timeout=180)
        at.query_params["tab"] = tab
        at.query_params["lang"] = lang
        at.query_params["sector"] = ["digital-industry", "information-security"]
        at.run()
        assert not at.exception, (tab, [e.value for e in at.exception])
        assert [x.value for x in at.title] == [TITLES[lang]]
        if tab == "sectors":
            # Open a report's full text, then build the ZIP of every chart in the filter (PNG and SVG too).
            full = [b for b in at.button if (b.key or "").startswith("full-")]
            assert full
            full[0].click().run()
            assert not at.exception
            at.button(key="make-zip").click().run()
            assert not at.exception, [e.value for e in at.exception]
            zips = [d for d in at.get("download_button") if "zip" in str(d.proto.label).lower()]
            assert zips, "no ZIP download offered"


def test_the_served_app_writes_nothing(untouched, tmp_path):
    downloads = tmp_path / "downloads"
    with serve(env={"DASHBOARD_DATA_DIR": str(untouched.data)}, timeout=120) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = new_page(browser, 1300, 900, timeout=TIMEOUT_MS, accept_downloads=True)
            goto(page, f"{url}/?lang=en&sector=digital-industry&sector=institutions")
            expect(page.locator("h1")).to_have_text(TITLES["en"])
            for tab in ("tab_sectors", "tab_text", "tab_data", "tab_sources", "tab_overview"):
                with rerun(page):
                    page.get_by_role("tab", name=t(tab, "en"), exact=True).click()
                assert page.locator('[data-testid="stException"]').count() == 0, tab
                if tab == "tab_sectors":
                    for fmt in ("CSV", "HTML"):
                        with page.expect_download() as info:
                            page.locator("a.chart-link", has_text=fmt).first.click()  # any chart's, on a settled page
                        saved = downloads / info.value.suggested_filename
                        info.value.save_as(saved)
                        assert saved.stat().st_size > 0
                    with rerun(page):
                        page.get_by_role("button", name=t("open_full_text", "en")).first.press("Enter")
                    expect(page.locator('[role="dialog"] .fulltext')).to_be_visible()
                    page.keyboard.press("Escape")
                    expect(page.locator('[role="dialog"]')).to_have_count(0)
                if tab == "tab_sources":
                    for summary in page.locator('[data-testid="stExpander"] summary').all():
                        summary.press("Enter")
                    for box in page.locator(".fulltext").all():
                        expect(box).to_be_visible()
            page.context.close()
        finally:
            browser.close()
    assert sorted(p.suffix for p in downloads.iterdir()) == [".csv", ".html"]


def test_zip_bundle_holds_bare_names_only(untouched, tmp_path):
    """The ZIP the app offers holds bare names only (no folders that could unpack elsewhere)."""
    ds = load(untouched.data)
    plan = exports.plan_bundle(ds, list(ds.sectors), ["html", "csv"])
    archive = tmp_path / "bundle.zip"
    archive.write_bytes(exports.zip_bundle(exports.bundle_files(ds, plan, "vi")))
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
    assert names and all("/" not in n and "\\" not in n and not n.startswith(".") for n in names)
