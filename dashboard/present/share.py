"""What a link to a view tells the sites it is pasted into, and what crawlers are told: the page's description,
Open Graph and Twitter card tags, its canonical address and its other languages (`share_head`), the card image
they show (`card_spec`), `/sitemap.xml` and `/robots.txt`.

Pure functions of the dataset, the view (its language and, for a figure's own view, the figure) and the public
address the reader reached (`base`, e.g. `https://example.org`): every address in them is absolute, as Open Graph
and sitemaps require. Titles and descriptions come from the data, every figure as the report words it.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from dashboard.core import citation
from dashboard.core.compare import observations_of
from dashboard.core.data import Dataset
from dashboard.core.i18n import DEFAULT_LANG, LANGUAGES, Lang, t, title
from dashboard.core.languages import translated
from dashboard.present.cards import tasks_summary
from dashboard.present.exports import Chart, figure_spec
from dashboard.present.figures import plans_figure, value_label
from dashboard.present.page import render
from dashboard.present.url_view import view_query

CARD_SIZE = (1200, 630)  # the image size Open Graph and X's large card show without cropping
LANDING_CARD = "overview"  # /charts/overview.card.png: the landing page's task chart


def view_path(lang: Lang, figure: str | None = None) -> str:
    """The address of a view, from the site's root: `/?lang=en`, `/?figure=egov-rank&lang=en`."""
    return "/" + view_query(lang, figure)


def card_path(lang: Lang, figure: str | None = None) -> str:
    return f"/charts/{figure or LANDING_CARD}.card.png?lang={lang}"


@dataclass(frozen=True)
class Words:
    """What a preview says of a view, whatever address it is reached at."""

    title: str
    description: str
    image_alt: str
    site_name: str


def words(ds: Dataset, lang: Lang, figure: str | None) -> Words:
    """A figure's label, its figures as the report words them and its sources; else the dashboard's title and the
    task chart's summary sentence (what the landing page writes under it)."""
    site = title(lang, ds.years)
    if figure is None:
        heading, description = site, tasks_summary(ds, list(ds.sectors), lang)
    else:
        ind = ds.indicators[figure]
        observations = observations_of(ds, figure)
        heading = translated(ind.label, lang)
        values = ", ".join(t("share_value_year", lang, value=value_label(obs, ind, lang), year=obs.year)
                           for obs in observations)
        sources = "; ".join(citation.source_line(ds.sources[source], lang)
                            for source in dict.fromkeys(obs.source for obs in observations))
        description = t("share_figure_description", lang, label=heading, values=values, sources=sources)
    return Words(heading, description, t("share_image_alt", lang, title=heading), site)


def share_head(said: Words, lang: Lang, figure: str | None, base: str) -> Markup:
    """The tags for the page's <head>: <title>, description, canonical, hreflang alternates, Open Graph and Twitter
    card, every address under `base`."""
    return render(
        "share_head.html", words=said, url=base + view_path(lang, figure), image=base + card_path(lang, figure),
        image_size=CARD_SIZE, alternates=[(other, base + view_path(other, figure)) for other in LANGUAGES]
        + [("x-default", base + view_path(DEFAULT_LANG, figure))],
        locale=t("og_locale", lang), other_locales=[t("og_locale", other) for other in LANGUAGES if other != lang],
    )


def card_spec(ds: Dataset, lang: Lang, figure: str | None = None) -> dict | None:
    """The card image's figure: the indicator's chart as its PNG export draws it (title, unit, source), or the
    landing page's task chart of every sector, with its legend and the dashboard's title. None: no task set."""
    if figure is not None:
        return Chart(ds, figure, lang).spec
    fig = plans_figure(ds, list(ds.sectors), lang, legend=True)
    if fig is None:
        return None
    # The title at the top, the legend under it, clear of the first panel's heading.
    fig.update_layout(title=dict(text=title(lang, ds.years), x=0.01, xanchor="left", y=0.97, yanchor="top",
                                 yref="container", font=dict(size=22)),
                      legend=dict(y=0.89), margin=dict(t=130, l=20, r=30, b=50))
    return figure_spec(fig)


def sitemap(ds: Dataset, base: str) -> bytes:
    """Every view a crawler should know: the landing page and each figure's view, in every language, each with
    its other languages as alternates."""
    views = []
    for figure in (None, *ds.indicators):
        urls = [base + view_path(lang, figure) for lang in LANGUAGES]
        views.append({"urls": urls, "alternates": [*zip(LANGUAGES, urls, strict=True),
                                                   ("x-default", base + view_path(DEFAULT_LANG, figure))]})
    return render("sitemap.xml", views=views).encode("utf-8")


def robots(base: str) -> bytes:
    """Every crawler welcome everywhere, pointed at the sitemap."""
    return render("robots.txt", sitemap=base + "/sitemap.xml").encode("utf-8")
