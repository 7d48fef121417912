"""First paint: how long until a rendered Plotly chart shows in headless Chromium, against a bare page.

Two figures, each measured side by side with a bare Streamlit page with one
Plotly chart (bench/bare_app.py), their order swapped each round, the ratio
taken per round; every visit is a fresh browser context (empty cache):

- cold: from launching the server process to the chart. The dashboard as
  `make run` serves it (dashboard/serve/asgi.py, real data), on its landing page
  (the URL with no query), whose first chart is the task chart.
- new visitor on a running server: from opening the URL to the chart, each
  server started once and already visited once, on the landing page and on
  By sector with every sector (`?tab=sectors`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from bench.stats import Result, repeat
from dashboard.core.data import PROJECT_ROOT
from dashboard.serve.process import ENTRY
from tests.serving import CHROMIUM, CHROMIUM_ARGS, serve

BARE_APP = Path(__file__).resolve().parent / "bare_app.py"
CHART = ".js-plotly-plot .main-svg"  # a Plotly chart, drawn
PAGE_TIMEOUT_MS = 60_000
LANDING = "/"
SECTORS = "/?tab=sectors"  # By sector, every sector (no sector chosen)
ENV = {"DASHBOARD_DATA_DIR": str(PROJECT_ROOT / "data")}
HOW = "first .js-plotly-plot with its SVG visible, headless Chromium, fresh context"


def paint(browser: Browser, url: Callable[[], str]) -> float:
    """Seconds from calling `url()` (which may start a server) to a chart visible at the address it returns."""
    context = browser.new_context()
    try:
        page = context.new_page()
        start = time.perf_counter()
        page.goto(url(), wait_until="commit", timeout=PAGE_TIMEOUT_MS)
        page.wait_for_selector(CHART, state="visible", timeout=PAGE_TIMEOUT_MS)
        return time.perf_counter() - start
    finally:
        context.close()


def cold_paint(browser: Browser, script: Path) -> float:
    """Seconds from launching `streamlit run script` to its landing page's first chart painted."""
    with serve(script, env=ENV) as base:
        return paint(browser, lambda: base + LANDING)


def side_by_side(measure: dict[str, Callable[[], float]], rounds: int, budget: float) -> dict[str, list[float]]:
    """Every measure once per round, in alternating order; the samples by name."""
    times: dict[str, list[float]] = {name: [] for name in measure}

    def one_round(index: int) -> float:
        for name in list(measure) if index % 2 == 0 else list(reversed(measure)):
            times[name].append(measure[name]())
        return sum(samples[-1] for samples in times.values())

    repeat(one_round, rounds, budget, at_least=2)
    return times


def ratios(times: dict[str, list[float]], name: str) -> list[float]:
    return [mine / bare for mine, bare in zip(times[name], times["bare"], strict=True)]


def cold(browser: Browser, rounds: int, budget: float) -> list[Result]:
    for script in (ENTRY, BARE_APP):  # also the warm-up: disk caches, bytecode, the load cache
        cold_paint(browser, script)
    times = side_by_side({"dashboard": lambda: cold_paint(browser, ENTRY),
                          "bare": lambda: cold_paint(browser, BARE_APP)}, rounds, budget)
    return [
        Result("First chart painted, cold: dashboard", "s", times["dashboard"],
               note=f"process start → {HOW}; URL {LANDING} (the landing page: its task chart); "
                    "the server's health poll adds up to 0.2 s to both apps"),
        Result("First chart painted, cold: bare Streamlit page", "s", times["bare"],
               note="bench/bare_app.py, same method"),
        Result("First chart painted, cold: ratio dashboard / bare", "×", ratios(times, "dashboard"), target=1.05,
               note="per round, the two apps measured back to back in alternating order"),
    ]


def new_visitor(browser: Browser, rounds: int, budget: float) -> list[Result]:
    with serve(ENTRY, env=ENV) as dashboard, serve(BARE_APP) as bare:
        visits = {"landing": lambda: paint(browser, lambda: dashboard + LANDING),
                  "sectors": lambda: paint(browser, lambda: dashboard + SECTORS),
                  "bare": lambda: paint(browser, lambda: bare + "/")}
        for visit in visits.values():  # each server's first visitor: the figures below are the next ones
            visit()
        times = side_by_side(visits, rounds, budget)
    same = "per round, each measured back to back with the bare page, in alternating order"
    return [
        Result("First chart painted, new visitor: dashboard landing page", "s", times["landing"],
               note=f"server started and visited once; URL opened → {HOW}; URL {LANDING}"),
        Result("First chart painted, new visitor: dashboard By sector, every sector", "s", times["sectors"],
               note=f"as above; URL {SECTORS}"),
        Result("First chart painted, new visitor: bare Streamlit page", "s", times["bare"],
               note="bench/bare_app.py on its own running server, same method"),
        Result("First chart painted, new visitor: ratio landing / bare", "×", ratios(times, "landing"), target=1.0,
               note=same),
        Result("First chart painted, new visitor: ratio By sector / bare", "×", ratios(times, "sectors"), target=1.2,
               note=same),
    ]


def run(rounds: int, budget: float) -> list[Result]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return cold(browser, rounds, budget / 2) + new_visitor(browser, rounds + 2, budget / 2)
        finally:
            browser.close()
