"""The one schema of the curated data: what a record in each `data/*.yaml` holds.

Each model checks what can be checked from its record alone; checks that need
other records or the seed texts live in `dashboard.core.data`.
"""

from __future__ import annotations

import ast
import datetime as dt
import operator
import re
from functools import cached_property
from pathlib import PurePosixPath
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from dashboard.core.i18n import REPORTS_LANG
from dashboard.core.languages import languages, translation_languages
from dashboard.core.text_rules import (
    BIDI_CONTROLS,
    NUMBER_TOKEN,
    SCALE_OF_WORD,
    SCALED,
    fold,
    parse_number,
    scaled_value,
    states_fraction,
    states_number,
)
from dashboard.core.units import SCALES, UNITS

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
Year = Annotated[int, Field(ge=1990, le=2100)]

Unit = Literal[tuple(UNITS)]  # the registry's ids: a unit is added there, nowhere else
ScaleId = Literal[tuple(SCALES)]  # "triệu" is `million`: the scale words' registry is beside the units'
# An estimate is a figure the report gives as one ("ước đạt"): stated for its year, and said to be an estimate.
Kind = Literal["actual", "target", "derived", "estimate"]
# "about" (khoảng) is either side of the figure; "nearly" (gần) just under it.
Qualifier = Literal["exact", "over", "nearly", "about", "at_least"]

# Words by which a report signals a qualifier; the quote must carry one.
QUALIFIER_CUES: dict[str, tuple[str, ...]] = {
    "over": ("vượt", "trên", "hơn"),
    "nearly": ("gần",),
    "about": ("khoảng", "xấp xỉ"),
    "at_least": ("ít nhất", "tối thiểu", "không dưới"),
}


def states_year(quote: str, year: int) -> bool:
    """Whether a quote names the year, as four digits: where it does not, a figure needs a year note."""
    return str(year) in re.findall(r"(?<!\d)\d{4}(?!\d)", quote)


class FieldError(ValueError):
    """A record-level check that knows which field is wrong."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _asked_languages(info: ValidationInfo) -> tuple[str, ...]:
    """The languages a load asks for (`dashboard.core.data.load(languages=…)`), else the page's."""
    return (info.context or {}).get("languages") or languages()


def _in_every_language(text: dict[str, str], info: ValidationInfo) -> dict[str, str]:
    wanted = _asked_languages(info)
    if text.keys() == set(wanted):  # the common case first: this runs for every text of every record
        return text
    raise _language_error(text, info.field_name, wanted,
                          f"each text is given in every page language ({', '.join(wanted)})")


def _in_every_other_language(text: dict[str, str], info: ValidationInfo) -> dict[str, str]:
    wanted = translation_languages(_asked_languages(info))
    if text.keys() == set(wanted):
        return text
    raise _language_error(text, info.field_name, wanted,
                          f"a quote is translated into every page language but {REPORTS_LANG} ({', '.join(wanted)})")


def _language_error(text: dict[str, str], field: str, wanted: tuple[str, ...], rule: str) -> FieldError:
    """The first language missing from `text`, or else the first it should not have."""
    missing = [lang for lang in wanted if lang not in text]
    if missing:
        return FieldError(f"{field}.{missing[0]}", f"no {missing[0]} text: {rule}")
    unknown = next(lang for lang in text if lang not in wanted)
    return FieldError(f"{field}.{unknown}", f"{unknown!r} is not one of its languages: {rule}")


# A text of the data in every page language (`{vi: …, en: …}`), and a quote's translation into every page
# language but the reports' (`{en: …}`): one mapping per field, read through `languages.translated`.
# A name is a line on the page (a sector's name, an indicator's label), a title a report's headline, a note a
# paragraph: each has a ceiling well above the longest today (96, 150 and 240 characters), so a runaway paste
# is an error naming file, record and field rather than a page that scrolls sideways for a million pixels.
NAME_MAX, TITLE_MAX, NOTE_MAX = 200, 300, 1_000


def _texts_of_at_most(length: int):
    return Annotated[dict[str, Annotated[Text, StringConstraints(max_length=length)]],
                     AfterValidator(_in_every_language)]


Name, Title, Note = _texts_of_at_most(NAME_MAX), _texts_of_at_most(TITLE_MAX), _texts_of_at_most(NOTE_MAX)
Translation = Annotated[dict[str, Text], AfterValidator(_in_every_other_language)]


