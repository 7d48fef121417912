"""The pure builders and helpers behind the page: figures, number formatting,
comparisons, the URL view and quote marking. No Streamlit here."""

import dataclasses
import html
import json
import re
from urllib.parse import parse_qs, urlencode

import plotly.tools
import pytest

from dashboard.core import changes, compare
from dashboard.core.data import load
from dashboard.core.i18n import catalogues, number, ordinal, quantity, t
from dashboard.core.languages import translated
from dashboard.core.search import MAX_QUERY
from dashboard.core.text_rules import isolate, states_fraction
from dashboard.present.figures import PATTERNS, SharedFigure, category, change_label, indicator_figure, year_colour
from dashboard.present.quote_markup import diff_html, figures_as_written, mark, md_escape, paragraphs_with_passage
from dashboard.present.url_view import MAX_SHOWN, View, parse_view
from tests.conftest import read_yaml, write_yaml

LANGS = ("vi", "en")


# ---------------------------------------------------------------- helpers


def placeholder(fig):
    """The invisible first trace that keeps every slot on the axis."""
    return fig.data[0]


def drawn(fig):
    """The traces a reader sees: everything but the invisible slot keeper."""
    return [tr for tr in fig.data if tr is not placeholder(fig)]


def trace_at(fig, x):
    found = [tr for tr in drawn(fig) if list(tr.x) == [x]]
    assert len(found) == 1, f"expected one trace at {x!r}, found {len(found)}"
    return found[0]


def plain(text: str) -> str:
    """Plotly's pseudo-HTML as a reader sees it: tags and (invisible) isolate marks dropped, entities decoded,
    spaces folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", re.sub("[\u2068\u2069]", "", text))).split())


def annotation_texts(fig):
    return [plain(a.text) for a in fig.layout.annotations]


def trace_colour(tr) -> str:
    """The year's colour a trace carries: a target bar is white, its pattern is coloured."""
    if tr.type == "bar" and tr.marker.pattern.shape == PATTERNS["target"]:
        return tr.marker.pattern.fgcolor
    return tr.marker.color


def observation(ds, indicator, year, kind):
    found = [o for o in ds.observations if (o.indicator, o.year, o.kind) == (indicator, year, kind)]
    assert len(found) == 1
    return found[0]


# ---------------------------------------------------------------- figures: traces and values


def test_egov_rank_has_the_derived_2022_and_the_actual_2024(ds):
    fig = indicator_figure(ds, "egov-rank", "en")
    assert sorted(tr.x[0] for tr in drawn(fig)) == ["2022", "2024"]
    derived, actual = trace_at(fig, "2022"), trace_at(fig, "2024")
    assert list(derived.y) == [86] and list(actual.y) == [71]
    assert list(actual.text) == ["71/193"]
    assert "derived" in derived.text[0] and "86" in derived.text[0]
    # drawn unlike an actual
    assert derived.marker.symbol != actual.marker.symbol


@pytest.mark.parametrize("lang", LANGS)
def test_the_derived_value_explains_its_formula_on_hover(ds, lang):
    derived = trace_at(indicator_figure(ds, "egov-rank", lang), "2022")
    hover = derived.hovertext[0]
    assert "71 + 15" in hover and "= 86" in hover
    assert t("derived_how", lang) in hover
    actual = trace_at(indicator_figure(ds, "egov-rank", lang), "2024")
    assert "71 + 15" not in actual.hovertext[0]


@pytest.mark.parametrize("lang", LANGS)
def test_rank_axis_is_reversed_and_says_lower_is_better(ds, lang):
    for indicator in ("egov-rank", "cybersecurity-rank"):
        fig = indicator_figure(ds, indicator, lang)
        top, bottom = fig.layout.yaxis.range[1], fig.layout.yaxis.range[0]
        assert bottom > top, indicator  # rank 1 at the top
        assert bottom >= 193 if indicator == "egov-rank" else bottom >= 194  # the whole field fits
        assert fig.layout.yaxis.title.text == t("unit_rank", lang)
    assert "lower is better" in t("unit_rank", "en") and "càng thấp càng tốt" in t("unit_rank", "vi")


def test_other_axes_start_at_zero_and_go_up(ds):
    fig = indicator_figure(ds, "vietnamese-value-share", "en")
    low, high = fig.layout.yaxis.range
    assert low == 0 and high > 28.7
    assert fig.layout.yaxis.title.text == "Share (%)"


