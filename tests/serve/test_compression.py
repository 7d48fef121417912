"""Compressed answers (dashboard/serve/compression.py): how the encoding is chosen, and what the served app sends."""

import gzip
import os

import brotli
import pytest

from dashboard.serve import compression
from dashboard.serve.compression import Store, choose, tagged, untagged
from dashboard.serve.landing import plotly_chunk
from tests.serve.test_routes import get

DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}
# A Streamlit JavaScript chunk (the largest: Plotly), an SVG chart, an API JSON, the sitemap and the page itself.
ADDRESSES = [f"/static/js/{plotly_chunk().name}", "/charts/egov-rank.svg?lang=en", "/api/sources.json",
             "/sitemap.xml", "/?lang=vi"]


@pytest.mark.parametrize(("header", "coding"), [
    ("", "identity"), ("gzip, deflate, br, zstd", "br"), ("gzip", "gzip"), ("GZip", "gzip"), ("deflate", "identity"),
    ("br;q=0.5, gzip", "gzip"), ("br;q=0, gzip;q=0", "identity"), ("*", "br"), ("*;q=0.5, br;q=0", "gzip"),
    ("gzip;q=0.5, identity", "identity"), ("br;q=oops, gzip;q=0.1", "gzip"),
])
def test_the_encoding_follows_accept_encoding_and_its_q_values(header, coding):
    assert choose(header) == coding


def test_each_encoding_has_its_own_etag_and_comes_back_to_the_plain_one():
    assert tagged('"abc"', "br") == '"abc-br"' and tagged('W/"abc"', "gzip") == 'W/"abc-gzip"'
    assert tagged('"abc"', "identity") == '"abc"'
    assert untagged('"abc-br"') == untagged('"abc-gzip"') == untagged('"abc"') == '"abc"'


def test_the_same_bytes_are_compressed_once_and_what_does_not_shrink_is_not_kept(monkeypatch):
    calls = []
    monkeypatch.setattr(compression, "compress", lambda body, coding: calls.append(coding) or gzip.compress(body))
    store = Store()
    text, noise = b"the same words again " * 200, os.urandom(4000)  # random bytes: as a woff2 font, no gain
    assert store.make(("/a", '"1"', "gzip"), text, "gzip") == store.make(("/a", '"1"', "gzip"), text, "gzip")
    assert len(calls) == 1
    assert store.make(("/b", '"2"', "gzip"), noise, "gzip") is None


SAID = ("content-encoding", "content-length", "etag", "vary")  # what a HEAD says of the GET it stands for


def check_compressed(base: str) -> None:
    """Each address comes back compressed as asked (br, gzip) and byte-identical once decompressed, plain when not
    asked; each encoding has its own ETag, and If-None-Match with it gives a 304; HEAD says what GET sends."""
    for address in ADDRESSES:
        status, headers, plain = get(base + address)
        assert status == 200 and "content-encoding" not in headers, address
        assert "accept-encoding" in headers["vary"].lower(), address
        etags = {headers["etag"]}
        for coding, decode in DECODE.items():
            status, headers, body = get(base + address, **{"Accept-Encoding": f"{coding}, deflate"})
            assert (status, headers.get("content-encoding")) == (200, coding), address
            assert len(body) < len(plain) * 0.7 and decode(body) == plain, address
            assert headers["vary"].lower().count("accept-encoding") == 1, address
            etags.add(headers["etag"])
            again = get(base + address, **{"Accept-Encoding": coding, "If-None-Match": headers["etag"]})
            assert (again[0], again[1]["etag"], again[2]) == (304, headers["etag"], b""), address
            status, said, nothing = get(base + address, method="HEAD", **{"Accept-Encoding": coding})
            assert status == 200 and nothing == b"", address
            assert [said.get(name) for name in SAID] == [headers.get(name) for name in SAID], address
        assert len(etags) == 3, address


def test_the_app_sends_its_javascript_charts_data_and_page_compressed_when_asked(app_url):
    check_compressed(app_url)


def test_a_font_already_compressed_is_sent_as_it_is(app_url):
    status, page_headers, html = get(f"{app_url}/?lang=en")
    font = html.decode().split('href="./static/media/', 1)[1].split('"', 1)[0]
    status, headers, _ = get(f"{app_url}/static/media/{font}", **{"Accept-Encoding": "br, gzip"})
    assert status == 200 and "content-encoding" not in headers
