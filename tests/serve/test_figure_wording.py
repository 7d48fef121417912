"""Every place a figure is shown words it as the report does, qualifier included, in every language.

One walk over the page (landing and By sector, under AppTest), the chart captions, the share tags a link
shows, the Data tab's CSVs, `plans` (CLI and /api/plans.*), /api/observations.*, and the exports (chart CSV
and HTML, the ZIP README): wherever a qualified figure shows, it shows with its qualifier in words ("gần
2.000", "nearly 2,000"), and never without it. Quoted passages and their translations are left out of the
page's text: they quote the report, qualifier and all, and would hide a figure line that dropped it.
"""

import csv
import io
import json
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from dashboard.core.i18n import LANGUAGES, REPORTS_LANG
from dashboard.present import describe, exports, share
from dashboard.serve import web
from tests.conftest import ROOT, add_range_and_scale, run_app

# Each qualified figure of the data, as the report words it (the reports' language) and as English words it:
# (qualifier, the figure without it).
QUALIFIED = {
    "party-members 2023 actual": {"vi": ("gần", "2.000"), "en": ("nearly", "2,000")},
    "online-public-service-use 2024 target": {"vi": ("ít nhất", "70%"), "en": ("at least", "70%")},
    "digital-economy-growth 2024 actual": {"vi": ("vượt", "20%/năm"), "en": ("over", "20%/year")},
    "digital-economy-growth-vs-gdp 2024 actual": {"vi": ("gần", "ba lần"), "en": ("nearly", "3×")},
    "harmful-content-removal 2024 actual": {"vi": ("trên", "93%"), "en": ("over", "93%")},
}
ISOLATES = re.compile("[\u2066-\u2069]")


def worded(key: str, lang: str) -> str:
    qualifier, figure = QUALIFIED[key][lang]
    return f"{qualifier} {figure}"


def assert_qualified(text: str, lang: str, keys, where: str) -> None:
    """Each figure shows at least once, and every time with its qualifier."""
    text = " ".join(ISOLATES.sub("", text).split())
    for key in keys:
        figure = QUALIFIED[key][lang][1]
        bare = len(re.findall(rf"(?<![\w.,]){re.escape(figure)}(?!\w)", text))
        assert text.count(worded(key, lang)) >= 1, f"{where} ({lang}): {worded(key, lang)!r} not shown"
        assert bare == text.count(worded(key, lang)), f"{where} ({lang}): {figure!r} shown without its qualifier"


class _Unquoted(HTMLParser):
    """The text of HTML outside quoted passages and their translations (every one carries a `lang`)."""

    VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID and (self.skipping or any(name == "lang" for name, _ in attrs)):
            self.skipping.append(tag)

    def handle_endtag(self, tag):
        if self.skipping and tag not in self.VOID:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def unquoted(html: str) -> str:
    parser = _Unquoted()
    parser.feed(html)
    return " ".join(parser.parts)


def test_every_qualified_figure_of_the_data_is_walked(ds):
    assert {o.key for o in ds.observations if o.qualifier != "exact"} == set(QUALIFIED)


