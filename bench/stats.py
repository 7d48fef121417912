"""Results, bounded repetition, and the table and JSON they end up in."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Result:
    """One figure of the table: a median over repeated samples, against a target (an upper bound)."""

    name: str
    unit: str  # "s", "ms", "×" (a ratio), "MB", "pts" (a score out of 100) or "visits" (a count)
    samples: list[float]
    target: float | None = None
    note: str = ""
    failed: str = ""  # why the target is not met whatever the median (e.g. no pagination)
    extra: dict = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        return not self.failed and self.median <= self.target

    def as_json(self) -> dict:
        return {
            "name": self.name, "unit": self.unit, "median": self.median, "min": min(self.samples),
            "max": max(self.samples), "target": self.target, "met": self.met, "runs": len(self.samples),
            "samples": self.samples, "note": self.note, "failed": self.failed, **self.extra,
        }


def repeat(measure: Callable[[int], float], count: int, budget: float, at_least: int = 1) -> list[float]:
    """`measure(i)` for i = 0, 1, …: `count` times, or fewer once `budget` seconds are spent (never below
    `at_least`)."""
    samples: list[float] = []
    deadline = time.monotonic() + budget
    for index in range(count):
        if index >= at_least and time.monotonic() > deadline:
            break
        samples.append(measure(index))
    return samples


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "×":
        return f"{value:.2f}×"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "MB":
        return f"{value:.2f} MB"
    if unit in ("pts", "visits"):
        return f"{value:.0f}"
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        return "  ".join(str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(row) for row in rows])


def main_table(results: list[Result]) -> str:
    rows, notes = [], []
    for result in results:
        mark = "—" if result.met is None else "yes" if result.met else "NO"
        name = result.name
        if result.note or result.failed:
            notes.append(f"[{len(notes) + 1}] {'; '.join(part for part in (result.failed, result.note) if part)}")
            name += f" [{len(notes)}]"
        rows.append([
            name, fmt(result.median, result.unit), fmt(min(result.samples), result.unit),
            fmt(max(result.samples), result.unit), "≤ " + fmt(result.target, result.unit) if result.target else "—",
            mark, str(len(result.samples)),
        ])
    text = table(rows, ["figure", "median", "min", "max", "target", "met", "runs"])
    return text + ("\n\n" + "\n".join(notes) if notes else "")


def growth_table(growth: list[dict]) -> str:
    rows = [[f"{g['indicators']:,}", f"{g['observations']:,}", fmt(g["load_cold_s"], "s"),
             fmt(g["load_cold_cpu_s"], "s"), fmt(g["load_warm_s"], "s"), fmt(g["load_warm_cpu_s"], "s"),
             fmt(g["rerun_sectors_ms"], "ms"), fmt(g["rerun_overview_ms"], "ms")] for g in growth]
    return table(rows, ["indicators", "observations", "load cold", "(CPU)", "load warm (cache hit)", "(CPU)",
                        "rerun (by sector)", "rerun (overview)"])


def version() -> dict:
    def git(*args: str) -> str:
        try:
            done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return ""
        return done.stdout.strip()

    import plotly
    import streamlit

    return {
        "commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain", "--", "dashboard", "data")),
        "python": platform.python_version(), "streamlit": streamlit.__version__, "plotly": plotly.__version__,
        "cpus": os.cpu_count(), "load_average_at_end": os.getloadavg(),
    }


def write_json(path: Path, results: list[Result], growth: list[dict], run: dict) -> None:
    """`run`: how this run was made (quick or not, sections, seconds, load average at start)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    report = {"created": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **run, "version": version(),
              "results": [r.as_json() for r in results], "growth": growth}
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
