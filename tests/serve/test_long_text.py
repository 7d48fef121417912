"""Long text wraps everywhere: a sector's name and an indicator's label with no space in them, as long as the
schema lets them be (dashboard/core/schema.py: NAME_MAX), never make a page scroll sideways, in a wide window or
on a phone. One CSS rule (page.css) wraps every data string."""

import shutil

import pytest
from playwright.sync_api import expect

from dashboard.core.i18n import t
from dashboard.core.schema import NAME_MAX
from tests.browser import expect_no_errors, goto, new_page
from tests.conftest import ROOT, index_of, read_yaml, write_yaml
from tests.serving import serve

# No space anywhere: the longest word a name may be (the were 100,000 characters, now a data error).
SECTOR = "Kinh tế số" + "Ư" * (NAME_MAX - len("Kinh tế số"))
LABEL = "Tăng trưởng" + "số" * ((NAME_MAX - len("Tăng trưởng")) // 2)
VIEWS = [("vi", 1440), ("en", 390)]

# The page (document) and Streamlit's inner scrolling block must not be wider than the window, and no element
# that shows one of the long words may reach past the window's right edge.
OVERFLOW = """([marks]) => {
  const wide = el => el.scrollWidth > el.clientWidth + 1 ? `${el.scrollWidth} > ${el.clientWidth}` : null;
  const found = [];
  for (const [name, el] of [['document', document.scrollingElement],
                            ['stMain', document.querySelector('[data-testid="stMain"]')]])
    if (wide(el)) found.push(`${name} scrolls sideways: ${wide(el)}`);
  const right = document.documentElement.clientWidth + 1;
  for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
    if (!(el instanceof HTMLElement) || !marks.some(m => [...el.childNodes].some(
      n => n.nodeType === Node.TEXT_NODE && n.textContent.includes(m)))) continue;
    const box = el.getBoundingClientRect();
    if (box.width && box.right > right) found.push(`${el.tagName}.${el.className} ends at ${Math.round(box.right)}`);
  }
  return found;
}"""


@pytest.fixture(scope="module")
def long_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("long")
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    sectors = read_yaml(root / "data" / "sectors.yaml")
    sectors[index_of(sectors, "digital-economy")]["name"] = {"vi": SECTOR, "en": SECTOR}
    write_yaml(root / "data" / "sectors.yaml", sectors)
    indicators = read_yaml(root / "data" / "indicators.yaml")
    indicators[index_of(indicators, "digital-economy-growth")]["label"] = {"vi": LABEL, "en": LABEL}
    write_yaml(root / "data" / "indicators.yaml", indicators)
    with serve(env={"DASHBOARD_DATA_DIR": str(root / "data")}, timeout=120) as url:
        yield url


@pytest.mark.parametrize("lang, width", VIEWS, ids=[f"{lang}-{width}" for lang, width in VIEWS])
@pytest.mark.parametrize("tab", ["overview", "sectors", "text"])
def test_a_long_unbroken_name_or_label_wraps(long_url, browser, lang, width, tab):
    page = new_page(browser, width, 900)
    try:
        goto(page, f"{long_url}/?lang={lang}&tab={tab}&sector=digital-economy&sector=postal")
        expect(page.get_by_role("tab", name=t(f"tab_{tab}", lang), exact=True)).to_have_attribute(
            "aria-selected", "true")
        expect(page.locator("[data-testid='stMain']")).to_contain_text(SECTOR[:40])
        expect_no_errors(page)
        marks = ["ƯƯƯƯƯƯƯƯƯƯ", "sốsốsốsốsố"]
        assert page.evaluate(OVERFLOW, [marks]) == [], page.evaluate(OVERFLOW, [marks])
    finally:
        page.context.close()
