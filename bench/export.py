"""Batch export: every chart of the real data as PNG, SVG, HTML and CSV in one ZIP, one browser start.

Each round times `ImageRenderer()` (the browser start) apart from the bundle
built after it (`bundle_files` → `zip_bundle`, in memory), which is divided by
the number of charts.
"""

from __future__ import annotations

import time

from bench.stats import Result, repeat
from dashboard.core.data import PROJECT_ROOT, load
from dashboard.present import exports


def run(rounds: int, budget: float) -> list[Result]:
    ds = load(PROJECT_ROOT / "data")
    plan = exports.plan_bundle(ds, list(ds.sectors), exports.FORMATS)
    charts = len(plan.indicator_ids)
    start = time.perf_counter()
    import kaleido  # noqa: F401  (once per process; kept out of the start-up figure)

    import_seconds = time.perf_counter() - start
    starts: list[float] = []
    sizes: list[int] = []

    def one_round(_: int) -> float:
        start = time.perf_counter()
        renderer = exports.ImageRenderer()
        started = time.perf_counter()
        try:
            archive = exports.zip_bundle(exports.bundle_files(ds, plan, "vi", renderer))
        finally:
            finished = time.perf_counter()
            renderer.close()
        starts.append(started - start)
        sizes.append(len(archive))
        return (finished - started) / charts

    per_chart = repeat(one_round, rounds, budget, at_least=2)
    return [
        Result("Batch export: browser start (ImageRenderer())", "s", starts,
               note=f"kaleido's import ({import_seconds:.2f} s, once per process) not included"),
        Result("Batch export: time per chart after start", "s", per_chart, target=0.10,
               note=f"{charts} charts × {', '.join(exports.FORMATS)} → one ZIP of {sizes[-1] / 2**20:.1f} MiB; "
                    "includes the data CSV, README and plotly.js added once per ZIP",
               extra={"charts": charts, "zip_bytes": sizes[-1]}),
    ]