@pytest.mark.parametrize("lang", LANGS)
def test_online_services_target_has_its_own_patterned_slot_and_no_actual(ds, lang):
    fig = indicator_figure(ds, "online-public-service-use", lang)
    target_slot = f"2024 ({t('target', lang)})"
    assert list(fig.layout.xaxis.categoryarray) == ["2023", "2024", target_slot]
    assert [tr.x[0] for tr in drawn(fig)] == [target_slot]  # nothing in the actual 2023 or 2024 slots
    target = trace_at(fig, target_slot)
    assert list(target.y) == [70]
    assert target.marker.pattern.shape == PATTERNS["target"] and target.marker.pattern.shape
    assert target.marker.color == "white"  # hollow: not filled like an actual
    assert t("target", lang) in target.text[0]
    notes = [a for a in fig.layout.annotations if plain(a.text) == t("not_reported", lang)]
    # one note in each actual slot, placed by slot index
    assert sorted(fig.layout.xaxis.categoryarray[int(a.x)] for a in notes) == ["2023", "2024"]


@pytest.mark.parametrize("lang, word", [("en", "not reported"), ("vi", "không báo cáo")])
def test_years_without_a_figure_are_marked_not_reported(ds, lang, word):
    for ind in ds.indicators:
        fig = indicator_figure(ds, ind, lang)
        order = list(fig.layout.xaxis.categoryarray)
        marked = sorted(order[int(a.x)] for a in fig.layout.annotations if plain(a.text) == word)
        assert marked == [str(y) for y in compare.unreported_years(ds, ind)], ind
    notes = annotation_texts(indicator_figure(ds, "party-members", lang))
    assert word in notes  # 2023 only: the 2024 review gives no count


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("indicator", [
    "laws-passed", "vietnamese-value-share", "online-public-service-use", "party-members", "egov-rank",
    "cybersecurity-rank", "digital-economy-growth", "digital-economy-growth-vs-gdp", "thematic-resolutions",
])
def test_nothing_is_drawn_where_there_is_no_observation(ds, indicator, lang):
    fig = indicator_figure(ds, indicator, lang)
    observations = compare.observations_of(ds, indicator)
    assert observations, "the test needs observations to compare with"
    keeper = placeholder(fig)
    assert keeper.marker.opacity == 0 and keeper.hoverinfo == "skip" and keeper.text is None
    # every visible mark sits in the slot of one observation, with its value
    drawn_points = sorted((str(x), float(y)) for tr in drawn(fig) for x, y in zip(tr.x, tr.y, strict=True))
    observed = sorted((category(o, lang), o.value) for o in observations)
    assert drawn_points == observed
    for year in compare.unreported_years(ds, indicator):
        assert str(year) not in {x for tr in drawn(fig) for x in tr.x}


def test_every_indicator_draws_all_its_observations(ds):
    for ind in ds.indicators:
        for lang in LANGS:
            fig = indicator_figure(ds, ind, lang)
            assert len(drawn(fig)) == len(compare.observations_of(ds, ind)), ind


# ---------------------------------------------------------------- figures: labels and locale


@pytest.mark.parametrize(
    "indicator, slot, lang, label",
    [
        ("digital-economy-growth", "2024", "en", "over 20%/year"),
        ("digital-economy-growth", "2024", "vi", "vượt 20%/năm"),
        ("party-members", "2023", "en", "nearly 2,000"),
        ("party-members", "2023", "vi", "gần 2.000"),
        ("vietnamese-value-share", "2023", "vi", "28,7%"),
        ("vietnamese-value-share", "2023", "en", "28.7%"),
        ("harmful-content-removal", "2024", "en", "over 93%"),
        ("harmful-content-removal", "2024", "vi", "trên 93%"),
        ("digital-economy-growth-vs-gdp", "2024", "vi", "gần ba lần"),
        ("cybersecurity-rank", "2024", "vi", "17/194"),
        ("egov-rank", "2022", "vi", "thứ 86 (suy ra)"),
        ("egov-rank", "2022", "en", "86th (derived)"),
    ],
)
def test_labels_keep_the_qualifier_and_the_locale(ds, indicator, slot, lang, label):
    tr = trace_at(indicator_figure(ds, indicator, lang), slot)
    assert list(tr.text) == [label]
    assert label in tr.hovertext[0]


