"""`python -m bench [--quick]`: run every benchmark, print one table, write bench/results/latest.json."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from statistics import median

from bench import drafting, export, rerun, scale, searching, startup
from bench.stats import Result, growth_table, main_table, write_json
from dashboard.core.data import PROJECT_ROOT, load

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"
SECTIONS = ("startup", "filter", "export", "scale", "search", "draft")
# (full, --quick) repeat counts; each section also has a time budget, so a slow machine ends sooner.
REPEATS = {
    "startup_rounds": (7, 3), "filter_reruns": (30, 10), "export_rounds": (3, 2),
    "scale_loads": (5, 2), "scale_reruns": (20, 8), "search_rounds": (200, 20),
}
BUDGETS = {"startup": (180, 80), "filter": (20, 8), "export": (60, 30), "scale": (40, 10)}


def filter_change(reruns: int, budget: float) -> list[Result]:
    ds = load(PROJECT_ROOT / "data")
    sectors = sorted(ds.sectors, key=lambda s: -len(ds.indicators_by_sector.get(s, [])))[:2]
    by_tab = rerun.in_child(PROJECT_ROOT / "data", list(rerun.TABS), sectors, reruns, budget)
    compile_ms = next(iter(by_tab.values()))["compile_ms"]
    shared = ("one ScriptCache shared across runs as in a served app (AppTest alone recompiles app.py on every "
              f"run: +{compile_ms:.0f} ms)" if compile_ms is not None else "includes AppTest recompiling app.py")
    method = (f"AppTest on the real data, alternating {' / '.join(sectors)}, figure cache warm; {shared}; "
              "AppTest's element tree still adds some overhead")
    return [
        Result(f"Filter change: rerun ({tab} tab)", "ms", got["samples_ms"], target=50,
               note=(method if index == 0 else "as above") + f"; CPU {median(got['cpu_ms']):.0f} ms; first visits "
               + ", ".join(f"{v:.0f}" for v in got["first_visit_ms"]) + " ms",
               extra={"charts": got["charts"], "first_visit_ms": got["first_visit_ms"], "compile_ms": compile_ms,
                      "cpu_ms": got["cpu_ms"]})
        for index, (tab, got) in enumerate(by_tab.items())
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats: rough figures in about two minutes")
    parser.add_argument("--only", action="append", choices=SECTIONS, help="run only this section (repeatable)")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"JSON to write (default: {RESULTS})")
    args = parser.parse_args(argv)
    pick = 1 if args.quick else 0
    n = {key: counts[pick] for key, counts in REPEATS.items()}
    budget = {key: seconds[pick] for key, seconds in BUDGETS.items()}
    sections = args.only or SECTIONS

    began, load_at_start = time.monotonic(), os.getloadavg()
    results: list[Result] = []
    growth: list[dict] = []
    drafts: list[dict] = []  # not timings: how much of each review's curation `dashboard draft` gets right
    for section in sections:
        print(f"… {section}", flush=True)
        if section == "startup":
            results += startup.run(n["startup_rounds"], budget["startup"])
        elif section == "filter":
            results += filter_change(n["filter_reruns"], budget["filter"])
        elif section == "export":
            results += export.run(n["export_rounds"], budget["export"])
        elif section == "scale":
            found, growth = scale.run(n["scale_loads"], n["scale_reruns"], budget["scale"])
            results += found
        elif section == "search":
            results += searching.run(n["search_rounds"])
        elif section == "draft":
            drafts = drafting.run()
    seconds = time.monotonic() - began
    print()
    print(main_table(results))
    if growth:
        print("\nGrowth (medians):")
        print(growth_table(growth))
    if drafts:
        print("\nDrafts against the curation:")
        print(drafting.report(drafts))
    kind = ("quick" if args.quick else "full") + (f" ({', '.join(sections)} only)" if args.only else "")
    print(f"\n{kind} run, {seconds:.0f} s; load average {load_at_start[0]:.1f} at start, "
          f"{os.getloadavg()[0]:.1f} at end on {os.cpu_count()} CPUs; written to {args.out}")
    write_json(args.out, results, growth, {"quick": args.quick, "sections": list(sections),
                                           "seconds": round(seconds, 1), "load_average_at_start": load_at_start,
                                           **({"draft": drafts} if drafts else {})})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
