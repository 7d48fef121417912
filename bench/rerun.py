"""Filter change: the server time of a Streamlit rerun after the sector filter changes.

Measured with `streamlit.testing.v1.AppTest` on `dashboard/serve/app.py`, in a child
process per data folder (given to the app as `DASHBOARD_DATA_DIR`), so each
data set gets its own process-wide caches (`st.cache_resource`). The first run (which
loads the data) and one visit to each sector warm the caches; then the filter
alternates between two sectors and each `run()` is timed.

AppTest gives every run a fresh `ScriptCache`, so it parses, rewrites ("magic")
and compiles app.py again on each run, which a served app does once per
process. The child shares one cache across runs, as the server does, and
reports that compile time apart (`compile_ms`).

    python -m bench.rerun --data-dir data --tab sectors --sector postal --sector institutions
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.stats import ROOT, repeat
from dashboard.serve.process import APP

RUN_TIMEOUT = 600  # seconds for one AppTest run: the first one loads the data
TABS = ("sectors", "overview")  # the tab that draws charts, and the one a visitor lands on


def measure(tabs: list[str], sectors: list[str], repeats: int, budget: float) -> dict[str, dict]:
    """Per tab: the timed reruns (wall and CPU ms), the warm-up ones, the first run (s), the charts on screen."""
    from streamlit.testing.v1 import AppTest

    compile_ms = _share_script_cache()
    return {tab: _measure_tab(AppTest.from_file(str(APP), default_timeout=RUN_TIMEOUT), tab, sectors,
                              repeats, budget) | {"compile_ms": compile_ms} for tab in tabs}


def _share_script_cache() -> float | None:
    """One ScriptCache for every AppTest run, as in a served app; returns what one compile of app.py costs."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import local_script_runner

    def compile_once(_: int) -> float:
        start = time.perf_counter()
        ScriptCache().get_bytecode(str(APP))
        return 1000 * (time.perf_counter() - start)

    compile_ms = statistics.median(repeat(compile_once, 5, budget=5))
    if not hasattr(local_script_runner, "ScriptCache"):
        return None  # Streamlit changed: AppTest's recompilation stays in the figures
    shared = ScriptCache()
    local_script_runner.ScriptCache = lambda: shared
    return compile_ms


def _measure_tab(app, tab: str, sectors: list[str], repeats: int, budget: float) -> dict:
    app.query_params["tab"] = tab
    start = time.perf_counter()
    app.run()  # the first tab's first run loads the data; later tabs share the process cache
    first_run = time.perf_counter() - start
    if app.exception:
        raise RuntimeError(f"the app raised: {app.exception[0].message}")
    if app.error:
        raise RuntimeError(f"the app shows an error: {app.error[0].value}")

    cpu: list[float] = []

    def rerun(index: int) -> float:
        widget = app.multiselect(key="sectors").set_value([sectors[index % len(sectors)]])
        start, start_cpu = time.perf_counter(), time.process_time()
        widget.run()
        cpu.append(1000 * (time.process_time() - start_cpu))
        return 1000 * (time.perf_counter() - start)

    first_visits = [rerun(index) for index in range(len(sectors))]  # builds and caches their figures
    del cpu[:]
    samples = repeat(rerun, repeats, budget, at_least=3)
    return {"samples_ms": samples, "cpu_ms": cpu, "first_visit_ms": first_visits, "first_run_s": first_run,
            "charts": len(app.get("plotly_chart"))}


def in_child(data_dir: Path, tabs: list[str], sectors: list[str], repeats: int, budget: float) -> dict[str, dict]:
    """`measure` in a fresh interpreter, on `data_dir`."""
    command = [sys.executable, "-m", "bench.rerun", "--data-dir", str(data_dir),
               "--repeats", str(repeats), "--budget", str(budget)]
    command += [arg for tab in tabs for arg in ("--tab", tab)] + [arg for s in sectors for arg in ("--sector", s)]
    timeout = RUN_TIMEOUT + len(tabs) * (budget + 60)
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"rerun benchmark failed for {data_dir}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.rerun", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--tab", action="append", required=True, help="a tab (overview, sectors, …); repeatable")
    parser.add_argument("--sector", action="append", required=True, help="a sector id; give two to alternate")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--budget", type=float, default=30, help="seconds for the timed reruns of one tab")
    args = parser.parse_args(argv)
    os.environ["DASHBOARD_DATA_DIR"] = str(args.data_dir.resolve())  # read by the app's load()
    print(json.dumps(measure(args.tab, args.sector, args.repeats, args.budget)))


if __name__ == "__main__":
    main()
