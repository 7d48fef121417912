"""Load the curated data, validate it against the schema and the seeds, and
hand it out as typed records and a tidy pandas DataFrame.

Every problem is collected, not just the first, and each names its file,
record and field, so a curator can fix a whole file in one pass.
"""

from __future__ import annotations

import hashlib
import os
import re
import reprlib
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import fast_yaml
from pydantic import BaseModel, ValidationError

from dashboard import cache
from dashboard.schema import Exclusion, FieldError, Indicator, Observation, Sector, Source, Statement
from dashboard.text import fold

if TYPE_CHECKING:
    import pandas as pd

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FILES: dict[str, type[BaseModel]] = {
    "sources.yaml": Source,
    "sectors.yaml": Sector,
    "indicators.yaml": Indicator,
    "observations.yaml": Observation,
    "statements.yaml": Statement,
    "exclusions.yaml": Exclusion,
}
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_YEARS_FROM_REVIEW = 5

COLUMNS = [
    "indicator_id", "sector", "sector_vi", "sector_en", "label_vi", "label_en",
    "year", "value", "denominator", "unit", "kind", "qualifier", "as_written",
    "formula", "derivation_vi", "derivation_en", "better", "comparability_vi", "comparability_en",
    "source", "source_title_vi", "source_date", "quote", "translation_en",
]


@dataclass(frozen=True)
class Problem:
    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        where = " › ".join(part for part in (self.file, self.record, self.field) if part)
        return f"{where}: {self.message}"


class DataError(Exception):
    """The curated data cannot be trusted; `problems` says everything that is wrong."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Dataset:
    sources: dict[str, Source]
    sectors: dict[str, Sector]
    indicators: dict[str, Indicator]
    observations: list[Observation]
    statements: list[Statement]
    exclusions: list[Exclusion]
    seed_texts: dict[str, str] = field(repr=False)  # folded article bodies, for quote checks
    root: Path = PROJECT_ROOT

    def report_text(self, source_id: str) -> str:
        """The whole seed as published, line breaks and all."""
        return (self.root / self.sources[source_id].file).read_text(encoding="utf-8")

    @cached_property
    def frame(self) -> pd.DataFrame:
        """One row per observation, in the columns of `COLUMNS`."""
        import pandas as pd  # imported on first use: a second of start-up the first paint need not wait for

        rows = []
        for obs in self.observations:
            ind = self.indicators[obs.indicator]
            sector = self.sectors[ind.sector]
            source = self.sources[obs.source]
            rows.append({
                "indicator_id": ind.id, "sector": sector.id,
                "sector_vi": sector.name_vi, "sector_en": sector.name_en,
                "label_vi": ind.label_vi, "label_en": ind.label_en,
                "year": obs.year, "value": obs.value, "denominator": obs.denominator,
                "unit": ind.unit, "kind": obs.kind, "qualifier": obs.qualifier,
                "as_written": obs.as_written, "formula": obs.formula,
                "derivation_vi": obs.derivation_vi, "derivation_en": obs.derivation_en,
                "better": ind.better,
                "comparability_vi": ind.comparability_vi, "comparability_en": ind.comparability_en,
                "source": source.id, "source_title_vi": source.title_vi,
                "source_date": source.date.isoformat(),
                "quote": obs.quote, "translation_en": obs.translation_en,
            })
        return pd.DataFrame(rows, columns=COLUMNS)

    @cached_property
    def observations_by_indicator(self) -> dict[str, list[Observation]]:
        grouped: dict[str, list[Observation]] = {ind: [] for ind in self.indicators}
        for obs in sorted(self.observations, key=lambda o: (o.year, o.kind)):
            grouped.setdefault(obs.indicator, []).append(obs)
        return grouped

    @cached_property
    def indicators_by_sector(self) -> dict[str, list[Indicator]]:
        grouped: dict[str, list[Indicator]] = {sector: [] for sector in self.sectors}
        for ind in self.indicators.values():
            grouped.setdefault(ind.sector, []).append(ind)
        return grouped

    @cached_property
    def years(self) -> list[int]:
        return sorted({s.reviewed_year for s in self.sources.values()})


def default_data_dir() -> Path:
    return Path(os.environ.get("DASHBOARD_DATA_DIR", PROJECT_ROOT / "data"))


def load(data_dir: Path | str | None = None) -> Dataset:
    """Read and validate `data_dir` (default: `$DASHBOARD_DATA_DIR` or `data/`).

    Seed files are found relative to the folder above `data_dir`.
    Raises `DataError` listing every problem. Data, seeds and code unchanged since the
    last load: the records come from `dashboard.cache`, without parsing or validating again.
    """
    data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
    with cache.paused_gc():
        return _load(data_dir)


def _load(data_dir: Path) -> Dataset:
    root = data_dir.parent
    contents = {name: _read_file(data_dir / name) for name in FILES}
    entry_key = cache.key(contents)
    stored = cache.read(data_dir, entry_key, FILES)
    if stored is not None:
        problems: list[Problem] = []
        dataset = _dataset({name: [("", r) for r in rs] for name, rs in stored.items()}, root, problems)
        if not problems:  # every seed still has the SHA-256 sources.yaml gives it
            return dataset
    problems = []
    records = {name: _read_records(data_dir / name, contents[name], model, problems)
               for name, model in FILES.items()}
    dataset = _dataset(records, root, problems)
    problems += _cross_check(records, dataset)
    if problems:
        raise DataError(problems)
    cache.write(data_dir, entry_key, {name: [r for _, r in rs] for name, rs in records.items()}, FILES)
    return dataset


def _dataset(records, root: Path, problems: list[Problem]) -> Dataset:
    return Dataset(
        sources=_by_id(records["sources.yaml"]),
        sectors=_by_id(records["sectors.yaml"]),
        indicators=_by_id(records["indicators.yaml"]),
        observations=[r for _, r in records["observations.yaml"]],
        statements=[r for _, r in records["statements.yaml"]],
        exclusions=[r for _, r in records["exclusions.yaml"]],
        seed_texts=_read_seeds(root, records["sources.yaml"], problems),
        root=root,
    )


def _display(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _read_file(path: Path) -> bytes | str:
    """The file's bytes, or why they cannot be had."""
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return "file is missing"
    except OSError as exc:
        return f"file cannot be read ({exc.strerror})"
    return data if len(data) <= MAX_FILE_BYTES else f"file is larger than {MAX_FILE_BYTES // 2**20} MiB"


