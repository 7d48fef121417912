"""`python -m dashboard COMMAND`: the command-line face of the dashboard."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.data import DataError, Dataset, load
from dashboard.exports import (
    FORMATS,
    IMAGE_FORMATS,
    ImageExportUnavailable,
    ImageRenderer,
    bundle_files,
    plan_bundle,
    write_files,
)
from dashboard.i18n import LANGUAGES


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
    export = commands.add_parser("export", help="write charts and data files for chosen sectors")
    export.add_argument("--out", type=Path, required=True, help="folder to write into (created if missing)")
    export.add_argument("--sector", action="append", default=[], metavar="S",
                        help="a sector id (repeat for more; default: all)")
    export.add_argument("--format", default=",".join(FORMATS),
                        help=f"comma-separated, from {','.join(FORMATS)} (default: all)")
    export.add_argument("--lang", choices=list(LANGUAGES), default="vi")
    args = parser.parse_args(argv)

    try:
        dataset = load(args.data_dir)
    except DataError as exc:
        print(f"The curated data has {len(exc.problems)} problem(s):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    return {"check": _check, "data": _data, "export": _export}[args.command](dataset, args)


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


def _export(dataset: Dataset, args) -> int:
    unknown = [s for s in args.sector if s not in dataset.sectors]
    if unknown:
        print(f"error: unknown sector(s): {', '.join(unknown)}. Known sectors: {', '.join(dataset.sectors)}",
              file=sys.stderr)
        return 2
    try:
        plan = plan_bundle(dataset, args.sector or list(dataset.sectors), args.format.split(","))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    renderer, missing_images = None, ""
    if any(f in IMAGE_FORMATS for f in plan.formats):
        try:
            renderer = ImageRenderer()
        except ImageExportUnavailable as exc:
            missing_images = str(exc)
            print(f"warning: {exc}", file=sys.stderr)
    try:
        written = write_files(args.out, bundle_files(dataset, plan, args.lang, renderer, _progress_bar))
    finally:
        if renderer is not None:
            renderer.close()
    print(f"Wrote {len(written)} files to {args.out}")
    if missing_images:
        print("PNG and SVG were not written (see the warning above).", file=sys.stderr)
        return 1
    return 0


def _progress_bar(done: int, total: int, name: str, width: int = 30) -> None:
    filled = width * done // total
    end = "\n" if done == total else ""
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name[:60]:<60}", end=end,
          file=sys.stderr, flush=True)
