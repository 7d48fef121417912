"""A figure's citation: read back by the tools a reader's reference manager uses (a BibTeX parser, an RIS reader,
citeproc-py for the CSL-JSON), and never stating a date, title or link that the data does not give."""

import datetime as dt
import json
import re

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from dashboard.core.compare import observations_of
from dashboard.core.i18n import LANGUAGES
from dashboard.present import citing, exports

SITE = "https://example.org/dashboard/"
READ_ON = dt.date(2026, 12, 3)


def chart(ds, indicator, lang, site=SITE) -> exports.Chart:
    return exports.Chart(ds, indicator, lang, site=site, accessed=READ_ON)


def export(ds, indicator, fmt, lang, site=SITE) -> str:
    return exports.FORMATS[fmt].write(chart(ds, indicator, lang, site)).decode("utf-8")


def sources_of(ds, indicator):
    return [ds.sources[s] for s in dict.fromkeys(o.source for o in observations_of(ds, indicator))]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_bibtex_parses_and_gives_the_review_its_date_at_its_precision(ds, lang):
    for indicator in ds.indicators:
        text = export(ds, indicator, "bib", lang)
        library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
        assert not library.failed_blocks
        urls = [entry["url"] for entry in bibtexparser.parse_string(text).entries]  # verbatim: not LaTeX to decode
        for entry, url, source in zip(library.entries, urls, sources_of(ds, indicator), strict=True):
            stated = [int(part) for part in source.published.split("-")]
            dated = [int(entry[name]) for name in ("year", "month", "day") if name in entry]
            assert dated == stated  # `2024-12` gives a year and a month, never a day
            assert entry["howpublished"].startswith(source.title["vi"])  # the title as the review gives it
            assert entry["publisher"] == source.publisher
            assert url == citing.permalink(SITE, indicator, lang) and entry["urldate"] == "2026-12-03"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_ris_reads_back_with_the_same_fields(ds, lang):
    for indicator in ds.indicators:
        records = rispy.loads(export(ds, indicator, "ris", lang))
        items = chart(ds, indicator, lang).citation
        assert [r["title"] for r in records] == [i["title"] for i in items]
        assert [r["secondary_title"] for r in records] == [i["container-title"] for i in items]
        assert [r["date"] for r in records] == [s.published.replace("-", "/") for s in sources_of(ds, indicator)]
        assert all(r["type_of_reference"] == "DATA" and r["access_date"] == "2026/12/03" for r in records)
        assert all(r["urls"] == [citing.permalink(SITE, indicator, lang)] for r in records)


@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "modern-language-association"])
def test_the_csl_json_renders_in_a_reader_s_own_style(ds, style):
    items = json.loads(export(ds, "egov-rank", "csl-json", "en"))
    bibliography = CitationStylesBibliography(CitationStylesStyle(style, validate=False), CiteProcJSON(items),
                                              formatter.plain)
    bibliography.register(Citation([CitationItem(items[0]["id"])]))
    [entry] = [str(e) for e in bibliography.bibliography()]
    assert "71/193 (2024)" in entry and "Bộ Thông tin và Truyền thông (mic.gov.vn)" in entry


def test_the_citation_in_words_names_the_figure_as_the_report_words_it(ds):
    [en] = citing.formatted(chart(ds, "party-members", "en").citation, "en")
    assert en == ("Cadres and Party members of the Ministry's Party organisation: nearly 2,000 (2023). "
                  "In: Đảng ủy Bộ Thông tin và Truyền thông triển khai nhiệm vụ năm 2024 [The Party Committee of the "
                  "Ministry of Information and Communications deploys its tasks for 2024]. "
                  "Bộ Thông tin và Truyền thông (mic.gov.vn), January 11, 2024. "
                  "https://example.org/dashboard/?figure=party-members&lang=en (accessed December 3, 2026).")
    [vi] = citing.formatted(chart(ds, "egov-rank", "vi").citation, "vi")
    assert vi.startswith("Xếp hạng Chính phủ điện tử (Liên hợp quốc): thứ 86 (2022, suy ra); 71/193 (2024). Trong: ")
    assert "(chú thích ảnh)" in vi and "truy cập 3 Tháng Mười Hai 2026" in vi


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_citation_states_no_date_or_title_beyond_sources_yaml(ds, lang):
    months = {"en": "January|February|March|April|May|June|July|August|September|October|November|December",
              "vi": r"Tháng [\w ]+?"}[lang]
    for indicator in ds.indicators:
        items = chart(ds, indicator, lang).citation
        for text, source in zip(citing.formatted(items, lang), sources_of(ds, indicator), strict=True):
            title = source.title["vi"] if lang == "vi" else f"{source.title['vi']} [{source.title['en']}]"
            assert f"In: {title}" in text or f"Trong: {title}" in text
            text = text.replace(title, "")  # its own years aside, no year but the figures', the review's, the reading's
            years = {str(o.year) for o in observations_of(ds, indicator)} | {source.published[:4], "2026"}
            assert set(re.findall(r"\b(?:19|20)\d\d\b", text)) <= years, text
            dates = re.findall(rf"(?:\d+ )?(?:{months})(?: \d+,)? \d{{4}}", text)
            published, accessed = dates  # one date of the review, one of the reading: no other
            assert bool(re.search(r"\d+ Tháng|\d+,", published)) == (source.published.count("-") == 2), published
            assert accessed.endswith("2026")
            assert ("photo caption" in text or "chú thích ảnh" in text) == (source.title_kind == "photo_caption")


def test_without_the_site_s_address_a_citation_has_no_link_and_no_access_date(ds):
    items = chart(ds, "egov-rank", "en", site=None).citation
    assert all("URL" not in item and "accessed" not in item for item in items)
    assert "url" not in export(ds, "egov-rank", "bib", "en", site=None)
    assert "Y2  -" not in export(ds, "egov-rank", "ris", "en", site=None)


def test_bibtex_escapes_latex_s_special_characters_and_keeps_the_url_as_it_is():
    hostile = "50% & {braces} $math$ #1 _x ~ \\ Bộ TT&TT"  # (pylatexenc reads `^` back as a modifier letter)
    items = [{"id": "k", "title": hostile, "container-title": hostile, "publisher": "P",
              "issued": {"date-parts": [[2024, 12]]}, "URL": "https://example.org/?lang=en&figure=x",
              "accessed": {"date-parts": [[2026, 12, 3]]}}]
    text = citing.bibtex(items).decode()
    [entry] = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()]).entries
    assert entry["title"] == hostile and entry["howpublished"] == hostile  # each character read back as written
    [raw] = bibtexparser.parse_string(text).entries
    assert raw["url"] == "https://example.org/?lang=en&figure=x"  # a verbatim field: no backslash in the link