def _read_records(path: Path, content: bytes | str, model: type[BaseModel], problems: list[Problem]):
    """[(record label, validated model)] for the records that pass the schema."""
    shown = _display(path)
    if isinstance(content, str):
        problems.append(Problem(shown, "", "", content))
        return []
    try:
        raw = _parse_yaml(content.decode("utf-8"))
    except UnicodeDecodeError as exc:
        problems.append(Problem(shown, "", "", f"file is not UTF-8 ({exc.reason} at byte {exc.start})"))
        return []
    except (ValueError, fast_yaml.YAMLError) as exc:
        message = str(exc).removeprefix("YAML parse error: ")
        line = re.search(r" at line (\d+), column \d+", message)
        at = f"line {line.group(1)}" if line else ""
        message = message.replace(line.group(), "") if line else message
        if "document count exceeds" in message:
            message = "a second document (a `---` line); a data file holds one list of records"
        problems.append(Problem(shown, at, "", f"not valid YAML: {message[:300]}"))
        return []
    if raw is None:
        problems.append(Problem(shown, "", "", "file is empty; expected a list of records"))
        return []
    if not isinstance(raw, list):
        problems.append(Problem(shown, "", "", "expected a list of records (lines starting with '- ')"))
        return []
    valid = []
    for index, item in enumerate(raw, start=1):
        label = _record_label(index, item)
        if not isinstance(item, dict):
            problems.append(Problem(shown, label, "", "expected a mapping of field: value"))
            continue
        try:
            valid.append((label, model.model_validate(item)))
        except ValidationError as exc:
            problems += [_problem(shown, label, err) for err in exc.errors()]
    return valid


def _parse_yaml(text: str):
    """The one document of a data file, as YAML 1.2 reads it (`no` is text, not false).

    fast_yaml (Rust) parses 50,000 records some twenty times faster than PyYAML's libyaml loader.
    A second document is an error, not silently dropped; aliases expand to at most 1 MiB.
    """
    documents = fast_yaml.safe_load_all(text, max_documents=1, max_alias_bytes=MAX_ALIAS_BYTES)
    return next(iter(documents), None)


MAX_ALIAS_BYTES = 2**20


def _record_label(index: int, item: object) -> str:
    if isinstance(item, dict):
        if "id" in item:
            return f"record {index} ({_short(item['id'])})"
        if "indicator" in item:
            return f"record {index} ({_short(item['indicator'])} {_short(item.get('year', '?'))})"
    return f"record {index}"


_REPR = reprlib.Repr()  # keyword arguments only from Python 3.12
_REPR.maxlevel, _REPR.maxdict, _REPR.maxlist, _REPR.maxstring, _REPR.maxother = 2, 4, 4, 60, 60


def _short(value: object) -> str:
    """A bounded rendering of a value from a data file: a hostile file cannot blow up a message."""
    return value if isinstance(value, str) and len(value) <= 60 else _REPR.repr(value).strip("'")


