"""`dashboard ingest`: a saved news page made into a seed and its `sources.yaml` record.

trafilatura finds the article in the portal around it (menus, share bars, related links, comments, banners)
and keeps its title and paragraphs; htmldate reads the publication date from the page's markup and text.
The date is then looked for in the page's own words, so `published_as_written` is verbatim and `published`
has the precision those words give it (a month where the page says only "Tháng 12/2025").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import htmldate
import lxml.html
import trafilatura
import yaml

from dashboard.core.languages import languages
from dashboard.core.text_rules import fold

# A page whose main text is shorter than this is a list of links or a notice, not a review.
MIN_ARTICLE_CHARS = 200
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# How Vietnamese pages state a day ("Thứ sáu, 26/12/2025 10:15", "ngày 26 tháng 12 năm 2025", "2025-12-26")
# and a month ("Tháng 12/2025", "12/2025", "2025-12"); each pattern names its day, month and year groups.
_WEEKDAY = r"(?:(?:Thứ (?:hai|ba|tư|năm|sáu|bảy)|Chủ nhật),\s*)?"
DAY_STATEMENTS = (
    re.compile(_WEEKDAY + r"(?<!\d)(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})(?:\s+\d{1,2}:\d{2})?", re.IGNORECASE),
    re.compile(r"ngày (?P<d>\d{1,2}) tháng (?P<m>\d{1,2}) năm (?P<y>\d{4})", re.IGNORECASE),
    re.compile(r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:T[\d:.+-]+Z?)?"),
)
MONTH_STATEMENTS = (
    re.compile(r"(?:tháng\s+)?(?<![\d/])(?P<m>\d{1,2})/(?P<y>\d{4})(?![\d/])", re.IGNORECASE),
    re.compile(r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{2})(?![\d-])"),
)


class NotAnArticle(ValueError):
    """The page cannot be made into a seed; the message says why and what to do."""


@dataclass(frozen=True)
class Article:
    title: str
    paragraphs: tuple[str, ...]
    published: str  # at the precision the page states it: 2025-12-26 or 2025-12
    published_as_written: str
    publisher: str

    @property
    def seed(self) -> str:
        """The seed's text: the title and the date as the page writes them, then the article, a paragraph
        a block (paragraphs end sentences for search and coverage)."""
        return "\n\n".join((self.title, self.published_as_written, *self.paragraphs)) + "\n"


def read_article(html: str) -> Article:
    document = trafilatura.bare_extraction(
        html, include_comments=False, include_images=False, favor_precision=True, with_metadata=True,
    )
    title = fold(document.title or "") if document is not None else ""
    lines = [fold(line) for line in (document.text or "").splitlines()] if document is not None else []
    paragraphs = tuple(line for line in lines if line and line != title)
    if sum(len(p) for p in paragraphs) < MIN_ARTICLE_CHARS:
        raise NotAnArticle(
            "no article found on this page (only a title, links or a short notice): save the article's own "
            "page, not a list of news or a portal's front page"
        )
    if not title:
        raise NotAnArticle("the article has no title the page marks as such (h1, og:title or <title>)")
    published, as_written = stated_date(html)
    return Article(title, paragraphs, published, as_written, fold(document.sitename or document.hostname or ""))


def stated_date(html: str) -> tuple[str, str]:
    """(the date at its stated precision, the page's words for it). htmldate picks the publication date;
    the page's visible text, then its markup, gives the words."""
    found = htmldate.find_date(html, original_date=True, extensive_search=True)
    wanted = dt.date.fromisoformat(found) if found else None
    visible = _visible_text(html)
    for text in (visible, html):
        for pattern in DAY_STATEMENTS:
            for match in pattern.finditer(text):
                day = _date_of(match)
                if day is not None and (wanted is None or day == wanted):
                    return day.isoformat(), fold(match.group())
        for pattern in MONTH_STATEMENTS:
            for match in pattern.finditer(text):
                year, month = int(match["y"]), int(match["m"])
                if 1 <= month <= 12 and (wanted is None or (year, month) == (wanted.year, wanted.month)):
                    return f"{year:04d}-{month:02d}", fold(match.group())
    raise NotAnArticle("the page states no publication date (htmldate found none, nor does its text give one)")


def _date_of(match: re.Match) -> dt.date | None:
    try:
        return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None


def _visible_text(html: str) -> str:
    tree = lxml.html.fromstring(html)
    for hidden in tree.xpath("//script|//style|//head"):
        hidden.drop_tree()
    return fold(tree.text_content())


def source_record(article: Article, source_id: str, file: str, reviewed_year: int, digest: str) -> dict:
    """The `sources.yaml` record, shaped as the schema's `Source`; texts in other languages left empty for the
    curator (the load names each one until it is written)."""
    return {
        "id": source_id, "file": file,
        "title": {lang: article.title if lang == "vi" else "" for lang in languages()},
        "title_kind": "headline", "publisher": article.publisher,
        "published": article.published, "published_as_written": article.published_as_written,
        "reviewed_year": reviewed_year, "sha256": digest,
        # The seed opens with the title and the date line: the article starts after them.
        "body_start": article.published_as_written,
    }


def ingest(page: Path, source_id: str, reviewed_year: int, seeds: Path) -> str:
    """Write `seeds/<source_id>.txt` from the saved page (never over a file) and return its record as YAML."""
    if not SLUG.match(source_id):
        raise NotAnArticle(f"{source_id!r} is not an id: lower-case letters, digits and single hyphens")
    article = read_article(page.read_bytes().decode("utf-8", errors="replace"))
    seed = seeds / f"{source_id}.txt"
    data = article.seed.encode("utf-8")
    try:
        with seed.open("xb") as out:  # "x": refuse to replace a seed that sources.yaml may pin
            out.write(data)
    except FileExistsError:
        raise NotAnArticle(f"{seed} exists already; ingest never overwrites a seed (choose another --id)") from None
    record = source_record(article, source_id, f"{seeds.name}/{seed.name}", reviewed_year,
                           hashlib.sha256(data).hexdigest())
    header = ("# For data/sources.yaml. The title is the page's own, in Vietnamese: write its English (title.en)"
              "; check the publisher.\n")
    return header + yaml.safe_dump([record], allow_unicode=True, sort_keys=False, width=1000)
