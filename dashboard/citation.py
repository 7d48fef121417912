"""How a source is named, dated and cited, in each language: one place for the
page, the chart images and the export README alike.

A date is shown at the precision the source states it (`2024-12` is a month),
and a title that is a photo caption says so.
"""

from __future__ import annotations

from collections.abc import Callable

from dashboard.i18n import REPORTS_LANG, Lang, t
from dashboard.languages import translated
from dashboard.schema import Source

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


def reference(source: Source) -> str:
    """A citation in both languages, for the export README."""
    caption = " [photo caption; the text has no headline]" if source.title_kind == "photo_caption" else ""
    event = f" Conference held {source.event_date.isoformat()}." if source.event_date else ""
    return (
        f"{source.publisher}. “{translated(source.title, REPORTS_LANG)}”{caption} [{translated(source.title, 'en')}]. "
        f"Published {source.published}.{event} Review of {source.reviewed_year}. SHA-256 {source.sha256}."
    )
