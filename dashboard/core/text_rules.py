"""Text rules shared by validation, highlighting and search.

Quotes are compared after Unicode NFC and whitespace folding, so a quote copied
from a seed that wraps lines still matches. Numbers are read the way the
reports write them: `2.000` (thousands dot), `28,7` (decimal comma), `02`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from dashboard.core.units import SCALES, Scale

_NUMBER = r"(?<![\d.,])(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?![\d])"
NUMBER_TOKEN = re.compile(_NUMBER)
FRACTION = re.compile(rf"({_NUMBER})\s*/\s*({_NUMBER})")

# Numbers the reports spell out. "năm" (five) and "tư" (four) are left out: they
# nearly always mean "year" and "thought/private" ("tư tưởng", "thông tư").
NUMBER_WORDS = {
    "một": 1, "hai": 2, "ba": 3, "bốn": 4, "sáu": 6,
    "bảy": 7, "tám": 8, "chín": 9, "mười": 10,
    "đôi": 2,  # "gấp đôi", twice
}
NUMBER_WORD = re.compile(r"(?<!\w)(" + "|".join(NUMBER_WORDS) + r")(?!\w)", re.IGNORECASE)

# Scale words after a number (the registry, dashboard/core/units.py): "1,5 triệu" is 1,500,000.
SCALE_OF_WORD: dict[str, Scale] = {word: scale for scale in SCALES.values() for word in scale.words}
SCALED = re.compile(rf"({_NUMBER})\s+(" + "|".join(SCALE_OF_WORD) + r")(?!\w)", re.IGNORECASE)

# Characters that change the direction of the text around them: embeddings and overrides
# (U+202A–U+202E), isolates (U+2066–U+2069) and the marks LRM, RLM and ALM.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"
ISOLATE_INITIATORS = ("\u2066", "\u2067", "\u2068")
_ISOLATE_MARK = re.compile("([\u2066-\u2069])")


def fold(text: str) -> str:
    """NFC with every run of whitespace made one space, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def parse_number(token: str) -> float:
    """`2.000` → 2000, `28,7` → 28.7, `02` → 2."""
    return float(token.replace(".", "").replace(",", "."))


def numbers_in(text: str, words: bool = False) -> list[float]:
    """Every number the text states in Vietnamese formatting (and in words, if asked)."""
    found = [parse_number(m.group()) for m in NUMBER_TOKEN.finditer(text)]
    if words:
        found += [float(NUMBER_WORDS[m.group().lower()]) for m in NUMBER_WORD.finditer(text)]
        found += [scaled_value(m) for m in SCALED.finditer(text)]
    return found


def scaled_value(match: re.Match) -> float:
    """The amount a `SCALED` match states: `1,5 triệu` → 1,500,000."""
    return parse_number(match.group(1)) * SCALE_OF_WORD[match.group(2).lower()].factor


def states_number(text: str, value: float, words: bool = False) -> bool:
    return any(abs(found - value) < 1e-9 for found in numbers_in(text, words))


def states_fraction(text: str, numerator: float, denominator: float) -> bool:
    return any(
        parse_number(a) == numerator and parse_number(b) == denominator for a, b in FRACTION.findall(text)
    )


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base if len(base) == 1 else char


def ascii_fold(text: str) -> str:
    """Lowercase without diacritics, one character for one, so positions carry over."""
    return "".join(_fold_char(c) for c in text)


# Where a sentence ends, for every rule that reads sentences (search, coverage, the quote check). Not `:`,
# which the reviews use inside sentences and in times (16:36).
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")


def find_phrase(text: str, phrase: str) -> str | None:
    """The sentence of `text` holding `phrase` as whole words, diacritics and case aside, or None.

    Whole words, because folding is coarse: "thành tố" folds to "thanh to", which
    "hoàn thành tốt" holds as a substring but not as words.
    """
    folded = ascii_fold(fold(text))
    found = re.search(r"(?<!\w)" + re.escape(ascii_fold(fold(phrase))) + r"(?!\w)", folded)
    if found is None:
        return None
    text = fold(text)  # the same length as `folded`: one character for one
    starts = [m.end() for m in SENTENCE_END.finditer(text, 0, found.start())]
    end = SENTENCE_END.search(text, found.end())
    return text[starts[-1] if starts else 0: end.start() if end else len(text)]


def split_at_spans(text: str, spans) -> list[tuple[str, bool]]:
    """`text` cut into (piece, marked) at the (start, end) spans; overlapping spans are merged. The one rule
    for showing what a search found, in HTML and in a terminal alike."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces, last = [], 0
    for start, end in merged:
        pieces += [(text[last:start], False), (text[start:end], True)]
        last = end
    pieces.append((text[last:], False))
    return [(piece, marked) for piece, marked in pieces if piece]


def isolate(text: str) -> str:
    """`text` between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, for plain text we show
    beside our own words (Markdown labels, chart titles): a U+202E in a data string then reverses
    only that string, never the date or sentence around it.

    A stray POP DIRECTIONAL ISOLATE inside `text` would close our isolate early, so it is
    dropped, and an isolate the text opens is closed before ours.
    """
    out, depth = [], 0
    for piece in _ISOLATE_MARK.split(text):
        if piece == POP_DIRECTIONAL_ISOLATE:
            if not depth:
                continue
            depth -= 1
        elif piece in ISOLATE_INITIATORS:
            depth += 1
        out.append(piece)
    return FIRST_STRONG_ISOLATE + "".join(out) + POP_DIRECTIONAL_ISOLATE * (depth + 1)
