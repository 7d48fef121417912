"""Curation coverage: every numeric mention in each review, and whether it is
curated (with its indicator), deliberately left out (with the reason), or missing.

This is what a curator runs when the next year's review arrives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from dashboard.core.data import Dataset
from dashboard.core.i18n import Lang
from dashboard.core.languages import translated
from dashboard.core.schema import Exclusion, Observation
from dashboard.core.search import sentence_spans
from dashboard.core.text_rules import NUMBER_WORD, NUMBER_WORDS, fold, numbers_in, parse_number

# Digits with Vietnamese separators, ratios and times (71/193, 16:36), a trailing
# percent; Roman ordinals after "thứ"; and numbers spelled as words.
MENTION = re.compile(
    r"\d+(?:[.,/:]\d+)*%?|(?<=thứ )[IVXLCDM]+\b|" + NUMBER_WORD.pattern, re.IGNORECASE,
)

Status = Literal["curated", "excluded", "missing"]


@dataclass(frozen=True)
class Mention:
    source: str
    text: str
    start: int
    sentence: str
    status: Status
    indicators: tuple[str, ...] = ()  # what a curated number is curated as
    rule: Exclusion | None = None  # why a number is left out

    def detail(self, lang: Lang) -> str:
        """The indicator ids, or the reason for leaving the number out, in `lang`."""
        if self.rule is not None:
            return translated(self.rule.reason, lang)
        return ", ".join(self.indicators)


@dataclass(frozen=True)
class Summary:
    source: str
    curated: int
    excluded: int
    missing: int

    @property
    def total(self) -> int:
        return self.curated + self.excluded + self.missing


def mention_values(text: str) -> set[float]:
    """`71/193` → {71, 193}; `28,7%` → {28.7}; `ba` → {3}; `XV` → {} (an ordinal)."""
    if text.lower() in NUMBER_WORDS:
        return {float(NUMBER_WORDS[text.lower()])}
    return {parse_number(part) for part in re.split(r"[/:]", text.rstrip("%")) if re.fullmatch(r"[\d.,]+", part)}


def _figures(obs: Observation) -> set[float]:
    figures = {obs.value} | {bound for bound in (obs.upper, obs.denominator) if bound}
    if obs.formula:
        figures |= set(numbers_in(obs.formula.replace(".", ",")))
    return figures


def _sentence_at(text: str, spans: list[tuple[int, int]], position: int) -> str:
    start, end = next(((s, e) for s, e in spans if s <= position < e), (0, len(text)))
    return text[start:end].strip()


def mentions(ds: Dataset, source_id: str) -> list[Mention]:
    text = ds.seed_texts[source_id]
    quoted = []  # (start, end, observation) for each curated quote in this report
    for obs in ds.observations:
        if obs.source == source_id:
            quote = fold(obs.quote)
            quoted += [(m.start(), m.end(), obs) for m in re.finditer(re.escape(quote), text)]
    left_out = [
        (m.start(), m.end(), rule)
        for rule in ds.exclusions if rule.source in (None, source_id)
        for m in re.finditer(rule.pattern, text)
    ]
    spans = sentence_spans(ds, source_id)
    found = []
    for match in MENTION.finditer(text):
        start, end, values = match.start(), match.end(), mention_values(match.group())
        curated = [
            obs for q_start, q_end, obs in quoted
            if q_start <= start and end <= q_end and values and values <= _figures(obs) | _as_written(obs)
        ]
        rules = [rule for r_start, r_end, rule in left_out if r_start <= start and end <= r_end]
        indicators = tuple(dict.fromkeys(obs.indicator for obs in curated))
        status: Status = "curated" if curated else "excluded" if rules else "missing"
        found.append(Mention(
            source_id, match.group(), start, _sentence_at(text, spans, start), status,
            indicators=indicators, rule=rules[0] if rules and not curated else None,
        ))
    return found


def _as_written(obs: Observation) -> set[float]:
    return set(numbers_in(obs.as_written, words=True)) if obs.as_written else set()


def summarise(found: list[Mention], source_id: str) -> Summary:
    count = {status: sum(1 for m in found if m.status == status) for status in ("curated", "excluded", "missing")}
    return Summary(source_id, count["curated"], count["excluded"], count["missing"])