# A date at the precision a source states it: `2024-12` (a month) or `2024-01-11` (a day).
StatedDate = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}(?:-\d{2})?$")]


class Source(Record):
    id: Slug
    file: Text
    title: Title
    # What the title is: the article's own headline, or (where the text has none) its photo caption.
    title_kind: Literal["headline", "photo_caption"] = "headline"
    publisher: Text
    # The seed's words that name the publisher (`(Mic.gov.vn)`); none where the text names none, and then
    # every place that names the publisher says the text does not.
    publisher_as_written: Text | None = None
    published: StatedDate
    published_as_written: Text  # where the seed states it (its page header counts)
    event_date: dt.date | None = None  # the day of the conference the review reports on
    event_as_written: Text | None = None  # the words of the body that give that day
    reviewed_year: Year
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    body_start: str | None = None  # page metadata before the article: nothing is quoted from it
    body_end: str | None = None

    @field_validator("published", mode="before")
    @classmethod
    def _date_as_text(cls, value):
        # YAML reads 2024-01-11 as a date and 2024-12 as text: both are stated dates.
        return value.isoformat() if isinstance(value, dt.date) else value

    @field_validator("published")
    @classmethod
    def _real_date(cls, value: str) -> str:
        parts = [int(part) for part in value.split("-")]
        try:
            dt.date(parts[0], parts[1], parts[2] if len(parts) == 3 else 1)
        except ValueError:
            raise ValueError(f"{value!r} is not a real date") from None
        return value

    @model_validator(mode="after")
    def _dates_as_written(self):
        year, month, *day = (int(part) for part in self.published.split("-"))
        if not _states_all(self.published_as_written, [year, month, *day]):
            raise FieldError("published_as_written", f"does not state {self.published}")
        if (self.event_date is None) != (self.event_as_written is None):
            raise FieldError("event_as_written", "an event date needs the words that give it, and they need a date")
        if self.event_date is not None and not _states_all(
            self.event_as_written, [self.event_date.day, self.event_date.month]
        ):
            raise FieldError("event_as_written", f"does not state the day and month of {self.event_date}")
        return self

    @field_validator("file")
    @classmethod
    def _inside_project(cls, path: str) -> str:
        parts = PurePosixPath(path).parts
        if path.startswith("/") or ".." in parts or "\\" in path:
            raise ValueError("must be a path inside the project, like seeds/review-2025.txt")
        if BIDI_CONTROLS.search(path):
            raise ValueError("has a bidirectional control character (U+202E and kin), which would hide its real name")
        return path


def _states_all(text: str, numbers: list[int]) -> bool:
    found = {int(n) for n in re.findall(r"\d+", text)}
    return all(n in found for n in numbers)


class Sector(Record):
    id: Slug
    name: Name
    # Words a review would use if it spoke of the sector: where nothing of a review is curated for the sector,
    # none of them may occur in it, so "not mentioned" is a search, not an assertion.
    search_terms: tuple[Text, ...] = ()


class Indicator(Record):
    id: Slug
    sector: Slug
    label: Name
    unit: Unit
    better: Literal["higher", "lower", "neutral"]
    contrasts_with: tuple[Slug, ...] = ()
    comparability: Note | None = None
    # What the report leaves unsaid about the measure (e.g. the base of a rate).
    note: Note | None = None

    @model_validator(mode="after")
    def _contrast_explained(self):
        if self.contrasts_with and self.comparability is None:
            raise FieldError("comparability", "`contrasts_with` needs a note saying why")
        return self


