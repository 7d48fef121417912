"""page: the page's HTML from autoescaped templates. Data is escaped and isolated wherever it goes,
and markup built from escaped parts (a marked quote, another template) is embedded, not escaped twice."""

from dataclasses import replace

import pytest
from markupsafe import Markup, escape

from dashboard.core.i18n import t
from dashboard.core.search import ENGLISH, Entry, Hit
from dashboard.present import page
from dashboard.present.quote_markup import diff_html, paragraphs_with_passage

HOSTILE = "<img src=x onerror=alert(1)>&amp;\"'"
SHOWN = f"<bdi>{escape(HOSTILE)}</bdi>"  # as written, isolated


@pytest.fixture
def hostile(ds):
    """The real data with a hostile publisher, quote, translation and year note on the 2024 review's
    e-government rank, and a hostile file name."""
    source = ds.sources["mic-2024"].model_copy(update={"publisher": HOSTILE, "file": HOSTILE,
                                                       "published_as_written": HOSTILE})
    obs = next(o for o in ds.observations if o.indicator == "egov-rank" and o.kind == "actual")
    obs = obs.model_copy(update={"quote": f"{HOSTILE} 71/193", "translation": {"en": HOSTILE},
                                 "year_note": {"vi": HOSTILE, "en": HOSTILE}})
    return replace(ds, sources={**ds.sources, "mic-2024": source}), obs


def test_a_quote_card_escapes_its_data_and_keeps_its_marks(hostile):
    ds, obs = hostile
    card = page.quote_card(ds, [obs], "en")
    assert isinstance(card, Markup)
    assert "<img" not in card
    assert f"<bdi>{escape(HOSTILE)} <mark>71/193</mark></bdi>" in card  # the mark is ours, not escaped again
    assert f"<div class=en lang=en>{SHOWN}</div>" in card
    assert f": {SHOWN}</div>" in card  # the year note
    assert f"· {SHOWN} ({t('publisher_not_stated', 'en')}) ·" in card  # the publisher in the source line
    assert "<div class=en" not in page.quote_card(ds, [obs], "vi")


def test_a_search_hit_marks_what_was_found_in_the_text_it_was_found_in(hostile):
    ds, _ = hostile
    entry = Entry(source="mic-2024", year=2024, position=0, text=f"{HOSTILE} x", lower="", folded="",
                  translation=f"{HOSTILE} y", indicators=("egov-rank",))
    found_in_text = page.search_hit(ds, Hit(entry, 0, ((len(HOSTILE) + 1, len(HOSTILE) + 2),)), "en", [HOSTILE])
    assert f"“<bdi>{escape(HOSTILE)} <mark>x</mark></bdi>”" in found_in_text
    assert f"<div class=en lang=en><bdi>{escape(HOSTILE)} y</bdi></div>" in found_in_text
    assert f": <b>{SHOWN}</b>" in found_in_text  # the curated indicator's name
    in_translation = page.search_hit(ds, Hit(entry, ENGLISH, ((len(HOSTILE) + 1, len(HOSTILE) + 2),)), "vi", [])
    assert f"<div class=en lang=en><bdi>{escape(HOSTILE)} <mark>y</mark></bdi></div>" in in_translation
    assert "<img" not in found_in_text + in_translation and "<b>" not in in_translation


def test_the_source_table_escapes_every_data_field(hostile):
    ds, _ = hostile
    table = page.source_table(ds.sources["mic-2024"], "en")
    assert "<img" not in table
    assert table.count(SHOWN) == 3  # publisher, file, and the date as the page states it
    assert "<th>SHA-256</th>" in table


def test_notes_headings_and_wrappers_escape_data_and_embed_markup():
    pieces = [
        page.indicator_heading(HOSTILE, HOSTILE), page.indicator_note(HOSTILE, "en"),
        page.comparability_note(HOSTILE, [HOSTILE, HOSTILE], "en"), page.data_errors([HOSTILE]),
        page.task_set(2024, Markup("<div class=task></div>"), "en"),
    ]
    assert all("<img" not in piece and SHOWN in piece for piece in pieces[:4])
    assert f"{SHOWN}, {SHOWN}</div>" in pieces[2]
    assert pieces[4].endswith("<div class=task></div>")
    assert page.word_diff(diff_html([("added", HOSTILE)])) == \
        f"<div class='quote diff' lang=vi><ins>{escape(HOSTILE)}</ins></div>"
    box = page.full_text(paragraphs_with_passage(f"{HOSTILE}\n\nb", "b"), "en")
    assert f"<p>{escape(HOSTILE)}</p>" in box and "<mark id=passage>b</mark>" in box
    assert box.startswith("<div class=fulltext lang=vi tabindex=0 role=region aria-label='Full text'>")


def test_a_derived_value_says_its_formula_as_typed_and_its_value_in_the_pages_number_format(ds):
    """The caption once read Markdown (`10*2*3` came out in italics) and printed `2000.5` on a Vietnamese page."""
    obs = next(o for o in ds.observations if o.kind == "derived")
    obs = obs.model_copy(update={"formula": "10*2*3 + 1940.5", "value": 2000.5,
                                 "derivation": {"vi": HOSTILE, "en": HOSTILE}})
    vi, en = page.derivation_note(obs, "vi"), page.derivation_note(obs, "en")
    assert "10*2*3 + 1940.5 = 2.000,5" in vi and "10*2*3 + 1940.5 = 2,000.5" in en
    assert "<em>" not in vi and "<img" not in vi and SHOWN in vi
