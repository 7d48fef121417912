"""What a shared link tells the site it is pasted into, and what crawlers are told: from the data, every figure as
the report words it, every address absolute."""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from dashboard.core import citation
from dashboard.core.i18n import LANGUAGES, t, title
from dashboard.present import share
from dashboard.present.cards import tasks_summary

BASE = "https://example.org"


class Head(HTMLParser):
    """The tags a crawler reads: meta by name or property, links by rel (and hreflang), the title."""

    def __init__(self, html: str):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict[str, str]] = []
        self.title, self._in_title = "", False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            self.meta[attrs.get("name") or attrs.get("property")] = attrs["content"]
        elif tag == "link":
            self.links.append(attrs)
        self._in_title = tag == "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag):
        self._in_title = False

    def alternates(self) -> dict[str, str]:
        return {link["hreflang"]: link["href"] for link in self.links if link["rel"] == "alternate"}

    def canonical(self) -> str:
        return next(link["href"] for link in self.links if link["rel"] == "canonical")


def head_of(ds, lang, figure) -> str:
    return str(share.share_head(share.words(ds, lang, figure), lang, figure, BASE))


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_a_figure_view_is_described_by_its_label_its_figures_as_written_and_its_source(ds, lang):
    head = Head(head_of(ds, lang, "egov-rank"))
    label = ds.indicators["egov-rank"].label[lang]
    source = citation.source_line(ds.sources["mic-2024"], lang)
    assert head.title == head.meta["og:title"] == head.meta["twitter:title"] == label
    description = head.meta["description"]
    assert description == head.meta["og:description"] == head.meta["twitter:description"]
    assert description.startswith(label) and "71/193 (2024)" in description and source in description
    assert f"86{'th' if lang == 'en' else ''}" in description  # the derived rank, and that it is derived
    assert t("derived", lang) in description
    assert head.meta["og:url"] == head.canonical() == f"{BASE}/?figure=egov-rank&lang={lang}"
    assert head.meta["og:image"] == head.meta["twitter:image"] == f"{BASE}/charts/egov-rank.card.png?lang={lang}"
    assert (head.meta["og:image:width"], head.meta["og:image:height"]) == ("1200", "630")
    assert head.meta["twitter:card"] == "summary_large_image"
    assert head.meta["og:locale"] == {"vi": "vi_VN", "en": "en_US"}[lang]
    assert head.alternates() == {"vi": f"{BASE}/?figure=egov-rank&lang=vi", "en": f"{BASE}/?figure=egov-rank&lang=en",
                                 "x-default": f"{BASE}/?figure=egov-rank&lang=vi"}


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_landing_page_is_described_by_its_title_and_the_tasks_summary(ds, lang):
    head = Head(head_of(ds, lang, None))
    assert head.title == head.meta["og:title"] == title(lang, ds.years)
    assert head.meta["description"] == tasks_summary(ds, list(ds.sectors), lang)
    assert head.meta["og:image"] == f"{BASE}/charts/overview.card.png?lang={lang}"
    assert head.canonical() == f"{BASE}/?lang={lang}"
    assert set(head.alternates()) == {*LANGUAGES, "x-default"}


def test_data_text_in_the_tags_is_escaped(ds):
    hostile = ds.indicators["egov-rank"].model_copy(update={"label": {"vi": 'x"><script>', "en": 'x"><script>'}})
    ds.indicators["egov-rank"], kept = hostile, ds.indicators["egov-rank"]
    try:
        html = head_of(ds, "en", "egov-rank")
    finally:
        ds.indicators["egov-rank"] = kept
    assert "<script>" not in html and Head(html).meta["og:title"] == 'x"><script>'


def test_the_sitemap_lists_the_landing_page_and_every_figure_view_in_every_language(ds):
    root = ET.fromstring(share.sitemap(ds, BASE))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    listed = [url.findtext("s:loc", namespaces=ns) for url in root.findall("s:url", ns)]
    expected = [f"{BASE}/?{'figure=' + f + '&' if f else ''}lang={lang}" for f in (None, *ds.indicators)
                for lang in LANGUAGES]
    assert listed == expected
    for url in root.findall("s:url", ns):
        hreflangs = {link.get("hreflang") for link in url.findall("x:link", ns)}
        assert hreflangs == {*LANGUAGES, "x-default"}


def test_robots_allow_every_crawler_and_name_the_sitemap():
    lines = share.robots(BASE).decode().splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
