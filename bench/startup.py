"""First paint: from starting the server process to a rendered Plotly chart in headless Chromium.

The dashboard as `make run` serves it (dashboard/asgi.py, real data, its
landing page: the URL with no query) and a bare Streamlit page with one Plotly
chart are started and measured the same way, interleaved, their order swapped
each round; the ratio is taken per round. One browser serves every
measurement, each in a fresh context (empty cache). While the landing page
carries no chart, its first headline card stands in for it, and the table
says so.
"""

from __future__ import annotations

import time
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from bench.stats import Result, repeat
from dashboard.data import PROJECT_ROOT
from dashboard.server import CHROMIUM, CHROMIUM_ARGS, ENTRY, serve

BARE_APP = Path(__file__).resolve().parent / "bare_app.py"
CHART = ".js-plotly-plot .main-svg"  # a Plotly chart, drawn
CARD = '[data-testid="stMetric"]'  # a headline card: the landing page's first figure while it has no chart
PAGE_TIMEOUT_MS = 60_000
LANDING = "/"


def landing_paint(browser: Browser) -> str:
    """What the landing page paints first that counts: a chart if it has one, else a headline card."""
    context = browser.new_context()
    try:
        page = context.new_page()
        with serve(ENTRY, env={"DASHBOARD_DATA_DIR": str(PROJECT_ROOT / "data")}) as url:
            page.goto(url + LANDING, timeout=PAGE_TIMEOUT_MS)
            page.wait_for_selector(f"{CHART}, {CARD}", state="visible", timeout=PAGE_TIMEOUT_MS)
            page.wait_for_load_state("networkidle", timeout=PAGE_TIMEOUT_MS)
            return CHART if page.query_selector(CHART) else CARD
    finally:
        context.close()


def first_paint(browser: Browser, script: Path, path: str, selector: str) -> float:
    """Seconds from launching `streamlit run script` to `selector` visible (a chart: its SVG drawn)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        start = time.perf_counter()
        with serve(script, env={"DASHBOARD_DATA_DIR": str(PROJECT_ROOT / "data")}) as url:
            page.goto(url + path, wait_until="commit", timeout=PAGE_TIMEOUT_MS)
            page.wait_for_selector(selector, state="visible", timeout=PAGE_TIMEOUT_MS)
            return time.perf_counter() - start
    finally:
        context.close()


def run(rounds: int, budget: float) -> list[Result]:
    times: dict[str, list[float]] = {"dashboard": [], "bare": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            landing = landing_paint(browser)  # also the warm-up: disk caches, bytecode, the load cache
            apps = {"dashboard": (ENTRY, LANDING, landing), "bare": (BARE_APP, "/", CHART)}
            first_paint(browser, *apps["bare"])

            def one_round(index: int) -> float:
                order = list(apps) if index % 2 == 0 else list(reversed(apps))
                for name in order:
                    times[name].append(first_paint(browser, *apps[name]))
                return times["dashboard"][-1] / times["bare"][-1]

            ratios = repeat(one_round, rounds, budget, at_least=2)
        finally:
            browser.close()
    what = "first chart" if landing == CHART else "first headline card (the landing page has no chart yet)"
    how = "process start → first .js-plotly-plot with its SVG visible, headless Chromium, fresh context"
    return [
        Result("First chart painted: dashboard", "s", times["dashboard"],
               note=f"{how}; URL {LANDING} (the landing page), waiting for its {what}; "
                    "the server's health poll adds up to 0.2 s to both apps"),
        Result("First chart painted: bare Streamlit page", "s", times["bare"], note="bench/bare_app.py, same method"),
        Result("First chart painted: ratio dashboard / bare", "×", ratios, target=1.05,
               note="per round, the two apps measured back to back in alternating order"),
    ]