def test_separators_follow_the_language(ds):
    assert indicator_figure(ds, "party-members", "vi").layout.separators == ",."
    assert indicator_figure(ds, "party-members", "en").layout.separators == ".,"


@pytest.mark.parametrize("lang, text", [("en", "up 15 places"), ("vi", "tăng 15 bậc")])
def test_egov_rank_says_how_many_places_it_rose(ds, lang, text):
    notes = annotation_texts(indicator_figure(ds, "egov-rank", lang))
    change = [n for n in notes if n.startswith(t("change", lang))]
    assert change == [f"{t('change', lang)} 2022→2024: {text}"]


def test_a_single_year_gets_no_change_note(ds):
    for indicator in ("digital-economy-growth", "party-members", "online-public-service-use"):
        for lang in LANGS:
            notes = annotation_texts(indicator_figure(ds, indicator, lang))
            assert not [n for n in notes if n.startswith(t("change", lang))], indicator


def test_change_labels_for_other_movements(ds):
    ind = ds.indicators["egov-rank"]
    old = observation(ds, "egov-rank", 2022, "derived")
    worse = compare.Change(ind, old, old.model_copy(update={"year": 2025, "value": 89}))
    assert change_label(worse, "en") == "down 3 places"
    assert change_label(worse, "vi") == "giảm 3 bậc"
    assert worse.improved is False
    share = ds.indicators["vietnamese-value-share"]
    before = observation(ds, "vietnamese-value-share", 2023, "actual")
    after = before.model_copy(update={"year": 2024, "value": 30.2})
    assert change_label(compare.Change(share, before, after), "en") == "+1.5 pp (+5.23%)"
    assert change_label(compare.Change(share, before, after), "vi") == "+1,5 điểm % (+5,23 %)"
    growth = ds.indicators["digital-economy-growth"]
    over = observation(ds, "digital-economy-growth", 2024, "actual")  # "vượt 20%"
    later = over.model_copy(update={"year": 2025, "value": 25, "qualifier": "exact"})
    assert change_label(compare.Change(growth, over, later), "en").startswith("≈ +5 pp")


def test_an_unchanged_rank_is_not_called_a_fall(ds):
    ind = ds.indicators["egov-rank"]
    now = observation(ds, "egov-rank", 2024, "actual")
    same = compare.Change(ind, now, now.model_copy(update={"year": 2025}))
    assert same.improved is None
    for lang, words in (("en", ("down", "up")), ("vi", ("giảm", "tăng"))):
        label = change_label(same, lang)
        assert not any(word in label for word in words), label  # neither a fall nor a rise


# ---------------------------------------------------------------- figures: standalone frame


@pytest.mark.parametrize("lang", LANGS)
def test_standalone_figure_carries_title_unit_source_and_date(ds, lang):
    fig = indicator_figure(ds, "egov-rank", lang, standalone=True)
    ind, source = ds.indicators["egov-rank"], ds.sources["mic-2024"]
    title = fig.layout.title.text
    label = translated(ind.label, lang)
    sector = translated(ds.sectors[ind.sector].name, lang)
    assert f"<b>{isolate(label)}</b>" in title  # data isolated from our words (a U+202E cannot reach them)
    subtitle = re.search(r"<sup>(.*)</sup>", title).group(1)
    assert plain(subtitle) == f"{sector} · {t('unit_rank', lang)}"
    footer = [n for n in annotation_texts(fig) if n.startswith(t("source", lang))]
    assert len(footer) == 1
    assert translated(source.title, lang) in footer[0]
    assert t("photo_caption_mark", lang) in footer[0]  # the 2024 "title" is a photo caption, and says so
    # published in a month the page states; the conference day is not a publication date
    assert t("published_on", lang, date="2024-12") in plain(footer[0]) and "2024-12-25" not in footer[0]
    assert source.publisher in footer[0]
    assert "71 + 15 = 86" in footer[0]  # the derived value explains itself off the page too
    assert (fig.layout.width, fig.layout.height) == (1000, 600)


def test_standalone_notes_a_measure_that_is_not_one_series(ds):
    footer = " ".join(annotation_texts(indicator_figure(ds, "thematic-resolutions", "en", standalone=True)))
    assert "Not one series: These are Party documents" in footer
    assert "published 2024-12" in footer


