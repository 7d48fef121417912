"""HTML of the page's own that Streamlit has no option for, from autoescaped Jinja2 templates."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from dashboard.i18n import Lang


@cache
def _templates() -> Environment:
    return Environment(loader=PackageLoader("dashboard"), autoescape=select_autoescape(default=True))


def page_script(lang: Lang) -> str:
    """Sets <html lang>, hides chart SVGs behind their captions, keeps focus across reruns."""
    return _templates().get_template("page_script.html").render(lang=lang)
