"""The curation rules a bilingual fact-check asked for: dates at the precision a
source states them, nothing quoted from a page header, qualifiers in words and
tied to their own figure, and a Vietnamese page with no English on it."""

import json
import re

import pytest
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from dashboard.core import citation, search
from dashboard.core.data import DataError, load
from dashboard.core.i18n import catalogues, stated_value, t
from dashboard.core.schema import Observation
from dashboard.present.figures import indicator_figure, value_label
from tests.conftest import APP, read_yaml, write_yaml


def edit_record(data_dir, file, match, **changes):
    records = read_yaml(data_dir / file)
    record = next(r for r in records if all(r.get(k) == v for k, v in match.items()))
    record.update(changes)
    write_yaml(data_dir / file, records)


# ---------------------------------------------------------------- dates and titles


def test_the_2024_review_is_dated_by_the_month_its_page_states(ds):
    source = ds.sources["mic-2024"]
    assert source.published == "2024-12"  # the header says "date 2024-12", no day
    assert source.event_date.isoformat() == "2024-12-25" and source.event_as_written == "Sáng ngày 25/12"
    assert "2024-12-25" not in citation.source_line(source, "en")
    assert "Published 2024-12. Conference held 2024-12-25." in citation.reference(source, "en")


def test_a_day_the_page_does_not_state_is_refused(project_copy):
    edit_record(project_copy, "sources.yaml", {"id": "mic-2024"}, published="2024-12-25")
    with pytest.raises(DataError, match=r"mic-2024\) › published_as_written: does not state 2024-12-25"):
        load(project_copy)


def test_an_event_date_needs_words_in_the_body_that_give_it(project_copy):
    edit_record(project_copy, "sources.yaml", {"id": "mic-2024"}, event_as_written="ngày 26/12")
    with pytest.raises(DataError, match=r"event_as_written: does not state the day and month of 2024-12-25"):
        load(project_copy)


def test_a_photo_caption_is_never_passed_off_as_a_headline(ds):
    source = ds.sources["mic-2024"]
    assert source.title_kind == "photo_caption"
    for lang in ("vi", "en"):
        assert citation.marked_title(source, lang).endswith(f"({t('photo_caption_mark', lang)})")
    assert "[photo caption; the text has no headline]" in citation.reference(source, "en")
    assert "[chú thích ảnh; văn bản không có tiêu đề]" in citation.reference(source, "vi")
    assert citation.marked_title(ds.sources["mic-2023"], "en") == ds.sources["mic-2023"].title["en"]


# ---------------------------------------------------------------- the page header is not article text


def test_the_2024_header_is_not_glued_to_the_first_sentence(ds):
    first = min((e for e in search.build_index(ds) if e.source == "mic-2024"), key=lambda e: e.position)
    assert first.text.startswith("Dưới sự lãnh đạo, chỉ đạo của Đảng ủy Bộ TT&TT")
    assert "date 2024-12" not in ds.seed_texts["mic-2024"]


def test_nothing_may_be_quoted_from_the_page_header(project_copy):
    edit_record(project_copy, "statements.yaml", {"id": "whole-sector-2024"},
                quote="date 2024-12 Dưới sự lãnh đạo, chỉ đạo của Đảng ủy Bộ TT&TT")
    with pytest.raises(DataError, match=r"whole-sector-2024\) › quote: not found verbatim"):
        load(project_copy)


# ---------------------------------------------------------------- qualifiers


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_qualifiers_are_words_never_signs(ds, lang):
    for obs in ds.observations:
        shown = stated_value(obs, ds.indicators[obs.indicator], lang)
        assert not re.search(r"[≈>≥<≤]", shown), shown
        figure = indicator_figure(ds, obs.indicator, lang, standalone=True).to_plotly_json()
        texts = [str(v) for trace in figure["data"] for v in (trace.get("text") or [])]
        assert not any(re.search(r"[≈>≥]", text) for text in texts), texts
    words = {"vi": ["gần 2.000", "vượt 20%/năm", "trên 93%", "ít nhất 70%", "gần ba lần"],
             "en": ["nearly 2,000", "over 20%/year", "over 93%", "at least 70%", "nearly 3×"]}[lang]
    shown = {stated_value(o, ds.indicators[o.indicator], lang) for o in ds.observations}
    assert set(words) <= shown


