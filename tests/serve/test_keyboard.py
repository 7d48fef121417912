"""The page by keyboard alone, in the real browser: from page load, with Tab, arrows, Enter and
Escape only, a user switches language, chooses and clears a sector, searches, opens every tab,
exports the first chart, and opens, scrolls and closes the full text; focus is visible at each step
and stays where the user is after each rerun."""

import re

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dashboard.core.i18n import t
from dashboard.present import exports
from dashboard.present.url_view import TABS
from tests.browser import SETTLED, TITLES, goto, new_page, open_page, rerun

MAX_PRESSES = 60
# The first chart's first export button is reached in this many Tab presses from page load (By sector tab),
# the chart's heading (a link to the figure's own view) one of them.
FIRST_EXPORT_PRESSES = 10

# The focused element, or the nearest of its ancestors drawing the ring, must show an outline
# at least 2 px wide in a colour of at least 3:1 against white.
RING = """() => {
  const lum = c => { const v = c / 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  for (let el = document.activeElement, up = 0; el && up < 4; el = el.parentElement, up++) {
    const style = getComputedStyle(el);
    if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) < 2) continue;
    const [r, g, b] = style.outlineColor.match(/\\d+/g).map(Number);
    const contrast = 1.05 / (0.2126 * lum(r) + 0.7152 * lum(g) + 0.0722 * lum(b) + 0.05);
    if (contrast >= 3) return true;
  }
  return false;
}"""


def focused(page: Page) -> str:
    return page.evaluate("""() => { const el = document.activeElement;
      return [el.tagName, el.getAttribute('role') || '', el.getAttribute('aria-label') || '',
              (el.innerText || el.value || '').trim().slice(0, 80)].join(' | '); }""")


def tab_to(page: Page, what, key: str = "Tab") -> int:
    """Press Tab until `what(page)` holds; returns the number of presses. Focus must show at each one."""
    for presses in range(1, MAX_PRESSES + 1):
        before = focused(page)
        page.keyboard.press(key)
        assert ring_shows(page), f"no visible focus ring on {focused(page)} (press {presses} from {before})"
        if what(page):
            return presses
    raise AssertionError(f"not reached in {MAX_PRESSES} presses; focus on {focused(page)}")


def ring_shows(page: Page) -> bool:
    """The ring is drawn (every rerun before this press has settled, so focus is where it will stay)."""
    try:
        page.wait_for_function(RING, timeout=SETTLED)
    except PlaywrightTimeout:
        return False
    return True


def on(selector: str):
    return lambda page: page.evaluate(f"document.activeElement.matches({selector!r})")


def test_keyboard_walk(page: Page, app_url):
    open_page(page, app_url)

    # Language: the radio group takes focus on its checked option; an arrow chooses the other.
    tab_to(page, on(".st-key-lang input"))
    with rerun(page):
        page.keyboard.press("ArrowRight")
    expect(page.locator("h1")).to_have_text(TITLES["en"])
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.evaluate("document.activeElement.matches('.st-key-lang input')"), focused(page)

    # A sector: typed, chosen with Enter, then cleared with Backspace.
    tab_to(page, on(".st-key-sectors input"))
    page.keyboard.type("Digital transformation")
    with rerun(page):
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"[?&]sector=digital-transformation\b"))
    assert page.evaluate("document.activeElement.matches('.st-key-sectors input')"), focused(page)
    with rerun(page):
        page.keyboard.press("Backspace")
    page.wait_for_url(lambda url: "sector=" not in url)
    page.keyboard.press("Escape")

    # Search.
    tab_to(page, on(".st-key-query input"))
    page.keyboard.type("chinh phu dien tu")
    with rerun(page):
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"[?&]q=chinh"))
    expect(page.get_by_role("heading", name=re.compile("result"))).to_be_visible()

    # Every tab, by arrows along the tab list; focus stays on the tab after its rerun.
    tab_to(page, on('[role="tab"]'))
    for tab in TABS[1:]:
        with rerun(page):
            page.keyboard.press("ArrowRight")
            page.keyboard.press("Enter")
        name = t(f"tab_{tab}", "en")
        expect(page.get_by_role("tab", name=name, exact=True)).to_have_attribute("aria-selected", "true")
        assert page.evaluate(f"document.activeElement.innerText.trim() === {name!r}"), focused(page)
        assert ring_shows(page), f"no visible focus ring on {focused(page)}"


def test_first_export_and_full_text_by_keyboard(page: Page, app_url):
    open_page(page, f"{app_url}/?lang=en&tab=sectors", "en")
    presses = tab_to(page, on('.chart-links a'))
    print(f"Tab presses from page load to the first chart's export: {presses}")
    assert presses <= FIRST_EXPORT_PRESSES, presses

    # Export: the download starts, and focus stays on the link.
    href = page.evaluate("document.activeElement.getAttribute('href')")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".png")
    assert page.evaluate("document.activeElement.getAttribute('href')") == href, focused(page)

    # The full text: opened, focused and scrolled with keys, closed with Escape.
    tab_to(page, lambda p: t("open_full_text", "en") in focused(p))
    with rerun(page):
        page.keyboard.press("Enter")
    box = page.get_by_role("dialog").locator(".fulltext")
    expect(box).to_be_visible()
    tab_to(page, on(".fulltext"))
    before = box.evaluate("el => el.scrollTop")
    page.keyboard.press("PageDown")
    page.keyboard.press("PageDown")
    page.wait_for_function(f"document.querySelector('[role=dialog] .fulltext').scrollTop > {before}")
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    # …and the user is back on the button that opened it.
    page.wait_for_function(f"document.activeElement.innerText.includes({t('open_full_text', 'en')!r})")


def test_collapsed_sidebar_takes_no_focus_on_a_narrow_screen(browser, app_url):
    """At 700 px (1400 px at 200% zoom) the sidebar starts off-screen: Tab must not walk through its controls."""
    page = new_page(browser, 700, 800)
    goto(page, f"{app_url}/?lang=en")
    expect(page.locator("h1")).to_have_text(TITLES["en"])
    # Streamlit collapses the sidebar once it has measured the window.
    page.locator('[data-testid="stSidebar"][data-collapsed="true"]').wait_for(state="attached")
    in_sidebar = []
    for _ in range(8):
        page.keyboard.press("Tab")
        in_sidebar.append(page.evaluate("!!document.activeElement.closest('[data-testid=\"stSidebar\"]')"))
        if page.evaluate("document.activeElement.getAttribute('role') === 'tab'"):
            break
    page.context.close()
    assert not any(in_sidebar), in_sidebar


def test_the_data_download_keeps_focus(page: Page, app_url):
    """The Data tab's CSV is a plain link: Enter downloads it, and focus stays on the link."""
    open_page(page, f"{app_url}/?lang=en&tab=data", "en")
    link = f'a.chart-link[download="{exports.DATA_FILE}"]'
    tab_to(page, on(link))
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == exports.DATA_FILE
    page.wait_for_function(f"document.activeElement.matches({link!r})")
