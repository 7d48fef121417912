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
import stat
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import fast_yaml
import pandas as pd
import yaml
from pydantic import BaseModel, ValidationError

from dashboard.core import cache
from dashboard.core import columns as table_columns
from dashboard.core.i18n import LANGUAGES, REPORTS_LANG, stated_value
from dashboard.core.languages import languages as page_languages
from dashboard.core.languages import translated, translation_languages
from dashboard.core.schema import Exclusion, FieldError, Indicator, Observation, Plan, Sector, Source, Statement
from dashboard.core.text_rules import BIDI_CONTROLS, SENTENCE_END, find_phrase, fold
from dashboard.core.units import UNITS
from dashboard.core.yaml_tags import yaml_tags

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FILES: dict[str, type[BaseModel]] = {
    "sources.yaml": Source,
    "sectors.yaml": Sector,
    "indicators.yaml": Indicator,
    "observations.yaml": Observation,
    "statements.yaml": Statement,
    "exclusions.yaml": Exclusion,
    "plans.yaml": Plan,
}
OPTIONAL_FILES = ("plans.yaml",)  # a data folder from before tasks were curated still loads
MAX_FILE_BYTES = 20 * 1024 * 1024
SEEDS = "seeds"  # every seed lies in this folder beside the data folder
MAX_YEARS_FROM_REVIEW = 5


def by_language(name: str, text: Mapping[str, str] | None, langs: Iterable[str]) -> dict[str, str | None]:
    """A translated field as one column per language, named as the exports have always named them
    (`label_vi`, `label_en`, `translation_en`): users' scripts read these columns. Its keys, for `text`
    None, are the columns' names."""
    return {f"{name}_{lang}": translated(text, lang) for lang in langs}


def columns(langs: tuple[str, ...]) -> list[str]:
    """The columns of `Dataset.frame`, with one column per language for each translated field
    (dashboard/core/columns.py: `OBSERVATIONS`)."""
    return table_columns.names(table_columns.OBSERVATIONS, langs)


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
    plans: list[Plan]
    bodies: dict[str, str] = field(repr=False)  # article bodies, NFC, line breaks kept
    # Each seed's text as read once and checked against its SHA-256: the page never reads the disk again,
    # so a seed changed while the app runs cannot show beside the pinned hash.
    report_texts: dict[str, str] = field(repr=False)
    root: Path = PROJECT_ROOT
    languages: tuple[str, ...] = field(default_factory=page_languages)  # what every translated field holds

    @cached_property
    def seed_texts(self) -> dict[str, str]:
        """Article bodies, NFC and white space folded: what quotes are checked against."""
        return {source_id: fold(body) for source_id, body in self.bodies.items()}

    @cached_property
    def curated_pairs(self) -> frozenset[tuple[str, str]]:
        """(sector, source) pairs of which something is curated: a figure, a passage, a task the review sets, or
        its words on a task set before. The one rule of whether a review speaks of a sector: elsewhere, that it
        does not is a search (`sectors.yaml` search_terms)."""
        answered = {(p.sector, following.id) for p in self.plans
                    if p.outcome_quote and (following := self.review_of_year.get(p.for_year)) is not None}
        return frozenset(
            {(ind.sector, o.source) for o in self.observations if (ind := self.indicators.get(o.indicator))}
            | {(s.sector, s.source) for s in self.statements} | {(p.sector, p.source) for p in self.plans} | answered
        )

    def report_text(self, source_id: str) -> str:
        """The whole seed as published (and verified), line breaks and all."""
        return self.report_texts[source_id]

    @cached_property
    def frame(self) -> pd.DataFrame:
        """One row per observation, in the columns of `columns`."""
        langs, other = self.languages, translation_languages(self.languages)
        rows = []
        for obs in self.observations:
            ind = self.indicators[obs.indicator]
            sector = self.sectors[ind.sector]
            source = self.sources[obs.source]
            rows.append({
                "indicator_id": ind.id, "sector": sector.id,
                **by_language("sector", sector.name, langs), **by_language("label", ind.label, langs),
                "year": obs.year, "value": obs.value, "denominator": obs.denominator,
                "unit": ind.unit, "kind": obs.kind, "qualifier": obs.qualifier,
                "as_written": obs.as_written,
                **{f"stated_{lang}": stated_value(obs, ind, lang) for lang in LANGUAGES}, "formula": obs.formula,
                **by_language("derivation", obs.derivation, langs), **by_language("year_note", obs.year_note, langs),
                "better": ind.better, **by_language("note", ind.note, langs),
                **by_language("comparability", ind.comparability, langs),
                "source": source.id, f"source_title_{REPORTS_LANG}": translated(source.title, REPORTS_LANG),
                "source_published": source.published,
                "quote": obs.quote, **by_language("translation", obs.translation, other),
                "upper": obs.upper, "scale": obs.scale,
            })
        return pd.DataFrame(rows, columns=columns(langs))

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

    @cached_property
    def review_of_year(self) -> dict[int, Source]:
        """The review that covers each year: where a task set for that year is reported on."""
        return {s.reviewed_year: s for s in self.sources.values()}

    @cached_property
    def observations_by_key(self) -> dict[str, Observation]:
        return {o.key: o for o in self.observations}


