"""A journalist's way through, in a real browser: from By sector to a figure's own view, its citation and its embed
snippet, then the snippet in a plain page of another site, at a phone's width and a desktop's."""

import html
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser import ARTIFACTS, expect_no_errors, open_page, settle

EGOV_LABEL = "E-government ranking (United Nations)"
ARTICLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>A news article</title>
<style>body{{margin:0;font:17px/1.5 Georgia,serif}} main{{max-width:680px;margin:0 auto;padding:0 12px}}</style>
</head><body><main>
<h1>Viet Nam climbs the UN e-government ranking</h1>
<p>The ministry's year-end review of 2024 gives the country's place in the United Nations ranking.</p>
{snippet}
<p>The review also reports on digital infrastructure and the digital economy.</p>
</main></body></html>
"""


@pytest.fixture
def other_site(tmp_path):
    """A plain static site on another port, as a newsroom's page would be: `other_site(html)` gives its URL."""
    class Quiet(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(tmp_path), **kwargs)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def publish(page_html: str) -> str:
        (tmp_path / "article.html").write_text(page_html, encoding="utf-8")
        return f"http://127.0.0.1:{server.server_address[1]}/article.html"
    yield publish
    server.shutdown()
    server.server_close()


def test_a_journalist_cites_a_figure_and_embeds_its_chart_in_an_article(page, app_url, browser, other_site):
    open_page(page, f"{app_url}/?tab=sectors&sector=digital-transformation&lang=en", lang="en")
    page.get_by_role("link", name=f"Open “{EGOV_LABEL}” on its own page").click()
    page.wait_for_url(lambda url: "figure=egov-rank" in url)
    expect(page.get_by_role("heading", name=EGOV_LABEL)).to_be_visible()
    settle(page)
    expect(page.locator(".js-plotly-plot")).to_have_count(1)  # the figure alone

    page.get_by_text("Cite", exact=True).press("Enter")
    citation = page.locator(".citation").first
    expect(citation).to_be_visible()
    assert "71/193 (2024)" in citation.inner_text()
    assert f"{app_url}/?figure=egov-rank&lang=en (accessed " in citation.inner_text()  # the permalink, absolute
    page.get_by_text("Embed", exact=True).press("Enter")
    snippet = page.get_by_label("Paste this HTML into your page", exact=False).input_value()
    assert snippet.startswith(f'<iframe src="{app_url}/charts/egov-rank.html?lang=en" '  # the label isolated: it
                              f'title="Chart: \u2068{EGOV_LABEL}\u2069" loading="lazy"')  # lands in another page
    expect_no_errors(page)
    page.set_viewport_size({"width": 390, "height": 900})
    page.get_by_text("Embed", exact=True).scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "figure-view-390-en.png")

    article = other_site(ARTICLE.format(snippet=snippet))
    app_host = urlsplit(app_url).netloc
    for width in (360, 1000):
        reader = browser.new_context(viewport={"width": width, "height": 900})
        try:
            tab = reader.new_page()
            hosts = []
            tab.on("request", lambda request, seen=hosts: seen.append(urlsplit(request.url).netloc))
            tab.goto(article)
            frame = tab.frame_locator("iframe")
            chart = frame.locator(".main-svg").first
            expect(chart).to_be_visible()
            expect(frame.get_by_text("Source:", exact=False)).to_be_visible()
            inner = tab.frames[1]
            # Nothing scrolls sideways, in the frame or in the article, and the chart fills the frame's width.
            assert inner.evaluate("document.documentElement.scrollWidth <= innerWidth")
            assert tab.evaluate("document.documentElement.scrollWidth <= innerWidth")
            frame_width = inner.evaluate("innerWidth")
            assert frame_width - 2 <= chart.bounding_box()["width"] <= frame_width
            # The source line is in the frame's view, under the chart (not behind it) and above the frame's fold.
            chart_bottom, caption_top, caption_bottom, fold = inner.evaluate(
                "[document.querySelector('.main-svg').getBoundingClientRect().bottom,"
                " document.querySelector('figcaption').getBoundingClientRect().top,"
                " document.querySelector('figcaption').getBoundingClientRect().bottom, innerHeight]")
            assert chart_bottom <= caption_top and caption_bottom <= fold
            assert inner.evaluate("document.documentElement.lang") == "en"
            assert set(hosts) <= {urlsplit(article).netloc, app_host}, hosts  # nothing from any other host
            tab.screenshot(path=ARTIFACTS / f"embed-{width}.png", full_page=True)
        finally:
            reader.close()


def test_the_embed_page_links_back_to_the_figure_s_view(page, app_url):
    page.goto(f"{app_url}/charts/party-members.html?lang=vi")
    expect(page).to_have_title("Cán bộ, đảng viên của Đảng bộ Bộ")
    link = page.get_by_role("link", name="Số liệu này kèm trích dẫn nguyên văn, trên bảng số liệu")
    assert link.get_attribute("href") == f"{app_url}/?figure=party-members&lang=vi"
    description = page.locator(".chart").get_attribute("aria-label")
    assert "gần 2.000" in html.unescape(description)  # the chart's text alternative, as the page gives it
