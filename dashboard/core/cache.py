"""The validated data, kept between runs: an unchanged project loads without parsing or validating again.

`dashboard.core.data.load` asks `read` for the records before it parses anything and
hands them to `write` once they have passed every check. An entry is found
only under its `key`: the SHA-256 of the data files' bytes, of the languages
every translated field was checked for, of the package's own code (the schema
and every check, whatever module they live in) and of the libraries that parse
and validate. The seeds need no place in the key: each
one's SHA-256 stands in `sources.yaml`, and `load` verifies every seed against
it before it uses an entry.

The file is JSON (never pickle: a foreign file must not be able to run code):
one header line with the format, the key and the SHA-256 of the payload, then
the payload, every record as pydantic dumps it in JSON mode. It is written by
the standard library, which refuses a value JSON cannot carry exactly, and read
by orjson, about twice as fast on a large entry. A file that is
missing, truncated, corrupt, foreign or for other data is ignored, and `load`
rebuilds it. It lives in `.cache/` in the project (or `$DASHBOARD_CACHE_DIR`),
never in data/ or seeds/, is written atomically, and not at all where it
cannot be.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import os
import sys
import tempfile
import types
import typing
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import orjson
from pydantic import BaseModel, TypeAdapter

PACKAGE = Path(__file__).resolve().parent.parent  # the whole package
CACHE_ENV = "DASHBOARD_CACHE_DIR"
FORMAT = "dashboard-validated-data/2"  # 2: translated fields are one mapping per field
LIBRARIES = ("pydantic", "pydantic-core", "fastyaml-rs", "orjson")
MAX_ENTRY_BYTES = 512 * 2**20  # a foreign file this big is not even read
KEEP_ENTRIES = 8  # one entry per data folder; the least recently written go first

Records = dict[str, list[BaseModel]]


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or PACKAGE.parent / ".cache")


def entry_path(data_dir: Path) -> Path:
    """One entry per data folder, so tests and benchmarks on other folders do not evict the project's."""
    slot = hashlib.sha256(str(Path(data_dir).resolve()).encode()).hexdigest()[:16]
    return cache_dir() / f"dataset-{slot}.json"


def key(contents: Mapping[str, bytes | str], languages: tuple[str, ...]) -> str:
    """SHA-256 of the data files (their bytes, or why they could not be read), the languages they were
    validated for, the code and the libraries."""
    digest = hashlib.sha256(FORMAT.encode())
    digest.update(_code_digest().encode())
    digest.update(f"\0languages {' '.join(languages)}".encode())
    for name, content in sorted(contents.items()):
        data = content if isinstance(content, bytes) else f"unreadable: {content}".encode()
        digest.update(f"\0{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


@cache
def _code_digest() -> str:
    """Every module of the package (a check may move between them), Python and the parsing libraries."""
    digest = hashlib.sha256(sys.version.encode())
    for library in LIBRARIES:
        with suppress(PackageNotFoundError):
            digest.update(f"\0{library} {version(library)}".encode())
    for module in sorted(PACKAGE.rglob("*.py")):
        digest.update(f"\0{module.relative_to(PACKAGE).as_posix()}\0".encode())
        digest.update(module.read_bytes())
    return digest.hexdigest()


def read(data_dir: Path, entry_key: str, models: Mapping[str, type[BaseModel]]) -> Records | None:
    """The records stored under `entry_key`, or None when there is no such entry that can be trusted."""
    try:
        with open(entry_path(data_dir), "rb") as file:
            header = orjson.loads(file.readline(4096))
            if header.get("format") != FORMAT or header.get("key") != entry_key:
                return None
            payload = file.read(MAX_ENTRY_BYTES + 1)
        if len(payload) > MAX_ENTRY_BYTES or hashlib.sha256(payload).hexdigest() != header.get("payload_sha256"):
            return None
        return _records(payload, models)
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None  # missing, unreadable, truncated, corrupt or foreign: load validates afresh


def _records(payload: bytes, models: Mapping[str, type[BaseModel]]) -> Records:
    stored = orjson.loads(payload)
    if not isinstance(stored, dict) or stored.keys() != models.keys():
        raise KeyError("not the files of this schema")
    with paused_gc():
        return {name: _construct_all(model, **stored[name]) for name, model in models.items()}


def write(data_dir: Path, entry_key: str, records: Records, models: Mapping[str, type[BaseModel]]) -> None:
    """Store `records` under `entry_key`, atomically; silently nothing if the cache folder is not writable,
    or if a value has no exact JSON form (an infinite number, a type not known to `_to_json`)."""
    # Rows of values under one list of field names: a third of the parsing that a mapping per record costs.
    try:
        payload = json.dumps({name: {"fields": list(models[name].model_fields),
                                     "rows": [list(r.model_dump().values()) for r in rs]}
                              for name, rs in records.items()},
                             ensure_ascii=False, allow_nan=False, default=_to_json).encode()
    except (TypeError, ValueError):
        return
    header = json.dumps({"format": FORMAT, "key": entry_key,
                         "payload_sha256": hashlib.sha256(payload).hexdigest()}).encode()
    target = entry_path(data_dir)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(header + b"\n" + payload)
        os.replace(temporary, target)  # readers see the old entry or the new one, never half of one
    except OSError:
        with suppress(OSError):
            os.unlink(temporary)
        return
    _prune(target.parent)


def _to_json(value):
    """What JSON has no type for, as `_revivers` reads it back; anything else is refused."""
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"no JSON form for {type(value).__name__}")


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("dataset-*.json"), key=_mtime, reverse=True)
    for stale in entries[KEEP_ENTRIES:]:
        with suppress(OSError):
            stale.unlink()


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