def default_data_dir() -> Path:
    return Path(os.environ.get("DASHBOARD_DATA_DIR", PROJECT_ROOT / "data"))


def load(data_dir: Path | str | None = None, languages: tuple[str, ...] | None = None,
         complete: bool = True) -> Dataset:
    """Read and validate `data_dir` (default: `$DASHBOARD_DATA_DIR` or `data/`).

    `complete=False` is the curator's mode while a review is being drafted: the checks that its curation is
    finished (tasks still `awaiting` it, sectors it is silent on without search terms) are left out; every
    check of structure, reference and quote still holds.

    Every translated field must hold exactly `languages` (default: the page languages, see
    `dashboard.core.languages`). Seed files are found relative to the folder above `data_dir`.
    Raises `DataError` listing every problem. Data, seeds and code unchanged since the
    last load: the records come from `dashboard.core.cache`, without parsing or validating again.
    """
    data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
    with cache.paused_gc():
        return _load(data_dir, tuple(languages or page_languages()), complete)


def _load(data_dir: Path, languages: tuple[str, ...], complete: bool) -> Dataset:
    root = data_dir.parent
    contents = {name: _read_file(data_dir, name) for name in FILES}
    entry_key = cache.key(contents, languages)
    stored = cache.read(data_dir, entry_key, FILES)
    if stored is not None:
        problems: list[Problem] = []
        dataset = _dataset({name: [("", r) for r in rs] for name, rs in stored.items()}, root, languages, problems,
                           checked=True)
        if not problems:  # every seed still has the SHA-256 sources.yaml gives it
            return dataset
    problems = []
    records = {name: _read_records(data_dir / name, contents[name], model, languages, problems)
               for name, model in FILES.items()}
    dataset = _dataset(records, root, languages, problems)
    problems += _cross_check(records, dataset, complete)
    if problems:
        raise DataError(problems)
    if not complete:  # the cache holds only data that passed every check
        return dataset
    cache.write(data_dir, entry_key, {name: [r for _, r in rs] for name, rs in records.items()}, FILES)
    return dataset


def _dataset(records, root: Path, languages: tuple[str, ...], problems: list[Problem],
             checked: bool = False) -> Dataset:
    bodies, report_texts = _read_seeds(root, records["sources.yaml"], problems, checked)
    return Dataset(
        sources=_by_id(records["sources.yaml"]),
        sectors=_by_id(records["sectors.yaml"]),
        indicators=_by_id(records["indicators.yaml"]),
        observations=[r for _, r in records["observations.yaml"]],
        statements=[r for _, r in records["statements.yaml"]],
        exclusions=[r for _, r in records["exclusions.yaml"]],
        plans=[r for _, r in records["plans.yaml"]],
        bodies=bodies,
        report_texts=report_texts,
        root=root,
        languages=languages,
    )


