"""`python -m dashboard COMMAND`: the command-line face of the dashboard."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from dashboard.core import changes, search
from dashboard.core.data import SEEDS, DataError, Dataset, default_data_dir, load
from dashboard.core.i18n import DEFAULT_LANG, LANGUAGES, CatalogueError
from dashboard.core.text_rules import split_at_spans
from dashboard.curate import coverage as curation_coverage
from dashboard.curate import draft
from dashboard.present.exports import (
    FORMATS,
    ImageExportUnavailable,
    ImageRenderer,
    bundle_files,
    data_csv,
    needs_browser,
    plan_bundle,
    plans_csv,
    write_files,
)


def run() -> None:
    """The `dashboard` command and `python -m dashboard`: exit with main's status."""
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into `head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except CatalogueError as exc:  # the page's words: the command's own choices (--lang) come from them
        print(f"The page's catalogues have {len(exc.problems)} problem(s):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1


def _main(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Year-over-year indicators from the Bộ TT&TT year-end reviews.",
    )
    parser.add_argument("--data-dir", type=Path, help="curated data folder (default: data/)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="validate the sources and the curated data")
    data = commands.add_parser("data", help="print every observation, one row each")
    data.add_argument("--format", choices=["csv", "json"], default="csv")
    plans = commands.add_parser("plans", help="print every task a review sets for the next year, and its outcome")
    plans.add_argument("--format", choices=["csv", "json"], default="csv")
    plans.add_argument("--sector", action="append", default=[], metavar="S",
                       help="a sector id (repeat for more; default: all)")
    export = commands.add_parser("export", help="write charts and data files for chosen sectors")
    export.add_argument("--out", type=output_folder, required=True, help="folder to write into (created if missing)")
    export.add_argument("--sector", action="append", default=[], metavar="S",
                        help="a sector id (repeat for more; default: all)")
    export.add_argument("--format", default=",".join(FORMATS),
                        help=f"comma-separated, from {','.join(FORMATS)} (default: all)")
    export.add_argument("--lang", choices=list(LANGUAGES), default=DEFAULT_LANG)
    export.add_argument("--site-url", type=site_url, metavar="URL",
                        help="the dashboard's address (http://host/): citations and HTML charts then link to each "
                             "figure's view there (default: no link)")
    search = commands.add_parser("search", help="find text in both reviews (diacritics optional)")
    search.add_argument("query", nargs="+")
    commands.add_parser("coverage", help="list every number in the reviews and how it is curated")
    ingest = commands.add_parser("ingest", help="make a saved news page a seed; print its sources.yaml record")
    ingest.add_argument("page", type=Path, help="the saved page (.html)")
    ingest.add_argument("--id", required=True, help="the source's id, e.g. mic-2025 (the seed is seeds/<id>.txt)")
    ingest.add_argument("--reviewed-year", type=int, required=True, help="the year the review covers")
    drafting = commands.add_parser("draft", help="draft every record of a review in sources.yaml into drafts/")
    drafting.add_argument("source", help="the review's id in sources.yaml")
    drafting.add_argument("--accept", action="store_true",
                          help="move the drafts left after your edits into the data folder")
    args = parser.parse_args(argv)

    if args.command == "ingest":  # before any load: the new review is not in the data yet
        return _ingest(args)
    try:
        # A review being drafted is not curated yet: only the checks of structure may stop the draft.
        dataset = load(args.data_dir, complete=args.command != "draft")
    except DataError as exc:
        print(f"The curated data has {len(exc.problems)} problem(s):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    commands_run = {"check": _check, "data": _data, "plans": _plans, "export": _export, "search": _search,
                    "coverage": _coverage, "draft": _draft}
    return commands_run[args.command](dataset, args)


def site_url(text: str) -> str:
    """An http(s) address, ending in `/` so a figure's view is `<it>?figure=…`."""
    if not text.startswith(("http://", "https://")):
        raise argparse.ArgumentTypeError(f"not an http(s) address: {text!r}")
    return text if text.endswith("/") else text + "/"


def output_folder(text: str) -> Path:
    """`--out`: a folder that exists or can be made. Checked before anything is read or written,
    so a wrong path is a clear error (exit 2), not a traceback or files in the current folder."""
    if not text.strip():
        raise argparse.ArgumentTypeError("is empty; name the folder to write into, e.g. --out charts")
    path = Path(text)
    for place in (path, *path.parents):
        if place.is_symlink() and not place.exists():
            raise argparse.ArgumentTypeError(f"{text}: {place} is a link to nothing; name a folder")
        if place.exists():
            if not place.is_dir():
                where = "is a file" if place == path else f"is under {place}, which is a file"
                raise argparse.ArgumentTypeError(f"{text} {where}; name a folder")
            break
    return path.resolve()  # `out/../elsewhere` is `elsewhere`: nothing is made of an `out/` it only passes through


def _curator_tools(name: str):
    """A curator's module, imported only when asked for: the tools need the `curate` extra, which a reader's
    install leaves out. None (with the way to install it said) when it is missing."""
    try:
        return importlib.import_module(f"dashboard.curate.{name}")
    except ImportError as exc:
        print(f"error: the curator's tools need the `curate` extra ({exc.name} is missing): "
              "pip install -e '.[curate]'", file=sys.stderr)
        return None


def _ingest(args) -> int:
    tools = _curator_tools("ingest")
    if tools is None:
        return 1
    seeds = (args.data_dir or default_data_dir()).parent / SEEDS
    try:
        record = tools.ingest(args.page, args.id, args.reviewed_year, seeds)
    except (tools.NotAnArticle, OSError) as exc:
        print(f"error: {args.page}: {exc}", file=sys.stderr)
        return 2
    print(record, end="")
    print(f"Wrote {seeds / (args.id + '.txt')}; add the record above to data/sources.yaml.", file=sys.stderr)
    return 0


def _draft(dataset: Dataset, args) -> int:
    if args.source not in dataset.sources:
        print(f"error: no source {args.source!r} in sources.yaml (known: {', '.join(dataset.sources)})",
              file=sys.stderr)
        return 2
    folder = dataset.root / draft.DRAFTS / args.source
    if args.accept:
        tools = _curator_tools("accept")
        if tools is None:
            return 1
        try:
            moved = tools.accept(folder, args.data_dir or default_data_dir())
        except tools.NothingToAccept as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        for name, count in moved.items():
            print(f"{count} record(s) into data/{name}", file=sys.stderr)
        print("Now write the translations and labels left empty, then run `dashboard check`.", file=sys.stderr)
        return 0
    drafts = draft.draft(dataset, args.source)
    try:
        written = draft.write_drafts(drafts, folder)
    except draft.DraftsExist as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"Wrote {path}", file=sys.stderr)
    for reason in drafts.skipped:
        print(f"  not drafted: {reason}", file=sys.stderr)
    silent = draft.silent_sectors(dataset, drafts)
    if silent:
        print(f"No candidate speaks of {', '.join(silent)}: if the review is silent on one, give it search_terms "
              "in sectors.yaml (none may occur in the review).", file=sys.stderr)
    return 0


def _check(dataset: Dataset, args) -> int:
    print(
        f"OK: {len(dataset.sources)} sources, {len(dataset.sectors)} sectors, "
        f"{len(dataset.indicators)} indicators, {len(dataset.observations)} observations, "
        f"{len(dataset.statements)} statements, {len(dataset.plans)} tasks; every seed matches its SHA-256 and "
        "every quote stands verbatim in its seed."
    )
    return 0


def _data(dataset: Dataset, args) -> int:
    if args.format == "csv":
        sys.stdout.flush()
        sys.stdout.buffer.write(data_csv(dataset))
    else:
        dataset.frame.to_json(sys.stdout, orient="records", force_ascii=False, indent=1)
        print()
    return 0


def _unknown_sectors(dataset: Dataset, sectors: list[str]) -> bool:
    unknown = [s for s in sectors if s not in dataset.sectors]
    if unknown:
        print(f"error: unknown sector(s): {', '.join(unknown)}. Known sectors: {', '.join(dataset.sectors)}",
              file=sys.stderr)
    return bool(unknown)


def _plans(dataset: Dataset, args) -> int:
    if _unknown_sectors(dataset, args.sector):
        return 2
    sectors = args.sector or None
    if args.format == "csv":
        sys.stdout.flush()
        sys.stdout.buffer.write(plans_csv(dataset, sectors))
    else:
        changes.plans_frame(dataset, sectors).to_json(sys.stdout, orient="records", force_ascii=False, indent=1)
        print()
    return 0


def _export(dataset: Dataset, args) -> int:
    if _unknown_sectors(dataset, args.sector):
        return 2
    try:
        plan = plan_bundle(dataset, args.sector or list(dataset.sectors), args.format.split(","))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    renderer, missing_images = None, ""
    if needs_browser(plan.formats):
        try:
            renderer = ImageRenderer()
        except ImageExportUnavailable as exc:
            missing_images = str(exc)
            print(f"warning: {exc}", file=sys.stderr)
    try:
        written = write_files(args.out, bundle_files(dataset, plan, args.lang, renderer, _progress_bar,
                                                     site=args.site_url))
    except OSError as exc:  # the folder vanished, became a broken link, or refuses writes midway
        print(f"\nerror: cannot write into {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
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


def _search(dataset: Dataset, args) -> int:
    """Matches shown »like this«; exit 1 when nothing matches, as grep does."""
    hits = search.search(search.build_index(dataset), " ".join(args.query))
    for hit in hits[: search.MAX_HITS]:
        entry = hit.entry
        text = entry.translation if hit.in_translation else entry.text
        print(f"[{entry.year} · {entry.source}] {_bracket(text, hit.spans)}")
        if hit.in_translation:
            print(f"    {entry.text}")
        if entry.indicators:
            print(f"    indicators: {', '.join(entry.indicators)}")
    print(f"{len(hits)} match(es)", file=sys.stderr)
    return 0 if hits else 1


def _bracket(text: str, spans) -> str:
    return "".join(f"»{piece}«" if marked else piece for piece, marked in split_at_spans(text, spans))


def _coverage(dataset: Dataset, args) -> int:
    """Every numeric mention, sentence by sentence; exit 1 while any is missing."""
    missing = 0
    for source_id in dataset.sources:
        found = curation_coverage.mentions(dataset, source_id)
        summary = curation_coverage.summarise(found, source_id)
        print(f"== {source_id} ({dataset.sources[source_id].file})")
        sentence = None
        for mention in found:
            if mention.sentence != sentence:
                sentence = mention.sentence
                print(f"  “{sentence}”")
            mark = {"curated": "✓", "excluded": "–", "missing": "✗"}[mention.status]
            detail = mention.detail("en") or "MISSING: curate it, or add a rule to data/exclusions.yaml"
            print(f"      {mark} {mention.text}  {mention.status}: {detail}")
        print(f"  {summary.total} numeric mentions: {summary.curated} curated, "
              f"{summary.excluded} deliberately left out, {summary.missing} missing\n")
        missing += summary.missing
    return 1 if missing else 0
