"""Ours alone: a reader's browser asks no host but the one serving the page, on any tab (no font server for the
icon, no CDN), and the page's icon is our own file."""

from urllib.parse import urlsplit

from dashboard.present.page import ICON
from dashboard.present.url_view import TABS
from tests.browser import expect_no_errors, open_page, open_tab, settle


def test_no_tab_asks_another_host(page, app_url):
    asked: list[str] = []
    page.context.on("request", lambda request: asked.append(request.url))
    page.on("websocket", lambda socket: asked.append(socket.url))
    open_page(page, app_url)
    for tab in TABS:
        open_tab(page, "vi", tab)
        settle(page)
        expect_no_errors(page)
    ours = urlsplit(app_url).netloc
    web = [url for url in asked if urlsplit(url).scheme in ("http", "https", "ws", "wss")]
    assert any(url.startswith(f"{app_url}/charts/") or "/_stcore/" in url for url in web), "no request recorded"
    assert [url for url in web if urlsplit(url).netloc != ours] == []
    icons = page.evaluate("() => [...document.querySelectorAll('link[rel~=icon]')].map(link => link.href)")
    assert icons and all(urlsplit(href).netloc == ours for href in icons), icons
    assert page.request.get(icons[-1]).body() == ICON.read_bytes()  # the page_icon we ship, as it is