def test_page_figure_has_no_frame(ds):
    fig = indicator_figure(ds, "egov-rank", "en")
    assert fig.layout.title.text is None
    assert not [n for n in annotation_texts(fig) if n.startswith("Source")]


def test_data_text_is_escaped_in_the_frame(ds, project_copy):
    indicators = read_yaml(project_copy / "indicators.yaml")
    egov = next(i for i in indicators if i["id"] == "egov-rank")
    egov["label"]["en"] = "E-gov <b>rank</b> & <script>x</script>"
    write_yaml(project_copy / "indicators.yaml", indicators)
    fig = indicator_figure(load(project_copy), "egov-rank", "en", standalone=True)
    assert "&lt;script&gt;" in fig.layout.title.text and "<script>" not in fig.layout.title.text
    assert "&amp;" in fig.layout.title.text


# ---------------------------------------------------------------- figures: colours


def test_each_year_has_one_colour_in_every_figure(ds):
    colours: dict[int, set[str]] = {}
    for ind in ds.indicators:
        for lang in LANGS:
            for tr in drawn(indicator_figure(ds, ind, lang)):
                colours.setdefault(int(tr.x[0][:4]), set()).add(trace_colour(tr))
    assert set(colours) == {2022, 2023, 2024}
    assert all(len(c) == 1 for c in colours.values()), colours
    assert colours[2023] == {year_colour(2023)} and colours[2024] == {year_colour(2024)}
    assert len({next(iter(c)) for c in colours.values()}) == 3  # years are told apart


def test_every_year_of_three_decades_has_a_colour_of_its_own():
    """The palette once came round again after six years: 2029 was drawn as 2023."""
    years = range(2011, 2041)
    assert len({year_colour(y) for y in years}) == len(years)
    assert year_colour(2023) == "#E69F00" and year_colour(2024) == "#0072B2"  # the colours readers know


# ---------------------------------------------------------------- i18n.quantity


@pytest.mark.parametrize(
    "args, expected",
    [
        ((71, "rank", "en", "exact", 193), "71/193"),
        ((71, "rank", "vi", "exact", 193), "71/193"),
        ((1500, "rank", "vi", "exact", 2000), "1.500/2.000"),
        ((86, "rank", "en"), "86th"),
        ((86, "rank", "vi"), "thứ 86"),
        ((2000, "count", "vi", "nearly"), "gần 2.000"),
        ((2000, "count", "en", "nearly"), "nearly 2,000"),
        ((28.7, "percent", "vi"), "28,7 %"),
        ((28.7, "percent", "en"), "28.7%"),
        ((20, "percent_per_year", "en", "over"), "over 20%/year"),
        ((20, "percent_per_year", "vi", "over"), "trên 20 %/năm"),
        ((70, "percent", "en", "at_least"), "at least 70%"),
        ((70, "percent", "vi", "at_least"), "ít nhất 70 %"),
        ((3, "times", "en", "nearly"), "nearly 3×"),
        ((3, "times", "vi", "nearly"), "gần 3 lần"),
        ((1234567.5, "count", "vi"), "1.234.567,5"),
        ((1234567.5, "count", "en"), "1,234,567.5"),
        ((17, "count", "en"), "17"),
    ],
)
def test_quantity(args, expected):
    assert quantity(*args) == expected


@pytest.mark.parametrize(
    "n, expected",
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"),
     (21, "21st"), (22, "22nd"), (71, "71st"), (101, "101st"), (111, "111th"), (112, "112th")],
)
def test_english_ordinals(n, expected):
    assert ordinal(n, "en") == expected
    assert quantity(n, "rank", "en") == expected


def test_number_formats_drop_needless_decimals():
    assert number(86.0, "en") == "86"
    assert number(97.8, "vi") == "97,8"


def test_every_interface_text_exists_in_both_languages():
    """The same keys in each is checked at load (tests/test_i18n.py); here, none of them left empty."""
    assert list(catalogues()) == ["vi", "en"]
    for lang, texts in catalogues().items():
        # A number with no unit after it (a count) has an empty suffix.
        empty = [key for key, text in texts.items() if not text and key != "unit_suffix_count"]
        assert not empty, (lang, empty)


# ---------------------------------------------------------------- compare