def _display(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


MISSING = "file is missing"
DRAFT_IN_DATA = ("a draft candidate (`draft: true`), not a curated record: judge it in drafts/ and move it with "
                 "`dashboard draft SOURCE --accept`")


def _read_file(data_dir: Path, name: str) -> bytes | str:
    """The file's bytes, or why they cannot be had."""
    try:
        data = read_inside(data_dir / name, data_dir)
    except FileNotFoundError:
        return MISSING
    except UnsafeFile as exc:
        return f"file {exc}"
    return data if len(data) <= MAX_FILE_BYTES else f"file is larger than {MAX_FILE_BYTES // 2**20} MiB"


def _read_records(path: Path, content: bytes | str, model: type[BaseModel], languages: tuple[str, ...],
                  problems: list[Problem]):
    """[(record label, validated model)] for the records that pass the schema."""
    shown = _display(path)
    if content == MISSING and path.name in OPTIONAL_FILES:
        return []
    if isinstance(content, str):
        problems.append(Problem(shown, "", "", content))
        return []
    try:
        text = content.decode("utf-8")
        tagged = yaml_tags(text)
        raw = None if tagged else _parse_yaml(text)
    except UnicodeDecodeError as exc:
        problems.append(Problem(shown, "", "", f"file is not UTF-8 ({exc.reason} at byte {exc.start})"))
        return []
    except (ValueError, fast_yaml.YAMLError, yaml.YAMLError) as exc:
        message = str(exc).removeprefix("YAML parse error: ")
        line = re.search(r" at line (\d+), column \d+", message)
        at = f"line {line.group(1)}" if line else ""
        message = message.replace(line.group(), "") if line else message
        if "document count exceeds" in message:
            message = "a second document (a `---` line); a data file holds one list of records"
        problems.append(Problem(shown, at, "", f"not valid YAML: {message[:300]}"))
        return []
    if tagged:
        problems += [Problem(shown, f"line {line}", "", f"{TAG_REFUSED} ({_short(tag)})") for line, tag in tagged]
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
        if item.get("draft") is True:
            problems.append(Problem(shown, label, "draft", DRAFT_IN_DATA))
            continue
        try:
            valid.append((label, model.model_validate(item, context={"languages": languages})))
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
TAG_REFUSED = "a YAML tag: the data is plain text, numbers, lists and mappings; remove the tag"


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


class UnsafeFile(ValueError):
    """A path that is not a plain file of its folder: a link out of it, a device, a folder, a huge file."""


def read_inside(path: Path, folder: Path) -> bytes:
    """The bytes of `path`, only if it is a regular file whose real location lies inside `folder`.

    The path is resolved first, so a symbolic link to a file outside (`seeds/x.txt → /etc/passwd`)
    is refused; the file is opened without following a last link and checked through its descriptor,
    so it cannot be swapped for something else between the check and the read.
    """
    real = path.resolve()
    if not real.is_relative_to(folder.resolve()):
        raise UnsafeFile(f"lies outside {folder.name}/ (it resolves to another place: a symbolic link?)")
    try:
        descriptor = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise UnsafeFile(f"cannot be read: {exc.strerror}") from None
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise UnsafeFile("is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile("is not a regular file (a device, a pipe or a socket?)")
        if info.st_size > MAX_FILE_BYTES:
            raise UnsafeFile(f"is larger than {MAX_FILE_BYTES // 2**20} MiB")
        chunks = []
        while chunk := os.read(descriptor, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def _read_seeds(root: Path, sources, problems: list[Problem],
                checked: bool = False) -> tuple[dict[str, str], dict[str, str]]:
    """(article bodies, full texts) of the seeds that pass every check, NFC, line breaks kept.

    The body lies between `body_start` and `body_end`: nothing is quoted from the page around it.
    `checked`: these sources passed every check when the cache entry was written; a seed with the
    SHA-256 its source gives is then the same bytes as then, and only that is verified again.
    """
    bodies, full_texts = {}, {}
    for label, source in sources:
        try:
            data = read_inside(root / source.file, root / SEEDS)
        except FileNotFoundError:
            problems.append(Problem("data/sources.yaml", label, "file", f"seed {source.file} is missing"))
            continue
        except UnsafeFile as exc:
            problems.append(Problem("data/sources.yaml", label, "file", f"seed {source.file} {exc}"))
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest != source.sha256:
            problems.append(Problem(
                "data/sources.yaml", label, "sha256",
                f"seed {source.file} has changed: its SHA-256 is {digest}",
            ))
            continue
        try:
            page = unicodedata.normalize("NFC", data.decode("utf-8"))
        except UnicodeDecodeError as exc:
            problems.append(Problem(
                "data/sources.yaml", label, "file",
                f"seed {source.file} is not UTF-8 ({exc.reason} at byte {exc.start})",
            ))
            continue
        start, end = 0, len(page)
        for field_name in ("body_start", "body_end"):
            marker = getattr(source, field_name)
            if marker is None:
                continue
            found = _find_folded(page, marker)
            if found is None:
                problems.append(Problem("data/sources.yaml", label, field_name, "not found in the seed"))
            elif field_name == "body_start":
                start = found.end()
            else:
                end = found.start()
        body = page[start:end]
        bodies[source.id], full_texts[source.id] = body, page
        if checked:
            continue
        if fold(source.published_as_written) not in fold(page):
            problems.append(Problem("data/sources.yaml", label, "published_as_written", "not found in the seed"))
        if source.publisher_as_written is not None and fold(source.publisher_as_written) not in fold(page):
            problems.append(Problem("data/sources.yaml", label, "publisher_as_written", "not found in the seed"))
        if source.event_as_written is not None and fold(source.event_as_written) not in fold(body):
            problems.append(Problem(
                "data/sources.yaml", label, "event_as_written", "not found in the article body of the seed",
            ))
    return bodies, full_texts


def _find_folded(text: str, marker: str) -> re.Match | None:
    """`marker` in `text`, any run of white space matching any other."""
    return re.search(r"\s+".join(re.escape(word) for word in fold(marker).split(" ")), text)


class _QuoteLookup:
    """`quote in seed`, fast for many quotes: a whole sentence is a set lookup, and
    only a partial one scans the text (once per distinct quote)."""

    def __init__(self, text: str):
        self.text = text
        self.sentences = set(SENTENCE_END.split(text))
        self.seen: dict[str, bool] = {}

    def __contains__(self, quote: str) -> bool:
        if quote in self.sentences:
            return True
        if quote not in self.seen:
            self.seen[quote] = quote in self.text
        return self.seen[quote]


def _cross_check(records, ds: Dataset, complete: bool = True) -> list[Problem]:
    """References, uniqueness, plausible years and quotes that stand in their seeds."""
    problems = []
    seeds = {source_id: _QuoteLookup(text) for source_id, text in ds.seed_texts.items()}
    for name in ("sources.yaml", "sectors.yaml", "indicators.yaml", "statements.yaml", "plans.yaml"):
        counts = Counter(r.id for _, r in records[name])
        problems += [
            Problem(f"data/{name}", label, "id", f"duplicate id {r.id!r}")
            for label, r in records[name] if counts[r.id] > 1
        ]
    years = Counter(r.reviewed_year for _, r in records["sources.yaml"])
    problems += [
        Problem("data/sources.yaml", label, "reviewed_year", f"a second review of {r.reviewed_year}")
        for label, r in records["sources.yaml"] if years[r.reviewed_year] > 1
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
                indicator = ds.indicators.get(rec.indicator)
                if rec.upper is not None and indicator is not None and UNITS[indicator.unit].ordinal:
                    problems.append(Problem(f"data/{name}", label, "upper",
                                            "a place in an order is one place: a rank takes no range"))
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
    problems += _check_plans(records["plans.yaml"], ds, seeds, complete)
    if complete:
        problems += _check_silent_sectors(records["sectors.yaml"], ds)
    problems += _check_one_translation(records)
    return problems


def _translations(records):
    """(file, record, field, quote, its translation) for every translated quote of the data."""
    for name in ("observations.yaml", "statements.yaml", "plans.yaml"):
        for label, rec in records[name]:
            yield name, label, "translation", rec.quote, rec.translation
            if name == "plans.yaml" and rec.outcome_quote is not None:
                yield name, label, "outcome_translation", rec.outcome_quote, rec.outcome_translation


def _wording(text: str) -> str:
    """A sentence's words, whatever ends it: a quote may stop before its full stop in one record."""
    return BIDI_CONTROLS.sub("", fold(text)).rstrip(" .;,")


def _check_one_translation(records) -> list[Problem]:
    """A sentence quoted in two records has one translation: two would say the report said two things."""
    problems, first = [], {}
    for name, label, field_name, quote, translation in _translations(records):
        said = _wording(quote)
        if translation is None:
            continue
        if said not in first:
            first[said] = (name, label, translation)
            continue
        other_name, other_label, other = first[said]
        for lang, text in translation.items():
            if other.get(lang) is not None and _wording(other[lang]) != _wording(text):
                problems.append(Problem(
                    f"data/{name}", label, f"{field_name}.{lang}",
                    f"the same quote is translated otherwise in data/{other_name} › {other_label}: "
                    "give one translation per sentence"))
    return problems


def _check_silent_sectors(sectors, ds: Dataset) -> list[Problem]:
    """Where nothing of a review is curated for a sector, the page says the review is silent on it:
    the sector's search terms prove it, none of them occurring in that review."""
    problems = []
    curated = ds.curated_pairs
    for label, sector in sectors:
        for source in ds.sources.values():
            body = ds.seed_texts.get(source.id)
            if (sector.id, source.id) in curated or body is None:
                continue
            if not sector.search_terms:
                problems.append(Problem(
                    "data/sectors.yaml", label, "search_terms",
                    f"nothing of {source.file} is curated for this sector: list the words it would use, "
                    "so that its silence is searched, not asserted"))
            for term in sector.search_terms:
                sentence = find_phrase(body, term)
                if sentence is not None:
                    problems.append(Problem(
                        "data/sectors.yaml", label, "search_terms",
                        f"{term!r} occurs in {source.file}, yet nothing of it is curated for this sector: "
                        f"“{_short_sentence(sentence)}”"))
    return problems


def _check_plans(plans, ds: Dataset, seeds: dict[str, _QuoteLookup], complete: bool) -> list[Problem]:
    """Each task stands in the review that sets it; its outcome fits what the next review says."""
    problems = []

    def problem(label: str, field_name: str, message: str) -> None:
        problems.append(Problem("data/plans.yaml", label, field_name, message))

    for label, plan in plans:
        if plan.sector not in ds.sectors:
            problem(label, "sector", f"unknown sector {plan.sector!r}")
        source = ds.sources.get(plan.source)
        if source is None:
            problem(label, "source", f"unknown source {plan.source!r}")
            continue
        if plan.source in seeds and fold(plan.quote) not in seeds[plan.source]:
            problem(label, "quote", f"not found verbatim in {source.file} (compared after NFC and whitespace folding)")
        if plan.for_year <= source.reviewed_year:
            problem(label, "for_year", f"{plan.for_year} is not after the year {source.reviewed_year} it reviews")
        for key in plan.targets:
            target = ds.observations_by_key.get(key)
            if target is None or target.source != plan.source or target.kind != "target":
                problem(label, "targets", f"{key!r} is not a target figure from {plan.source}")
        problems += [Problem("data/plans.yaml", label, f, m) for f, m in _outcome_problems(plan, ds, seeds, complete)]
    return problems


def _outcome_problems(plan: Plan, ds: Dataset, seeds: dict[str, _QuoteLookup],
                      complete: bool) -> list[tuple[str, str]]:
    following = ds.review_of_year.get(plan.for_year)
    if following is None:
        if plan.status != "awaiting":
            return [("status", f"no review of {plan.for_year} is in the data yet: the status is `awaiting`")]
        return []
    if plan.status == "awaiting":
        if not complete:  # the review that answers it is being drafted
            return []
        return [("status", f"the review of {plan.for_year} ({following.id}) is in the data: record its outcome")]
    found = []
    for key in plan.outcome_observations:
        outcome = ds.observations_by_key.get(key)
        if outcome is None or outcome.source != following.id:
            found.append(("outcome_observations", f"{key!r} is not a figure from {following.id}"))
    if plan.outcome_quote is not None and following.id in seeds and fold(plan.outcome_quote) not in seeds[following.id]:
        found.append(("outcome_quote", f"not found verbatim in {following.file}, the review of {plan.for_year}"))
    found += _note_quotes_problems(plan, seeds, following)
    body = ds.seed_texts.get(following.id)
    for term in plan.search_terms if body is not None else ():
        sentence = find_phrase(body, term)
        if sentence is not None:
            found.append(("search_terms", f"{term!r} occurs in {following.file}, so it is not silent: "
                                          f"“{_short_sentence(sentence)}”"))
    return found


NOTE_QUOTE = re.compile(r"“([^”]+)”")


def _note_quotes_problems(plan: Plan, seeds: dict[str, _QuoteLookup], following: Source) -> list[tuple[str, str]]:
    """What an outcome note quotes (“…”, in the reports' language) stands verbatim in the review that sets the
    task or the next one; a `…` inside a quotation marks words left out."""
    if plan.outcome_note is None or plan.source not in seeds or following.id not in seeds:
        return []  # a seed that failed its own checks is reported there
    texts = [seeds[plan.source], seeds[following.id]]
    found = []
    for quoted in NOTE_QUOTE.findall(plan.outcome_note[REPORTS_LANG]):
        for part in (p.strip(" ,") for p in fold(quoted).split("…")):
            if part and not any(part in text for text in texts):
                found.append((f"outcome_note.{REPORTS_LANG}", f"“{part}” is not found verbatim in either review"))
    return found


def _short_sentence(sentence: str, limit: int = 240) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"
