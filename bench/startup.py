"""First chart painted: from starting the server process to a rendered Plotly chart in headless Chromium.

The dashboard (real data, opened on the "by sector" tab for one sector) and
a bare Streamlit page with one Plotly chart are started and measured the same
way, interleaved, their order swapped each round; the ratio is taken per round.
One browser serves every measurement, each in a fresh context (empty cache).
"""

from __future__ import annotations

import time
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from bench.stats import Result, repeat
from dashboard.data import PROJECT_ROOT, load
from dashboard.server import APP, CHROMIUM, CHROMIUM_ARGS, serve

BARE_APP = Path(__file__).resolve().parent / "bare_app.py"
CHART = ".js-plotly-plot"
PAGE_TIMEOUT_MS = 60_000
PREFERRED_SECTOR = "digital-economy"


def dashboard_path() -> str:
    """The dashboard's URL path: one sector, the tab that draws its charts."""
    ds = load(PROJECT_ROOT / "data")
    with_charts = [s for s in ds.sectors if ds.indicators_by_sector.get(s)]
    sector = PREFERRED_SECTOR if PREFERRED_SECTOR in with_charts else with_charts[0]
    return f"/?sector={sector}&tab=sectors"


def first_chart(browser: Browser, script: Path, path: str) -> float:
    """Seconds from launching `streamlit run script` to its first Plotly chart drawn (an SVG inside it)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        start = time.perf_counter()
        with serve(script, env={"DASHBOARD_DATA_DIR": str(PROJECT_ROOT / "data")}) as url:
            page.goto(url + path, wait_until="commit", timeout=PAGE_TIMEOUT_MS)
            page.wait_for_selector(CHART, state="attached", timeout=PAGE_TIMEOUT_MS)
            page.wait_for_selector(f"{CHART} .main-svg", state="visible", timeout=PAGE_TIMEOUT_MS)
            return time.perf_counter() - start
    finally:
        context.close()


def run(rounds: int, budget: float) -> list[Result]:
    path = dashboard_path()
    apps = {"dashboard": (APP, path), "bare": (BARE_APP, "/")}
    times: dict[str, list[float]] = {name: [] for name in apps}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name in apps:  # warm-up, discarded: disk caches, bytecode
                first_chart(browser, *apps[name])

            def one_round(index: int) -> float:
                order = list(apps) if index % 2 == 0 else list(reversed(apps))
                for name in order:
                    times[name].append(first_chart(browser, *apps[name]))
                return times["dashboard"][-1] / times["bare"][-1]

            ratios = repeat(one_round, rounds, budget, at_least=2)
        finally:
            browser.close()
    how = "process start → first .js-plotly-plot with its SVG visible, headless Chromium, fresh context"
    return [
        Result("First chart painted: dashboard", "s", times["dashboard"],
               note=f"{how}; URL {path}; the server's health poll adds up to 0.2 s to both apps"),
        Result("First chart painted: bare Streamlit page", "s", times["bare"], note="bench/bare_app.py, same method"),
        Result("First chart painted: ratio dashboard / bare", "×", ratios, target=1.2,
               note="per round, the two apps measured back to back in alternating order"),
    ]
