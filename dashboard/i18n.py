"""Interface text and number formatting in Vietnamese and English.

Numbers go through Babel so each language gets its own separators:
`28,7 %` and `2.000` in Vietnamese, `28.7%` and `2,000` in English.
"""

from __future__ import annotations

from typing import Literal

from babel.numbers import format_decimal

Lang = Literal["vi", "en"]
LANGUAGES: dict[str, str] = {"vi": "Tiếng Việt", "en": "English"}
DEFAULT_LANG: Lang = "vi"

# A qualifier in words, never a sign: "≈" would lose the direction of "gần" (just under).
# In Vietnamese the report's own word (`vượt`, `trên`) is shown where it is known.
QUALIFIER_WORDS = {
    "vi": {"exact": "", "over": "trên", "nearly": "gần", "at_least": "ít nhất"},
    "en": {"exact": "", "over": "over", "nearly": "nearly", "at_least": "at least"},
}

_UNIT_SUFFIX = {
    "vi": {"count": "", "percent": " %", "percent_per_year": " %/năm", "times": " lần", "rank": ""},
    "en": {"count": "", "percent": "%", "percent_per_year": "%/year", "times": "×", "rank": ""},
}

TEXT: dict[str, dict[str, str]] = {
    "title": {
        "vi": "Tổng kết năm của Bộ TT&TT: {years}",
        "en": "Ministry of Information and Communications year-end reviews: {years}",
    },
    "two_years": {"vi": "{first} so với {last}", "en": "{first} vs {last}"},
    "caption": {
        "vi": "Mỗi con số đi kèm nguyên văn đoạn báo cáo nêu ra nó. Không có số liệu nào ngoài những gì báo cáo viết.",
        "en": "Every number stands beside the passage of the report that states it. "
              "Nothing is shown that the reports do not say.",
    },
    "sectors": {"vi": "Lĩnh vực", "en": "Sectors"},
    "all_sectors_hint": {"vi": "Để trống để xem tất cả", "en": "Leave empty to see all"},
    "tab_overview": {"vi": "Tổng quan", "en": "Overview"},
    "tab_sectors": {"vi": "Theo lĩnh vực", "en": "By sector"},
    "tab_text": {"vi": "So sánh văn bản", "en": "Text comparison"},
    "tab_data": {"vi": "Dữ liệu", "en": "Data"},
    "tab_sources": {"vi": "Nguồn", "en": "Sources"},
    "headline": {"vi": "Chỉ số có số liệu ở cả hai năm", "en": "Indicators with figures in both years"},
    "no_headline": {
        "vi": "Trong các lĩnh vực đã chọn, không chỉ số nào có số liệu ở hai năm.",
        "en": "No indicator in the chosen sectors has figures in two years.",
    },
    "coverage": {"vi": "Báo cáo nói gì về từng lĩnh vực", "en": "What each report says of each sector"},
    "coverage_numbers": {"vi": "Có số liệu ({n})", "en": "Figures ({n})"},
    "coverage_text": {"vi": "Chỉ có văn bản", "en": "Text only"},
    "coverage_nothing": {"vi": "Không đề cập", "en": "Not mentioned"},
    "review_of": {"vi": "Báo cáo năm {year}", "en": "Review of {year}"},
    "not_reported": {"vi": "không báo cáo", "en": "not reported"},
    "not_reported_in": {"vi": "Không có số liệu năm {year}", "en": "Not reported in {year}"},
    "no_figures": {
        "vi": "Không báo cáo nào nêu số liệu cho lĩnh vực này; xem đoạn văn bên dưới.",
        "en": "Neither report gives a figure for this sector; see the passages below.",
    },
    "not_one_series": {"vi": "Không phải một chuỗi số liệu", "en": "Not one series"},
    "see_also": {"vi": "Xem thêm", "en": "See also"},
    "target": {"vi": "mục tiêu", "en": "target"},
    "derived": {"vi": "suy ra", "en": "derived"},
    "actual": {"vi": "thực tế", "en": "actual"},
    "derived_how": {"vi": "Cách suy ra", "en": "How it was derived"},
    "unit_count": {"vi": "Số lượng", "en": "Count"},
    "unit_percent": {"vi": "Tỷ lệ (%)", "en": "Share (%)"},
    "unit_percent_per_year": {"vi": "Tốc độ (%/năm)", "en": "Rate (% a year)"},
    "unit_times": {"vi": "Số lần", "en": "Times"},
    "unit_rank": {"vi": "Thứ hạng (càng thấp càng tốt)", "en": "Rank (lower is better)"},
    "quoted": {"vi": "Đoạn trích", "en": "Passage"},
    "qualifier_over": {"vi": "vượt", "en": "over"},
    "qualifier_nearly": {"vi": "gần", "en": "nearly"},
    "qualifier_at_least": {"vi": "ít nhất", "en": "at least"},
    "in_year": {"vi": "Năm {year}", "en": "{year}"},
    "chart_shows": {"vi": "Biểu đồ {label}; {unit}. {years}.", "en": "Chart of {label}; {unit}. {years}."},
    "chart_change": {"vi": "Thay đổi {old}→{new}: {change}.", "en": "Change {old}→{new}: {change}."},
    "change": {"vi": "Thay đổi", "en": "Change"},
    "places_better": {"vi": "tăng {n} bậc", "en": "up {n} places"},
    "places_worse": {"vi": "giảm {n} bậc", "en": "down {n} places"},
    "places_same": {"vi": "giữ nguyên thứ hạng", "en": "unchanged"},
    "points": {"vi": "điểm %", "en": "pp"},
    "source": {"vi": "Nguồn", "en": "Source"},
    "open_full_text": {"vi": "Xem toàn văn, đoạn trích được đánh dấu", "en": "Full report text, passage marked"},
    "plan": {"vi": "Nhiệm vụ đặt ra cho năm {year}", "en": "Task set for {year}"},
    "status_figure": {"vi": "báo cáo bằng số liệu", "en": "reported with a figure"},
    "status_words": {"vi": "báo cáo bằng lời", "en": "reported in words"},
    "status_not_mentioned": {"vi": "không đề cập (đã tìm)", "en": "not mentioned (searched)"},
    "status_awaiting": {"vi": "chờ báo cáo sau", "en": "awaiting the next review"},
    "tasks_chart_title": {
        "vi": "Nhiệm vụ đặt ra cho mỗi năm: báo cáo năm sau nói gì",
        "en": "Tasks set for each year: what the next review says of them",
    },
    "legend": {"vi": "Chú giải", "en": "Key"},
    "tasks_for": {"vi": "Nhiệm vụ cho năm {year}", "en": "Tasks for {year}"},
    "tasks_summary": {"vi": "Nhiệm vụ cho năm {year}: {parts}.", "en": "Tasks for {year}: {parts}."},
    "tasks_axis": {"vi": "Số nhiệm vụ", "en": "Tasks"},
    "no_tasks": {
        "vi": "Các lĩnh vực đã chọn không có nhiệm vụ nào được đặt ra.",
        "en": "No review sets a task for the chosen sectors.",
    },
    "what_changed": {
        "vi": "Từng lĩnh vực: điều gì thay đổi từ báo cáo năm {old} sang năm {new}",
        "en": "Sector by sector: what changed from the review of {old} to the review of {new}",
    },
    "change_repeated": {"vi": "số liệu nêu lại", "en": "figure repeated"},
    "change_new": {"vi": "số liệu mới", "en": "new figure"},
    "change_dropped": {"vi": "số liệu không còn được nêu", "en": "figure no longer reported"},
    "not_in_review": {"vi": "không có trong báo cáo năm {year}", "en": "not in the review of {year}"},
    "sector_dropped": {"vi": "lĩnh vực không còn được đề cập", "en": "sector no longer mentioned"},
    "figures_stated": {"vi": "Số liệu", "en": "Figures"},
    "key_passage": {"vi": "Đoạn chính", "en": "Key passage"},
    "whole_passage": {"vi": "Cả đoạn", "en": "Whole passage"},
    "tasks_set": {"vi": "Nhiệm vụ đặt ra", "en": "Tasks it sets"},
    "none_stated": {"vi": "không có", "en": "none"},
    "outcome_words": {"vi": "Về việc này, báo cáo năm {year} viết:", "en": "On this, the review of {year} says:"},
    "outcome_judgement": {
        "vi": "(đoạn nào trả lời nhiệm vụ là đánh giá của người tuyển chọn)",
        "en": "(which passage answers the task is the curator's judgement)",
    },
    "outcome_figure": {"vi": "Báo cáo năm {year} nêu số liệu:", "en": "The review of {year} gives a figure:"},
    "outcome_not_mentioned": {
        "vi": "Đã tìm trong báo cáo năm {year}: {terms}; không thấy.",
        "en": "Searched the review of {year} for: {terms}; not found.",
    },
    "outcome_awaiting": {
        "vi": "Báo cáo năm {year} chưa có trong dữ liệu.", "en": "The review of {year} is not in the data yet.",
    },
    "tab_data_tasks": {"vi": "Nhiệm vụ và kết quả", "en": "Tasks and outcomes"},
    "tab_data_figures": {"vi": "Số liệu", "en": "Figures"},
    "table": {"vi": "Bảng", "en": "Table"},
    "task_rows": {"vi": "{n} nhiệm vụ", "en": "{n} tasks"},
    "nothing_said": {
        "vi": "Báo cáo này không đề cập lĩnh vực này.", "en": "This review does not speak of this sector.",
    },
    "added": {"vi": "thêm vào", "en": "added"},
    "dropped": {"vi": "bỏ đi", "en": "dropped"},
    "diff_legend": {
        "vi": "Hai năm lặp lại đoạn văn với thay đổi: chữ gạch dưới là phần thêm vào năm {new}, "
              "chữ gạch ngang là phần bỏ đi so với năm {old}.",
        "en": "The two reviews repeat this passage with changes: underlined words were added in {new}, "
              "struck-out words were dropped from {old}.",
    },
    "images_unavailable": {
        "vi": "PNG và SVG cần trình duyệt Chromium trên máy chủ (apt-get install chromium); "
              "HTML và CSV vẫn tải được.",
        "en": "PNG and SVG need Chromium on the server (apt-get install chromium); HTML and CSV still work.",
    },
    "download_as": {"vi": "Tải {what} dạng {fmt}", "en": "Download {what} as {fmt}"},
    "chart_downloads": {"vi": "Tải biểu đồ", "en": "Chart downloads"},
    "chart_url": {"vi": "Địa chỉ cố định của biểu đồ", "en": "This chart's permanent address"},
    "export_all": {"vi": "Xuất tất cả biểu đồ đang lọc (ZIP)", "en": "Export every chart in this filter (ZIP)"},
    "formats": {"vi": "Định dạng", "en": "Formats"},
    "make_zip": {"vi": "Tạo tệp ZIP", "en": "Build the ZIP"},
    "building": {"vi": "Đang tạo…", "en": "Building…"},
    "zip_ready": {"vi": "Xong", "en": "Done"},
    "download_zip": {"vi": "Tải ZIP", "en": "Download ZIP"},
    "download_csv": {"vi": "Tải CSV", "en": "Download CSV"},
    "rows": {"vi": "{n} dòng số liệu", "en": "{n} observations"},
    "reviewed_year": {"vi": "Năm được tổng kết", "en": "Year reviewed"},
    "published": {"vi": "Ngày đăng", "en": "Published"},
    "published_on": {"vi": "đăng {date}", "en": "published {date}"},
    "stated_as": {"vi": "trang ghi: “{text}”", "en": "as the page states it: “{text}”"},
    "event": {"vi": "Hội nghị", "en": "Conference"},
    "event_year_from_published": {
        "vi": "năm lấy theo ngày đăng", "en": "the year is the publication's",
    },
    "title_kind": {"vi": "Tiêu đề", "en": "Title"},
    "title_headline": {"vi": "tiêu đề bài viết", "en": "the article's headline"},
    "title_photo_caption": {
        "vi": "chú thích ảnh của bài (bài không có tiêu đề)",
        "en": "the article's photo caption (the text has no headline)",
    },
    "photo_caption_mark": {"vi": "chú thích ảnh", "en": "photo caption"},
    "file": {"vi": "Tệp", "en": "File"},
    "year_note": {"vi": "Về năm", "en": "About the year"},
    "indicator_note": {"vi": "Lưu ý", "en": "Note"},
    "coverage_col_number": {"vi": "Con số", "en": "Number"},
    "coverage_col_status": {"vi": "Trạng thái", "en": "Status"},
    "coverage_col_detail": {"vi": "Chi tiết", "en": "Detail"},
    "coverage_col_sentence": {"vi": "Câu", "en": "Sentence"},
    "status_curated": {"vi": "đã tuyển chọn", "en": "curated"},
    "status_excluded": {"vi": "cố ý bỏ qua", "en": "left out"},
    "status_missing": {"vi": "còn thiếu", "en": "missing"},
    "publisher": {"vi": "Cơ quan", "en": "Publisher"},
    "full_text": {"vi": "Toàn văn", "en": "Full text"},
    "unknown_sectors": {
        "vi": "Đường dẫn có lĩnh vực không tồn tại, đã bỏ qua: {values}",
        "en": "The link names sectors that do not exist; ignored: {values}",
    },
    "unknown_lang": {
        "vi": "Đường dẫn có ngôn ngữ không hỗ trợ, đã bỏ qua: {values}",
        "en": "The link names an unsupported language; ignored: {values}",
    },
    "unknown_tab": {
        "vi": "Đường dẫn có thẻ không tồn tại, đã bỏ qua: {values}",
        "en": "The link names a tab that does not exist; ignored: {values}",
    },
    "page": {"vi": "Trang", "en": "Page"},
    "page_of": {
        "vi": "Chỉ số {first}–{last} trong {total}", "en": "Indicators {first}–{last} of {total}",
    },
    "more_figures": {
        "vi": "…và {n} số liệu khác; xem thẻ Theo lĩnh vực.", "en": "…and {n} more figures; see the By sector tab.",
    },
    "more_headlines": {
        "vi": "…và {n} chỉ số khác; xem thẻ Dữ liệu.", "en": "…and {n} more; see the Data tab.",
    },
    "query_trimmed": {
        "vi": "Chỉ dùng một từ khóa tìm kiếm, tối đa {max} ký tự: {values}",
        "en": "Only one search of at most {max} characters is used: {values}",
    },
    "search": {"vi": "Tìm trong báo cáo", "en": "Search the reports"},
    "search_hint": {"vi": "vd. chuyen doi so", "en": "e.g. chuyen doi so, e-government"},
    "search_results": {"vi": "{n} kết quả cho “{q}”", "en": "{n} result(s) for “{q}”"},
    "search_none": {"vi": "Không tìm thấy “{q}” trong hai báo cáo.", "en": "“{q}” is not in either report."},
    "search_more": {"vi": "Hiển thị {shown} kết quả đầu tiên.", "en": "Showing the first {shown}."},
    "curated_as": {"vi": "Chỉ số đã tuyển chọn", "en": "Curated indicators"},
    "coverage_summary": {
        "vi": "Số liệu trong báo cáo: {curated} được tuyển chọn, {excluded} cố ý bỏ qua (có lý do), "
              "{missing} còn thiếu — trên tổng {total} lần nhắc đến con số.",
        "en": "Numbers in this report: {curated} curated, {excluded} deliberately left out (with reasons), "
              "{missing} missing — of {total} numeric mentions.",
    },
    "coverage_details": {"vi": "Từng con số và cách xử lý", "en": "Every number and how it is covered"},
    "unknown_params": {
        "vi": "Đường dẫn có tham số không dùng, đã bỏ qua: {values}",
        "en": "The link has parameters this page does not use; ignored: {values}",
    },
    "data_error": {
        "vi": "Không thể hiển thị: dữ liệu đã tuyển chọn có lỗi. Hãy sửa các mục sau rồi tải lại trang.",
        "en": "Cannot show the dashboard: the curated data has problems. Fix these and reload the page.",
    },
}


