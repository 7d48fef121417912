"""Two replicas behind nginx (`make serve-replicas`): spread, affinity, a replica killed mid-session."""

import re
import time
import urllib.request
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from dashboard.serve.cluster import AFFINITY_COOKIE, serve_replicas
from tests.browser import ERRORS, goto, open_tab, sector_headers
from tests.conftest import TIMEOUT, TITLES
from tests.present.test_exports import png_size
from tests.present.test_share import Head
from tests.serve.test_compression import check_compressed
from tests.serve.test_routes import get

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster():
    with serve_replicas(replicas=2, timeout=180) as running:
        yield running


def served_by(cluster, request_line: str, at_least: int = 1) -> list[str]:
    """The replica (host:port) nginx sent each logged request matching `request_line` to.

    nginx logs a request once it is done; wait (a little) for the lines to appear."""
    deadline = time.monotonic() + 10
    while True:
        log = (cluster.prefix / "access.log").read_text()
        found = re.findall(rf'"{re.escape(request_line)} HTTP/1\.1" \d+ \d+ upstream=(\S+)', log)
        if len(found) >= at_least or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def fresh_visit(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (loopback)
        cookie = response.headers["Set-Cookie"]
        response.read()
    return cookie.split(";")[0]


def test_new_readers_spread_over_replicas_and_each_stays_on_one(cluster):
    cookies = [fresh_visit(f"{cluster.url}/?spread={n}") for n in range(12)]
    assert all(c.startswith(f"{AFFINITY_COOKIE}=") for c in cookies) and len(set(cookies)) == 12
    first = {served_by(cluster, f"GET /?spread={n}")[0] for n in range(12)}
    assert first == {u.removeprefix("http://") for u in cluster.replica_urls}, "every reader on one replica"
    for n, cookie in enumerate(cookies[:4]):
        for _ in range(3):
            urllib.request.urlopen(urllib.request.Request(  # noqa: S310 (loopback)
                f"{cluster.url}/?again={n}", headers={"Cookie": cookie}), timeout=60).read()
        assert len(set(served_by(cluster, f"GET /?again={n}", at_least=3))) == 1, "a reader moved between replicas"


@pytest.mark.parametrize("path", ["/charts/egov-rank.png?lang=en", "/charts/egov-rank.svg", "/charts/egov-rank.html",
                                  "/charts/egov-rank.bib?lang=en", "/api/observations.csv?sector=postal",
                                  "/api/sources.json"])
def test_chart_and_data_urls_are_the_same_from_every_replica(cluster, path):
    # Asked for nginx's address: an embed page and a citation link to the address the reader asked for.
    host = urlsplit(cluster.url).netloc
    answers = [get(f"{url}{path}", Host=host) for url in cluster.replica_urls]
    assert all(status == 200 for status, _, _ in answers)
    assert len({body for _, _, body in answers}) == 1
    assert len({headers["etag"] for _, headers, _ in answers}) == 1
    status, headers, body = get(f"{cluster.url}{path}")  # and through nginx
    assert (status, body, headers["etag"]) == (200, answers[0][2], answers[0][1]["etag"])


def test_nginx_passes_the_compressed_answers_through_and_caches_one_per_encoding(cluster):
    check_compressed(cluster.url)
    for coding in ("br", "gzip", None):  # now each encoding of a chart is in nginx's cache, apart
        status, headers, _ = get(f"{cluster.url}/charts/egov-rank.svg?lang=en",
                                 **({"Accept-Encoding": coding} if coding else {}))
        assert (status, headers["x-cache-status"], headers.get("content-encoding")) == (200, "HIT", coding)


def test_a_killed_replica_sends_its_readers_to_another_with_the_same_view(cluster, page):
    view = "/?sector=digital-economy&sector=postal&tab=sectors&lang=en"
    goto(page, f"{cluster.url}{view}")
    expect(page.locator("h1")).to_have_text(TITLES["en"])
    expect(sector_headers(page)).to_have_count(2)
    shown, address = sector_headers(page).all_inner_texts(), page.url
    replica = served_by(cluster, f"GET {view}")[-1]
    # The page notices the lost websocket and reconnects through nginx, which skips the dead replica;
    # the new session there reads the view from the URL. Acting on the page proves the session is live.
    cluster.kill([u.removeprefix("http://") for u in cluster.replica_urls].index(replica))
    page.wait_for_function("window.__runs.opened >= 2")  # a second websocket is open: the page reconnected
    expect(page.locator('[data-testid="stApp"]')).to_have_attribute("data-test-connection-state", "CONNECTED")
    expect(sector_headers(page)).to_have_text(shown, timeout=TIMEOUT)
    open_tab(page, "en", "text")
    expect(sector_headers(page)).to_have_text(shown, timeout=TIMEOUT)
    open_tab(page, "en", "sectors")
    expect(sector_headers(page)).to_have_text(shown, timeout=TIMEOUT)
    expect(page.locator(ERRORS)).to_have_count(0)
    goto(page, address)  # a new reader after the kill lands on the living replica, with the same view
    expect(sector_headers(page)).to_have_text(shown, timeout=TIMEOUT)
    expect(page.locator(ERRORS)).to_have_count(0)
    assert served_by(cluster, "GET " + address.removeprefix(cluster.url), at_least=2)[-1] != replica


def test_behind_nginx_a_citation_links_to_nginx_s_address_whatever_a_client_claims(cluster):
    host = urlsplit(cluster.url).netloc
    for claimed in ({}, {"X-Forwarded-Host": "evil.example"}):
        body = get(f"{cluster.url}/charts/egov-rank.bib?lang=en", **claimed)[2].decode()
        assert f"url = {{http://{host}/?figure=egov-rank&lang=en}}" in body and "evil" not in body


def test_share_tags_name_the_address_the_reader_reached_through_nginx(cluster):
    head = Head(get(f"{cluster.url}/?figure=egov-rank&lang=en")[2].decode())
    assert head.meta["og:url"] == head.canonical() == f"{cluster.url}/?figure=egov-rank&lang=en"
    status, _, card = get(head.meta["og:image"])
    assert status == 200 and png_size(card) == (1200, 630)
    # nginx passes the reader's Host and sets X-Forwarded-Proto: a public name comes out as the reader typed it.
    named = Head(get(f"{cluster.url}/?lang=en", Host="dashboard.example.org", **{"X-Forwarded-Proto": "https"})[2]
                 .decode())
    assert named.canonical() == "http://dashboard.example.org/?lang=en"  # nginx's own scheme, not the reader's claim
