"""A newcomer's export, in a real browser: one chart as PNG, then a ZIP of the filter."""

import io
import zipfile

from playwright.sync_api import expect

from dashboard.present import exports
from tests.browser import TIMEOUT, expect_no_errors, open_page, rerun
from tests.present.test_exports import png_size


def test_export_one_chart_as_png_from_the_page(page, app_url):
    open_page(page, f"{app_url}/?sector=digital-transformation&tab=sectors")
    link = page.locator('a.chart-link[href="charts/egov-rank.png?lang=vi"]')
    with page.expect_download(timeout=TIMEOUT) as download:
        link.click()
    assert download.value.suggested_filename == "digital-transformation_egov-rank_2022-2024.png"
    assert png_size(download.value.path().read_bytes()) == (1000, 600)
    expect_no_errors(page)


def test_a_chart_address_copied_from_the_page_opens_the_png_in_a_new_browser(page, app_url, browser):
    open_page(page, f"{app_url}/?sector=digital-transformation&tab=sectors&lang=en", lang="en")
    shown = page.locator(".chart-url code", has_text="egov-rank").inner_text()
    assert shown == f"{app_url}/charts/egov-rank.png?lang=en"
    elsewhere = browser.new_context()  # no cookies, no session: only the address
    try:
        response = elsewhere.new_page().goto(shown)
        assert response.status == 200 and response.headers["content-type"] == "image/png"
        assert png_size(response.body()) == (1000, 600)
    finally:
        elsewhere.close()


def test_export_every_chart_of_the_filter_as_a_zip(page, app_url):
    open_page(page, f"{app_url}/?sector=digital-economy&tab=sectors&lang=en", lang="en")
    page.locator("summary", has_text="Export every chart in this filter (ZIP)").press("Enter")
    with rerun(page):
        page.get_by_role("button", name="Build the ZIP").press("Enter")
    button = page.locator(".st-key-download-zip").get_by_role("button")
    expect(button).to_be_visible()
    with page.expect_download(timeout=TIMEOUT) as download:
        button.click()
    names = set(zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes())).namelist())
    charts = {f"digital-economy_{c}_2024.{fmt.extension}" for c in ("digital-economy-growth",
              "digital-economy-growth-vs-gdp") for fmt in exports.FORMATS.values()}
    assert names == charts | {"README.txt", "bo-tttt-indicators.csv", "bo-tttt-tasks.csv", "plotly.min.js",
                              "datapackage.json"}
    expect_no_errors(page)
