"""Interface text and number formatting, in every language that has a catalogue.

A catalogue is one YAML file of flat keys per language in `dashboard/locales/` (`vi.yaml`, `en.yaml`),
named by its Babel locale: adding a file adds a language. Numbers go through Babel, so each language gets
its locale's separators: `28,7 %` and `2.000` in Vietnamese, `28.7%` and `2,000` in English.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import fast_yaml
import yaml
from babel import Locale, UnknownLocaleError
from babel.numbers import NumberPattern, get_decimal_symbol, get_group_symbol, parse_pattern

from dashboard.core.units import SCALES, UNITS
from dashboard.core.yaml_tags import yaml_tags

if TYPE_CHECKING:  # the schema reads this module's REPORTS_LANG: a type only, no import at run time
    from dashboard.core.schema import Indicator, Observation

Lang = str  # a catalogue's name, which is its Babel locale: "vi", "en"
REPORTS_LANG: Lang = "vi"  # the language the reviews are written in
DEFAULT_LANG: Lang = REPORTS_LANG  # the page opens in it
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
ORDINAL = "ordinal_"  # `ordinal_<category>`: a language has the keys of its own ordinal categories


class CatalogueError(Exception):
    """A catalogue that cannot be read, or that lacks a text another language has: each problem names its file."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


# The one page text outside the catalogues: what the page says when they cannot be read.
CATALOGUE_ERROR = ("Không đọc được từ ngữ của trang (dashboard/locales):\n\n"
                   "The page's words (dashboard/locales) cannot be read:")


@cache
def _locale(lang: Lang) -> Locale:
    return Locale.parse(lang)


def locales_dir() -> Path:
    """The catalogues' folder: `DASHBOARD_LOCALES_DIR` if set (a test may add a language), else the package's."""
    return Path(os.environ.get("DASHBOARD_LOCALES_DIR") or LOCALES_DIR)


@cache
def catalogues() -> dict[Lang, dict[str, str]]:
    """Every language's texts, the default language first, then by name: read and checked once.

    Raises CatalogueError naming each file and key at fault, all at once.
    """
    folder = locales_dir()
    found: dict[Lang, dict[str, str]] = {}
    problems: list[str] = []
    for path in sorted(folder.glob("*.yaml")):
        texts, problem = _read(path)
        if problem:
            problems.append(f"{path} › {problem}")
        else:
            found[path.stem] = texts
    if DEFAULT_LANG not in found and not problems:
        problems.append(f"{folder / DEFAULT_LANG}.yaml › missing: the default language's catalogue")
    shared = {key for texts in found.values() for key in texts if not key.startswith(ORDINAL)}
    for lang, texts in found.items():
        expected = {f"{ORDINAL}{category}" for category in {*_locale(lang).ordinal_form.tags, "other"}}
        ordinals = {key for key in texts if key.startswith(ORDINAL)}
        for key in sorted(shared - set(texts)):
            holder = next(other for other, its in found.items() if key in its)
            problems.append(f"{folder / lang}.yaml › {key}: missing, though {holder}.yaml has it")
        for key in sorted(expected - ordinals):
            problems.append(f"{folder / lang}.yaml › {key}: missing; {lang} has this ordinal category")
        for key in sorted(ordinals - expected):
            problems.append(f"{folder / lang}.yaml › {key}: {lang} has no such ordinal category")
    if problems:
        raise CatalogueError(problems)
    return {lang: found[lang] for lang in sorted(found, key=lambda lang: (lang != DEFAULT_LANG, lang))}


def _read(path: Path) -> tuple[dict[str, str], str | None]:
    """A catalogue's texts, or why it cannot be one."""
    try:
        _locale(path.stem)
    except (ValueError, UnknownLocaleError):
        return {}, f"file name: {path.stem!r} is not a locale Babel knows (vi, en, fr…)"
    try:
        text = path.read_text(encoding="utf-8")
        tagged = yaml_tags(text)
        texts = None if tagged else fast_yaml.safe_load(text)
    except (OSError, ValueError, fast_yaml.YAMLError, yaml.YAMLError) as exc:
        return {}, f"not a readable YAML file: {exc}"
    if tagged:
        return {}, "; ".join(f"line {line}: a YAML tag ({tag[:60]}): a catalogue holds plain texts; remove the tag"
                             for line, tag in tagged)
    if not isinstance(texts, dict):
        return {}, "not a mapping of keys to texts"
    for key, text in texts.items():
        if not isinstance(key, str):
            return {}, f"{key!r}: a key must be text"
        if not isinstance(text, str):
            return {}, f"{key}: not a text but {type(text).__name__}"
    return texts, None


