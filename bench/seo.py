"""`python -m bench.seo`: Lighthouse 12's SEO and best-practices audits of the landing page, a figure's view and
the bare one-chart Streamlit page (bench/bare_app.py), scores side by side, and every audit that fails.

Lighthouse comes from bench/lighthouse/package-lock.json (npm ci) and drives the Chromium the tests use
(`CHROME_PATH`), headless, with its default (mobile) settings. Each server is started as `make run` starts it and
visited once by Lighthouse before the run that counts, so no page is judged on a cold start. The scores are the
median of `--rounds` runs; an audit is listed as failing if it failed in any run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
from pathlib import Path
from statistics import median

from dashboard.serve.process import ENTRY
from tests.serving import CHROMIUM, serve

BARE_APP = Path(__file__).resolve().parent / "bare_app.py"
LIGHTHOUSE_DIR = Path(__file__).resolve().parent / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("seo", "best-practices")
FIGURE_VIEW = "/?figure=egov-rank&lang=en"
TIMEOUT = 300  # seconds for one Lighthouse run


def ensure_lighthouse() -> None:
    """Lighthouse as its lock file pins it, installed once."""
    if not LIGHTHOUSE.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("Lighthouse needs npm: sudo apt-get install npm")
        subprocess.run([npm, "ci", "--prefix", str(LIGHTHOUSE_DIR), "--no-audit", "--no-fund", "--silent"], check=True)


def lighthouse(url: str) -> dict:
    """One Lighthouse run of the two categories: its JSON report."""
    done = subprocess.run(
        [str(LIGHTHOUSE), url, f"--only-categories={','.join(CATEGORIES)}", "--output=json", "--output-path=stdout",
         "--quiet", "--chrome-flags=--headless --no-sandbox"],
        env={**os.environ, "CHROME_PATH": CHROMIUM or "/usr/bin/chromium"}, capture_output=True, text=True,
        timeout=TIMEOUT, check=True)
    return json.loads(done.stdout)


def failures(report: dict) -> set[str]:
    """The audits of the two categories that scored below full marks: `id: title`."""
    audits = report["audits"]
    return {f"{ref['id']}: {audits[ref['id']]['title']}" for category in CATEGORIES
            for ref in report["categories"][category]["auditRefs"]
            if ref["weight"] > 0 and audits[ref["id"]]["score"] is not None and audits[ref["id"]]["score"] < 1}


def audit(pages: dict[str, str], rounds: int) -> dict[str, dict]:
    results = {}
    for name, url in pages.items():
        lighthouse(url)  # the server's first visit, not counted
        reports = [lighthouse(url) for _ in range(rounds)]
        results[name] = {
            "url": url,
            "scores": {c: round(100 * median(r["categories"][c]["score"] for r in reports)) for c in CATEGORIES},
            "failing": sorted(set().union(*(failures(r) for r in reports))),
            "lighthouse": reports[0]["lighthouseVersion"],
        }
    return results


def table(results: dict[str, dict]) -> str:
    names = list(results)
    lines = ["| Lighthouse " + next(iter(results.values()))["lighthouse"] + " | " + " | ".join(names) + " |",
             "| --- |" + " ---: |" * len(names)]
    lines += [f"| {category} | " + " | ".join(str(results[n]["scores"][category]) for n in names) + " |"
              for category in CATEGORIES]
    lines += ["", *(f"- {name} ({results[name]['url']}): failing: {', '.join(results[name]['failing']) or 'none'}"
                    for name in names)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.seo", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="runs per page (median score; default 3)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    ensure_lighthouse()
    with serve(ENTRY, timeout=120) as dashboard, serve(BARE_APP) as bare:
        results = audit({"landing page": dashboard + "/", "figure view": dashboard + FIGURE_VIEW,
                         "bare Streamlit page": bare + "/"}, args.rounds)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