def test_word_diff_finds_what_the_party_building_passage_added_and_dropped(ds):
    [repeated] = compare.repeated_passages(ds, "party-building")
    assert (repeated.old.id, repeated.new.id) == ("party-building-2023", "party-building-2024")
    old, new, segments = repeated.old.quote, repeated.new.quote, repeated.segments
    dropped = " ".join(text for op, text in segments if op == "dropped").split()
    added = " ".join(text for op, text in segments if op == "added").split()
    assert "hơn," in dropped  # "nhận thức đầy đủ hơn" became "nhận thức đầy đủ"
    assert "nội" in added  # "công tác chính trị nội bộ" is new in 2024
    assert "chính" not in dropped and "Đảng" not in added  # shared words are not flagged
    # the segments rebuild both passages exactly
    assert " ".join(text for op, text in segments if op != "added").split() == old.split()
    assert " ".join(text for op, text in segments if op != "dropped").split() == new.split()


def test_word_diff_of_unrelated_passages_is_none(ds):
    old, new = changes.review_sides(ds, "institutions")
    assert compare.word_diff(old.passages[0].quote, new.passages[0].quote) is None
    assert compare.word_diff("a b c d", "a b c d") == [("same", "a b c d")]


def test_coverage_states(ds):
    matrix = compare.coverage(ds, list(ds.sectors))
    assert list(matrix.columns) == [2023, 2024]
    assert list(matrix.index) == list(ds.sectors)
    assert matrix.loc["institutions", 2023] == ("numbers", (("actual", 5),))
    assert matrix.loc["institutions", 2024] == ("text", ())
    assert matrix.loc["postal", 2023] == ("text", ())
    assert matrix.loc["postal", 2024] == ("nothing", ())
    assert matrix.loc["party-building", 2023] == ("numbers", (("actual", 3),))
    assert matrix.loc["party-building", 2024] == ("numbers", (("actual", 1),))
    # A target and a derived value are counted apart from the figures a review reports.
    assert matrix.loc["digital-transformation", 2023] == ("numbers", (("target", 1),))
    assert matrix.loc["digital-transformation", 2024] == ("numbers", (("actual", 1), ("derived", 1)))
    # The review of 2023 speaks of the digital economy only in a task it sets: that is text, not silence.
    assert matrix.loc["digital-economy", 2023] == ("text", ())
    assert list(compare.coverage(ds, ["postal"]).index) == ["postal"]


def test_latest_change_needs_two_stated_years(ds):
    change = compare.latest_change(ds, ds.indicators["egov-rank"])
    assert (change.old.year, change.new.year, change.delta, change.improved) == (2022, 2024, -15, True)
    assert change.percent_bounds is None  # places, not percent, for ranks
    # a target is not a stated figure: no change from the 2024 target
    assert compare.latest_change(ds, ds.indicators["online-public-service-use"]) is None
    assert [c.indicator.id for c in compare.changes(ds, list(ds.sectors))] == ["egov-rank"]


def test_a_year_with_an_actual_and_a_derived_figure_is_one_year(ds):
    """A derived figure beside an actual one of the same year is no second year to compare with."""
    actual = next(o for o in ds.observations if o.indicator == "egov-rank" and o.year == 2024)
    derived = actual.model_copy(update={"kind": "derived", "formula": "71", "derivation": {"vi": "x", "en": "x"}})
    both = dataclasses.replace(ds, observations=[*ds.observations, derived])
    change = compare.latest_change(both, both.indicators["egov-rank"])
    assert (change.old.year, change.new.year) == (2022, 2024)
    assert change.new.kind == "actual"


@pytest.mark.parametrize(
    "text, numerator, denominator, stated",
    [("71/193", 71, 193, True), ("1.500/2.000", 1500, 2000, True), ("1.500/2.000", 500, 2, False),
     ("17 / 194", 17, 194, True), ("28,5/100", 28.5, 100, True)],
)
def test_fractions_are_read_as_the_reports_write_numbers(text, numerator, denominator, stated):
    assert states_fraction(text, numerator, denominator) is stated


# ---------------------------------------------------------------- state.parse_view

SECTORS = ["institutions", "postal", "digital-economy", "party-building"]


def test_no_params_is_the_default_view():
    assert parse_view({}, SECTORS) == View()


def test_a_good_link_is_read():
    view = parse_view({"lang": ["en"], "sector": ["digital-economy"], "tab": ["sectors"]}, SECTORS)
    assert (view.lang, view.sectors, view.tab, view.rejected) == ("en", ("digital-economy",), "sectors", ())


