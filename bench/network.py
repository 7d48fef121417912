"""Over a slow link: a new visitor's first paint under Chromium's network emulation, and Lighthouse's mobile run.

Every figure is measured side by side with the bare one-chart page (bench/bare_app.py), in one run, each
server started as `make run` starts it and visited once before measuring (as bench/startup.py does):

- per link (loopback, 10 Mbit/s / 40 ms, 1.6 Mbit/s / 150 ms; CDP `Network.emulateNetworkConditions`, cache
  disabled, a fresh browser context per visit): seconds from opening the URL to the first chart drawn, the
  first contentful paint, and the bytes on the wire until then (the sum of `Network.loadingFinished`
  `encodedDataLength`: HTTP only, the websocket's frames are not counted), on the landing page, By sector
  with every sector and the bare page, in alternating order each round. A visit during which nothing at all
  arrives for `STALL_S` seconds is abandoned, counted and made again: under this emulation on loopback, about
  one visit in fifty, to either server, goes silent on every socket at once for 79 or 158 s
  (docs/performance.md, "The stall"), which no page's code decides and a median of three cannot absorb;
- Lighthouse 12 (bench/lighthouse, npm, run as bench/seo.py runs it), its default mobile profile (simulated
  slow 4G, 4× CPU slowdown), performance category only, on the landing page and the bare page.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from statistics import median

from playwright.sync_api import Browser, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench import seo
from bench.startup import BARE_APP, CHART, ENV, LANDING, PAGE_TIMEOUT_MS, SECTORS, side_by_side
from bench.stats import Result
from dashboard.serve.process import ENTRY
from tests.serving import CHROMIUM, CHROMIUM_ARGS, serve

MB = 1e6
# Seconds with nothing reported arriving: twice the longest quiet a sound visit has (22 s, while the bare page's
# 4.7 MB Plotly chunk streams in at 1.6 Mbit/s, reported only at its end), and below the stall's 79 s.
STALL_S = 45
STALLS_ALLOWED = 3  # per page and link; past it the run fails rather than report a median of what is left


@dataclass(frozen=True)
class Link:
    name: str
    down_mbit: float
    rtt_ms: float
    up_mbit: float

    def conditions(self) -> dict:
        """CDP's `Network.emulateNetworkConditions` parameters (throughputs in bytes per second)."""
        return {"offline": False, "latency": self.rtt_ms, "downloadThroughput": self.down_mbit * MB / 8,
                "uploadThroughput": self.up_mbit * MB / 8}


# The office link, and Lighthouse's "slow 4G" (1.6 Mbit/s down, 750 kbit/s up, 150 ms).
LINKS = (None, Link("10 Mbit/s, 40 ms", 10, 40, 10), Link("1.6 Mbit/s, 150 ms", 1.6, 150, 0.75))


@dataclass
class Visit:
    chart_s: float  # URL opened → first chart drawn
    fcp_s: float  # the page's first contentful paint (from its navigation start)
    bytes: int  # encoded bytes of every HTTP response finished by then


class Stalled(Exception):
    """Nothing arrived, over HTTP or the websocket, for `STALL_S` seconds before the first chart."""


def visit(browser: Browser, url: str, link: Link | None) -> Visit:
    context = browser.new_context()
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        transferred: list[int] = []
        last_arrival = [time.perf_counter()]

        def arrived(_event: dict) -> None:
            last_arrival[0] = time.perf_counter()

        cdp.on("Network.loadingFinished", lambda event: transferred.append(event["encodedDataLength"]))
        for event in ("Network.responseReceived", "Network.dataReceived", "Network.webSocketFrameReceived"):
            cdp.on(event, arrived)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        if link is not None:
            cdp.send("Network.emulateNetworkConditions", link.conditions())
        start = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=PAGE_TIMEOUT_MS * 3)
        while True:  # the chart, or a silence long enough to call the visit stalled
            try:
                page.wait_for_selector(CHART, state="visible", timeout=1000)
                break
            except PlaywrightTimeout:
                if time.perf_counter() - last_arrival[0] > STALL_S:
                    raise Stalled(url) from None
                if time.perf_counter() - start > PAGE_TIMEOUT_MS * 3 / 1000:
                    raise
        chart = time.perf_counter() - start
        fcp = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null")
        return Visit(chart, (fcp or 0) / 1000, sum(transferred))
    finally:
        context.close()


