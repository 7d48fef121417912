"""Shared helpers for the real-browser tests (Debian's chromium via Playwright).

Every wait on a page goes through `settle`: the script run has finished (as the server says, counted by a
hook on the page's websocket), the page shows it (no running state, nothing stale, every chart drawn), and
the page has stopped changing. A test that reads the page reads it only then.

A control that appears or moves without a script run (in an expander or panel just opened) is activated from
the keyboard, `locator.press("Enter")`, as a keyboard user would: a click aims where the control was when
Playwright last looked, and under load the block still laying out can be there instead (seen: the ZIP button's
click landed on its expander's block, and no run followed)."""

import itertools
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dashboard.core.i18n import t
from tests.conftest import ROOT, TIMEOUT, TITLES  # noqa: F401 (re-exported for the browser tests)

SETTLED = 15_000  # ms: for what must already be on a page whose script run has finished
ARTIFACTS = ROOT / "artifacts"
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
NAMES = {"vi": "Tiếng Việt", "en": "English"}
EGOV = {"vi": "Chuyển đổi số, chính phủ số", "en": "Digital transformation and digital government"}

# Counts the script runs the server reports finished: a ForwardMsg whose field 6 (script_finished) is not
# 2 (FINISHED_EARLY_FOR_RERUN). The page's own state attribute cannot count runs: a quick rerun may never
# show "running" at all, and between a click and the server's answer the page still says "notRunning".
COUNT_RUNS = """(() => {
  const runs = window.__runs = {finished: 0, opened: 0, signature: '', quiet: 0};
  const finished = buffer => {
    const bytes = new Uint8Array(buffer);
    let at = 0;
    const varint = () => { let value = 0, scale = 1, byte;
      do { byte = bytes[at++]; value += (byte & 0x7f) * scale; scale *= 128; } while (byte & 0x80); return value; };
    while (at < bytes.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag % 8;
      if (wire === 0) { const value = varint(); if (field === 6) return value !== 2; }
      else if (wire === 2) { const length = varint(); at += length; }
      else if (wire === 1) at += 8;
      else if (wire === 5) at += 4;
      else return false;
    }
    return false;
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('open', () => runs.opened++);
      this.addEventListener('message', event => {
        if (event.data instanceof ArrayBuffer && finished(event.data)) runs.finished++;
      });
    }
  };
})()"""

# Done: more runs finished than `after`, the page shows the finished run (connected, not running, nothing
# stale, every chart drawn), and what it shows (its element count and height) unchanged over `QUIET` polls.
SETTLED_PAGE = """([after, quiet, wait]) => {
  const runs = window.__runs, app = document.querySelector('[data-testid="stApp"]');
  if (runs && runs.wait !== wait) Object.assign(runs, {wait, signature: '', quiet: 0});  // a new wait counts anew
  if (!runs || !app || runs.finished <= after) return false;
  if (app.dataset.testScriptState !== 'notRunning' || app.dataset.testConnectionState !== 'CONNECTED') return false;
  if (document.querySelector('[data-stale="true"], [data-testid="stStatusWidgetRunningIcon"], '
                             + '[data-testid="stSkeleton"]')) return false;
  for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]'))
    if (!chart.querySelector('.main-svg')) return false;
  const main = document.querySelector('[data-testid="stMain"]');
  const signature = [document.getElementsByTagName('*').length, main ? main.scrollHeight : 0].join();
  if (signature !== runs.signature) { runs.signature = signature; runs.quiet = 0; return false; }
  return ++runs.quiet >= quiet;
}"""
QUIET = 3  # polls 100 ms apart with nothing changed
POLL = 100  # ms
WAITS = itertools.count()  # each wait's own number: quiet polls left from an earlier wait do not count


def new_page(browser: Browser, width: int = 1440, height: int = 1100, timeout: float = TIMEOUT, **options) -> Page:
    """A page in a context of its own that counts script runs (close it with `page.context.close()`)."""
    context = browser.new_context(viewport={"width": width, "height": height}, **{"locale": "vi-VN", **options})
    context.add_init_script(COUNT_RUNS)
    context.set_default_timeout(timeout)
    expect.set_options(timeout=timeout)
    return context.new_page()


RUNS_FINISHED = "window.__runs ? window.__runs.finished : 0"


def runs_finished(page: Page) -> int:
    return page.evaluate(RUNS_FINISHED)


def settled(after: int = 0) -> dict:
    """What `settle` waits for, as `wait_for_function` arguments (the async load test waits for it too)."""
    return {"expression": SETTLED_PAGE, "arg": [after, QUIET, next(WAITS)], "polling": POLL}


# What a page that did not settle was still doing, for the failure message.
UNSETTLED = """() => { const app = document.querySelector('[data-testid="stApp"]');
  return {runs: window.__runs, state: app && app.dataset.testScriptState,
          connection: app && app.dataset.testConnectionState,
          stale: document.querySelectorAll('[data-stale="true"]').length,
          running: document.querySelectorAll('[data-testid="stStatusWidgetRunningIcon"]').length,
          undrawn: [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
            .filter(chart => !chart.querySelector('.main-svg')).length}; }"""


def settle(page: Page, after: int = 0) -> None:
    """Wait until more than `after` script runs have finished and the page shows the last, settled."""
    try:
        page.wait_for_function(**settled(after))
    except PlaywrightTimeout:
        raise AssertionError(f"the page never settled after run {after}: {page.evaluate(UNSETTLED)}") from None


@contextmanager
def rerun(page: Page) -> Iterator[None]:
    """Around an action that makes the script run again: afterwards, wait for that run, settled."""
    before = runs_finished(page)
    yield
    settle(page, after=before)


def goto(page: Page, url: str) -> None:
    """Open `url` and wait for its first script run, settled."""
    page.goto(url, wait_until="domcontentloaded")
    settle(page)


def open_page(page: Page, url: str, lang: str = "vi") -> None:
    goto(page, url)
    expect(page.locator("h1")).to_have_text(TITLES[lang])


def choose_sector(page: Page, name: str) -> None:
    """Typed and chosen with Enter, as a reader would: a click on an option could land while the open list was
    still moving under load, choosing nothing (no run followed, and the test waited in vain)."""
    page.locator(".st-key-sectors input").click()
    page.keyboard.type(name)
    expect(page.get_by_role("option").first).to_have_text(name)
    with rerun(page):
        page.keyboard.press("Enter")
    page.keyboard.press("Escape")  # closes the list; it runs nothing
    expect(page.locator(".st-key-sectors [data-tag]")).to_contain_text([name])


def switch_language(page: Page, lang: str) -> None:
    with rerun(page):
        page.locator(".st-key-lang").get_by_text(NAMES[lang], exact=True).click()
    expect(page.locator("h1")).to_have_text(TITLES[lang])


def open_tab(page: Page, lang: str, tab: str) -> None:
    button = page.get_by_role("tab", name=t(f"tab_{tab}", lang), exact=True)
    if button.get_attribute("aria-selected") != "true":  # the open tab's click runs nothing: no run to wait for
        with rerun(page):
            button.click()
    expect(button).to_have_attribute("aria-selected", "true")


def expect_no_errors(page: Page) -> None:
    expect(page.locator(ERRORS)).to_have_count(0)


def sector_headers(page: Page):
    return page.locator('[data-testid="stHeading"] h2')
