"""Share previews and crawlers, over plain HTTP as a crawler that runs no JavaScript reads them (curl), directly
and as nginx in front of `make serve-replicas` forwards them; the data package served with its tables."""

import json
import xml.etree.ElementTree as ET

import pytest
from frictionless import validate

from dashboard.serve import web
from tests.present.test_exports import png_size
from tests.present.test_share import Head
from tests.serve.test_routes import get

BEHIND_PROXY = {"Host": "dashboard.example.org", "X-Forwarded-Proto": "https"}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_figure_view_link_carries_its_description_and_card_for_a_crawler(app_url, lang):
    status, headers, body = get(f"{app_url}/?figure=egov-rank&lang={lang}")
    assert status == 200 and headers["content-type"].startswith("text/html")
    head = Head(body.decode())
    assert "71/193 (2024)" in head.meta["description"] and head.meta["og:locale"] in ("vi_VN", "en_US")
    assert head.meta["og:url"] == f"{app_url}/?figure=egov-rank&lang={lang}"
    status, headers, card = get(head.meta["og:image"])
    assert status == 200 and headers["content-type"] == "image/png" and "etag" in headers
    assert png_size(card) == (1200, 630)
    assert get(head.meta["og:image"], **{"If-None-Match": headers["etag"]})[0] == 304


def test_the_landing_page_and_an_unknown_figure_carry_the_landing_preview(app_url):
    landing = Head(get(f"{app_url}/?lang=en")[2].decode())
    assert landing.meta["og:image"] == f"{app_url}/charts/overview.card.png?lang=en"
    assert Head(get(f"{app_url}/?figure=no-such-figure&lang=en")[2].decode()).meta == landing.meta
    status, _, card = get(landing.meta["og:image"])
    assert status == 200 and png_size(card) == (1200, 630)


def test_behind_a_proxy_every_address_is_the_one_the_reader_reached(app_url):
    head = Head(get(f"{app_url}/?figure=egov-rank&lang=en", **BEHIND_PROXY)[2].decode())
    addresses = [head.meta["og:url"], head.meta["og:image"], head.canonical(), *head.alternates().values()]
    assert all(a.startswith("https://dashboard.example.org/") for a in addresses), addresses
    robots = get(f"{app_url}/robots.txt", **BEHIND_PROXY)[2].decode()
    assert "Sitemap: https://dashboard.example.org/sitemap.xml" in robots


@pytest.mark.parametrize(("headers", "base"), [
    ({"host": "example.org"}, "http://example.org"),
    ({"host": "10.0.0.2:8501", "x-forwarded-proto": "https"}, "https://10.0.0.2:8501"),
    ({"host": "a", "x-forwarded-host": "news.example.org, b", "x-forwarded-proto": "https, http"},
     "https://news.example.org"),
    ({"host": 'evil"><script>', "x-forwarded-proto": "javascript"}, "http://127.0.0.1:8501"),
    ({}, "http://127.0.0.1:8501"),
])
def test_the_public_address_is_taken_from_the_request_and_checked(headers, base):
    assert web.public_base(headers, "http", "127.0.0.1:8501") == base


def test_robots_is_a_robots_file_and_the_sitemap_lists_every_view(app_url):
    status, headers, robots = get(f"{app_url}/robots.txt")
    assert status == 200 and headers["content-type"].startswith("text/plain")
    assert robots.decode().startswith("User-agent: *\nAllow: /")
    status, headers, sitemap = get(f"{app_url}/sitemap.xml")
    assert status == 200 and headers["content-type"].startswith("application/xml")
    locs = [loc.text for loc in ET.fromstring(sitemap).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert f"{app_url}/?figure=egov-rank&lang=en" in locs and f"{app_url}/?lang=vi" in locs
    assert all(get(loc)[0] == 200 for loc in locs[:3])


def test_the_served_data_package_validates_with_its_tables_reachable(app_url):
    report = validate(f"{app_url}/api/datapackage.json?lang=en")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    described = json.loads(get(f"{app_url}/api/datapackage.json?lang=en")[2])
    assert [r["path"] for r in described["resources"]] == ["observations.csv", "plans.csv"]


def test_a_chart_metadata_url_answers_json_in_its_language(app_url):
    status, headers, body = get(f"{app_url}/charts/egov-rank.metadata.json?lang=vi")
    assert status == 200 and headers["content-type"] == "application/json" and "etag" in headers
    assert json.loads(body)["indicator"]["label"] == "Xếp hạng Chính phủ điện tử (Liên hợp quốc)"
    assert get(f"{app_url}/charts/no-such.metadata.json")[0] == 404
    assert get(f"{app_url}/charts/egov-rank.nothing.png")[0] == 404
