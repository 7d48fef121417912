"""WCAG 2.1 AA in the real browser: axe-core injected into Debian's chromium on
every tab, in both languages, wide and narrow, By sector scrolled through, with
a search result and with the full-text dialog open. Critical or serious
violations fail; every violation is written to artifacts/axe.json."""

import json
from collections import Counter

import pytest
from playwright.sync_api import Page, expect

from dashboard.core.i18n import t
from dashboard.present.url_view import TABS
from tests.browser import ARTIFACTS, ROOT, goto, new_page, rerun, settle

AXE = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"wide": 1400, "narrow": 390}
FAILING = ("critical", "serious")
# The page scrolls an inner block, not the window: every screen of it is audited, By sector (the longest
# tab) screen by screen once per width, in one language each; the language changes words, not styles.
SCROLLER = '[data-testid="stMain"]'
SCROLLED = {("vi", "wide"), ("en", "narrow")}

pytestmark = pytest.mark.skipif(not AXE.exists(), reason="axe-core missing: run scripts/ensure-browser")


@pytest.fixture(scope="module")
def found():
    """(rule, page) → violation, gathered by every test of the module; written out once at the end."""
    violations: dict[tuple[str, str], dict] = {}
    yield violations
    ARTIFACTS.mkdir(exist_ok=True)
    impacts = Counter(v["impact"] for v in violations.values())
    (ARTIFACTS / "axe.json").write_text(json.dumps({
        "counts": dict(impacts),
        "violations": [{"rule": rule, "page": where, **v} for (rule, where), v in sorted(violations.items())],
    }, indent=1, ensure_ascii=False), encoding="utf-8")


def wide_or_narrow(browser, width: int) -> Page:
    return new_page(browser, width, 900)


def visit(page: Page, url: str) -> None:
    goto(page, url)
    # The page's own style sheet has been applied (it hides the page-script block).
    expect(page.locator(".st-key-page-script")).to_be_hidden()


RUN_AXE = """async ([options, onScreen]) => {
  // On screen: the page's blocks that the viewport shows now, so a scrolled screen is checked alone.
  const context = onScreen ? {include: [...document.querySelectorAll('[data-testid="stElementContainer"]')]
    .filter(el => { const box = el.getBoundingClientRect(); return box.bottom > 0 && box.top < innerHeight; })}
    : document;
  return (await axe.run(context, options)).violations;
}"""


