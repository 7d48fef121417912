"""state: the tabs, found again from the label the tab widget gives back."""

import pytest

from dashboard.core.i18n import LANGUAGES
from dashboard.present.url_view import TABS, tab_labels, tab_of_label


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_tab_is_found_by_its_label_in_each_language(lang):
    labels = tab_labels(lang)
    assert list(labels) == list(TABS)
    assert len(set(labels.values())) == len(TABS)  # no two tabs share a label
    assert [tab_of_label(label, lang) for label in labels.values()] == list(TABS)


def test_a_label_is_read_in_its_own_language():
    assert tab_of_label("By sector", "en") == "sectors"
    assert tab_of_label("Theo lĩnh vực", "vi") == "sectors"