def emulated(browser: Browser, dashboard: str, bare: str, rounds: int, budget: float) -> list[Result]:
    urls = {"landing": dashboard + LANDING, "sectors": dashboard + SECTORS, "bare": bare + "/"}
    results: list[Result] = []
    for link in LINKS:
        name = link.name if link else "loopback"
        visits: dict[str, list[Visit]] = {page: [] for page in urls}
        stalls = dict.fromkeys(urls, 0)

        def measure(page: str, link: Link | None = link, visits: dict = visits, stalls: dict = stalls) -> float:
            while True:
                try:
                    visits[page].append(visit(browser, urls[page], link))
                    return visits[page][-1].chart_s
                except Stalled:
                    stalls[page] += 1
                    if stalls[page] > STALLS_ALLOWED:
                        raise

        times = side_by_side({page: (lambda page=page: measure(page)) for page in urls}, rounds, budget)
        how = ("new visitor, fresh context, cache disabled" + (f", CDP emulation {link.down_mbit} Mbit/s down / "
               f"{link.up_mbit} up, {link.rtt_ms:.0f} ms RTT" if link else ", no emulation"))
        for page, label in (("landing", "landing page"), ("sectors", "By sector, every sector"), ("bare", "bare page")):
            results += [
                Result(f"Network {name}: first chart, {label}", "s", times[page],
                       note=how if page == "landing" else ""),
                Result(f"Network {name}: first contentful paint, {label}", "s", [v.fcp_s for v in visits[page]]),
                Result(f"Network {name}: bytes to first chart, {label}", "MB", [v.bytes / MB for v in visits[page]],
                       target=2.5 if link and page != "bare" else None,
                       note="Network.loadingFinished encodedDataLength, HTTP only" if page == "landing" else ""),
                Result(f"Network {name}: stalled visits made again, {label}", "visits", [stalls[page]],
                       note=f"nothing arriving for {STALL_S} s; left out of the figures above" if page == "landing"
                       else ""),
            ]
        for page, label in (("landing", "landing"), ("sectors", "By sector")):
            per_round = [mine / bare for mine, bare in zip(times[page], times["bare"], strict=True)]
            target = 0.5 if link and link.down_mbit == 10 else 1.0 if link is None else None
            results.append(Result(f"Network {name}: first chart ratio {label} / bare", "×", per_round, target=target,
                                  note="per round, back to back with the bare page, alternating order"))
    return results


def lighthouse(url: str) -> dict | None:
    """One Lighthouse mobile performance run: FCP and LCP (s), the score (0-100), total bytes (MB); None (and
    why, printed) if it failed twice (under load, Lighthouse may time out reading a large response body)."""
    for _attempt in range(2):
        try:
            report = seo.lighthouse(url, ("performance",))
        except subprocess.CalledProcessError as failed:
            print(f"  Lighthouse failed on {url}: {failed.stderr.strip()[-300:]}", flush=True)
            continue
        audits = report["audits"]
        return {"fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
                "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
                "score": round(100 * (report["categories"]["performance"]["score"] or 0)),
                "bytes": audits["total-byte-weight"]["numericValue"] / MB}
    return None


def lighthouse_runs(dashboard: str, bare: str, rounds: int) -> list[Result]:
    seo.ensure_lighthouse()
    runs: dict[str, list[dict]] = {"landing": [], "bare": []}
    for index in range(rounds):
        for page in ("landing", "bare") if index % 2 == 0 else ("bare", "landing"):
            got = lighthouse((dashboard if page == "landing" else bare) + "/")
            if got:
                runs[page].append(got)
    if not runs["landing"] or not runs["bare"]:
        return []
    how = "Lighthouse 12.2.3 mobile (simulated slow 4G, 4× CPU), performance category, headless Debian chromium"
    results = []
    for page, label in (("landing", "landing page"), ("bare", "bare page")):
        got = runs[page]
        results += [
            Result(f"Lighthouse: first contentful paint, {label}", "s", [r["fcp"] for r in got],
                   note=how if page == "landing" else ""),
            Result(f"Lighthouse: largest contentful paint, {label}", "s", [r["lcp"] for r in got]),
            Result(f"Lighthouse: performance score, {label}", "pts", [r["score"] for r in got]),
            Result(f"Lighthouse: total bytes, {label}", "MB", [r["bytes"] for r in got]),
        ]
    fcp_ratio = median(r["fcp"] for r in runs["landing"]) / median(r["fcp"] for r in runs["bare"])
    score_ratio = median(r["score"] for r in runs["bare"]) / max(1, median(r["score"] for r in runs["landing"]))
    return results + [
        Result("Lighthouse: FCP ratio landing / bare", "×", [fcp_ratio], target=1.0, note="of the medians"),
        Result("Lighthouse: score ratio bare / landing", "×", [score_ratio], target=0.99,
               note="of the medians: below 1 when the landing page scores above the bare page"),
    ]


def run(rounds: int, budget: float, lighthouse_rounds: int) -> list[Result]:
    with serve(ENTRY, env=ENV) as dashboard, serve(BARE_APP) as bare:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for url in (dashboard + LANDING, dashboard + SECTORS, bare + "/"):  # each server's first visitor
                    visit(browser, url, None)
                results = emulated(browser, dashboard, bare, rounds, budget)
            finally:
                browser.close()
        return results + lighthouse_runs(dashboard, bare, lighthouse_rounds)