@pytest.mark.usefixtures("fresh_caches")
@pytest.mark.parametrize("lang", list(LANGUAGES))
@pytest.mark.parametrize("tab", ["overview", "sectors"])
def test_the_page(lang, tab):
    at = run_app(lang=lang, tab=tab)
    shown = [unquoted(h.proto.body) for h in at.get("html")]
    shown += [c.value for c in at.caption] + [m.value for m in at.metric] + [m.value for m in at.markdown]
    for chart in at.get("plotly_chart"):
        shown += [str(text) for trace in json.loads(chart.proto.spec)["data"] for text in trace.get("text") or []]
    assert_qualified(" | ".join(shown), lang, QUALIFIED, f"the {tab} page")


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_chart_captions_and_exports(ds, lang):
    for key in QUALIFIED:
        indicator = key.split()[0]
        assert_qualified(describe.chart_description(ds, indicator, lang), lang, [key], f"{indicator}'s caption")
        assert_qualified(share.words(ds, lang, indicator).description, lang, [key], f"{indicator}'s share tags")
    for key in QUALIFIED:
        indicator = key.split()[0]
        page = exports.export_chart(ds, indicator, "html", lang, plotlyjs="directory").decode()
        labels = [text for found in re.findall(r'"text":(\[.*?\])', page) for text in json.loads(found)]
        assert_qualified(" | ".join(map(str, labels)), lang, [key], f"{indicator}.html's labels")
        rows = csv.DictReader(io.StringIO(exports.export_chart(ds, indicator, "csv", lang).decode("utf-8-sig")))
        assert_qualified(" | ".join(r[f"stated_{lang}"] for r in rows), lang, [key], f"{indicator}.csv")
        readme = exports.readme(ds, list(ds.indicators), ["html", "csv"], lang, list(ds.sectors))
        assert_qualified(readme + f" {worded(key, lang)}", lang, [key], "the ZIP's README")  # no bare figure


def plan_outcomes(ds) -> list[str]:
    """The qualified figures that answer a task."""
    return [key for plan in ds.plans for key in plan.outcome_observations if key in QUALIFIED]


def figures_of(rows: list[dict], column: str) -> str:
    return " | ".join(str(row[column]) for row in rows)


def csv_rows(body: bytes | str) -> list[dict]:
    text = body.decode("utf-8-sig") if isinstance(body, bytes) else body.removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_tables_plans_and_the_api(ds, lang):
    """The Data tab's CSVs (the same as /api/* and the ZIP's), `plans` and /api/*.json: the figure in the
    page language's column (`stated_vi`, `stated_en`; the tasks' `outcome_figures`, in the report's words,
    and `outcome_figures_en`)."""
    figures_column = "outcome_figures" if lang == REPORTS_LANG else f"outcome_figures_{lang}"
    observations = {
        "the Data tab's CSV": csv_rows(exports.data_csv(ds)),
        "/api/observations.csv": csv_rows(web.answer("/api/observations.csv", {}).body),
        "/api/observations.json": json.loads(web.answer("/api/observations.json", {}).body),
    }
    for where, rows in observations.items():
        assert_qualified(figures_of(rows, f"stated_{lang}"), lang, QUALIFIED, where)
    cli = [sys.executable, "-m", "dashboard", "plans", "--format"]
    plans = {
        "the tasks' CSV": csv_rows(exports.plans_csv(ds)),
        "/api/plans.csv": csv_rows(web.answer("/api/plans.csv", {}).body),
        "/api/plans.json": json.loads(web.answer("/api/plans.json", {}).body),
        "dashboard plans --format csv": csv_rows(subprocess.run(
            [*cli, "csv"], capture_output=True, text=True, cwd=ROOT, check=True).stdout),
        "dashboard plans --format json": json.loads(subprocess.run(
            [*cli, "json"], capture_output=True, text=True, cwd=ROOT, check=True).stdout),
    }
    for where, rows in plans.items():
        assert_qualified(figures_of(rows, figures_column), lang, plan_outcomes(ds), where)


@pytest.mark.parametrize(("lang", "share", "members", "change"), [
    ("en", "from 30% to 32% (2024)", "about 2.5 thousand (2024)", "+1.3 to +3.3 pp (+4.53% to +11.5%) · 2023→2024"),
    ("vi", "từ 30% đến 32% (2024)", "khoảng 2,5 nghìn (2024)",
     "+1,3 đến +3,3 điểm % (+4,53 % đến +11,5 %) · 2023→2024"),
])
def test_a_range_and_a_scale_word_read_as_written_on_the_headline_cards(project_copy, app_env, lang, share, members,
                                                                        change):
    app_env(add_range_and_scale(project_copy))
    at = run_app(lang=lang)
    values = {metric.value: metric for metric in at.metric}
    assert members in values
    assert values[share].proto.delta == change  # the change to a range: the least and the most it can be
