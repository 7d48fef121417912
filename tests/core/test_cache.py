"""The validated-load cache (dashboard/core/cache.py) and data edited while the app runs.

An unchanged project loads from the cache without parsing; any change to the data, the seeds or the
code validates afresh; a cache file that cannot be trusted is ignored and rebuilt, never a crash; a
session keeps the data it started with, and the next page load shows an edit (or the error page).
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import pickle
import re
import shutil
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError
from streamlit.testing.v1 import AppTest

from dashboard.core import cache, data
from dashboard.core.data import DataError, load
from dashboard.core.i18n import t
from tests.conftest import APP, ROOT, read_yaml, write_yaml


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    return folder


def unparsable(monkeypatch) -> None:
    """From here on, any YAML parse fails the test: a load must come from the cache."""
    def refuse(text):
        raise AssertionError("parsed the YAML again")
    monkeypatch.setattr(data, "_parse_yaml", refuse)


def every_record(ds: data.Dataset) -> list:
    tables = [getattr(ds, name) for name in ("sources", "sectors", "indicators", "observations", "statements",
                                             "exclusions", "plans")]
    return [record for table in tables for record in (table.values() if isinstance(table, dict) else table)]


def assert_same(cached: data.Dataset, fresh: data.Dataset) -> None:
    """Equal records of the same types, field for field: what every page and export reads."""
    for name in ("sources", "sectors", "indicators"):
        assert getattr(cached, name) == getattr(fresh, name)
    for name in ("observations", "statements", "exclusions", "plans"):
        assert getattr(cached, name) == getattr(fresh, name)
    for ours, theirs in zip(every_record(cached), every_record(fresh), strict=True):
        assert type(ours) is type(theirs)
        assert {k: type(v) for k, v in ours} == {k: type(v) for k, v in theirs}
        assert ours.model_dump_json() == theirs.model_dump_json()
    assert (cached.bodies, cached.report_texts, cached.seed_texts) == (fresh.bodies, fresh.report_texts,
                                                                         fresh.seed_texts)
    assert cached.frame.equals(fresh.frame)


def test_an_unchanged_project_loads_from_the_cache_without_parsing(project_copy, cache_dir, monkeypatch):
    fresh = load(project_copy)
    assert list(cache_dir.glob("dataset-*.json")), "no cache entry written"
    unparsable(monkeypatch)
    assert_same(load(project_copy), fresh)


def test_cached_records_are_frozen_and_share_only_what_cannot_change(project_copy):
    load(project_copy)
    first, second = load(project_copy).observations[:2]
    with pytest.raises(ValidationError):
        first.value = 1.0
    assert first.model_copy(update={"value": 1.0}).value == 1.0
    assert second.model_fields_set == set(type(second).model_fields)

    class Mutable(BaseModel):
        id: str
    with pytest.raises(KeyError, match="not frozen"):
        cache._construct_all(Mutable, ["id"], [["a"], ["b"]])


def test_the_cache_is_written_atomically_and_only_in_its_folder(project_copy, cache_dir):
    before = {p: p.read_bytes() for folder in ("data", "seeds") for p in (project_copy.parent / folder).iterdir()}
    load(project_copy)
    after = {p: p.read_bytes() for folder in ("data", "seeds") for p in (project_copy.parent / folder).iterdir()}
    assert after == before
    assert [p.name for p in cache_dir.iterdir()] == [cache.entry_path(project_copy).name]  # no temp file left


def test_an_edited_data_file_is_validated_again(project_copy, monkeypatch):
    load(project_copy)
    records = read_yaml(project_copy / "indicators.yaml")
    records[0]["label"]["en"] = "Laws passed (edited)"
    write_yaml(project_copy / "indicators.yaml", records)
    assert load(project_copy).indicators[records[0]["id"]].label["en"] == "Laws passed (edited)"

    records[0]["sector"] = "nowhere"
    write_yaml(project_copy / "indicators.yaml", records)
    with pytest.raises(DataError) as raised:
        load(project_copy)
    assert any(p.file == "data/indicators.yaml" and p.field == "sector" for p in raised.value.problems)


def test_a_changed_seed_is_caught_though_the_data_is_cached(project_copy, monkeypatch):
    load(project_copy)
    seed = project_copy.parent / "seeds" / "mic-review-2024.txt"
    seed.write_bytes(seed.read_bytes().replace("Bộ".encode(), "Sở".encode(), 1))
    with pytest.raises(DataError) as raised:
        load(project_copy)
    assert [p.field for p in raised.value.problems] == ["sha256"]


def test_changed_code_is_a_new_key(tmp_path, monkeypatch):
    contents = {"sectors.yaml": b"- id: a\n"}
    before = cache.key(contents, ("vi", "en"))
    package = tmp_path / "dashboard"
    shutil.copytree(cache.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    with open(package / "core" / "schema.py", "a", encoding="utf-8") as schema:
        schema.write("# a new check\n")
    monkeypatch.setattr(cache, "PACKAGE", package)
    cache._code_digest.cache_clear()
    try:
        assert cache.key(contents, ("vi", "en")) != before
    finally:
        cache._code_digest.cache_clear()
    assert cache.key({"sectors.yaml": b"- id: b\n"}, ("vi", "en")) != before
    assert cache.key(contents, ("vi", "en", "fr")) != before


def _truncated(entry: bytes) -> bytes:
    return entry[: len(entry) // 2]


def _payload_edited(entry: bytes) -> bytes:
    return entry.replace(b"laws-passed", b"laws-pass3d", 1)


def _digest_matching_a_foreign_payload(entry: bytes) -> bytes:
    """Right format, key and digest, but records of another schema."""
    header = json.loads(entry.split(b"\n", 1)[0])
    payload = json.dumps({"sectors.yaml": {"fields": ["id"], "rows": [["x"]]}}).encode()
    header["payload_sha256"] = hashlib.sha256(payload).hexdigest()
    return json.dumps(header).encode() + b"\n" + payload


def _other_key(entry: bytes) -> bytes:
    header = json.loads(entry.split(b"\n", 1)[0])
    header["key"] = "0" * 64
    return json.dumps(header).encode() + entry[entry.index(b"\n"):]


def _missing_fields(entry: bytes) -> bytes:
    header, payload = entry.split(b"\n", 1)
    stored = json.loads(payload)
    for table in stored.values():
        table["rows"] = [row[:-1] for row in table["rows"]]
    payload = json.dumps(stored, ensure_ascii=False).encode()
    header = json.loads(header) | {"payload_sha256": hashlib.sha256(payload).hexdigest()}
    return json.dumps(header).encode() + b"\n" + payload


UNTRUSTED = {
    "empty": lambda entry: b"",
    "truncated": _truncated,
    "payload edited": _payload_edited,
    "binary garbage": lambda entry: bytes(range(256)) * 64,
    "not JSON": lambda entry: b"{not json\n[[[",
    "JSON of another shape": lambda entry: b'["dataset"]\n{}',
    "deeply nested": lambda entry: b"[" * 100_000 + b"\n",
    "another key": _other_key,
    "a foreign payload with a matching digest": _digest_matching_a_foreign_payload,
    "rows short of a field": _missing_fields,
}


@pytest.mark.parametrize("spoil", UNTRUSTED.values(), ids=list(UNTRUSTED))
def test_an_untrusted_cache_file_is_ignored_and_rebuilt(project_copy, spoil):
    fresh = load(project_copy)
    entry = cache.entry_path(project_copy)
    entry.write_bytes(spoil(entry.read_bytes()))
    assert_same(load(project_copy), fresh)
    rebuilt = entry.read_bytes()
    assert json.loads(rebuilt.split(b"\n", 1)[0])["format"] == cache.FORMAT
    assert cache.read(project_copy, cache.key({n: data._read_file(project_copy, n) for n in data.FILES}, ("vi", "en")),
                      data.FILES) is not None


def test_a_pickle_in_the_cache_never_runs(project_copy, tmp_path):
    marker = tmp_path / "ran"

    class Exploit:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    load(project_copy)
    cache.entry_path(project_copy).write_bytes(pickle.dumps(Exploit()))
    load(project_copy)
    assert not marker.exists()


def test_a_directory_in_place_of_the_entry_is_no_crash(project_copy):
    cache.entry_path(project_copy).mkdir(parents=True)
    load(project_copy)


def test_no_cache_where_none_can_be_written(project_copy, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocker / "cache"))
    fresh = load(project_copy)
    assert_same(load(project_copy), fresh)
    assert blocker.read_text() == "not a folder"


def test_a_failed_write_leaves_no_temp_file(project_copy, cache_dir, monkeypatch):
    def fail(*args):
        raise OSError("disk full")
    monkeypatch.setattr(os, "replace", fail)
    load(project_copy)
    assert list(cache_dir.iterdir()) == []


def test_old_entries_are_pruned(tmp_path, cache_dir):
    projects = []
    for number in range(cache.KEEP_ENTRIES + 2):
        shutil.copytree(ROOT / "data", tmp_path / f"p{number}" / "data")
        shutil.copytree(ROOT / "seeds", tmp_path / f"p{number}" / "seeds")
        projects.append(tmp_path / f"p{number}" / "data")
        load(projects[-1])
    assert len(list(cache_dir.glob("dataset-*.json"))) == cache.KEEP_ENTRIES
    assert cache.entry_path(projects[-1]).exists()


# --- data edited while the app runs ---------------------------------------------------------------


@pytest.fixture
def app_on(project_copy, app_env):
    app_env(project_copy)
    return project_copy


def visit(at: AppTest | None = None) -> AppTest:
    """A new visitor (a new session) when `at` is None; otherwise the same session, rerun."""
    if at is None:
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.query_params.update({"lang": "en", "tab": "sectors", "sector": "institutions"})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def indicator_labels(at: AppTest) -> list[str]:
    """The indicator headings on screen, as text."""
    headings = (re.match(r"<h3 class=ind>(.*?)</h3>", h.proto.body) for h in at.get("html"))
    return [html.unescape(re.sub(r"<[^>]+>", "", found[1])) for found in headings if found]


def test_the_next_page_load_shows_an_edit_and_a_session_keeps_its_data(app_on):
    records = read_yaml(app_on / "indicators.yaml")
    first = next(r for r in records if r["sector"] == "institutions")
    reader = visit()
    assert first["label"]["en"] in indicator_labels(reader)

    first["label"]["en"] += " (edited)"
    write_yaml(app_on / "indicators.yaml", records)
    shown = first["label"]["en"]
    assert shown not in indicator_labels(visit(reader)), "a session mid-view saw the new data"
    assert shown in indicator_labels(visit()), "the next page load did not show the edit"


def test_the_landing_page_shows_an_edited_task_to_the_next_visitor(app_on):
    """The task chart and the sector cards are cached per process: per data version, never across an edit."""
    def landing() -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.query_params.update({"lang": "en", "sector": "press-media"})
        return visit(at)

    def chart_text(at: AppTest) -> str:
        return " ".join(chart.proto.spec for chart in at.get("plotly_chart"))

    before = landing()
    assert "not mentioned" in chart_text(before)
    plans = read_yaml(app_on / "plans.yaml")
    press = next(p for p in plans if p["sector"] == "press-media")
    press.pop("search_terms")
    press_statement = "The development and management of the press achieved many outstanding results."  # as elsewhere
    press.update(status="words", outcome_quote="Công tác phát triển và quản lý báo chí đạt nhiều thành tựu nổi bật.",
                 outcome_translation={"en": press_statement})
    write_yaml(app_on / "plans.yaml", plans)
    after = landing()
    assert "not mentioned" not in chart_text(after) and "reported in words" in chart_text(after)
    assert press_statement in " ".join(
        h.proto.body for h in after.get("html"))


def test_a_broken_edit_shows_the_error_page_to_the_next_visitor_only(app_on):
    reader = visit()
    records = read_yaml(app_on / "observations.yaml")
    records[0]["value"] = "hai"
    write_yaml(app_on / "observations.yaml", records)

    newcomer = visit()
    assert [e.value for e in newcomer.error] == [f"{t('data_error', 'vi')}\n\n{t('data_error', 'en')}"]
    listing = "".join(h.value for h in newcomer.html)
    assert "data/observations.yaml › record 1 (" in listing and "› value:" in listing

    again = visit(reader)
    assert not again.error and indicator_labels(again)


def test_a_value_json_cannot_carry_exactly_is_not_cached(project_copy, cache_dir):
    ds = load(project_copy)
    entry = cache.entry_path(project_copy)
    before = entry.read_bytes()
    infinite = ds.observations[0].model_copy(update={"value": float("inf")})
    cache.write(project_copy, "another key", {"observations.yaml": [infinite]}, data.FILES)
    assert entry.read_bytes() == before


def test_the_benchmarks_synthetic_project_loads_the_same_from_the_cache(tmp_path, monkeypatch):
    """bench/generate.py's data passes every check (the scale benchmark needs it), cold and from the cache."""
    from bench.generate import write_project

    data_dir = write_project(tmp_path, 40)
    fresh = load(data_dir)
    assert len(fresh.observations) == 200
    unparsable(monkeypatch)
    assert_same(load(data_dir), fresh)
