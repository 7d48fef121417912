"""Many users at once (issue 6).

One app server, one Chromium, 20 browser contexts at the same time. Each
opens its own filter from the URL, goes to "By sector", adds a sector through
the filter and downloads a chart's CSV. Every session must see only its own
choice, with no error. Median times are printed, not asserted.
"""

from __future__ import annotations

import asyncio
import csv
import io
import shutil
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.async_api import async_playwright, expect

from dashboard.core.data import load
from dashboard.core.i18n import t
from dashboard.core.languages import translated
from dashboard.core.text_rules import isolate
from tests.browser import COUNT_RUNS, RUNS_FINISHED, settled
from tests.conftest import ROOT, TITLES
from tests.serving import CHROMIUM, CHROMIUM_ARGS, serve

pytestmark = pytest.mark.slow

SESSIONS = 20
ACTION_MS = 120_000
TOTAL_SECONDS = 300
ARRIVAL_GAP = 0.5  # seconds between sessions' arrivals: 20 users within 10 s, not one instant
LOOPBACK_ONLY = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1"


@dataclass
class Choice:
    lang: str
    first: str
    second: str


@dataclass
class Outcome:
    number: int
    choice: Choice
    times: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    url: str = ""
    headers: list[str] = field(default_factory=list)
    download_name: str = ""
    download_sectors: set[str] = field(default_factory=set)
    stage: str = "start"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("load")
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    return root / "data"


