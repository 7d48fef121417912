"""Search both reviews, sentence by sentence, and the English translations.

Vietnamese-aware: `chuyen doi so` finds `chuyển đổi số` and `đ` matches `d`.
Ranking: a match with the diacritics as typed, then one without them, then a
match in the English translation; curated sentences first within each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dashboard.core.data import Dataset
from dashboard.core.languages import translated
from dashboard.core.text_rules import SENTENCE_END, ascii_fold, fold

MAX_QUERY = 200
MAX_HITS = 50
EXACT, FOLDED, ENGLISH, ALL_WORDS = range(4)
SEARCHED = "en"  # the translation searched beside the reviews


@dataclass(frozen=True)
class Entry:
    source: str
    year: int
    position: int
    text: str  # the sentence, NFC, whitespace folded
    lower: str
    folded: str
    translation: str | None
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class Hit:
    entry: Entry
    rank: int
    spans: tuple[tuple[int, int], ...]  # in entry.text, or in entry.translation when rank is ENGLISH

    @property
    def in_translation(self) -> bool:
        return self.rank == ENGLISH


def _paragraphs(ds: Dataset, source_id: str) -> list[tuple[int, str]]:
    """(offset in the folded report body, folded text) of each paragraph."""
    found, offset = [], 0
    for paragraph in re.split(r"\n\s*\n", ds.bodies[source_id]):
        folded = fold(paragraph)
        if folded:
            found.append((offset, folded))
            offset += len(folded) + 1
    return found


def paragraph_spans(ds: Dataset, source_id: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph in the folded report body."""
    return [(offset, offset + len(folded)) for offset, folded in _paragraphs(ds, source_id)]


def sentence_spans(ds: Dataset, source_id: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in the folded report body; paragraphs end sentences too."""
    spans = []
    for offset, folded in _paragraphs(ds, source_id):
        starts = [0] + [m.end() for m in SENTENCE_END.finditer(folded)]
        ends = starts[1:] + [len(folded)]
        spans += [(offset + s, offset + e) for s, e in zip(starts, ends, strict=True)]
    return spans


def build_index(ds: Dataset) -> list[Entry]:
    quotes = [(fold(o.quote), translated(o.translation, SEARCHED), o.indicator, o.source) for o in ds.observations]
    quotes += [(fold(s.quote), translated(s.translation, SEARCHED), None, s.source) for s in ds.statements]
    entries = []
    for source_id, body in ds.seed_texts.items():
        for start, end in sentence_spans(ds, source_id):
            sentence = body[start:end].strip()
            if not sentence:
                continue
            related = [q for q in quotes if q[3] == source_id and (q[0] in sentence or sentence in q[0])]
            entries.append(Entry(
                source=source_id, year=ds.sources[source_id].reviewed_year, position=start, text=sentence,
                lower=sentence.lower(), folded=ascii_fold(sentence),
                translation=next((q[1] for q in related), None),
                indicators=tuple(dict.fromkeys(q[2] for q in related if q[2])),
            ))
    return entries


def _spans(haystack: str, needle: str) -> tuple[tuple[int, int], ...]:
    found, start = [], haystack.find(needle)
    while needle and start >= 0:
        found.append((start, start + len(needle)))
        start = haystack.find(needle, start + len(needle))
    return tuple(found)


def search(index: list[Entry], query: str) -> list[Hit]:
    query = fold(query)[:MAX_QUERY].lower()
    if not query:
        return []
    folded_query = ascii_fold(query)
    hits = []
    for entry in index:
        if spans := _spans(entry.lower, query):
            hits.append(Hit(entry, EXACT, spans))
        elif spans := _spans(entry.folded, folded_query):
            hits.append(Hit(entry, FOLDED, spans))
        elif entry.translation and (spans := _spans(ascii_fold(entry.translation), folded_query)):
            hits.append(Hit(entry, ENGLISH, spans))
    if not hits and len(words := folded_query.split()) > 1:
        for entry in index:
            if all(word in entry.folded for word in words):
                spans = tuple(sorted(s for word in words for s in _spans(entry.folded, word)))
                hits.append(Hit(entry, ALL_WORDS, spans))
    hits.sort(key=lambda h: (h.rank, not h.entry.indicators, h.entry.year, h.entry.position))
    return hits