def test_unknown_sector_is_dropped_and_reported():
    view = parse_view({"sector": ["nope", "postal"]}, SECTORS)
    assert view.sectors == ("postal",)
    assert view.rejected == (("unknown_sectors", ("nope",)),)


@pytest.mark.parametrize("value", ["xx", "fr", "", "vi-VN", "english"])
def test_bad_lang_falls_back_to_vietnamese(value):
    view = parse_view({"lang": [value]}, SECTORS)
    assert view.lang == "vi"
    assert view.rejected == (("unknown_lang", (value.lower(),)),)


def test_lang_is_read_loosely():
    assert parse_view({"lang": [" EN "]}, SECTORS) == View(lang="en")


def test_repeated_lang_keeps_the_first_valid_and_reports_the_rest():
    view = parse_view({"lang": ["xx", "en", "vi"]}, SECTORS)
    assert view.lang == "en"
    assert view.rejected == (("unknown_lang", ("xx", "vi")),)


def test_comma_separated_and_repeated_sectors():
    view = parse_view({"sector": ["party-building,postal", " digital-economy ", "postal,,"]}, SECTORS)
    assert view.sectors == ("postal", "digital-economy", "party-building")  # in the page's order, once each
    assert view.rejected == ()


def test_unknown_keys_are_reported_not_fatal():
    view = parse_view({"lang": ["en"], "utm_source": ["x"], "foo": [""]}, SECTORS)
    assert view.lang == "en"
    assert view.rejected == (("unknown_params", ("utm_source", "foo")),)


def test_very_long_values_are_shortened_in_notices():
    long = "x" * 5000
    view = parse_view({"lang": [long], "sector": [long], long: ["1"], "q": [long]}, SECTORS)
    assert view == View(query="x" * MAX_QUERY, rejected=view.rejected)
    shown = [v for _, values in view.rejected for v in values]
    assert {key for key, _ in view.rejected} == {"unknown_lang", "unknown_sectors", "unknown_params", "query_trimmed"}
    assert shown and all(len(v) <= MAX_SHOWN and v.endswith("…") for v in shown)


@pytest.mark.parametrize(
    "value",
    [
        "kinh-tế-số",  # Vietnamese, not an id
        "ｄｉｇｉｔａｌ－ｅｃｏｎｏｍｙ",  # full-width look-alike
        "digital\u200b-economy",  # zero-width space
        "\u202edigital-economy",  # right-to-left override
        "digital-economy\x00",  # NUL
        "postal\n",  # a trailing newline is whitespace: accepted
        "🇻🇳",
        "\ud800",  # a lone surrogate
        "<script>alert(1)</script>",
        "e\u0301",  # combining accent
    ],
)
def test_unusual_unicode_never_raises_and_never_sneaks_in(value):
    view = parse_view({"sector": [value], "lang": [value], value: ["x"]}, SECTORS)
    assert view.lang == "vi"
    assert set(view.sectors) <= {"postal"}
    assert view.sectors == (("postal",) if value == "postal\n" else ())
    for _, values in view.rejected:
        for shown in values:
            assert shown.isprintable() and len(shown) <= MAX_SHOWN


def test_tab_and_query():
    assert parse_view({"tab": ["SECTORS"]}, SECTORS).tab == "sectors"
    bad = parse_view({"tab": ["nope"]}, SECTORS)
    assert bad.tab == "overview" and bad.rejected == (("unknown_tab", ("nope",)),)
    two = parse_view({"q": ["chinh  phu", "other"]}, SECTORS)
    assert two.query == "chinh phu" and two.rejected == (("query_trimmed", ("chinh  phu",)),)


def test_a_view_survives_a_round_trip_through_a_url():
    view = View(lang="en", sectors=("postal", "party-building"), tab="sectors", query="chinh phu")
    url = urlencode(view.to_params(), doseq=True)
    assert parse_view(parse_qs(url), SECTORS) == view
    assert View().to_params() == {}  # the default view is the bare address


# ---------------------------------------------------------------- quotes


def test_mark_escapes_before_it_marks():
    out = mark("<script>alert('x')</script> đứng thứ 71/193 quốc gia", ["71/193"])
    assert out == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; đứng thứ <mark>71/193</mark> quốc gia"
    assert "<script>" not in out


