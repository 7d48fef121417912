"""The one schema of the curated data: what a record in each `data/*.yaml` holds.

Each model checks what can be checked from its record alone; checks that need
other records or the seed texts live in `dashboard.data`.
"""

from __future__ import annotations

import ast
import datetime as dt
import operator
import re
from pathlib import PurePosixPath
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from dashboard.text import fold, states_fraction, states_number

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
Year = Annotated[int, Field(ge=1990, le=2100)]

Unit = Literal["count", "percent", "percent_per_year", "rank", "times"]
Kind = Literal["actual", "target", "derived"]
Qualifier = Literal["exact", "over", "nearly", "at_least"]

# Words by which a report signals a qualifier; the quote must carry one.
QUALIFIER_CUES: dict[str, tuple[str, ...]] = {
    "over": ("vượt", "trên", "hơn"),
    "nearly": ("gần", "khoảng", "xấp xỉ"),
    "at_least": ("ít nhất", "tối thiểu", "không dưới"),
}


class FieldError(ValueError):
    """A record-level check that knows which field is wrong."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Record):
    id: Slug
    file: Text
    title_vi: Text
    title_en: Text
    publisher: Text
    date: dt.date
    reviewed_year: Year
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    body_end: str | None = None

    @field_validator("file")
    @classmethod
    def _inside_project(cls, path: str) -> str:
        parts = PurePosixPath(path).parts
        if path.startswith("/") or ".." in parts or "\\" in path:
            raise ValueError("must be a path inside the project, like seeds/review-2025.txt")
        return path


class Sector(Record):
    id: Slug
    name_vi: Text
    name_en: Text


class Indicator(Record):
    id: Slug
    sector: Slug
    label_vi: Text
    label_en: Text
    unit: Unit
    better: Literal["higher", "lower", "neutral"]
    contrasts_with: tuple[Slug, ...] = ()
    comparability_vi: Text | None = None
    comparability_en: Text | None = None

    @model_validator(mode="after")
    def _comparability_in_both_languages(self):
        if (self.comparability_vi is None) != (self.comparability_en is None):
            missing = "comparability_en" if self.comparability_en is None else "comparability_vi"
            raise FieldError(missing, "a comparability note needs both languages")
        if self.contrasts_with and self.comparability_en is None:
            raise FieldError("comparability_en", "`contrasts_with` needs a note saying why")
        return self


class Observation(Record):
    indicator: Slug
    year: Year
    value: float
    denominator: float | None = None
    kind: Kind
    qualifier: Qualifier
    as_written: Text | None = None
    formula: Text | None = None
    derivation_vi: Text | None = None
    derivation_en: Text | None = None
    source: Slug
    quote: Text
    translation_en: Text

    @property
    def key(self) -> str:
        return f"{self.indicator} {self.year} {self.kind}"

    @model_validator(mode="after")
    def _value_stands_in_quote(self):
        quote = fold(self.quote)
        if self.kind == "derived":
            _check_derivation(self, quote)
            return self
        if self.formula is not None:
            raise FieldError("formula", "only a `derived` value has a formula")
        if self.as_written is not None:
            written = fold(self.as_written)
            if written not in quote:
                raise FieldError("as_written", f"{self.as_written!r} is not in the quote")
            if not states_number(written, self.value, words=True):
                raise FieldError("as_written", f"{self.as_written!r} does not state {self.value:g}")
        elif not states_number(quote, self.value):
            raise FieldError(
                "value",
                f"{self.value:g} is not in the quote as the report writes it "
                "(a number in words needs `as_written`)"
            )
        if self.denominator is not None and not states_fraction(
            quote, self.value, self.denominator
        ):
            raise FieldError(
                "denominator",
                f"the quote has no '{self.value:g}/{self.denominator:g}'"
            )
        cues = QUALIFIER_CUES.get(self.qualifier, ())
        if cues and not any(cue in quote.lower() for cue in cues):
            raise FieldError(
                "qualifier",
                f"'{self.qualifier}' but the quote has none of {', '.join(cues)}"
            )
        return self


_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def _check_derivation(obs: Observation, quote: str) -> None:
    if obs.formula is None:
        raise FieldError("formula", "a `derived` value needs the formula it came from")
    if obs.derivation_vi is None or obs.derivation_en is None:
        raise FieldError("derivation_en", "a `derived` value explains its formula in both languages")
    try:
        operands, result = _evaluate(ast.parse(obs.formula, mode="eval").body)
    except (SyntaxError, ValueError, ZeroDivisionError):
        raise FieldError(
            "formula",
            f"{obs.formula!r} is not arithmetic on numbers (+ - * /)"
        ) from None
    if abs(result - obs.value) > 1e-9:
        raise FieldError("value", f"{obs.value:g} but the formula gives {result:g}")
    for operand in operands:
        if not states_number(quote, operand, words=True):
            raise FieldError("formula", f"{operand:g} is not stated in the quote")


def _evaluate(node: ast.AST) -> tuple[list[float], float]:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return [float(node.value)], float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        left_operands, left = _evaluate(node.left)
        right_operands, right = _evaluate(node.right)
        return left_operands + right_operands, _OPERATORS[type(node.op)](left, right)
    raise ValueError("not arithmetic")


class Statement(Record):
    id: Slug
    sector: Slug
    source: Slug
    quote: Text
    translation_en: Text


PlanStatus = Literal["figure", "words", "not_mentioned", "awaiting"]

# What each outcome status needs; every other outcome field must stay empty.
OUTCOME_FIELDS: dict[str, tuple[str, ...]] = {
    "figure": ("outcome_observations",),
    "words": ("outcome_quote", "outcome_translation_en"),
    "not_mentioned": ("search_terms",),
    "awaiting": (),
}


class Plan(Record):
    """A task a review sets for a coming year, and what the next review says of it."""

    id: Slug
    sector: Slug
    source: Slug  # the review that sets the task
    for_year: Year
    quote: Text  # the task's own words, verbatim
    translation_en: Text
    targets: tuple[Text, ...] = ()  # keys of the target figures the task states ("indicator year target")
    status: PlanStatus
    outcome_observations: tuple[Text, ...] = ()  # `figure`: keys of the next review's figures on it
    outcome_quote: Text | None = None  # `words`: verbatim from the next review
    outcome_translation_en: Text | None = None
    search_terms: tuple[Text, ...] = ()  # `not_mentioned`: words the next review would use, none found

    @model_validator(mode="after")
    def _outcome_fits_status(self):
        needed = OUTCOME_FIELDS[self.status]
        for name in dict.fromkeys(f for fields in OUTCOME_FIELDS.values() for f in fields):
            if name in needed and not getattr(self, name):
                raise FieldError(name, f"a `{self.status}` outcome needs {name}")
            if name not in needed and getattr(self, name):
                raise FieldError(name, f"only {_statuses_needing(name)} has {name}, not `{self.status}`")
        return self


def _statuses_needing(field_name: str) -> str:
    return " or ".join(f"`{status}`" for status, fields in OUTCOME_FIELDS.items() if field_name in fields)


class Exclusion(Record):
    """A number in a review deliberately not curated, and why."""

    pattern: Text
    source: Slug | None = None
    reason_vi: Text
    reason_en: Text

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from None
        return pattern