@pytest.mark.parametrize(
    "indicator, qualifier, cue",
    [
        # each quote holds the cue, but for another figure
        ("digital-economy-growth", "nearly", "gần"),  # "gần" qualifies "ba lần", not "20%/năm"
        ("policy-communication-coverage", "over", "trên"),  # "trên" qualifies 93%, not 97,8%
        ("laws-passed", "over", "vượt"),
        ("party-members", "exact", "gần"),  # "gần 2.000" is not exactly 2,000
    ],
)
def test_a_qualifier_must_qualify_its_own_figure(project_copy, indicator, qualifier, cue):
    edit_record(project_copy, "observations.yaml", {"indicator": indicator}, qualifier=qualifier)
    with pytest.raises(DataError, match=rf"\({indicator} \d+\) › qualifier: "):
        load(project_copy)


ESTIMATE = {"indicator": "party-members", "year": 2025, "value": 25_000_000, "kind": "estimate",
            "as_written": "25 triệu", "scale": "million",
            "source": "mic-2024", "quote": "Năm 2025, số thuê bao ước đạt khoảng 25 triệu",
            "translation": {"en": "In 2025 subscribers are estimated at about 25 million"}}


def test_khoang_is_about_either_side_not_nearly(ds):
    """"khoảng" is about (either side of the figure), "gần" nearly (just under): a reader is told which."""
    with pytest.raises(ValueError, match="'nearly' but none of gần"):
        Observation.model_validate(ESTIMATE | {"qualifier": "nearly"})
    obs = Observation.model_validate(ESTIMATE | {"qualifier": "about"})
    members = ds.indicators["party-members"]
    assert value_label(obs, members, "en") == "about 25 million (estimate)"  # the scale in English words
    assert value_label(obs, members, "vi") == "khoảng 25 triệu (ước tính)"  # the report's own words


def test_the_cue_is_the_reports_own_word(ds):
    cues = {o.indicator: o.cue for o in ds.observations if o.qualifier != "exact"}
    assert cues == {"online-public-service-use": "ít nhất", "party-members": "gần", "digital-economy-growth": "vượt",
                    "digital-economy-growth-vs-gdp": "gần", "harmful-content-removal": "trên"}


# ---------------------------------------------------------------- one language per page


def _strings(message: Message):
    for _, value in message.ListFields():
        values = [value] if isinstance(value, (str, bytes, Message)) or not hasattr(value, "__iter__") else value
        for item in values:
            if isinstance(item, Message):
                yield from _strings(item)
            elif isinstance(item, str):
                yield item


def page_text(at: AppTest) -> str:
    """Every string the page sends the browser, and every cell and column of its tables."""
    parts = []
    for node in at._tree.children.values():
        for element in _walk(node):
            proto = getattr(element, "proto", None)
            if isinstance(proto, Message):
                parts += _strings(proto)
            if element.type in ("arrow_data_frame", "dataframe"):
                frame = element.value
                parts += [str(c) for c in frame.columns] + [str(v) for v in frame.to_numpy().ravel()]
    return "\n".join(parts)


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def english_only(ds) -> list[str]:
    """Phrases that appear only on an English page: interface text and the data's English fields."""
    phrases = []
    vietnamese = catalogues()["vi"]
    for key, english in catalogues()["en"].items():
        for chunk in re.split(r"\{[^}]*\}", english):
            chunk = chunk.strip(" .,:;()…—-·")
            if len(chunk.split()) >= 2 and chunk not in vietnamese.get(key, ""):
                phrases.append(chunk)
    for record in [*ds.sources.values(), *ds.sectors.values(), *ds.indicators.values(), *ds.observations,
                   *ds.statements, *ds.exclusions, *ds.plans]:
        for _, value in record:
            if isinstance(value, dict) and len(value.get("en", "").split()) >= 2:
                phrases.append(value["en"])
    return phrases


