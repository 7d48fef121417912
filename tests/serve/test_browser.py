"""End to end in a real browser: Debian's chromium, driven by Playwright,
against the app served by `streamlit run` on a free port."""

import re
import struct
from pathlib import Path

from playwright.sync_api import Page, expect

from dashboard.core.text_rules import isolate  # headings isolate the data they show (issue 16)
from dashboard.present.pagination import chart_page
from tests.browser import (
    ARTIFACTS,
    EGOV,
    SETTLED,
    choose_sector,
    expect_no_errors,
    open_page,
    open_tab,
    sector_headers,
    settle,
    switch_language,
)


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_a_settled_page_shows_all_it_will_show(page, app_url, ds):
    """Once `settle` returns, the page is done: counts read at once are the final ones (issue 24: the export
    links were read while By sector was still rendering, 28 of them against 17 headings a moment later)."""
    page.goto(f"{app_url}/?lang=en&tab=sectors", wait_until="domcontentloaded")
    settle(page)
    charts = chart_page(ds, list(ds.sectors), 1).last
    assert page.locator("h3.ind").count() == charts
    assert page.locator("nav.chart-links:not(.cite-files) a").count() == 4 * charts  # the downloads
    assert page.locator(".js-plotly-plot .main-svg").count() >= charts


def test_page_loads_without_errors(page, app_url):
    open_page(page, app_url)
    expect(page.locator("h1")).to_be_visible()
    expect(page.get_by_role("tab")).to_have_count(5)
    expect_no_errors(page)
    # The project's .streamlit/config.toml is read: a reader's toolbar (no Deploy button, a Tab stop of its own).
    expect(page.locator('[data-testid="stAppDeployButton"]')).to_have_count(0)


def test_by_sector_chart_and_quote_in_both_languages(page, app_url):
    open_page(page, app_url)
    choose_sector(page, EGOV["vi"])
    page.wait_for_url(re.compile(r"[?&]sector=digital-transformation\b"))
    open_tab(page, "vi", "sectors")
    page.wait_for_url(re.compile(r"[?&]tab=sectors\b"))
    settle(page)

    expect(sector_headers(page)).to_have_text([isolate(EGOV["vi"])])
    expect(page.locator(".js-plotly-plot")).to_have_count(2)
    for chart in page.locator(".js-plotly-plot").all():
        expect(chart).to_be_visible()
    quote = page.locator(".quote", has=page.locator("mark", has_text="71/193"))
    expect(quote).to_have_count(1)
    expect(quote.locator("mark")).to_have_text(["71/193", "15"])  # the rank, and the places it rose
    expect(quote).to_contain_text("Xếp hạng Chính phủ điện tử")
    # the chart itself draws the figure as the report writes it
    expect(page.locator(".js-plotly-plot text", has_text="71/193")).not_to_have_count(0)
    expect_no_errors(page)

    switch_language(page, "en")
    page.wait_for_url(re.compile(r"[?&]lang=en\b"))
    settle(page)
    assert re.search(r"[?&]sector=digital-transformation\b", page.url), page.url
    assert re.search(r"[?&]tab=sectors\b", page.url), page.url
    expect(page.get_by_role("tab", name="By sector", exact=True)).to_have_attribute("aria-selected", "true")
    expect(sector_headers(page)).to_have_text([isolate(EGOV["en"])])
    expect(page.locator(".js-plotly-plot")).to_have_count(2)
    expect(page.locator(".js-plotly-plot text", has_text="up 15 places")).to_have_count(1)
    english = page.locator(".quote", has=page.locator("mark", has_text="71/193")).locator(".en")
    expect(english).to_contain_text("71st of 193 countries")
    expect_no_errors(page)

    english.scroll_into_view_if_needed()  # the e-government chart and its marked quote in the picture
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "screenshot-by-sector.png"
    shot.unlink(missing_ok=True)
    page.screenshot(path=str(shot))
    assert png_size(shot) == (1440, 1100)
    assert shot.stat().st_size > 20_000  # a page, not a blank image


def choose_and_switch(page: Page, app_url: str) -> None:
    open_page(page, app_url)
    choose_sector(page, EGOV["vi"])
    page.wait_for_url(re.compile(r"[?&]sector=digital-transformation\b"))
    settle(page)
    switch_language(page, "en")
    page.wait_for_url(re.compile(r"[?&]lang=en\b"))
    settle(page)
    assert re.search(r"[?&]sector=digital-transformation\b", page.url), page.url


def test_switching_language_and_back_keeps_the_chosen_sector(page, app_url):
    choose_and_switch(page, app_url)
    switch_language(page, "vi")
    page.wait_for_url(lambda url: "lang=en" not in url)
    settle(page)
    assert re.search(r"[?&]sector=digital-transformation\b", page.url), page.url
    open_tab(page, "vi", "sectors")
    settle(page)
    expect(sector_headers(page)).to_have_text([isolate(EGOV["vi"])], timeout=SETTLED)
    expect(page.locator(".js-plotly-plot")).to_have_count(2, timeout=SETTLED)
    expect_no_errors(page)


def test_the_chosen_sector_is_named_in_the_new_language(page, app_url):
    choose_and_switch(page, app_url)
    expect(page.locator(".st-key-sectors")).to_contain_text(EGOV["en"], timeout=SETTLED)


def test_a_link_opens_its_view(page, app_url):
    open_page(page, f"{app_url}/?lang=en&sector=digital-economy&tab=sectors", lang="en")
    expect(sector_headers(page)).to_have_text([isolate("Digital economy")])
    expect(page.locator(".js-plotly-plot")).to_have_count(2)
    expect(page.locator(".js-plotly-plot text", has_text="over 20%/year")).to_have_count(1)
    expect(page.locator(".quote mark", has_text="20%/năm")).to_have_count(1)
    expect(page.locator(".st-key-sectors")).to_contain_text("Digital economy")
    expect(page.locator('[data-testid="stAlertContentWarning"]')).to_have_count(0)
    expect_no_errors(page)


def test_a_bad_link_gives_notices_and_still_renders(page, app_url):
    open_page(page, f"{app_url}/?sector=nope&lang=xx&utm_source=mail&sector=postal")
    warnings = page.locator('[data-testid="stAlertContentWarning"]')
    expect(warnings).to_have_count(3)
    expect(warnings.filter(has_text=f"“{isolate('nope')}”")).to_have_count(1)
    expect(warnings.filter(has_text=f"“{isolate('xx')}”")).to_have_count(1)
    expect(warnings.filter(has_text=f"“{isolate('utm_source')}”")).to_have_count(1)
    expect(page.locator(".st-key-sectors")).to_contain_text("Bưu chính")
    expect_no_errors(page)
    page.wait_for_url(re.compile(r"\?sector=postal$"))  # the URL keeps only what the page could use
