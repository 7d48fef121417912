"""A synthetic project (data/ + seeds/) of any size, valid against the schema.

`write_project(root, indicators)` writes `root/data/*.yaml` and one seed per
review year in `root/seeds/`, with every SHA-256 recorded in sources.yaml.
Each observation quotes a sentence that stands verbatim in its year's seed and
writes its value the way the reviews do (`1.234`, `28,7%`, `71/193`).
Deterministic for a given size. Nothing here touches the project's own data/.

    python -m bench.generate OUT_DIR --indicators 1000
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
from pathlib import Path

import yaml

from dashboard.core.data import FILES, MAX_FILE_BYTES

YEARS = (2020, 2021, 2022, 2023, 2024)
SECTORS = [
    ("postal", "Bưu chính", "Postal services"),
    ("digital-infrastructure", "Viễn thông, hạ tầng số", "Telecom and digital infrastructure"),
    ("digital-industry", "Công nghiệp công nghệ số", "Digital technology industry"),
    ("information-security", "An toàn thông tin mạng", "Information security"),
    ("press-media", "Báo chí, truyền thông", "Press and media"),
    ("digital-transformation", "Chuyển đổi số", "Digital transformation"),
    ("digital-economy", "Kinh tế số", "Digital economy"),
    ("party-building", "Xây dựng Đảng", "Party building"),
]
UNITS = ("count", "percent", "rank", "times", "percent_per_year")
# (qualifier, the word the quote uses for it); the schema requires the cue.
QUALIFIERS = (("exact", "đạt"), ("exact", "đạt"), ("exact", "đạt"), ("over", "vượt"), ("nearly", "gần"))
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def vi_number(value: float, decimals: int = 0) -> str:
    """1234 → '1.234'; 28.7 → '28,7'; 62.0 → '62' (thousands dot, decimal comma)."""
    whole, _, fraction = f"{value:,.{decimals}f}".partition(".")
    fraction = fraction.rstrip("0")
    return whole.replace(",", ".") + (f",{fraction}" if fraction else "")


def published(year: int) -> dt.date:
    return dt.date(year + 1, 1, 10)


def published_as_written(year: int) -> str:
    """The page header that states the publication date, as the seed carries it."""
    return f"Đăng ngày {published(year):%d/%m/%Y}"


def _value(unit: str, rng: random.Random) -> tuple[float, float | None, str, str]:
    """(value, denominator, as the quote writes it, English)."""
    if unit == "count":
        value = rng.randint(2, 2_000_000)
        return value, None, vi_number(value), f"{value:,}"
    if unit == "rank":
        value = rng.randint(1, 190)
        return value, 193, f"thứ {value}/193", f"{value}th of 193"
    decimal = round(rng.uniform(1, 99), 1)
    if unit == "times":
        return decimal, None, f"{vi_number(decimal, 1)} lần", f"{decimal}×"
    suffix = "%/năm" if unit == "percent_per_year" else "%"
    return decimal, None, f"{vi_number(decimal, 1)}{suffix}", f"{decimal}%"


def _records(indicators: int, rng: random.Random) -> dict[str, list]:
    sectors = [{"id": s, "name": {"vi": vi, "en": en}} for s, vi, en in SECTORS]
    inds, observations = [], []
    paragraphs: dict[int, list[str]] = {year: [published_as_written(year), f"Báo cáo tổng kết tổng hợp năm {year}."]
                                        for year in YEARS}
    for number in range(1, indicators + 1):
        sector = SECTORS[number % len(SECTORS)]
        unit = UNITS[number % len(UNITS)]
        ind_id = f"chi-tieu-{number:05d}"
        inds.append({
            "id": ind_id, "sector": sector[0], "unit": unit, "better": "lower" if unit == "rank" else "higher",
            "label": {"vi": f"Chỉ tiêu {number} về {sector[1].lower()}",
                      "en": f"Indicator {number} on {sector[2].lower()}"},
        })
        for year in YEARS:
            value, denominator, written, english = _value(unit, rng)
            qualifier, cue = rng.choice(QUALIFIERS)
            quote = f"Chỉ tiêu {number} về {sector[1].lower()} năm {year} {cue} {written}."
            paragraphs[year].append(quote)
            record = {"indicator": ind_id, "year": year, "value": value}
            if denominator is not None:
                record["denominator"] = denominator
            record.update({
                "kind": "actual", "qualifier": qualifier, "source": f"review-{year}", "quote": quote,
                "translation": {"en": f"Indicator {number} in {year}: {english} ({qualifier})."},
            })
            observations.append(record)
    statements = []
    for year in YEARS:
        for sector_id, name_vi, name_en in SECTORS:
            quote = f"Lĩnh vực {name_vi.lower()} năm {year} tiếp tục phát triển ổn định."
            paragraphs[year].append(quote)
            statements.append({
                "id": f"{sector_id}-{year}", "sector": sector_id, "source": f"review-{year}",
                "quote": quote, "translation": {"en": f"{name_en} kept developing steadily in {year}."},
            })
    return {"sectors": sectors, "indicators": inds, "observations": observations,
            "statements": statements, "paragraphs": paragraphs}


def write_project(root: Path | str, indicators: int, seed: int = 5) -> Path:
    """Write a synthetic project under `root`; return its data folder."""
    root = Path(root)
    data_dir, seeds_dir = root / "data", root / "seeds"
    data_dir.mkdir(parents=True, exist_ok=True)
    seeds_dir.mkdir(parents=True, exist_ok=True)
    built = _records(indicators, random.Random(seed))  # noqa: S311 (made-up figures, not secrets)
    sources = []
    for year in YEARS:
        seed_file = seeds_dir / f"synthetic-review-{year}.txt"
        seed_file.write_bytes("\n\n".join(built["paragraphs"][year]).encode("utf-8") + b"\n")
        sources.append({
            "id": f"review-{year}", "file": f"seeds/{seed_file.name}",
            "title": {"vi": f"Tổng kết năm {year} (tổng hợp)", "en": f"Review of {year} (synthetic)"},
            "publisher": "Bộ dữ liệu tổng hợp", "published": published(year),
            "published_as_written": published_as_written(year), "reviewed_year": year,
            "sha256": hashlib.sha256(seed_file.read_bytes()).hexdigest(),
        })
    files = {
        "sources.yaml": sources, "sectors.yaml": built["sectors"], "indicators.yaml": built["indicators"],
        "observations.yaml": built["observations"], "statements.yaml": built["statements"],
        "exclusions.yaml": [{"pattern": "năm (?:19|20)\\d\\d",
                             "reason": {"vi": "Năm dương lịch", "en": "A calendar year"}}],
    }
    for name in FILES:  # exactly the files the loader reads, whatever it reads today
        text = yaml.dump(files.get(name, []), Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000)
        if len(text.encode("utf-8")) > MAX_FILE_BYTES:
            raise ValueError(f"{name} would exceed the loader's {MAX_FILE_BYTES} byte limit")
        (data_dir / name).write_text(text, encoding="utf-8")
    return data_dir


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write data/ and seeds/ into")
    parser.add_argument("--indicators", type=int, default=1000)
    args = parser.parse_args(argv)
    print(write_project(args.out, args.indicators))


if __name__ == "__main__":
    main()
