"""Stable chart and data URLs, asked over plain HTTP of the app as `make run` serves it."""

import json
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from dashboard.core.data import load
from dashboard.present import exports
from dashboard.serve import web
from tests.conftest import APP, ROOT
from tests.present.test_exports import IMAGES, png_size

EGOV = "egov-rank"
EGOV_FILE = "digital-transformation_egov-rank_2022-2024"


def get(url: str, method: str = "GET", **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers, method=method)  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 (loopback)
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


@pytest.fixture(scope="module")
def cli_export(tmp_path_factory, app_url) -> Path:
    """What `python -m dashboard export` writes for the e-government sector, in English, for the site at `app_url`
    (the address a citation and an embed page link to)."""
    out = tmp_path_factory.mktemp("cli-export")
    subprocess.run([sys.executable, "-m", "dashboard", "export", "--out", str(out), "--sector",
                    "digital-transformation", "--lang", "en", "--site-url", app_url],
                   cwd=ROOT, check=True, capture_output=True)
    return out


@pytest.mark.parametrize("fmt", [f.extension for f in exports.FORMATS.values()])
def test_a_chart_url_gives_the_same_file_as_the_cli_export(app_url, cli_export, fmt):
    status, headers, body = get(f"{app_url}/charts/{EGOV}.{fmt}?lang=en")
    assert status == 200
    expected = (cli_export / f"{EGOV_FILE}.{fmt}").read_bytes()
    first = next((i for i, (a, b) in enumerate(zip(body, expected, strict=False)) if a != b), None)
    assert body == expected, (first, body[max(0, (first or 0) - 120):(first or 0) + 120],
                              expected[max(0, (first or 0) - 120):(first or 0) + 120])
    assert headers["content-type"] == exports.format_of_extension(fmt).media_type
    assert headers["content-disposition"] == f'inline; filename="{EGOV_FILE}.{fmt}"'


def test_a_png_url_is_the_chart_at_export_size_and_the_html_finds_plotly_beside_it(app_url):
    assert png_size(get(f"{app_url}/charts/{EGOV}.png")[2]) == exports_size()
    html = get(f"{app_url}/charts/{EGOV}.html")[2].decode()
    assert '<script charset="utf-8" src="plotly.min.js"></script>' in html
    status, headers, script = get(f"{app_url}/charts/plotly.min.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript")
    assert script == exports.plotly_js()


def exports_size() -> tuple[int, int]:
    from dashboard.present.figures import EXPORT_SIZE
    return EXPORT_SIZE


def test_the_language_changes_the_chart_but_not_its_data(app_url):
    vi, en = (get(f"{app_url}/charts/{EGOV}.svg?lang={lang}") for lang in ("vi", "en"))
    assert vi[2] != en[2] and vi[1]["etag"] != en[1]["etag"]
    assert get(f"{app_url}/charts/{EGOV}.svg")[2] == vi[2]  # Vietnamese unless asked otherwise
    csv_vi, csv_en = (get(f"{app_url}/charts/{EGOV}.csv?lang={lang}") for lang in ("vi", "en"))
    assert csv_vi[2] == csv_en[2] and csv_vi[1]["etag"] == csv_en[1]["etag"]


def test_observations_filter_by_sector_and_indicator_with_the_cli_columns(app_url):
    ds = load()
    status, headers, body = get(f"{app_url}/api/observations.json?sector=digital-economy")
    rows = json.loads(body)
    assert status == 200 and headers["content-type"] == "application/json"
    assert rows and {r["sector"] for r in rows} == {"digital-economy"}
    cli = json.loads(subprocess.run([sys.executable, "-m", "dashboard", "data", "--format", "json"], cwd=ROOT,
                                    check=True, capture_output=True).stdout)
    assert list(rows[0]) == list(cli[0])
    assert len(json.loads(get(f"{app_url}/api/observations.json")[2])) == len(cli)
    both = json.loads(get(f"{app_url}/api/observations.json?indicator={EGOV}&indicator=cybersecurity-rank")[2])
    assert {r["indicator_id"] for r in both} == {EGOV, "cybersecurity-rank"}
    assert json.loads(get(f"{app_url}/api/observations.json?sector=postal&indicator={EGOV}")[2]) == []
    status, _, body = get(f"{app_url}/api/observations.csv?sector=digital-economy&sector=postal")
    assert status == 200
    assert body == exports.data_csv(ds, [i.id for i in ds.indicators.values()
                                         if i.sector in ("digital-economy", "postal")])


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_plans_are_the_cli_plans(app_url, fmt):
    for query, args in (("", []), ("?sector=postal&sector=digital-economy",
                                    ["--sector", "postal", "--sector", "digital-economy"])):
        cli = subprocess.run([sys.executable, "-m", "dashboard", "plans", "--format", fmt, *args], cwd=ROOT,
                             check=True, capture_output=True).stdout
        status, headers, body = get(f"{app_url}/api/plans.{fmt}{query}")
        assert status == 200 and headers["etag"]
        if fmt == "csv":
            assert body == cli
        else:
            assert json.loads(body) == json.loads(cli) and json.loads(body)