def audit(page: Page, where: str, found: dict, rules: tuple[str, ...] = ()) -> list[str]:
    """axe on the page (every rule), or with `rules` on what is on screen; returns the critical and serious findings."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    options = {"resultTypes": ["violations"]} | ({"runOnly": list(rules)} if rules else {})
    result = page.evaluate(RUN_AXE, [options, bool(rules)])
    bad = []
    for violation in result:
        nodes = [f"{n['html'][:100]}: {n['failureSummary'].splitlines()[-1].strip()}" for n in violation["nodes"]]
        page_name = where.split(" screen")[0]  # a rule counts once per page, however many screens show it
        seen = found.setdefault((violation["id"], page_name), {"impact": violation["impact"], "nodes": []})
        seen["nodes"] = list(dict.fromkeys(seen["nodes"] + nodes))[:10]
        if violation["impact"] in FAILING:
            bad.append(f"{where}: {violation['id']} ({violation['impact']}) on {len(nodes)} node(s), e.g. {nodes[0]}")
    return bad


def audit_each_screen(page: Page, where: str, found: dict) -> list[str]:
    bad = []
    screens = page.evaluate(f"(() => {{const s = document.querySelector('{SCROLLER}');"
                            "return Math.ceil(s.scrollHeight / s.clientHeight);})()")
    for screen in range(screens):
        page.evaluate(f"document.querySelector('{SCROLLER}').scrollTo(0, {screen} * "
                      f"document.querySelector('{SCROLLER}').clientHeight)")
        settle(page)  # whatever scrolling into view draws (a lazy chart) is drawn before it is audited
        # Only what is on screen changes as it scrolls: the other rules read the whole page once.
        bad += audit(page, f"{where} screen {screen + 1}", found, () if screen == 0 else ("color-contrast",))
    return bad


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_tab_has_no_serious_violation(browser, app_url, found, lang, width):
    page = wide_or_narrow(browser, WIDTHS[width])
    bad = []
    for tab in TABS:
        visit(page, f"{app_url}/?lang={lang}&tab={tab}")
        expect(page.get_by_role("tab", name=t(f"tab_{tab}", lang), exact=True)).to_have_attribute(
            "aria-selected", "true")
        where = f"{lang} {width} {tab}"
        scrolled = tab == "sectors" and (lang, width) in SCROLLED
        bad += audit_each_screen(page, where, found) if scrolled else audit(page, where, found)
    page.context.close()
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_search_results_have_no_serious_violation(browser, app_url, found, lang):
    page = wide_or_narrow(browser, WIDTHS["wide"])
    visit(page, f"{app_url}/?lang={lang}&q=chinh+phu+dien+tu")
    expect(page.locator(".quote mark")).not_to_have_count(0)
    bad = audit(page, f"{lang} search", found)
    page.context.close()
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("width", WIDTHS)
def test_full_text_dialog_has_no_serious_violation(browser, app_url, found, width):
    page = wide_or_narrow(browser, WIDTHS[width])
    visit(page, f"{app_url}/?lang=en&tab=sectors&sector=digital-transformation")
    with rerun(page):
        page.locator(".st-key-full-egov-rank-0").get_by_role("button", name=t("open_full_text", "en")).press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog.locator(".fulltext")).to_be_visible()
    bad = audit(page, f"en {width} dialog", found)
    page.context.close()
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_figure_view_with_its_cite_and_embed_panels_open_has_no_serious_violation(browser, app_url, found, lang,
                                                                                    width):
    page = wide_or_narrow(browser, WIDTHS[width])
    visit(page, f"{app_url}/?lang={lang}&figure=egov-rank")
    for panel in ("cite", "embed"):
        page.get_by_text(t(panel, lang), exact=True).press("Enter")
    expect(page.locator(".snippet")).to_be_visible()
    bad = audit(page, f"{lang} {width} figure", found)
    page.context.close()
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_language_and_chart_text_alternatives_in_the_page(browser, app_url, lang):
    page = wide_or_narrow(browser, WIDTHS["wide"])
    visit(page, f"{app_url}/?lang={lang}&tab=sectors&sector=digital-transformation")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    # Each chart: its sentence right above it, and the SVG itself (bare tick labels) hidden from screen readers.
    charts = page.locator('[data-testid="stPlotlyChart"]')
    expect(charts).to_have_count(2)
    expect(page.locator(".chartdesc")).to_have_count(2)
    egov = page.locator(".chartdesc", has_text="71/193")
    expect(egov).to_contain_text(t("not_reported", lang))
    expect(egov).to_contain_text("2022→2024")
    expect(page.locator(".js-plotly-plot .main-svg:not([aria-hidden='true'])")).to_have_count(0)
    # Every passage carries its own language: Vietnamese quotes, English translations.
    assert set(page.locator(".quote").evaluate_all("all => all.map(q => q.lang)")) == {"vi"}
    if lang == "en":
        assert set(page.locator(".quote .en").evaluate_all("all => all.map(q => q.lang)")) == {"en"}
    page.context.close()


def test_export_links_say_which_chart_they_export(browser, app_url):
    page = wide_or_narrow(browser, WIDTHS["wide"])
    visit(page, f"{app_url}/?lang=en&tab=sectors")
    names = page.locator("nav.chart-links:not(.cite-files) a").evaluate_all(  # the downloads (Cite has its own)
        "all => all.map(a => a.getAttribute('aria-label'))")
    headings = page.locator("h3.ind").all_inner_texts()
    page.context.close()
    assert len(set(names)) == len(names) == 4 * len(headings), names
    # each name holds the visible format and the chart's heading
    assert all(fmt in name and headings[0] in name for fmt, name in zip(("PNG", "SVG", "HTML", "CSV"), names[:4],
                                                                        strict=True)), names[:4]
