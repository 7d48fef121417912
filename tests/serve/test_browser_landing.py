"""The landing page in real Chromium: the task chart is the first thing a reader sees, with no
scrolling, in both languages, and at phone width with no error."""

import re

import pytest
from playwright.sync_api import expect

from dashboard.core.i18n import t
from tests.browser import ARTIFACTS, TITLES, expect_no_errors, goto, new_page, settle

VIEWS = [("vi", 1400, 900), ("en", 1400, 900), ("en", 390, 844)]


@pytest.mark.parametrize("lang, width, height", VIEWS, ids=[f"{lang}-{w}" for lang, w, _ in VIEWS])
def test_task_chart_is_in_the_first_viewport(browser, app_url, lang, width, height):
    page = new_page(browser, width, height)
    try:
        goto(page, f"{app_url}/?lang={lang}")
        expect(page.locator("h1")).to_have_text(TITLES[lang])
        chart = page.locator(".js-plotly-plot").first  # the page's first chart, on a page that has settled
        expect(chart).to_contain_text(t("tasks_for", lang, year=2024))
        expect(chart.locator(".bars .point")).not_to_have_count(0)  # bars drawn, not an empty frame
        expect_no_errors(page)
        box = chart.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
        if width >= 1000:  # the whole chart, key included, without scrolling
            assert 0 <= box["y"] and box["y"] + box["height"] <= height, box
            expect(page.locator(".legend")).to_be_in_viewport(ratio=1)
        else:  # on a phone the chart starts on the first screen
            assert box["y"] < height - 100, box
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"landing-{lang}-{width}.png"))
    finally:
        page.context.close()


def test_the_page_fetches_plotly_after_its_own_scripts_and_only_once(browser, app_url):
    """The page's HTML preloads Streamlit's Plotly chunk (dashboard/serve/landing.py) once the page's own scripts
    have loaded, not in competition with them, and the chart reuses it rather than fetching it again."""
    page = new_page(browser)
    events: list[str] = []  # file names asked for, and "done <name>" once each has arrived
    page.on("request", lambda request: events.append(request.url.split("?")[0].rsplit("/", 1)[-1]))
    page.on("requestfinished", lambda request: events.append("done " + request.url.rsplit("/", 1)[-1]))
    try:
        response = page.goto(f"{app_url}/?tab=sectors&lang=en", wait_until="domcontentloaded")
        assert 'link.href = "./static/js/PlotlyChart.' in response.text()
        assert '<html lang="en">' in response.text()  # the view's language, before any script runs
        settle(page)  # every chart drawn: a second fetch would have happened by now
        plotly = [index for index, name in enumerate(events) if name.startswith("PlotlyChart.")]
        assert len(plotly) == 1, events
        own = re.findall(r'(?:src|href)="\./static/js/([^"]+)"', response.text())  # the page's own scripts
        assert own and all(events.index(f"done {name}") < plotly[0] for name in own), events
    finally:
        page.context.close()