def test_sources_name_each_report_with_its_hash(app_url):
    ds = load()
    sources = json.loads(get(f"{app_url}/api/sources.json")[2])
    assert {s["id"]: s["sha256"] for s in sources} == {s.id: s.sha256 for s in ds.sources.values()}
    assert all(s["title_vi"] and s["published"] for s in sources)


def test_etag_and_if_none_match(app_url):
    url = f"{app_url}/charts/{EGOV}.csv"
    status, headers, _ = get(url)
    assert status == 200 and "public" in headers["cache-control"] and "max-age" in headers["cache-control"]
    assert get(url)[1]["etag"] == headers["etag"]  # stable: derived from the content, not the time
    status, again, body = get(url, **{"If-None-Match": headers["etag"]})
    assert (status, body, again["etag"]) == (304, b"", headers["etag"])
    assert get(url, **{"If-None-Match": '"something-else"'})[0] == 200
    assert get(f"{app_url}/api/sources.json", **{"If-None-Match": headers["etag"]})[0] == 200


BAD = [
    ("/charts/no-such-indicator.png", 404, "unknown indicator"),
    ("/charts/egov-rank.gif", 400, "unknown format"),
    ("/charts/egov-rank.png?lang=fr", 400, "unknown language"),
    ("/charts/egov-rank.png?lang=vi&lang=en", 400, "lang once"),
    ("/charts/egov-rank", 404, "not a valid address"),
    ("/charts/EGOV-RANK.PNG", 404, "not a valid address"),
    ("/api/observations.csv?sector=atlantis", 404, "unknown sector"),
    ("/api/observations.json?indicator=nope", 404, "unknown indicator"),
    ("/api/observations.xml", 400, "unknown format"),
    ("/api/sources.csv", 400, "unknown format"),
    ("/api/plans.xml", 400, "unknown format"),
    ("/api/plans.json?sector=atlantis", 404, "unknown sector"),
    ("/api/tasks.json", 404, "no such address"),
    ("/charts/..%2F..%2Fdata%2Fsources.yaml", 400, "not a valid address"),
    ("/charts/%2e%2e/data/sources.yaml", 400, "not a valid address"),
    ("/api/..%5c..%5cseeds%5cmic-review-2023.txt", 400, "not a valid address"),
    ("/charts/egov-rank%00.png", 400, "not a valid address"),
    ("/charts/" + "a" * 5000 + ".png", 400, "too long"),
    ("/api//etc/passwd", 400, "not a valid address"),
]


@pytest.mark.parametrize(("path", "status", "message"), BAD, ids=[b[0][:40] for b in BAD])
def test_a_bad_address_gets_a_clear_json_error(app_url, path, status, message):
    got, headers, body = get(f"{app_url}{path}")
    assert got == status
    assert headers["content-type"] == "application/json"
    error = json.loads(body)
    assert message in error["error"] and error["status"] == status
    assert b"Traceback" not in body and b"sha256" not in body  # no file content, no stack


def test_without_a_browser_images_say_what_to_install_and_the_rest_still_works(monkeypatch):
    monkeypatch.setattr(exports, "browser_path", lambda: None)
    catalog = web.Catalog()
    for fmt in IMAGES:
        reply = catalog_answer(catalog, f"/charts/{EGOV}.{fmt}")
        assert reply.status == 503 and json.loads(reply.body)["error"] == exports.INSTALL_HINT
    for fmt in ("html", "csv"):
        assert catalog_answer(catalog, f"/charts/{EGOV}.{fmt}").status == 200


def catalog_answer(catalog: web.Catalog, path: str, **query) -> web.Reply:
    return web.answer(path, {k: [v] for k, v in query.items()}, catalog=catalog)


