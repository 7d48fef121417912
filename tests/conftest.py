import hashlib
import shutil
from pathlib import Path

import pytest
import streamlit as st
import yaml
from playwright.sync_api import Page, sync_playwright
from streamlit.testing.v1 import AppTest

from dashboard.core.data import DataError, load
from dashboard.core.i18n import LANGUAGES, title
from tests.serving import CHROMIUM, CHROMIUM_ARGS, serve

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "serve" / "app.py"
SEED_2024 = "mic-review-2024.txt"
TITLES = {lang: title(lang, load(ROOT / "data").years) for lang in LANGUAGES}  # the page title, years from the data


@pytest.fixture(scope="session")
def ds():
    """The real curated data, loaded once (tests must not change it: copy it with `project_copy`)."""
    return load(ROOT / "data")


@pytest.fixture
def fresh_caches(monkeypatch):
    """The page caches per process: a test starts and ends with none, on the real data."""
    monkeypatch.delenv("DASHBOARD_DATA_DIR", raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def app_env(monkeypatch, fresh_caches):
    """Point the page at a data folder: `app_env(data_dir)`."""
    def use(data_dir: Path) -> None:
        monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data_dir))
    return use


def run_app(**params) -> AppTest:
    """The page under AppTest with these query parameters; it must run without an exception."""
    at = AppTest.from_file(str(APP), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def pytest_collection_modifyitems(items):
    """A test that drives Chromium is a `browser` test (`make test-fast` leaves those out)."""
    for item in items:
        if {"page", "browser", "app_url"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


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


def index_of(records, record_id):
    return next(i for i, r in enumerate(records) if r["id"] == record_id)


def add_to_review_of_2024(data_dir: Path, sentence: str) -> None:
    """Append a sentence to the copy's review of 2024 and re-pin its SHA-256, as a curator would."""
    seed = data_dir.parent / "seeds" / SEED_2024
    seed.write_text(seed.read_text(encoding="utf-8") + " " + sentence, encoding="utf-8")
    sources = read_yaml(data_dir / "sources.yaml")
    sources[index_of(sources, "mic-2024")]["sha256"] = hashlib.sha256(seed.read_bytes()).hexdigest()
    write_yaml(data_dir / "sources.yaml", sources)


def problems_of(data_dir: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load(data_dir)
    return [str(p) for p in caught.value.problems]


def add_language(data_dir: Path, lang: str) -> None:
    """Give every translated field in `data_dir` a text in `lang` too: its English, marked `[lang]`."""
    for path in data_dir.glob("*.yaml"):
        records = read_yaml(path)
        for record in records:
            for text in record.values():
                if isinstance(text, dict) and "en" in text and lang not in text:  # aliased mappings: once
                    text[lang] = f"[{lang}] {text['en']}"
        write_yaml(path, records)


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
    from tests.browser import new_page  # the browser helpers import this module's constants

    page = new_page(browser)
    yield page
    page.context.close()
