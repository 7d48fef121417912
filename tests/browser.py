"""Shared helpers for the real-browser tests (Debian's chromium via Playwright)."""

from playwright.sync_api import Page, expect

from dashboard.core.i18n import t
from tests.conftest import ROOT, TIMEOUT, TITLES  # noqa: F401 (re-exported for the browser tests)

SETTLED = 15_000  # ms: for what must already be on a page whose script run has finished
ARTIFACTS = ROOT / "artifacts"
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
NAMES = {"vi": "Tiếng Việt", "en": "English"}
EGOV = {"vi": "Chuyển đổi số, chính phủ số", "en": "Digital transformation and digital government"}


def open_page(page: Page, url: str, lang: str = "vi") -> None:
    page.goto(url, wait_until="domcontentloaded")
    expect(page.locator("h1").first).to_have_text(TITLES[lang])
    page.locator(".st-key-sectors input").wait_for(state="visible")
    settle(page)


def settle(page: Page) -> None:
    """Wait for the script run to finish: no running icon and no stale elements left over."""
    expect(page.locator('[data-testid="stStatusWidgetRunningIcon"]')).to_have_count(0)
    expect(page.locator('[data-stale="true"]')).to_have_count(0)


def choose_sector(page: Page, name: str) -> None:
    page.locator(".st-key-sectors input").click()
    page.get_by_role("option", name=name, exact=True).click()
    page.keyboard.press("Escape")


def switch_language(page: Page, lang: str) -> None:
    page.locator(".st-key-lang").get_by_text(NAMES[lang], exact=True).click()
    expect(page.locator("h1").first).to_have_text(TITLES[lang])


def open_tab(page: Page, lang: str, tab: str) -> None:
    page.get_by_role("tab", name=t(f"tab_{tab}", lang), exact=True).click()
    expect(page.get_by_role("tab", name=t(f"tab_{tab}", lang), exact=True)).to_have_attribute("aria-selected", "true")


def expect_no_errors(page: Page) -> None:
    expect(page.locator(ERRORS)).to_have_count(0)


def sector_headers(page: Page):
    return page.locator('[data-testid="stHeading"] h2')