@contextmanager
def paused_gc() -> Iterator[None]:
    """Tens of thousands of records made at once, none of them garbage: without this pause the cyclic GC
    would walk them again and again (a quarter of a cache hit's time). Collection resumes afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _construct_all(model: type[BaseModel], fields: list[str], rows: list[list]) -> list[BaseModel]:
    """Records from values that passed validation when the entry was written, without validating again.

    `model_construct` does the same, at four times the cost; the test suite compares a cached load with
    a fresh one, so a pydantic release that changes these attributes fails there, loudly. The records
    share one set of field names: the models are frozen, so nothing ever adds to it.
    """
    if fields != list(model.model_fields):
        raise KeyError(f"fields of {model.__name__} differ")
    if not model.model_config.get("frozen"):
        raise KeyError(f"{model.__name__} is not frozen: its records cannot share a set of field names")
    revivers = [(index, adapter.validate_python) for index, adapter in _revivers(model).items()]
    fields_set = set(fields)
    new = model.__new__
    # BaseModel's slots, set as `model_construct` sets them (the model's own __setattr__ refuses: frozen)
    slots = vars(BaseModel)
    set_dict, set_fields_set, set_extra, set_private = (slots[name].__set__ for name in (
        "__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__"))
    records = []
    for row in rows:
        for index, revive in revivers:
            row[index] = revive(row[index])
        record = new(model)
        set_dict(record, dict(zip(fields, row, strict=True)))
        set_fields_set(record, fields_set)
        set_extra(record, None)
        set_private(record, None)
        records.append(record)
    return records


@cache
def _revivers(model: type[BaseModel]) -> dict[int, TypeAdapter]:
    """Fields whose JSON form is not their Python value (a date, a tuple), by position, with what turns
    one into the other."""
    return {index: TypeAdapter(info.annotation) for index, info in enumerate(model.model_fields.values())
            if not _json_native(info.annotation)}


_NATIVE = (str, int, float, bool, type(None))


def _json_native(annotation) -> bool:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        return all(isinstance(arg, _NATIVE) for arg in args)
    if origin is typing.Annotated:
        return _json_native(args[0])
    if origin in (typing.Union, types.UnionType):
        return all(_json_native(arg) for arg in args)
    if origin is dict:  # a translated field: {language: text} is the same in JSON
        return args[0] is str and _json_native(args[1])
    return annotation in _NATIVE
