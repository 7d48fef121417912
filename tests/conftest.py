import shutil
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect, sync_playwright

from dashboard.data import load
from dashboard.i18n import LANGUAGES, title
from dashboard.server import CHROMIUM, CHROMIUM_ARGS, serve

ROOT = Path(__file__).resolve().parent.parent
TITLES = {lang: title(lang, load(ROOT / "data").years) for lang in LANGUAGES}  # the page title, years from the data


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ and seeds/; returns its data folder."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path / "data"


def read_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write_yaml(path: Path, records) -> None:
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")


TIMEOUT = 60_000  # ms: a cold CI machine may take a while to start streamlit and chromium


@pytest.fixture(scope="module")
def app_url():
    with serve(timeout=120) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Page:
    context = browser.new_context(viewport={"width": 1440, "height": 1100}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    expect.set_options(timeout=TIMEOUT)
    yield page
    context.close()