def _problem(file: str, record: str, err: dict) -> Problem:
    cause = err.get("ctx", {}).get("error")
    if isinstance(cause, FieldError):
        return Problem(file, record, cause.field, str(cause))
    field_name = ".".join(str(part) for part in err["loc"])
    message = err["msg"][:300]
    if err["type"] == "extra_forbidden":
        message = "unknown field (a typo?)"
    elif err["type"] == "string_type" and not isinstance(err.get("input"), str):
        message = f"expected text but YAML read {_REPR.repr(err.get('input'))}; put the value in quotes"
    return Problem(file, record, field_name, message)


def _by_id(records):
    return {r.id: r for _, r in records}


def _read_seeds(root: Path, sources, problems: list[Problem]) -> dict[str, str]:
    texts = {}
    for label, source in sources:
        path = root / source.file
        try:
            data = path.read_bytes()
        except OSError:
            problems.append(Problem("data/sources.yaml", label, "file", f"seed {source.file} is missing"))
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest != source.sha256:
            problems.append(Problem(
                "data/sources.yaml", label, "sha256",
                f"seed {source.file} has changed: its SHA-256 is {digest}",
            ))
            continue
        text = fold(data.decode("utf-8"))
        if source.body_end is not None:
            end = text.find(fold(source.body_end))
            if end < 0:
                problems.append(Problem("data/sources.yaml", label, "body_end", "not found in the seed"))
            else:
                text = text[:end]
        texts[source.id] = text
    return texts


class _QuoteLookup:
    """`quote in seed`, fast for many quotes: a whole sentence is a set lookup, and
    only a partial one scans the text (once per distinct quote)."""

    SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")

    def __init__(self, text: str):
        self.text = text
        self.sentences = set(self.SENTENCE_END.split(text))
        self.seen: dict[str, bool] = {}

    def __contains__(self, quote: str) -> bool:
        if quote in self.sentences:
            return True
        if quote not in self.seen:
            self.seen[quote] = quote in self.text
        return self.seen[quote]


def _cross_check(records, ds: Dataset) -> list[Problem]:
    """References, uniqueness, plausible years and quotes that stand in their seeds."""
    problems = []
    seeds = {source_id: _QuoteLookup(text) for source_id, text in ds.seed_texts.items()}
    for name in ("sources.yaml", "sectors.yaml", "indicators.yaml", "statements.yaml"):
        counts = Counter(r.id for _, r in records[name])
        problems += [
            Problem(f"data/{name}", label, "id", f"duplicate id {r.id!r}")
            for label, r in records[name] if counts[r.id] > 1
        ]
    keys = Counter(r.key for _, r in records["observations.yaml"])
    problems += [
        Problem("data/observations.yaml", label, "year", f"a second {r.kind} value for {r.indicator} in {r.year}")
        for label, r in records["observations.yaml"] if keys[r.key] > 1
    ]

    def ref(file, label, field_name, value, known, what):
        if value not in known:
            problems.append(Problem(f"data/{file}", label, field_name, f"unknown {what} {value!r}"))

    for label, ind in records["indicators.yaml"]:
        ref("indicators.yaml", label, "sector", ind.sector, ds.sectors, "sector")
        for other in ind.contrasts_with:
            ref("indicators.yaml", label, "contrasts_with", other, ds.indicators, "indicator")
    for label, rule in records["exclusions.yaml"]:
        if rule.source is not None:
            ref("exclusions.yaml", label, "source", rule.source, ds.sources, "source")
        texts = [text for sid, text in ds.seed_texts.items() if rule.source in (None, sid)]
        if texts and not any(re.search(rule.pattern, text) for text in texts):
            problems.append(Problem("data/exclusions.yaml", label, "pattern", "matches nothing in the reviews"))
    for name in ("observations.yaml", "statements.yaml"):
        for label, rec in records[name]:
            if name == "observations.yaml":
                ref(name, label, "indicator", rec.indicator, ds.indicators, "indicator")
            else:
                ref(name, label, "sector", rec.sector, ds.sectors, "sector")
            ref(name, label, "source", rec.source, ds.sources, "source")
            source = ds.sources.get(rec.source)
            if source is None:
                continue
            if name == "observations.yaml" and abs(rec.year - source.reviewed_year) > MAX_YEARS_FROM_REVIEW:
                problems.append(Problem(
                    f"data/{name}", label, "year",
                    f"{rec.year} is implausible for the review of {source.reviewed_year}",
                ))
            seed = seeds.get(rec.source)
            if seed is not None and fold(rec.quote) not in seed:
                problems.append(Problem(
                    f"data/{name}", label, "quote",
                    f"not found verbatim in {source.file} (compared after NFC and whitespace folding)",
                ))
    return problems
