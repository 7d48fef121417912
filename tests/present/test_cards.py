"""cards: what the landing page's cards show, and how many."""

import pytest
from markupsafe import escape

from dashboard.core import compare
from dashboard.core.i18n import t
from dashboard.present import cards


def test_headlines_are_capped_and_the_rest_counted():
    assert cards.capped(list(range(15)), cards.MAX_HEADLINES) == (list(range(12)), 3)
    assert cards.capped([1, 2], cards.MAX_HEADLINES) == ([1, 2], 0)


def _change(ds, indicator_id, better, old_value, new_value):
    ind = ds.indicators[indicator_id].model_copy(update={"better": better})
    old, new = compare.observations_of(ds, indicator_id)[:2]
    return compare.Change(ind, old.model_copy(update={"value": old_value}), new.model_copy(update={"value": new_value}))


@pytest.mark.parametrize("better, old, new, style", [
    ("lower", 86, 71, ("normal", "up")),     # a rank that falls has improved: green, arrow up
    ("lower", 71, 86, ("inverse", "down")),  # and one that rises has worsened: red, arrow down
    ("higher", 1, 2, ("normal", "up")),
    ("higher", 2, 1, ("inverse", "down")),
    ("neutral", 1, 2, ("off", "off")),       # no better direction: no colour, no arrow
    ("higher", 2, 2, ("off", "off")),        # no change
])
def test_a_headline_is_coloured_by_whether_it_improved_not_by_its_sign(ds, better, old, new, style):
    assert cards.delta_style(_change(ds, "egov-rank", better, old, new)) == style


def test_the_whole_passage_is_offered_only_when_it_adds_something(ds):
    short = next(s for s in ds.statements if cards.is_short(s))
    long = next(s for s in ds.statements if not cards.is_short(s))
    assert not cards.shows_more_whole([short], "vi")  # the key passage is already all of it
    assert cards.shows_more_whole([short], "en")      # the English is only in the whole
    assert cards.shows_more_whole([long], "vi")       # the key passage is cut
    assert cards.shows_more_whole([short, short], "vi")  # a second passage


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_coverage_cells_say_their_state_in_words_beside_a_symbol(ds, lang):
    postal = ds.sectors["postal"]
    assert cards.coverage_label(("numbers", 5), postal, lang) == "● " + t("coverage_numbers", lang, n=5)
    assert cards.coverage_label(("text", 0), postal, lang) == "◐ " + t("coverage_text", lang)
    nothing = cards.coverage_label(("nothing", 0), postal, lang)
    assert nothing.startswith("○ " + t("coverage_nothing", lang, terms="")[:8])
    assert "“\u2068bưu chính\u2069”" in nothing  # "not mentioned" names what was searched for


def test_a_review_silent_on_a_sector_says_what_was_searched(ds):
    said = cards.silence(ds.sectors["postal"], ds.sources["mic-2024"], "en")
    assert said.startswith("This review does not speak of this sector: searched it for “\u2068bưu chính\u2069”")


def test_a_figure_filed_under_a_year_the_report_does_not_state_says_so_on_its_card(ds):
    """The task card and "what changed" list a figure with its year: where that year is ours, its note stands there."""
    growth = [o for o in ds.observations if o.indicator == "digital-economy-growth"]
    html = cards.figure_list(ds, growth, "en")
    assert "(2024)" in html and "About the year" in html and "over a period the report does not state" in html


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_figure_of_a_what_changed_card_links_to_its_own_view_in_the_page_s_language(ds, lang):
    query = f"?figure=party-members&amp;lang={lang}"
    figures = cards.figure_list(ds, compare.observations_of(ds, "party-members"), lang)
    label = escape(ds.indicators["party-members"].label[lang])
    assert f'<a href="{query}"><bdi>{label}</bdi></a>' in figures