def test_the_api_keeps_the_field_names_users_scripts_read():
    """The data holds a translated field as one mapping (`label: {vi, en}`); the API, like the CLI and the CSV
    files that give the same columns, still names each language's text as it always has."""
    catalog = web.Catalog()
    [source, *_] = json.loads(catalog_answer(catalog, "/api/sources.json").body)
    assert list(source)[:5] == ["id", "file", "title_vi", "title_en", "title_kind"]
    [observation, *_] = json.loads(catalog_answer(catalog, "/api/observations.json").body)
    assert list(observation) == [
        "indicator_id", "sector", "sector_vi", "sector_en", "label_vi", "label_en",
        "year", "value", "denominator", "unit", "kind", "qualifier", "as_written", "stated_vi", "stated_en",
        "formula", "derivation_vi", "derivation_en", "year_note_vi", "year_note_en",
        "better", "note_vi", "note_en", "comparability_vi", "comparability_en",
        "source", "source_title_vi", "source_published", "quote", "translation_en",
        "upper", "scale",  # a range's upper bound and a scale word, added after every earlier field
    ]
    [plan, *_] = json.loads(catalog_answer(catalog, "/api/plans.json").body)
    assert list(plan) == [
        "id", "set_in_year", "set_in_source", "for_year", "sector", "sector_vi", "sector_en",
        "task_quote", "task_translation_en", "status", "outcome_source", "outcome_quote", "outcome_translation_en",
        "outcome_figures", "outcome_figures_en", "outcome_judged", "outcome_note_vi", "outcome_note_en",
        "indicators", "search_terms",
    ]


def test_an_edit_to_the_data_gives_a_new_etag_and_undoing_it_the_old_one(project_copy):
    catalog = web.Catalog(project_copy)
    before = catalog_answer(catalog, f"/charts/{EGOV}.csv")
    observations = project_copy / "observations.yaml"
    observations.write_text(observations.read_text(encoding="utf-8") + "\n# a curator's note\n", encoding="utf-8")
    after = catalog_answer(catalog, f"/charts/{EGOV}.csv")
    assert after.status == 200 and after.headers["ETag"] != before.headers["ETag"]
    # An edit of the same size, at once: still seen.
    text = observations.read_text(encoding="utf-8")
    observations.write_text(text.replace("curator's note", "curator's NOTE"), encoding="utf-8")
    assert catalog_answer(catalog, f"/charts/{EGOV}.csv").headers["ETag"] != after.headers["ETag"]
    shutil.copy(ROOT / "data" / "observations.yaml", observations)
    assert catalog_answer(catalog, f"/charts/{EGOV}.csv").headers["ETag"] == before.headers["ETag"]


