"""How a source is named, dated and cited, in each language: one place for the
page, the chart images and the export README alike.

A date is shown at the precision the source states it (`2024-12` is a month),
and a title that is a photo caption says so.
"""

from __future__ import annotations

from collections.abc import Callable

from dashboard.core.i18n import REPORTS_LANG, Lang, t
from dashboard.core.languages import translated
from dashboard.core.schema import Source

DataText = Callable[[str], str]  # how a data string is made safe where it is shown (escaped, isolated)


def _filled(data: DataText, pattern: str, *parts: str) -> str:
    """`pattern` filled in the kind of text `data` makes: plain for a chart, and for a page `Markup`,
    which escapes our words around the data it keeps as marked up."""
    return type(data(""))(pattern).format(*parts)


def title(source: Source, lang: Lang) -> str:
    return translated(source.title, lang)


def marked_title(source: Source, lang: Lang, data: DataText = str) -> str:
    """The title, with "(photo caption)" where it is not the article's headline."""
    if source.title_kind == "headline":
        return data(title(source, lang))
    return _filled(data, "{} ({})", data(title(source, lang)), t("photo_caption_mark", lang))


def source_line(source: Source, lang: Lang, data: DataText = str) -> str:
    """`Title (photo caption) · publisher · published 2024-12`; `data` wraps each data string."""
    return _filled(data, "{} · {} · {}", marked_title(source, lang, data), data(source.publisher),
                   t("published_on", lang, date=source.published))


def event_line(source: Source, lang: Lang, data: DataText = str) -> str | None:
    """`2024-12-25 (“Sáng ngày 25/12”; the year is the publication's)`."""
    if source.event_date is None:
        return None
    return _filled(data, "{} (“{}”; {})", source.event_date.isoformat(), data(source.event_as_written),
                   t("event_year_from_published", lang))


def reference(source: Source, lang: Lang) -> str:
    """A citation for the export README: the title as the report gives it, in brackets its translation
    into the page's language (where that is another), the dates and the seed's SHA-256."""
    caption = t("reference_caption", lang) if source.title_kind == "photo_caption" else ""
    event = t("reference_event", lang, date=source.event_date.isoformat()) if source.event_date else ""
    own_title = translated(source.title, REPORTS_LANG)
    title_here = translated(source.title, lang)
    return t("reference", lang, publisher=source.publisher, title=own_title, caption=caption,
             translated_title=f" [{title_here}]" if title_here != own_title else "", published=source.published,
             event=event, year=source.reviewed_year, sha256=source.sha256)


def cited_title(source: Source, lang: Lang) -> str:
    """The title as the report gives it, in brackets its translation into `lang` where that is another language,
    and "(photo caption)" where it is not the article's headline: what a citation of a figure names."""
    own = title(source, REPORTS_LANG)
    here = title(source, lang)
    named = own if here == own else f"{own} [{here}]"
    return named if source.title_kind == "headline" else f"{named} ({t('photo_caption_mark', lang)})"


def date_parts(stated: str) -> list[int]:
    """A date at its stated precision as numbers: `2024-12` is [2024, 12], never a day more."""
    return [int(part) for part in stated.split("-")]
