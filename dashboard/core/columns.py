"""The columns of the exported tables (observations, tasks): one definition that the tables' frames, their CSV
and the Data Package that describes them (dashboard/present/datapackage.py) all read.

A column is a name, a Frictionless Table Schema type and the language its text is in. A translated field is one
column per language (`label_vi`, `label_en`): per page language, or per translation language (every page
language but the reports' own, for the translation of a quote). Each column's description is the catalogue's
`column_<name>` in dashboard/locales/, in every page language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from dashboard.core.i18n import LANGUAGES, REPORTS_LANG
from dashboard.core.languages import translation_languages
from dashboard.core.schema import Indicator, Kind, PlanStatus, Qualifier, ScaleId, Unit

PerLanguage = Literal["page", "translation"]


@dataclass(frozen=True)
class Column:
    name: str  # the column's name, or the stem of its per-language columns (`label` → `label_vi`, `label_en`)
    type: str = "string"  # a Frictionless Table Schema type: string, integer, number
    language: str | None = None  # the language of the text it holds; None for codes, numbers and dates
    per_language: PerLanguage | None = None
    values: tuple[str, ...] = ()  # the codes it may hold, from the schema; empty: any
    # Words the page itself gives (a figure as `i18n.stated_value` words it): only for a language with a catalogue.
    worded: bool = False


@dataclass(frozen=True)
class Field:
    """One column as it stands in a table: its name, type, the language of its text, and its column definition."""

    name: str
    type: str
    language: str | None
    column: Column


def fields(columns: tuple[Column, ...], langs: tuple[str, ...]) -> list[Field]:
    """The table's columns for these page languages, in order, a translated field expanded per language."""
    expanded = []
    for column in columns:
        if column.per_language is None:
            expanded.append(Field(column.name, column.type, column.language, column))
            continue
        for lang in langs if column.per_language == "page" else translation_languages(langs):
            if column.worded and lang not in LANGUAGES:
                continue
            expanded.append(Field(f"{column.name}_{lang}", column.type, lang, column))
    return expanded


def names(columns: tuple[Column, ...], langs: tuple[str, ...]) -> list[str]:
    return [field.name for field in fields(columns, langs)]


BETTER = get_args(Indicator.model_fields["better"].annotation)

OBSERVATIONS: tuple[Column, ...] = (
    Column("indicator_id"),
    Column("sector"),
    Column("sector", per_language="page"),
    Column("label", per_language="page"),
    Column("year", "integer"),
    Column("value", "number"),
    Column("denominator", "number"),
    Column("unit", values=get_args(Unit)),
    Column("kind", values=get_args(Kind)),
    Column("qualifier", values=get_args(Qualifier)),
    Column("as_written", language=REPORTS_LANG),
    Column("stated", per_language="page", worded=True),
    Column("formula"),
    Column("derivation", per_language="page"),
    Column("year_note", per_language="page"),
    Column("better", values=BETTER),
    Column("note", per_language="page"),
    Column("comparability", per_language="page"),
    Column("source"),
    Column(f"source_title_{REPORTS_LANG}", language=REPORTS_LANG),
    Column("source_published"),
    Column("quote", language=REPORTS_LANG),
    Column("translation", per_language="translation"),
    # Added with ranges and scale words: after every earlier column, so each keeps its place in the file.
    Column("upper", "number"),
    Column("scale", values=get_args(ScaleId)),
)

PLANS: tuple[Column, ...] = (
    Column("id"),
    Column("set_in_year", "integer"),
    Column("set_in_source"),
    Column("for_year", "integer"),
    Column("sector"),
    Column("sector", per_language="page"),
    Column("task_quote", language=REPORTS_LANG),
    Column("task_translation", per_language="translation"),
    Column("status", values=get_args(PlanStatus)),
    Column("outcome_source"),
    Column("outcome_quote", language=REPORTS_LANG),
    Column("outcome_translation", per_language="translation"),
    Column("outcome_figures", language=REPORTS_LANG),
    Column("outcome_figures", per_language="translation", worded=True),
    Column("outcome_judged", "boolean"),
    Column("outcome_note", per_language="page"),
    Column("indicators"),
    Column("search_terms", language=REPORTS_LANG),
)
