"""The served app's warm-up and the landing page's first run: one task chart built, in the entry the page
reads, never two and never a wait on each other; and the page's HTML that preloads Plotly's JavaScript."""

import threading
from pathlib import Path

import pytest
from streamlit.file_util import get_static_dir

from dashboard.present.figures import plans_figure
from dashboard.serve import landing
from tests.conftest import run_app

HOLD = 30  # seconds: a bound on waits that end in well under one when all is right


def test_a_first_run_during_the_warm_up_takes_its_task_chart_instead_of_building_another(fresh_caches, monkeypatch):
    builds: list[str] = []
    building, release = threading.Event(), threading.Event()

    def held_build(*args, **kwargs):
        builds.append(threading.current_thread().name)
        building.set()
        release.wait(HOLD)  # the page's first run reaches the chart while the warm-up still builds it
        return plans_figure(*args, **kwargs)

    monkeypatch.setattr(landing, "plans_figure", held_build)
    warming = threading.Thread(target=landing.warm, name="warm-up")
    warming.start()
    assert building.wait(HOLD)
    threading.Timer(1.0, release.set).start()
    at = run_app()
    warming.join(HOLD)
    assert not warming.is_alive()
    assert builds == ["warm-up"]  # the page found the warm-up's entry: same key, built once
    assert len(at.get("plotly_chart")) == 1


def test_a_first_run_after_the_warm_up_builds_no_task_chart(fresh_caches, monkeypatch):
    landing.warm()

    def no_build(*args, **kwargs):
        raise AssertionError("the landing page built its task chart again")

    monkeypatch.setattr(landing, "plans_figure", no_build)
    assert len(run_app().get("plotly_chart")) == 1  # the URL with no query: the view the warm-up prepares


def test_the_page_preloads_the_plotly_chunk_streamlit_ships_once_its_own_scripts_have_loaded():
    html = landing.page_html("vi")
    assert html is not None, "Streamlit's Plotly chunk was renamed: landing.page_html finds no PlotlyChart.*.js"
    script = html.decode().split('addEventListener("load", () => {')[1].split("</script>")[0]
    assert 'link.rel = "modulepreload"' in script
    chunk = script.split('link.href = "./static/js/PlotlyChart.')[1].split('"')[0]
    assert (Path(get_static_dir()) / "static" / "js" / f"PlotlyChart.{chunk}").is_file()
    assert html.index(b"PlotlyChart.") < html.index(b"</head>")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_page_has_its_language_and_style_sheet_from_the_first_byte(lang):
    """Not once the first run reaches the browser: a screen reader reads the right language at once, and Tab
    never walks into the collapsed sidebar while the run's style sheet is on its way."""
    html = landing.page_html(lang).decode()
    assert html.count("<html ") == 1 and f'<html lang="{lang}">' in html
    head = html[: html.index("</head>")]
    assert '[data-testid="stSidebar"][data-collapsed="true"]{visibility:hidden}' in head
