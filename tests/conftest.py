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


# A range and a scale word, as a review might write them: a sentence added to the copy's review of 2024, and the
# figures a curator would record from it (a range of the Vietnamese value share, whose 2023 figure is 28,7%).
RANGE_SENTENCE = ("Năm 2024, giá trị Việt Nam trong công nghiệp công nghệ số chiếm từ 30% đến 32%; "
                  "Đảng bộ Bộ có khoảng 2,5 nghìn cán bộ, đảng viên.")
RANGE = {"indicator": "vietnamese-value-share", "year": 2024, "value": 30, "upper": 32, "kind": "actual",
         "qualifier": "exact", "as_written": "từ 30% đến 32%", "source": "mic-2024",
         "quote": "Năm 2024, giá trị Việt Nam trong công nghiệp công nghệ số chiếm từ 30% đến 32%",
         "translation": {"en": "In 2024 Vietnamese value in the digital technology industry was 30% to 32%"}}
SCALED = {"indicator": "party-members", "year": 2024, "value": 2500, "scale": "thousand", "kind": "actual",
          "qualifier": "about", "as_written": "2,5 nghìn", "source": "mic-2024",
          "quote": "Đảng bộ Bộ có khoảng 2,5 nghìn cán bộ, đảng viên", "year_note": {
              "vi": "Câu nêu năm 2024 ở vế trước.", "en": "The year 2024 is named earlier in the sentence."},
          "translation": {"en": "The Ministry's Party organisation has about 2.5 thousand cadres and Party members"}}


def add_range_and_scale(data_dir: Path, **changes) -> Path:
    """The copy's review of 2024 with `RANGE_SENTENCE`, and the records `RANGE` and `SCALED` (`changes` made to the
    range): returns the data folder."""
    add_to_review_of_2024(data_dir, RANGE_SENTENCE)
    observations = read_yaml(data_dir / "observations.yaml")
    write_yaml(data_dir / "observations.yaml", [*observations, RANGE | changes, SCALED])
    return data_dir


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
