"""text: the text rules shared by validation, search and display."""

from dashboard.cli import _bracket
from dashboard.core.text_rules import split_at_spans
from dashboard.present.quote_markup import mark_spans


def test_found_spans_are_merged_where_they_overlap_in_a_terminal_and_on_the_page_alike():
    spans = [(6, 11), (0, 4), (2, 8)]  # out of order, two overlapping
    assert split_at_spans("chinh phu dien tu", spans) == [("chinh phu d", True), ("ien tu", False)]
    assert _bracket("chinh phu dien tu", spans) == "»chinh phu d«ien tu"
    assert mark_spans("chinh phu dien tu", spans) == "<mark>chinh phu d</mark>ien tu"


def test_text_outside_any_span_is_kept_whole():
    assert split_at_spans("abc", []) == [("abc", False)]
    assert split_at_spans("abc", [(1, 2)]) == [("a", False), ("b", True), ("c", False)]
