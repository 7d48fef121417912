"""The languages of the page and of the reports, and the one way a translated field of the data is read.

A text of the data (a label, a name, a note) is a mapping with one entry per page language:
`label: {vi: …, en: …}`. A quote is in the language of the reports; its translation is a mapping
with one entry per other page language: `translation: {en: …}`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

REPORT_LANG = "vi"  # the language the reviews are written in, and so every quote


def languages() -> tuple[str, ...]:
    """The page languages; the catalogue set once catalogues exist."""
    return ("vi", "en")


def translation_languages(page_languages: Iterable[str]) -> tuple[str, ...]:
    """The languages a quote is translated into: every page language but the reports' own."""
    return tuple(lang for lang in page_languages if lang != REPORT_LANG)


def translated(text: Mapping[str, str] | None, lang: str) -> str | None:
    """A translated field in `lang`; None where an optional field is absent."""
    return None if text is None else text[lang]


def quote_translation(translation: Mapping[str, str] | None, lang: str) -> str | None:
    """What stands under a quote on a page in `lang`: its translation, or nothing on a page in the
    reports' language, where the quote itself is the text."""
    return None if lang == REPORT_LANG else translated(translation, lang)
