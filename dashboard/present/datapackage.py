"""The data with its description: a Frictionless Data Package (`datapackage.json`) for the exported tables, and
each chart's `.metadata.json` (Our World in Data's convention), in the page's language.

Plain functions of the dataset. Every column's name, type and language come from the one definition of the
tables' columns (dashboard/core/columns.py), its description from the catalogues; a source says no more than
data/sources.yaml does (its date at the precision it states), and where nothing states terms of use, the
package says so rather than claiming a licence.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from dashboard.core import citation, columns
from dashboard.core.compare import observations_of
from dashboard.core.data import Dataset
from dashboard.core.i18n import LANGUAGES, REPORTS_LANG, Lang, stated_value, t, unit_name, year_span
from dashboard.core.languages import translated
from dashboard.core.schema import Source
from dashboard.present.figures import derivation

DESCRIPTOR = "datapackage.json"
NAME = "bo-tttt-year-end-reviews"
TABLES = {"observations": columns.OBSERVATIONS, "plans": columns.PLANS}
# The one CSV writer (exports.frame_csv) writes UTF-8 with a byte-order mark, for spreadsheet programs.
CSV_DIALECT = {"format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig"}


def descriptor(ds: Dataset, lang: Lang, resources: Iterable[tuple[str, str, str]]) -> dict:
    """The package: `resources` are (name, path relative to the descriptor, table: "observations" or "plans")."""
    return {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": t("package_title", lang, years=year_span(ds.years, lang)),
        "description": t("package_description", lang),
        "language": lang,  # of the titles and descriptions; each field gives the language of its own text
        "terms_of_use": t("package_terms", lang),
        "sources": [package_source(source, lang) for source in _by_year(ds)],
        "resources": [resource(ds, lang, name, path, table) for name, path, table in resources],
    }


def resource(ds: Dataset, lang: Lang, name: str, path: str, table: str) -> dict:
    return {
        "profile": "tabular-data-resource", "name": name, "path": path, **CSV_DIALECT,
        "description": t(f"resource_{table}", lang),
        "schema": {"fields": [_field(field, lang) for field in columns.fields(TABLES[table], ds.languages)],
                   "missingValues": [""]},
    }


def _field(field: columns.Field, lang: Lang) -> dict:
    per_language = field.column.per_language is not None
    key = f"column_{field.column.name}" + ("_in" if per_language else "")
    described = {"name": field.name, "type": field.type}
    if per_language:
        described["description"] = t(key, lang, language=f"{LANGUAGES[field.language]} ({field.language})")
    else:
        described["description"] = t(key, lang)
    if field.column.values:
        described["constraints"] = {"enum": list(field.column.values)}
    if field.language is not None:
        described["language"] = field.language  # the language of the text in this column (BCP 47)
    return described


def package_source(source: Source, lang: Lang) -> dict:
    """A review as data/sources.yaml states it: its own title (and that it is a photo caption, where it is),
    publisher, publication date at its stated precision with the words that state it, and its SHA-256."""
    described = {
        "title": citation.marked_title(source, lang),
        f"title_{REPORTS_LANG}": translated(source.title, REPORTS_LANG),
        "title_kind": source.title_kind,
        "publisher": source.publisher,
        "published": source.published,
        "published_as_written": source.published_as_written,
        "reviewed_year": source.reviewed_year,
        "file": source.file,
        "sha256": source.sha256,
        "terms_of_use": t("source_terms", lang),
        "citation": citation.reference(source, lang),
    }
    if source.event_date is not None:
        described.update(event_date=source.event_date.isoformat(), event_as_written=source.event_as_written)
    return described


def _by_year(ds: Dataset) -> list[Source]:
    return sorted(ds.sources.values(), key=lambda source: source.reviewed_year)


def resource_name(file_name: str) -> str:
    """A file's name as a resource name: lowercase letters, digits, `-`, `.` (Frictionless's pattern)."""
    return file_name.rsplit(".", 1)[0].replace("_", "-").lower()


def chart_metadata(ds: Dataset, indicator_id: str, lang: Lang) -> dict:
    """What `/charts/{id}.metadata.json` says beside the chart's CSV: the indicator, its unit, notes, the notes on
    the years its figures are filed under, how any derived value was reached, and its sources."""
    ind = ds.indicators[indicator_id]
    observations = observations_of(ds, indicator_id)
    used = dict.fromkeys(obs.source for obs in observations)
    return {
        "indicator": {"id": ind.id, "label": translated(ind.label, lang),
                      "sector": {"id": ind.sector, "name": translated(ds.sectors[ind.sector].name, lang)},
                      "better": ind.better},
        "unit": {"id": ind.unit, "name": unit_name(ind.unit, lang)},
        "language": lang,
        "notes": [note for note in (translated(ind.note, lang), translated(ind.comparability, lang)) if note],
        "figures": [{"year": obs.year, "kind": obs.kind, "value": obs.value, "upper": obs.upper, "scale": obs.scale,
                     "stated_as": stated_value(obs, ind, lang), "as_written": obs.as_written, "source": obs.source}
                    for obs in observations],
        "year_notes": [{"year": obs.year, "note": translated(obs.year_note, lang)}
                       for obs in observations if obs.year_note],
        "derivations": [dict(zip(("formula", "how"), derivation(obs, lang), strict=True), year=obs.year)
                        for obs in observations if obs.kind == "derived"],
        "sources": [package_source(ds.sources[source_id], lang) for source_id in used],
    }


def as_json(described: dict) -> bytes:
    return json.dumps(described, ensure_ascii=False, indent=1).encode("utf-8")


def bundle_descriptor(ds: Dataset, lang: Lang, csv_files: Sequence[tuple[str, str]]) -> bytes:
    """The ZIP's and the CLI export's `datapackage.json`: (file name, table) for every CSV beside it."""
    return as_json(descriptor(ds, lang, [(resource_name(name), name, table) for name, table in csv_files]))
