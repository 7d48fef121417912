"""Text rules shared by validation, highlighting and search.

Quotes are compared after Unicode NFC and whitespace folding, so a quote copied
from a seed that wraps lines still matches. Numbers are read the way the
reports write them: `2.000` (thousands dot), `28,7` (decimal comma), `02`.
"""

from __future__ import annotations

import re
import unicodedata

_NUMBER = r"(?<![\d.,])(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?![\d])"
NUMBER_TOKEN = re.compile(_NUMBER)
FRACTION = re.compile(rf"({_NUMBER})\s*/\s*({_NUMBER})")

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
        parse_number(a) == numerator and parse_number(b) == denominator for a, b in FRACTION.findall(text)
    )
