"""Text rules shared by validation, highlighting and search.

Quotes are compared after Unicode NFC and whitespace folding, so a quote copied
from a seed that wraps lines still matches. Numbers are read the way the
reports write them: `2.000` (thousands dot), `28,7` (decimal comma), `02`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

NUMBER_TOKEN = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d])|(?<![\d.,])\d+(?:,\d+)?(?![\d])")
FRACTION = re.compile(r"(\d+)\s*/\s*(\d+)")

# Numbers the reports spell out. "năm" (five) and "tư" (four) are left out: they
# nearly always mean "year" and "thought/private" ("tư tưởng", "thông tư").
NUMBER_WORDS = {
    "một": 1, "hai": 2, "ba": 3, "bốn": 4, "sáu": 6,
    "bảy": 7, "tám": 8, "chín": 9, "mười": 10,
}
NUMBER_WORD = re.compile(r"(?<!\w)(" + "|".join(NUMBER_WORDS) + r")(?!\w)", re.IGNORECASE)


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
    return found


def states_number(text: str, value: float, words: bool = False) -> bool:
    return any(abs(found - value) < 1e-9 for found in numbers_in(text, words))


def states_fraction(text: str, numerator: float, denominator: float) -> bool:
    return any(
        float(a) == numerator and float(b) == denominator for a, b in FRACTION.findall(text)
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