def year_span(years: list[int], lang: Lang) -> str:
    """`2023 vs 2024` for two reviews, `2023–2025` for more: the title follows the data."""
    if len(years) == 2:
        return t("two_years", lang, first=years[0], last=years[1])
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else "".join(map(str, years))


def title(lang: Lang, years: list[int]) -> str:
    return t("title", lang, years=year_span(years, lang))


def t(key: str, lang: Lang, **values) -> str:
    text = TEXT[key][lang]
    return text.format(**values) if values else text


def number(value: float, lang: Lang) -> str:
    return format_decimal(value, locale=lang, format="#,##0.##")


def ordinal_en(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def quantity(
    value: float, unit: str, lang: Lang, qualifier: str = "exact", denominator: float | None = None,
    cue: str | None = None,
) -> str:
    """A value as a reader expects it: `gần 2.000`, `over 20%/year`, `71/193`, `28.7%`.

    `cue` is the report's own qualifying word, shown as written on a Vietnamese page.
    """
    if unit == "rank":
        if denominator:
            body = f"{number(value, lang)}/{number(denominator, lang)}"
        else:
            body = f"thứ {number(value, lang)}" if lang == "vi" else ordinal_en(int(value))
    else:
        body = number(value, lang) + _UNIT_SUFFIX[lang][unit]
    word = (cue.lower() if cue and lang == "vi" else "") or QUALIFIER_WORDS[lang][qualifier]
    return f"{word} {body}" if word else body