class Observation(Record):
    indicator: Slug
    year: Year
    value: float  # a range's lower bound
    # A range the report gives instead of one figure ("từ 20% đến 22%", "20-22%"): `value` is its lower bound,
    # `upper` its upper, both in the unit and scale of the indicator, both stated in `as_written`.
    upper: float | None = None
    denominator: float | None = None
    # The scale word the report writes after the figure ("25 triệu"): `value` is the whole amount (25000000),
    # and every language words it with its own word for the scale ("25 million").
    scale: ScaleId | None = None
    kind: Kind
    qualifier: Qualifier
    as_written: Text | None = None
    formula: Text | None = None
    derivation: Note | None = None
    # What the year means where the report does not tie the figure to it.
    year_note: Note | None = None
    source: Slug
    quote: Text
    translation: Translation

    @property
    def key(self) -> str:
        return f"{self.indicator} {self.year} {self.kind}"

    @cached_property
    def cue(self) -> str | None:
        """The report's own qualifying word before this figure (`vượt`, `gần`…), if it has one."""
        cues = _cues_before(fold(self.quote), self)
        return next((cue for found in cues for cue in found.values()), None)

    @model_validator(mode="after")
    def _year_stated_or_noted(self):
        """A figure whose quote does not state its year says why it is shown at that year."""
        if self.year_note is None and not states_year(self.quote, self.year):
            raise FieldError("year_note", f"the quote states no year {self.year}: a note says why it is shown there")
        return self

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
            _check_scale(self, written)
            if self.upper is not None:
                _check_range(self, written)
            elif not states_number(written, self.value, words=True):
                raise FieldError("as_written", f"{self.as_written!r} does not state {self.value:g}")
        elif self.upper is not None:
            raise FieldError("as_written", "a range needs the words that give it, as the report writes them "
                                           "(`từ 20% đến 22%`)")
        elif self.scale is not None:
            raise FieldError("as_written", f"a figure with a scale needs its words as written (`25 {_words(self)}`)")
        else:
            if not states_number(quote, self.value):
                raise FieldError(
                    "value",
                    f"{self.value:g} is not in the quote as the report writes it "
                    "(a number in words needs `as_written`)"
                )
            if scaled := _scale_words_after(quote, self):
                raise FieldError("scale", f"the quote writes {scaled!r} after the figure: give the whole amount, "
                                          "its `scale` and `as_written`")
        if self.denominator is not None and not states_fraction(
            quote, self.value, self.denominator
        ):
            raise FieldError(
                "denominator",
                f"the quote has no '{self.value:g}/{self.denominator:g}'"
            )
        _check_qualifier(self, quote)
        return self


def _words(obs: Observation) -> str:
    return "/".join(SCALES[obs.scale].words) if obs.scale else ""


def _check_scale(obs: Observation, written: str) -> None:
    """A figure written with a scale word ("25 triệu") carries that scale, and the number times the scale is
    the value: so no page words it "25,000,000" where the report says "25 triệu"."""
    scaled = list(SCALED.finditer(written))
    if obs.scale is None:
        if scaled:
            word = scaled[0].group(2)
            raise FieldError("scale", f"{obs.as_written!r} writes the scale word {word!r}: "
                                      f"give `scale: {SCALE_OF_WORD[word.lower()].id}`")
        return
    if not any(SCALE_OF_WORD[m.group(2).lower()].id == obs.scale for m in scaled):
        raise FieldError("scale", f"{obs.as_written!r} has no {_words(obs)!r} after a number")
    if obs.upper is None and not any(abs(scaled_value(m) - obs.value) < 1e-9 for m in scaled):
        raise FieldError("value", f"{obs.value:g} but {obs.as_written!r} states "
                                  f"{', '.join(f'{scaled_value(m):g}' for m in scaled)}")


# What may follow a number as its unit or scale: one range's bounds must not differ in it.
_MARK = re.compile(r"\s*(%|lần|" + "|".join(SCALE_OF_WORD) + r")(?!\w)", re.IGNORECASE)


def _check_range(obs: Observation, written: str) -> None:
    """Both bounds stand in the words as written (in their scale), the lower below the upper, in one unit."""
    if obs.kind == "derived" or obs.denominator is not None:
        raise FieldError("upper", "a range is two stated bounds: not a derived value, nor a rank of n/N")
    if obs.upper <= obs.value:
        raise FieldError("upper", f"{obs.upper:g} is not above the lower bound {obs.value:g}")
    factor = SCALES[obs.scale].factor if obs.scale else 1
    tokens = list(NUMBER_TOKEN.finditer(written))
    marks = {mark.group(1).lower() for m in tokens if (mark := _MARK.match(written, m.end()))}
    if len(marks) > 1:
        raise FieldError("upper", f"the bounds of {obs.as_written!r} are in different units or scales "
                                  f"({', '.join(sorted(marks))}): a range is in one")
    for name, bound in (("value", obs.value), ("upper", obs.upper)):
        if not any(abs(parse_number(m.group()) * factor - bound) < 1e-9 for m in tokens):
            shown = f"{bound / factor:g} {_words(obs)}".strip()
            raise FieldError(name, f"the bound {shown} is not in {obs.as_written!r}")