def choices(ds) -> list[Choice]:
    """Twenty different filters: a language and two sectors with charts (the smallest, to spare the CPU).

    Vietnamese and English sessions start from disjoint sectors, so a page showing another session's
    starting view could not be mistaken for its own.
    """
    counts = {s: sum(i.sector == s for i in ds.indicators.values()) for s in ds.sectors}
    with_charts = sorted((s for s, n in counts.items() if n), key=lambda s: (counts[s], list(ds.sectors).index(s)))
    assert len(with_charts) >= 6
    starts = {"vi": with_charts[0:6:2], "en": with_charts[1:6:2]}
    seconds = with_charts[:6]
    out = []
    for n in range(SESSIONS):
        lang = ("vi", "en")[n % 2]
        first = starts[lang][(n // 2) % 3]
        others = [s for s in seconds if s != first]
        out.append(Choice(lang=lang, first=first, second=others[(n // 6) % len(others)]))
    assert len({(c.lang, c.first, c.second) for c in out}) == SESSIONS
    assert not {c.first for c in out if c.lang == "vi"} & {c.first for c in out if c.lang == "en"}
    return out


def name(ds, sector: str, lang: str) -> str:
    return translated(ds.sectors[sector].name, lang)


def heading(ds, sector: str, lang: str) -> str:
    """A sector's heading: its name, bidi-isolated."""
    return isolate(name(ds, sector, lang))


async def page_state(page) -> str:
    """What a stuck or failed page shows: its address, language and sector headers."""
    try:
        radio = await asyncio.wait_for(
            page.locator('[data-testid="stRadio"] label:has(input:checked)').all_inner_texts(), 5)
        headers = await asyncio.wait_for(page.locator('[data-testid="stMain"] h2').all_inner_texts(), 5)
        return f" | address {page.url} | language shown {radio} | headers {headers}"
    except Exception:  # noqa: BLE001 - the page may be gone
        return ""


async def one_session(browser, base: str, ds, outcome: Outcome) -> None:
    choice, lang = outcome.choice, outcome.choice.lang
    context = await browser.new_context(
        accept_downloads=True, viewport={"width": 1200, "height": 800}, reduced_motion="reduce",
        service_workers="block",
    )
    context.set_default_timeout(ACTION_MS)
    await context.add_init_script(COUNT_RUNS)
    page = await context.new_page()
    page.on("pageerror", lambda exc: outcome.errors.append(f"page error: {exc}"))
    try:
        outcome.stage, started = "load", time.monotonic()
        query = f"sector={choice.first}" + ("&lang=en" if lang == "en" else "")
        await page.goto(f"{base}/?{query}")
        await expect(page.locator("h1")).to_have_text(TITLES[lang], timeout=ACTION_MS)
        await expect(page.locator('[data-testid="stMultiSelect"] [data-tag]')).to_have_count(1, timeout=ACTION_MS)
        await page.wait_for_function(**settled())
        outcome.times["load"] = time.monotonic() - started

        outcome.stage, started = "tab", time.monotonic()
        before = await page.evaluate(RUNS_FINISHED)
        await page.get_by_role("tab", name=t("tab_sectors", lang), exact=True).click()
        headers = page.locator('[data-testid="stMain"] h2')
        await expect(headers).to_have_text([heading(ds, choice.first, lang)], timeout=ACTION_MS)
        await page.wait_for_function(**settled(before))
        outcome.times["tab"] = time.monotonic() - started

        outcome.stage, started = "filter", time.monotonic()
        await page.locator('[data-testid="stMultiSelect"] input').click()
        before = await page.evaluate(RUNS_FINISHED)
        await page.get_by_role("option", name=name(ds, choice.second, lang), exact=True).click()
        await page.keyboard.press("Escape")
        expected = [heading(ds, s, lang) for s in ds.sectors if s in (choice.first, choice.second)]
        await expect(headers).to_have_text(expected, timeout=ACTION_MS)
        await page.wait_for_function(**settled(before))
        outcome.times["filter"] = time.monotonic() - started
        outcome.url = page.url
        outcome.headers = [" ".join(h.split()) for h in await headers.all_inner_texts()]

        outcome.stage, started = "export", time.monotonic()
        button = page.locator("a.chart-link", has_text="CSV").first  # any chart's, on a settled page
        async with page.expect_download(timeout=ACTION_MS) as info:
            await button.click()
        download = await info.value
        failure = await download.failure()
        if failure:
            again = await context.request.get(download.url)
            raise RuntimeError(f"CSV download failed ({failure}); its URL {urlsplit(download.url).path} now answers "
                               f"HTTP {again.status}")
        body = (await download.path()).read_bytes().decode("utf-8-sig")
        outcome.times["export"] = time.monotonic() - started
        outcome.download_name = download.suggested_filename
        outcome.download_sectors = {row["sector"] for row in csv.DictReader(io.StringIO(body))}
        if await page.locator('[data-testid="stException"]').count():
            outcome.errors.append("an exception is shown on the page")
        outcome.stage = "done"
    except Exception as exc:  # noqa: BLE001 - every failure of a session is reported, not just the first
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        detail = " | ".join(lines[:1] + [line for line in lines if line.startswith(("Actual", "Received"))][:2])
        outcome.errors.append(f"{outcome.stage}: {type(exc).__name__}: {detail}{await page_state(page)}")
    except asyncio.CancelledError:
        outcome.errors.append(f"{outcome.stage}: still running after {TOTAL_SECONDS} s{await page_state(page)}")
        raise
    finally:
        await context.close()


async def arrive(delay: float, browser, base: str, ds, outcome: Outcome) -> None:
    await asyncio.sleep(delay)
    await one_session(browser, base, ds, outcome)


async def run_all(base: str, ds, outcomes: list[Outcome]) -> None:
    """Sessions arriving within seconds of each other; any still running after TOTAL_SECONDS is reported by stage."""
    async with async_playwright() as playwright:
        # Loopback only: every host name but localhost fails to resolve (no interception cost per request).
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, LOOPBACK_ONLY], headless=True,
        )
        try:
            tasks = [asyncio.create_task(arrive(index * ARRIVAL_GAP, browser, base, ds, o))
                     for index, o in enumerate(outcomes)]
            _, pending = await asyncio.wait(tasks, timeout=TOTAL_SECONDS)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            for outcome in outcomes:
                if outcome.stage != "done" and not outcome.errors:
                    outcome.errors.append(f"{outcome.stage}: did not finish")
        finally:
            await browser.close()


def test_twenty_users_at_once(data_dir, capsys):
    ds = load(data_dir)
    outcomes = [Outcome(number, choice) for number, choice in enumerate(choices(ds))]
    started = time.monotonic()
    with serve(env={"DASHBOARD_DATA_DIR": str(data_dir)}, timeout=120) as base:
        assert urlsplit(base).hostname == "127.0.0.1"
        asyncio.run(run_all(base, ds, outcomes))
    wall = time.monotonic() - started

    stages = ("load", "tab", "filter", "export")
    done = {stage: [o.times[stage] for o in outcomes if stage in o.times] for stage in stages}
    with capsys.disabled():
        print(f"\n{SESSIONS} concurrent sessions in {wall:.1f} s; median seconds: "
              + ", ".join(f"{s} {statistics.median(v):.2f} (n={len(v)})" for s, v in done.items() if v)
              + "; slowest: " + ", ".join(f"{s} {max(v):.2f}" for s, v in done.items() if v))

    problems = [f"session {o.number} ({o.choice}): {e}" for o in outcomes for e in o.errors]
    for o in outcomes:
        if not o.url:
            continue
        c = o.choice
        chosen = [s for s in ds.sectors if s in (c.first, c.second)]
        query = parse_qs(urlsplit(o.url).query)
        # Each session keeps its own filter: in its address bar, its headers and its export.
        if (query.get("sector"), query.get("lang", ["vi"]), query.get("tab")) != (chosen, [c.lang], ["sectors"]):
            problems.append(f"session {o.number} ({c}): its address is {o.url}")
        if o.headers != [heading(ds, s, c.lang) for s in chosen]:
            problems.append(f"session {o.number} ({c}): it shows the sectors {o.headers}")
        if o.download_name and (not o.download_name.endswith(".csv") or o.download_name.split("_")[0] not in chosen
                                or not o.download_sectors or not o.download_sectors <= set(chosen)):
            problems.append(f"session {o.number} ({c}): it exported {o.download_name} with {o.download_sectors}")
    failed = {p.split(" ")[1] for p in problems}
    assert not problems, f"{len(failed)} of {SESSIONS} sessions failed:\n" + "\n".join(problems)