def test_mark_marks_every_occurrence_longest_first_and_escapes_inside_the_mark():
    assert mark("71/193 and 71", ["71", "71/193"]) == "<mark>71/193</mark> and <mark>71</mark>"
    assert mark("Bộ TT&TT", ["TT&TT"]) == "Bộ <mark>TT&amp;TT</mark>"
    assert mark("a <b> c", ["<b>"]) == "a <mark>&lt;b&gt;</mark> c"


def test_mark_without_phrases_only_escapes_and_folds():
    assert mark("a  &\n b", []) == "a &amp; b"
    assert mark("a b", ["  "]) == "a b"
    assert mark("**bold** $x$ :red[y]", ["zzz"]) == "**bold** $x$ :red[y]"  # st.html reads no Markdown


def test_quote_figures_are_marked_as_written(ds):
    actual = observation(ds, "egov-rank", 2024, "actual")
    derived = observation(ds, "egov-rank", 2022, "derived")
    assert figures_as_written(actual) == ["71/193"]
    assert sorted(figures_as_written(derived)) == ["15", "71"]
    marked = mark(actual.quote, figures_as_written(actual) + figures_as_written(derived))
    assert "<mark>71/193</mark>" in marked and "<mark>15</mark>" in marked
    assert "<mark>2022</mark>" not in marked
    share = observation(ds, "vietnamese-value-share", 2023, "actual")
    assert "<mark>28,7%</mark>" in mark(share.quote, figures_as_written(share))


def test_diff_and_full_text_are_escaped():
    assert diff_html([("same", "a<b"), ("added", "&"), ("dropped", "x")]) == \
        "<span>a&lt;b</span> <ins>&amp;</ins> <del>x</del>"
    page = paragraphs_with_passage("one <i>\n\ntwo 71/193 three", "71/193")
    assert page == "<p>one &lt;i&gt;</p>\n<p>two <mark id=passage>71/193</mark> three</p>"


def test_every_quote_is_marked_once_in_its_full_report(ds):
    for record in [*ds.observations, *ds.statements]:
        page = paragraphs_with_passage(ds.report_text(record.source), record.quote)
        assert page.count("<mark") == 1 and page.count("<mark id=passage>") == 1, record


def test_md_escape_shows_markdown_as_written():
    assert md_escape("E-gov (UN) *1*") == isolate(r"E\-gov \(UN\) \*1\*")


def test_a_shared_figure_cannot_be_changed_and_streamlit_reads_a_copy_of_its_own(ds):
    """One figure serves every session (st.cache_resource): a session that edits what it was given must not
    change what the next one sees. Streamlit reads it through plotly.tools, as tested here; a Plotly or
    Streamlit upgrade that reads it otherwise fails this test, not a reader's chart."""
    built = indicator_figure(ds, "egov-rank", "en")
    shared = SharedFigure(built)
    with pytest.raises(AttributeError):
        shared.layout = {}
    given = plotly.tools.return_figure_from_figure_or_data(shared, validate_figure=True)
    given["layout"]["height"] = 1
    again = plotly.tools.return_figure_from_figure_or_data(shared, validate_figure=True)
    assert again == json.loads(built.to_json()) and again["layout"].get("height") != 1


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_bar_and_marker_stands_out_from_the_page_by_its_outline(ds):
    """WCAG 1.4.11: a graphical object needs 3:1 against what is around it; the orange of 2023 is 2:1 on
    white, so the outline carries the contrast."""
    for ind in ds.indicators:
        for tr in drawn(indicator_figure(ds, ind, "en")):
            outline = tr.marker.line.color
            assert (1.05) / (_luminance(outline) + 0.05) >= 3, (ind, tr.x, outline)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_an_exported_charts_excerpt_holds_its_figures(ds, lang):
    """Every chart's footer quotes each stated figure it draws (the harmful-content footer once stopped
    before "trên 93%")."""
    for indicator in ds.indicators:
        fig = indicator_figure(ds, indicator, lang, standalone=True)
        footer = re.sub("[\u2066-\u2069]", "", fig.layout.annotations[-1].text.replace("<br>", " "))
        for obs in ds.observations_by_indicator[indicator]:
            if obs.kind != "derived":
                assert all(figure in footer for figure in figures_as_written(obs)), (obs.key, footer)