def _scale_words_after(quote: str, obs: Observation) -> str | None:
    """The scale word after the figure, where every place the quote states it is followed by one."""
    after = [SCALED.match(quote, start) for start in _figure_starts(quote, obs)]
    return after[0].group() if after and all(after) else None


_CLAUSE_BREAK = re.compile(r"[,;:]|\.\s")
_CUE_PATTERNS = {
    qualifier: re.compile(r"(?<!\w)(" + "|".join(cues) + r")(?!\w)", re.IGNORECASE)
    for qualifier, cues in QUALIFIER_CUES.items()
}


def nearest_cue(text: str, start: int) -> tuple[str, str] | None:
    """(qualifier, cue word) of the cue standing nearest before `start` in its clause of `text`, if any: the
    rule `_check_qualifier` holds a figure to, read forwards by the curator's draft."""
    clause = _CLAUSE_BREAK.split(text[:start])[-1]
    found = [(m.start(), q, m.group()) for q, pattern in _CUE_PATTERNS.items() for m in pattern.finditer(clause)]
    return max(found)[1:] if found else None


def _figure_starts(quote: str, obs: Observation) -> list[int]:
    """Where the figure stands in the quote, as written."""
    if obs.as_written is not None:
        written = fold(obs.as_written)
        return [m.start() for m in re.finditer(re.escape(written), quote)]
    return [m.start() for m in NUMBER_TOKEN.finditer(quote) if abs(parse_number(m.group()) - obs.value) < 1e-9]


def _cues_before(quote: str, obs: Observation) -> list[dict[str, str]]:
    """For each place the figure stands: {qualifier: cue word} found in its clause, before it."""
    found = []
    for start in _figure_starts(quote, obs):
        clause = _CLAUSE_BREAK.split(quote[:start])[-1]
        found.append({q: m.group() for q, pattern in _CUE_PATTERNS.items() if (m := pattern.search(clause))})
    return found


def _check_qualifier(obs: Observation, quote: str) -> None:
    """The cue must qualify this figure: it stands in the figure's own clause, before it."""
    places = _cues_before(quote, obs)
    if obs.qualifier == "exact":
        if places and all(places):
            cue = next(iter(places[0].values()))
            raise FieldError("qualifier", f"'exact' but the quote says {cue!r} before the figure")
        return
    if not any(obs.qualifier in place for place in places):
        raise FieldError(
            "qualifier",
            f"'{obs.qualifier}' but none of {', '.join(QUALIFIER_CUES[obs.qualifier])} "
            "stands before the figure in its clause",
        )


# The whole text of a formula, not just what `ast.parse` keeps: a parse drops a trailing `# comment`,
# which could carry Markdown or HTML to every place the formula is shown.
FORMULA_TEXT = re.compile(r"[0-9.+\-*/() ]+")
_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def _check_derivation(obs: Observation, quote: str) -> None:
    if obs.formula is None:
        raise FieldError("formula", "a `derived` value needs the formula it came from")
    if obs.derivation is None:
        raise FieldError("derivation", "a `derived` value explains its formula in every page language")
    if not FORMULA_TEXT.fullmatch(obs.formula):
        raise FieldError(
            "formula",
            "is not arithmetic on numbers: only digits, a decimal point, + - * / ( ) and spaces may stand in it"
        )
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
    translation: Translation


PlanStatus = Literal["figure", "words", "not_mentioned", "awaiting"]

# What each outcome status needs; every other outcome field must stay empty.
OUTCOME_FIELDS: dict[str, tuple[str, ...]] = {
    "figure": ("outcome_observations",),
    "words": ("outcome_quote", "outcome_translation"),
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
    translation: Translation
    targets: tuple[Text, ...] = ()  # keys of the target figures the task states ("indicator year target")
    status: PlanStatus
    outcome_observations: tuple[Text, ...] = ()  # `figure`: keys of the next review's figures on it
    outcome_quote: Text | None = None  # `words`: verbatim from the next review
    outcome_translation: Translation | None = None
    search_terms: tuple[Text, ...] = ()  # `not_mentioned`: words the next review would use, none found
    # The curator's word on the outcome, where the status alone would say more or less than the texts: the
    # nearest passage a search passed over and why, or what a linked figure leaves unsaid.
    outcome_note: Note | None = None

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
    reason: Note

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from None
        return pattern