@pytest.mark.parametrize("tab", ["overview", "sectors", "text", "data", "sources"])
def test_a_vietnamese_page_has_no_english_on_it(ds, tab):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["tab"] = tab
    at.query_params["q"] = "chính phủ điện tử"
    at.run()
    assert not at.exception
    shown = page_text(at)
    found = [phrase for phrase in english_only(ds) if phrase in shown]
    assert not found, found[:5]


def test_search_results_name_the_source_in_the_pages_language(ds):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["lang"] = "en"
    at.query_params["q"] = "tăng 15 bậc"
    at.run()
    bodies = " ".join(h.proto.body for h in at.get("html"))
    assert ds.sources["mic-2024"].title["en"] in bodies
    assert ds.sources["mic-2024"].title["vi"] not in bodies


def test_the_full_text_dialog_names_the_source_in_the_pages_language(ds):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["lang"] = "en"
    at.query_params["tab"] = "sectors"
    at.query_params["sector"] = "digital-transformation"
    at.run()
    before = len(at.get("html"))
    next(b for b in at.button if b.key and b.key.startswith("full-egov-rank")).click().run()
    dialog = " ".join(h.proto.body for h in at.get("html")[before:])
    assert ds.sources["mic-2024"].title["en"] in dialog or ds.sources["mic-2024"].title["en"] in json.dumps(
        [h.proto.body for h in at.get("html")], ensure_ascii=False)
    assert f"<b>{ds.sources['mic-2024'].title['vi']}" not in " ".join(h.proto.body for h in at.get("html"))


# ---------------------------------------------------------------- issue 19: checks the load makes


def test_a_figure_whose_quote_states_no_year_needs_a_year_note(project_copy):
    edit_record(project_copy, "observations.yaml", {"indicator": "harmful-content-removal"}, year_note=None)
    with pytest.raises(DataError, match=r"harmful-content-removal 2024\) › year_note: the quote states no year 2024"):
        load(project_copy)


def test_one_sentence_has_one_translation(project_copy):
    edit_record(project_copy, "plans.yaml", {"id": "party-committees-leading-role-2024"},
                outcome_translation={"en": "Under the Committee's leadership the sector completed well every task."})
    with pytest.raises(DataError, match=r"party-committees-leading-role-2024\) › outcome_translation\.en: the same "
                                        r"quote is translated otherwise in data/statements\.yaml"):
        load(project_copy)


def test_what_an_outcome_note_quotes_stands_in_the_reviews(project_copy):
    note = {"vi": "Câu gần nhất là “ứng dụng số được phổ cập”.", "en": "The nearest sentence."}
    edit_record(project_copy, "plans.yaml", {"id": "digital-applications-economy-2024"}, outcome_note=note)
    with pytest.raises(DataError, match=r"outcome_note\.vi: “ứng dụng số được phổ cập” is not found verbatim"):
        load(project_copy)



def test_a_publisher_the_text_does_not_name_says_so(ds, project_copy):
    for lang in ("vi", "en"):
        assert t("publisher_not_stated", lang) in citation.source_line(ds.sources["mic-2024"], lang)
        assert t("publisher_not_stated", lang) in citation.reference(ds.sources["mic-2024"], lang)
        assert t("publisher_not_stated", lang) not in citation.source_line(ds.sources["mic-2023"], lang)
    edit_record(project_copy, "sources.yaml", {"id": "mic-2024"}, publisher_as_written="(Mic.gov.vn)")
    with pytest.raises(DataError, match=r"mic-2024\) › publisher_as_written: not found in the seed"):
        load(project_copy)