class _Languages(Mapping[Lang, str]):
    """Each language's name in itself, by language, in the catalogues' order: a view, so a test that points
    DASHBOARD_LOCALES_DIR elsewhere sees its languages."""

    def __getitem__(self, lang: Lang) -> str:
        return catalogues()[lang]["language_name"]

    def __iter__(self) -> Iterator[Lang]:
        return iter(catalogues())

    def __len__(self) -> int:
        return len(catalogues())


LANGUAGES: Mapping[Lang, str] = _Languages()


def year_span(years: list[int], lang: Lang) -> str:
    """`2023 vs 2024` for two reviews, `2023–2025` for more: the title follows the data."""
    if len(years) == 2:
        return t("two_years", lang, first=years[0], last=years[1])
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else "".join(map(str, years))


def title(lang: Lang, years: list[int]) -> str:
    return t("title", lang, years=year_span(years, lang))


def t(key: str, lang: Lang, **values) -> str:
    text = catalogues()[lang][key]
    return text.format(**values) if values else text


@cache
def _decimal_format(lang: Lang) -> tuple[Locale, NumberPattern]:
    return _locale(lang), parse_pattern("#,##0.##")


@lru_cache(maxsize=65_536)
def number(value: float, lang: Lang) -> str:
    """Babel's `format_decimal(value, locale=lang, format="#,##0.##")`, its locale and pattern parsed once:
    every figure of every table is worded through it (`stated_value`), 100,000 times for 50,000 figures."""
    locale, pattern = _decimal_format(lang)
    return pattern.apply(value, locale)


def plotly_separators(lang: Lang) -> str:
    """Plotly's `separators`: the locale's decimal symbol, then its grouping symbol."""
    return get_decimal_symbol(lang) + get_group_symbol(lang)


def ordinal(n: float, lang: Lang) -> str:
    """`86th`, `thứ 86`: the pattern of n's ordinal category in the language (CLDR's rules, through Babel)."""
    return t(f"{ORDINAL}{_locale(lang).ordinal_form(n)}", lang, n=number(n, lang))


def unit_name(unit: str, lang: Lang) -> str:
    """What a unit measures, as an axis title: `Share (%)`, `Rank (lower is better)`."""
    return t(f"unit_{unit}", lang)


def quantity(value: float, unit: str, lang: Lang, qualifier: str = "exact", denominator: float | None = None) -> str:
    """An amount as a reader of `lang` expects it: `nearly 2,000`, `over 20%/year`, `71/193`, `28.7%`.

    A qualifier is in words, never a sign: "≈" would lose the direction of "gần" (just under).
    """
    body = _amount(value, unit, lang, denominator)
    return f"{t(f'quantity_{qualifier}', lang)} {body}" if qualifier != "exact" else body


def _amount(value: float, unit: str, lang: Lang, denominator: float | None, scale: str | None = None) -> str:
    if UNITS[unit].ordinal:
        return f"{number(value, lang)}/{number(denominator, lang)}" if denominator else ordinal(value, lang)
    if scale is not None:  # "25 triệu" reads "25 million", never "25,000,000"
        return t(f"scale_{scale}", lang, n=number(value / SCALES[scale].factor, lang)) + t(f"unit_suffix_{unit}", lang)
    return number(value, lang) + t(f"unit_suffix_{unit}", lang)


def stated_value(obs: Observation, ind: Indicator, lang: Lang) -> str:
    """A figure as the report words it, qualifier included: the one wording of a figure on every page,
    chart, caption, card, table and file, in every language.

    How a language words it is its catalogue's `figure_exact` / `figure_qualified` (a range's,
    `figure_range` / `figure_range_qualified`): the reports' own language quotes the report (`trên 93%`,
    `gần ba lần`, `từ 20% đến 22%`), another gives the amount in its own words and number format
    (`over 93%`, `nearly 3×`, `from 20% to 22%`), a scale word in its own word (`about 25 million`).
    """
    value = _amount(obs.value, ind.unit, lang, obs.denominator, obs.scale)
    written = obs.as_written or value
    cue = (obs.cue or "").lower()
    qualifier = t(f"quantity_{obs.qualifier}", lang) if obs.qualifier != "exact" else ""
    if obs.upper is not None:
        high = _amount(obs.upper, ind.unit, lang, None, obs.scale)
        key = "figure_range" if obs.qualifier == "exact" else "figure_range_qualified"
        return t(key, lang, low=value, high=high, written=written, qualifier=qualifier, cue=cue)
    if obs.qualifier == "exact":
        return t("figure_exact", lang, value=value, written=written)
    return t("figure_qualified", lang, value=value, written=written, qualifier=qualifier, cue=cue)
