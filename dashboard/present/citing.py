"""How a figure is cited: one CSL-JSON item per review its chart quotes, and the same item as BibTeX, RIS and a
formatted citation in the page's language.

Every field comes from the data (`data/sources.yaml` for the review, the indicator and its observations for the
figure): the figure's label and its values as the report words them (`figures.stated_value`), the review's title as
the review gives it (`citation.cited_title`), its publisher and its date at the precision it is stated. The site's
address, where known, adds our permalink (the figure's own view) and the access date; nothing else is added.

Libraries, not hand-written formats: citeproc-py renders the CSL-JSON through a small CSL style of ours
(`templates/figure_citation.csl`) in the language's CSL locale (month names, "accessed", "In"), bibtexparser writes
the BibTeX with pylatexenc escaping LaTeX's special characters, rispy writes the RIS.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from importlib.resources import files
from urllib.parse import urljoin

import bibtexparser
import rispy
from babel.core import Locale, get_global
from bibtexparser.model import Entry, Field
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from pylatexenc.latexencode import RULE_CALLABLE, UnicodeToLatexConversionRule, UnicodeToLatexEncoder

from dashboard.core import citation
from dashboard.core.compare import observations_of
from dashboard.core.data import Dataset
from dashboard.core.i18n import Lang, t
from dashboard.core.languages import translated
from dashboard.core.schema import Observation
from dashboard.present.figures import stated_value
from dashboard.present.url_view import view_query

STYLE = files("dashboard.present") / "templates" / "figure_citation.csl"


def permalink(site: str, indicator_id: str, lang: Lang) -> str:
    """The figure's own view at the site's address (`http://host/prefix/`)."""
    return urljoin(site, view_query(lang, indicator_id))


def _worded(obs: Observation, dataset: Dataset, lang: Lang) -> str:
    """`71/193 (2024)`, `86th (2022, derived)`: the value as the report words it, its year, and what it is if not
    a figure the report states as such."""
    value = stated_value(obs, dataset.indicators[obs.indicator], lang)
    kind = "" if obs.kind == "actual" else f", {t(obs.kind, lang)}"
    return f"{value} ({obs.year}{kind})"


def csl_items(ds: Dataset, indicator_id: str, lang: Lang, site: str | None, accessed: dt.date) -> list[dict]:
    """The figure as CSL-JSON, one item per review its chart quotes; `site` None: no permalink, no access date."""
    ind = ds.indicators[indicator_id]
    by_source: dict[str, list[Observation]] = {}
    for obs in observations_of(ds, indicator_id):
        by_source.setdefault(obs.source, []).append(obs)
    items = []
    for source_id, found in by_source.items():
        source = ds.sources[source_id]
        item = {
            "id": f"{indicator_id}-{source_id}",
            "type": "dataset",
            "title": f"{translated(ind.label, lang)}: {'; '.join(_worded(obs, ds, lang) for obs in found)}",
            "container-title": citation.cited_title(source, lang),
            "publisher": source.publisher,
            "issued": {"date-parts": [citation.date_parts(source.published)]},
        }
        if site:
            item["URL"] = permalink(site, indicator_id, lang)
            item["accessed"] = {"date-parts": [[accessed.year, accessed.month, accessed.day]]}
        items.append(item)
    return items


def csl_json(items: list[dict]) -> bytes:
    return json.dumps(items, ensure_ascii=False, indent=1).encode("utf-8")


@cache
def _style(lang: Lang) -> CitationStylesStyle:
    """Our CSL style in the language's CSL locale (`vi` → `vi-VN`, by Babel's likely subtags)."""
    likely = Locale.parse(get_global("likely_subtags").get(lang, lang))
    return CitationStylesStyle(str(STYLE), locale=f"{likely.language}-{likely.territory}", validate=False)


def formatted(items: list[dict], lang: Lang) -> list[str]:
    """Each item as a citation in words, in the language's conventions (month names, "accessed")."""
    bibliography = CitationStylesBibliography(_style(lang), CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return [str(entry) for entry in bibliography.bibliography()]


# LaTeX's special characters escaped by pylatexenc's own table; every other character kept as it is (UTF-8, which
# biber and bibtex8 read): its accented-letter macros would make Vietnamese unreadable in the file.
_KEEP_NON_ASCII = UnicodeToLatexConversionRule(RULE_CALLABLE, lambda s, pos: (1, s[pos]) if ord(s[pos]) > 127 else None)
_LATEX = UnicodeToLatexEncoder(conversion_rules=[_KEEP_NON_ASCII, "defaults"], unknown_char_policy="keep",
                               unknown_char_warning=False)


def bibtex(items: list[dict]) -> bytes:
    """`@misc` entries: year, month and day as far as the date is stated; the URL as it is (a verbatim field)."""
    entries = []
    for item in items:
        date = item["issued"]["date-parts"][0]
        fields = {"title": item["title"], "howpublished": item["container-title"], "publisher": item["publisher"],
                  **dict(zip(("year", "month", "day"), map(str, date), strict=False))}
        fields = {name: _LATEX.unicode_to_latex(value) for name, value in fields.items()}
        if "URL" in item:
            accessed = item["accessed"]["date-parts"][0]
            fields |= {"url": item["URL"], "urldate": dt.date(*accessed).isoformat()}
        entries.append(Entry("misc", item["id"], [Field(name, value) for name, value in fields.items()]))
    return bibtexparser.write_string(bibtexparser.Library(entries)).encode("utf-8")


class _RisWriter(rispy.RisWriter):
    def set_header(self, count: int) -> str:
        return ""  # no "1." line before each record: a reader then sees `TY  - ` first


def ris(items: list[dict]) -> bytes:
    """RIS records (`TY  - DATA`): the date as `YYYY/MM/DD` as far as it is stated, the access date in `Y2`."""
    records = []
    for item in items:
        date = item["issued"]["date-parts"][0]
        record = {"type_of_reference": "DATA", "id": item["id"], "title": item["title"],
                  "secondary_title": item["container-title"], "publisher": item["publisher"],
                  "year": str(date[0]), "date": "/".join(f"{part:02d}" for part in date)}
        if "URL" in item:
            record |= {"urls": [item["URL"]], "access_date": "/".join(f"{part:02d}"
                                                                      for part in item["accessed"]["date-parts"][0])}
        records.append(record)
    return rispy.dumps(records, implementation=_RisWriter).encode("utf-8")
