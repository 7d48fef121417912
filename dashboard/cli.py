"""`python -m dashboard COMMAND`: the command-line face of the dashboard."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.data import DataError, Dataset, load


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Year-over-year indicators from the Bộ TT&TT year-end reviews.",
    )
    parser.add_argument("--data-dir", type=Path, help="curated data folder (default: data/)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="validate the sources and the curated data")
    data = commands.add_parser("data", help="print every observation, one row each")
    data.add_argument("--format", choices=["csv", "json"], default="csv")
    args = parser.parse_args(argv)

    try:
        dataset = load(args.data_dir)
    except DataError as exc:
        print(f"The curated data has {len(exc.problems)} problem(s):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    return {"check": _check, "data": _data}[args.command](dataset, args)


def _check(dataset: Dataset, args) -> int:
    print(
        f"OK: {len(dataset.sources)} sources, {len(dataset.sectors)} sectors, "
        f"{len(dataset.indicators)} indicators, {len(dataset.observations)} observations, "
        f"{len(dataset.statements)} statements; every seed matches its SHA-256 and "
        "every quote stands verbatim in its seed."
    )
    return 0


def _data(dataset: Dataset, args) -> int:
    frame = dataset.frame
    if args.format == "csv":
        frame.to_csv(sys.stdout, index=False, float_format="%.15g")
    else:
        frame.to_json(sys.stdout, orient="records", force_ascii=False, indent=1)
        print()
    return 0