def test_broken_data_is_a_clear_503_naming_the_problem(project_copy):
    (project_copy / "sectors.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    reply = catalog_answer(web.Catalog(project_copy), "/api/sources.json")
    error = json.loads(reply.body)
    assert reply.status == 503 and any("sectors.yaml" in p for p in error["problems"])


@pytest.mark.parametrize("has_browser", [True, False])
def test_the_page_links_each_chart_to_its_urls_and_holds_no_download_file(monkeypatch, has_browser):
    from streamlit.testing.v1 import AppTest

    if not has_browser:
        monkeypatch.setattr(exports, "browser_path", lambda: None)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params.update(tab="sectors", sector="digital-transformation", lang="en")
    at.run()
    assert not at.exception
    links = " ".join(h.proto.body for h in at.get("html") if "chart-link" in h.proto.body)
    offered = {f.id for f in exports.FORMATS.values() if f'href="charts/{EGOV}.{f.extension}' in links}
    citations = {f.id for f in exports.FORMATS.values() if f.citation}  # in the Cite panel
    assert offered == (set(exports.FORMATS) if has_browser else {"html", "csv"} | citations)
    cited = "png" if has_browser else "html"  # the address shown to cite or embed
    assert f'download="{EGOV_FILE}.csv"' in links and f"<code>/charts/{EGOV}.{cited}?lang=en</code>" in links
    assert not at.get("download_button")  # nothing kept in Streamlit's media storage until a ZIP is asked for


@pytest.mark.parametrize(("table", "href", "filename"), [
    ("figures", "api/observations.csv?sector=postal&amp;sector=digital-economy", exports.DATA_FILE),
    ("tasks", "api/plans.csv?sector=postal&amp;sector=digital-economy", exports.PLANS_FILE),
])
def test_the_data_tab_links_its_tables_to_their_urls(table, href, filename):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params.update(tab="data", sector=["postal", "digital-economy"])
    at.run()
    if table == "tasks":
        at.radio(key="data-table").set_value("tasks").run()
    assert not at.exception
    links = " ".join(h.proto.body for h in at.get("html") if "chart-link" in h.proto.body)
    assert f'href="{href}" download="{filename}"' in links
    assert not at.get("download_button")


def test_a_format_added_to_the_registry_is_offered_by_the_page_the_urls_the_zip_and_the_cli(
        ds, monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    from dashboard import cli

    monkeypatch.setitem(exports.FORMATS, "txt", exports.Format(
        "txt", "txt", "text/plain; charset=utf-8", lambda chart: f"{chart.indicator_id} ({chart.lang})".encode()))
    reply = catalog_answer(web.Catalog(), f"/charts/{EGOV}.txt", lang="en")
    assert (reply.status, reply.body, reply.media_type) == (200, b"egov-rank (en)", "text/plain; charset=utf-8")
    assert reply.headers["Content-Disposition"] == f'inline; filename="{EGOV_FILE}.txt"'

    plan = exports.plan_bundle(ds, ["digital-transformation"], ["txt"])
    assert dict(exports.bundle_files(ds, plan, "vi"))[f"{EGOV_FILE}.txt"] == b"egov-rank (vi)"
    assert cli.main(["export", "--out", str(tmp_path), "--sector", "digital-transformation", "--format", "txt"]) == 0
    assert (tmp_path / f"{EGOV_FILE}.txt").read_bytes() == b"egov-rank (vi)"

    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params.update(tab="sectors", sector="digital-transformation", lang="en")
    at.run()
    assert not at.exception
    links = " ".join(h.proto.body for h in at.get("html") if "chart-link" in h.proto.body)
    assert f'href="charts/{EGOV}.txt?lang=en"' in links
    assert "TXT" in at.button_group(key="export-formats").options  # the formats offered for the ZIP


def test_a_chart_s_citation_urls_read_back_and_revalidate(app_url):
    import bibtexparser
    import rispy

    base = f"{app_url}/charts/{EGOV}"
    status, headers, body = get(f"{base}.bib?lang=en")
    assert status == 200 and headers["content-type"] == "application/x-bibtex; charset=utf-8"
    [entry] = bibtexparser.parse_string(body.decode()).entries
    assert entry["url"] == f"{app_url}/?figure={EGOV}&lang=en"  # the figure's view at the address asked for
    assert get(f"{base}.bib?lang=en", **{"If-None-Match": headers["etag"]})[0] == 304
    [record] = rispy.loads(get(f"{base}.ris?lang=vi")[2].decode())
    assert record["urls"] == [f"{app_url}/?figure={EGOV}&lang=vi"] and record["date"] == "2024/12"
    [item] = json.loads(get(f"{base}.csl.json?lang=en")[2])
    assert item["issued"] == {"date-parts": [[2024, 12]]} and item["URL"] == entry["url"]
    assert get(f"{base}.bib?lang=xx")[0] == 400


def test_behind_a_proxy_a_citation_links_to_the_address_the_reader_asked_for(app_url):
    proxied = {"X-Forwarded-Host": "bao.example.vn", "X-Forwarded-Proto": "https"}
    direct = get(f"{app_url}/charts/{EGOV}.bib?lang=en")
    status, headers, body = get(f"{app_url}/charts/{EGOV}.bib?lang=en", **proxied)
    assert f"url = {{https://bao.example.vn/?figure={EGOV}&lang=en}}" in body.decode()
    assert headers["etag"] != direct[1]["etag"]  # one address's citation never revalidates another's
    html = get(f"{app_url}/charts/{EGOV}.html?lang=en", **proxied)[2].decode()
    assert f'href="https://bao.example.vn/?figure={EGOV}&amp;lang=en"' in html
    odd = get(f"{app_url}/charts/{EGOV}.bib?lang=en", **{"X-Forwarded-Host": "evil.example/\"><script>"})[2]
    # not a host name: the server's own address
    assert b"evil" not in odd and f"url = {{{app_url}/?figure={EGOV}&lang=en}}".encode() in odd


def test_a_chart_page_may_be_framed_by_any_site_and_loads_only_from_here(app_url):
    headers = get(f"{app_url}/charts/{EGOV}.html?lang=en")[1]
    policy = headers["content-security-policy"]
    assert "frame-ancestors *" in policy and "default-src 'self'" in policy
    assert "x-frame-options" not in headers
    page = get(f"{app_url}/")[1]
    assert "frame-ancestors *" not in page.get("content-security-policy", "")  # the dashboard keeps its own
