"""Every chart's text alternative: the sentence a screen reader reads in the chart's place
(and everyone sees as its caption) states each year as the report words it."""

import pytest

from dashboard.core.i18n import t
from dashboard.core.languages import translated
from dashboard.present.describe import chart_description


@pytest.mark.parametrize(("indicator", "lang", "expected"), [
    # a derived earlier rank, a year with no figure, and the change the chart shows
    ("egov-rank", "en", "; Rank (lower is better). 2022: 86th (derived); 2023: not reported; 2024: 71/193. "
                        "Change 2022→2024: up 15 places."),
    ("egov-rank", "vi", "; Thứ hạng (càng thấp càng tốt). Năm 2022: thứ 86 (suy ra); Năm 2023: không báo cáo; "
                        "Năm 2024: 71/193. Thay đổi 2022→2024: tăng 15 bậc."),
    # qualifiers in words, as the report has them, never as a bare sign
    ("digital-economy-growth", "en", "2023: not reported; 2024: over 20%/year."),
    ("digital-economy-growth", "vi", "Năm 2024: vượt 20%/năm."),
    ("harmful-content-removal", "vi", "Năm 2024: trên 93%."),  # the report's own word, not "vượt"
    ("digital-economy-growth-vs-gdp", "en", "2024: nearly 3×."),
    ("party-members", "en", "2023: nearly 2,000; 2024: not reported."),
    ("party-members", "vi", "Năm 2023: gần 2.000; Năm 2024: không báo cáo."),
    # a target is named as one, beside the year's missing actual
    ("online-public-service-use", "en", "2024: not reported, at least 70% (target)."),
    ("online-public-service-use", "vi", "Năm 2024: không báo cáo, ít nhất 70% (mục tiêu)."),
])
def test_description_words_each_year_as_the_report_does(ds, indicator, lang, expected):
    assert expected in chart_description(ds, indicator, lang)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_chart_has_a_description_naming_every_year(ds, lang):
    for indicator_id, ind in ds.indicators.items():
        sentence = chart_description(ds, indicator_id, lang)
        label = translated(ind.label, lang)
        assert sentence.startswith(t("chart_shows", lang, label=label, unit="", years="").split(";")[0] + ";")
        for year in ds.years:
            assert t("in_year", lang, year=year) + ":" in sentence, (indicator_id, year)
        assert "≈" not in sentence.split("→")[0] and ">" not in sentence and "≥" not in sentence, sentence
