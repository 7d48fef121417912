"""`dashboard ingest`: a saved news page becomes a seed and a sources.yaml record, with nothing of the portal."""

import hashlib
from pathlib import Path

import pytest
import yaml

from dashboard.cli import main
from dashboard.core.schema import Source

PAGES = Path(__file__).parent / "pages"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "seeds").mkdir()
    return tmp_path / "data"


def ingest(data_dir: Path, page: str, source_id: str, capsys) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), "ingest", str(PAGES / page), "--id", source_id,
                 "--reviewed-year", "2025"])
    out, err = capsys.readouterr()
    return code, out, err


def ingested(data_dir: Path, page: str, capsys) -> tuple[dict, str]:
    code, out, err = ingest(data_dir, page, "mic-2025", capsys)
    assert code == 0, err
    (record,) = yaml.safe_load(out)
    return record, (data_dir.parent / "seeds" / "mic-2025.txt").read_text(encoding="utf-8")


def test_the_article_is_kept_and_the_portal_around_it_left_out(data_dir, capsys):
    record, seed = ingested(data_dir, "portal.html", capsys)
    assert "với gần 2.100 cán bộ, đảng viên" in seed
    assert "tỷ lệ chặn, gỡ nội dung xấu độc trên 95%" in seed
    for furniture in ("Trang chủ", "Chia sẻ Facebook", "In bài", "Tin liên quan", "ra mắt 5 nền tảng",
                      "Cổng dịch vụ công", "Giấy phép số 1234", "Bản quyền"):
        assert furniture not in seed, furniture
    assert record["title"]["vi"] == "Đảng ủy Bộ TT&TT tổng kết công tác năm 2025, triển khai nhiệm vụ năm 2026"
    assert (record["published"], record["published_as_written"]) == ("2025-12-26", "Thứ sáu, 26/12/2025 10:15")
    assert record["reviewed_year"] == 2025 and record["file"] == "seeds/mic-2025.txt"
    assert record["sha256"] == hashlib.sha256(seed.encode("utf-8")).hexdigest()
    # Nothing before the article (its title and date line) may be quoted.
    assert seed.index(record["body_start"]) < seed.index("Sáng ngày 25/12")


def test_the_record_is_a_source_once_the_curator_writes_the_english_title(data_dir, capsys):
    record, _ = ingested(data_dir, "portal.html", capsys)
    assert record["title"]["en"] == ""  # left for the curator, and the load says so until it is written
    record["title"]["en"] = "The Ministry's Party Committee reviews 2025"
    assert Source.model_validate(record).published == "2025-12-26"


def test_photo_captions_are_left_out_and_a_month_stays_a_month(data_dir, capsys):
    record, seed = ingested(data_dir, "captions.html", capsys)
    assert "Toàn cảnh Hội nghị" not in seed and "Ảnh: Thảo Anh" not in seed
    assert "xếp hạng 15/194 quốc gia" in seed
    assert (record["published"], record["published_as_written"]) == ("2025-12", "Tháng 12/2025")


def test_comments_and_a_sidebar_of_other_news_bring_no_numbers(data_dir, capsys):
    record, seed = ingested(data_dir, "comments.html", capsys)
    assert "98,2% bộ, ngành, địa phương" in seed
    for other in ("Bình luận", "30%", "5 năm rồi", "Giá vàng", "2,5%", "120 tỷ USD", "7 ứng dụng"):
        assert other not in seed, other
    assert (record["published"], record["published_as_written"]) == ("2025-12-26", "26/12/2025")


def test_a_page_with_no_article_is_refused_and_nothing_is_written(data_dir, capsys):
    code, out, err = ingest(data_dir, "no-article.html", "mic-2025", capsys)
    assert code == 2 and out == ""
    assert "no article found" in err
    assert not list((data_dir.parent / "seeds").iterdir())


def test_an_existing_seed_is_never_overwritten(data_dir, capsys):
    seed = data_dir.parent / "seeds" / "mic-2025.txt"
    seed.write_text("the curator's own copy", encoding="utf-8")
    code, out, err = ingest(data_dir, "portal.html", "mic-2025", capsys)
    assert code == 2 and out == "" and "never overwrites" in err
    assert seed.read_text(encoding="utf-8") == "the curator's own copy"
