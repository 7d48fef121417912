"""Which languages a translated field of the data holds, and the one way it is read.

A text of the data (a label, a name, a note) is a mapping with one entry per page language:
`label: {vi: …, en: …}`. A quote is in the reports' language (`i18n.REPORTS_LANG`); its translation
is a mapping with one entry per other page language: `translation: {en: …}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from dashboard.core.i18n import LANGUAGES, REPORTS_LANG


def languages() -> tuple[str, ...]:
    """The page languages: one per catalogue in `dashboard/locales/` (`i18n.LANGUAGES`)."""
    return tuple(LANGUAGES)


@cache  # asked once per translation of every record a load validates
def translation_languages(page_languages: tuple[str, ...]) -> tuple[str, ...]:
    """The languages a quote is translated into: every page language but the reports' own."""
    return tuple(lang for lang in page_languages if lang != REPORTS_LANG)


def translated(text: Mapping[str, str] | None, lang: str) -> str | None:
    """A translated field in `lang`; None where an optional field is absent."""
    return None if text is None else text[lang]


def quote_translation(translation: Mapping[str, str] | None, lang: str) -> str | None:
    """What stands under a quote on a page in `lang`: its translation, or nothing on a page in the
    reports' language, where the quote itself is the text."""
    return None if lang == REPORTS_LANG else translated(translation, lang)
