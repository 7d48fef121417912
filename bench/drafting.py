"""`python -m bench.drafting`: how much of the curation `dashboard draft` gets right, review by review.

For each review: a copy of data/ without that review's records (its figures, passages and tasks; the
tasks it answers made `awaiting` again) is drafted back, and the drafts are compared with what was curated.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml

from dashboard.core.data import PROJECT_ROOT, SEEDS, load
from dashboard.core.text_rules import fold
from dashboard.curate.draft import draft

OUTCOME_FIELDS = ("outcome_observations", "outcome_quote", "outcome_translation", "search_terms")


def withdraw_review(data_dir: Path, source_id: str) -> None:
    """Take a review's curation out of `data_dir` (a copy): as if it had just been ingested."""
    def rewrite(name: str, keep) -> None:
        path = data_dir / name
        records = [keep(r) for r in yaml.safe_load(path.read_text(encoding="utf-8"))]
        path.write_text(yaml.safe_dump([r for r in records if r], allow_unicode=True, sort_keys=False, width=1000),
                        encoding="utf-8")

    reviewed = next(s["reviewed_year"] for s in yaml.safe_load((data_dir / "sources.yaml").read_text("utf-8"))
                    if s["id"] == source_id)

    def plan(record: dict) -> dict | None:
        if record["source"] == source_id:
            return None
        if record["for_year"] == reviewed:
            record = {k: v for k, v in record.items() if k not in OUTCOME_FIELDS} | {"status": "awaiting"}
        return record

    rewrite("observations.yaml", lambda r: None if r["source"] == source_id else r)
    rewrite("statements.yaml", lambda r: None if r["source"] == source_id else r)
    rewrite("plans.yaml", plan)


def copy_project(into: Path) -> Path:
    shutil.copytree(PROJECT_ROOT / "data", into / "data")
    shutil.copytree(PROJECT_ROOT / SEEDS, into / SEEDS)
    return into / "data"


def measure(source_id: str) -> dict:
    """The drafts of `source_id` against its curation."""
    curated = load(PROJECT_ROOT / "data")
    with tempfile.TemporaryDirectory() as folder:
        data_dir = copy_project(Path(folder))
        withdraw_review(data_dir, source_id)
        drafts = draft(load(data_dir, complete=False), source_id)
    units = {i.id: i.unit for i in curated.indicators.values()}
    figures = [o for o in curated.observations if o.source == source_id and o.kind != "derived"]
    found, wrong = [], []
    matched = set()
    for obs in figures:
        written = fold(obs.as_written or "")
        # The candidate whose quote holds the whole figure as written ("01 Chỉ thị"), else its number ("01").
        hits = ([i for i, c in enumerate(drafts.observations) if c["value"] == obs.value and written in c["quote"]]
                or [i for i, c in enumerate(drafts.observations)
                    if c["value"] == obs.value and written.split(" ")[0] in c["quote"]])
        right = [i for i in hits if drafts.observations[i]["qualifier"] == obs.qualifier
                 and drafts.observations[i]["year"] == obs.year and drafts.observations[i]["kind"] == obs.kind
                 and _unit(drafts, i, units) == units[obs.indicator]]
        matched.update(hits)
        (found if right else wrong).append(f"{obs.key} ({obs.as_written or obs.value:})")
        if hits and right and drafts.observations[right[0]]["indicator"] != obs.indicator:
            found[-1] += f" [indicator drafted as {drafts.observations[right[0]]['indicator']}]"
    seeds = load(PROJECT_ROOT / "data").seed_texts[source_id]
    not_verbatim = [c["quote"] for c in drafts.observations if fold(c["quote"]) not in seeds]
    noise = [_noise_cause(c, curated, source_id) for i, c in enumerate(drafts.observations) if i not in matched]
    outcomes = _outcomes(curated, drafts, source_id)
    drafted_tasks = [fold(p["quote"]) for p in drafts.plans if p["source"] == source_id]
    curated_tasks = [fold(p.quote) for p in curated.plans if p.source == source_id]
    same_indicator = [f for f in found if "[indicator drafted as" not in f]
    passages = [s for s in curated.statements if s.source == source_id]
    held = [s for s in passages if any(fold(s.quote) in fold(c["quote"]) for c in drafts.statements)]
    same_sector = [s for s in held if any(fold(s.quote) in fold(c["quote"]) and c["sector"] == s.sector
                                          for c in drafts.statements)]
    return {
        "source": source_id, "curated_figures": len(figures), "found_right": found, "found_wrong_or_missed": wrong,
        "candidates": len(drafts.observations), "not_verbatim": not_verbatim,
        "noise": noise, "noise_causes": dict(Counter(cause for cause, _ in noise)),
        "outcomes": outcomes, "tasks_drafted": sum(1 for p in drafts.plans if p["source"] == source_id),
        "tasks_curated": len(curated_tasks), "same_indicator": len(same_indicator),
        "passages": {"curated": len(passages), "drafted": len(drafts.statements), "within_a_draft": len(held),
                     "same_sector": len(same_sector)},
        "tasks_exact": sum(1 for q in curated_tasks if q in drafted_tasks),
        "tasks_within": sum(1 for q in curated_tasks if any(q in d for d in drafted_tasks)),
    }


def _unit(drafts, index: int, units: dict[str, str]) -> str:
    candidate = drafts.observations[index]
    new = {i["id"]: i["unit"] for i in drafts.indicators}
    return new.get(candidate["indicator"]) or units.get(candidate["indicator"], "?")


def _noise_cause(candidate: dict, curated, source_id: str) -> tuple[str, str]:
    """Why a candidate is not a curated figure: the operand of a derived figure, or a number left uncurated."""
    derived = [o for o in curated.observations if o.source == source_id and o.formula
               and fold(candidate["quote"]) in fold(o.quote)]
    if derived:
        return "an operand of a derived figure (“tăng 15 bậc”: a change, not a figure)", candidate["as_written"]
    if candidate["year"] != curated.sources[source_id].reviewed_year and candidate["kind"] == "actual":
        return "a figure of another year", candidate["as_written"]
    return "a number the curation leaves out", f"{candidate['as_written']} in “{candidate['quote']}”"


def _outcomes(curated, drafts, source_id: str) -> dict:
    reviewed = curated.sources[source_id].reviewed_year
    truth = {p.id: p for p in curated.plans if p.for_year == reviewed and p.source != source_id}
    agree, differ = [], []
    terms = {"curated": 0, "searched": 0, "missed": []}  # a silent task's curated search terms the draft searched
    for candidate in drafts.plans:
        want = truth.get(candidate["id"])
        if want is None:
            continue
        if want.status == candidate["status"] == "not_mentioned":
            searched = {fold(term).lower() for term in (*candidate.get("searched", ()), *candidate["search_terms"])}
            for term in want.search_terms:
                terms["curated"] += 1
                if fold(term).lower() in searched:
                    terms["searched"] += 1
                else:
                    terms["missed"].append(f"{want.id}: {term}")
        same = candidate["status"] == want.status and (
            want.status != "words" or fold(want.outcome_quote) in fold(candidate["outcome_quote"])
            or fold(candidate["outcome_quote"]) in fold(want.outcome_quote))
        (agree if same else differ).append(
            f"{want.id}: curated {want.status}, drafted {candidate['status']}")
    return {"tasks": len(truth), "agree": agree, "differ": differ, "terms": terms}


def run() -> list[dict]:
    return [measure(source_id) for source_id in load(PROJECT_ROOT / "data").sources]


def report(results: list[dict]) -> str:
    lines = []
    for r in results:
        lines += [
            f"== {r['source']}: {len(r['found_right'])}/{r['curated_figures']} curated figures found with value, "
            f"qualifier, unit, year and a quote holding the figure right ({r['same_indicator']} with the curated "
            f"indicator); {r['candidates']} candidates, "
            f"{len(r['noise'])} not curated figures; {len(r['not_verbatim'])} quotes not verbatim",
            *(f"   missed or wrong: {w}" for w in r["found_wrong_or_missed"]),
            *(f"   noise: {cause}: {what}" for cause, what in r["noise"]),
            f"   task outcomes: {len(r['outcomes']['agree'])}/{r['outcomes']['tasks']} agree with the curated status"
            " (and, for words, the passage)",
            *(f"   differs: {d}" for d in r["outcomes"]["differ"]),
            f"   not mentioned, both: {r['outcomes']['terms']['searched']}/{r['outcomes']['terms']['curated']} "
            "curated search terms among the terms the draft searched",
            *(f"   not searched: {m}" for m in r["outcomes"]["terms"]["missed"]),
            f"   tasks it sets: {r['tasks_drafted']} drafted, {r['tasks_curated']} curated: {r['tasks_exact']} drafted "
            f"word for word, {r['tasks_within']} standing within a drafted task",
            f"   passages: {r['passages']['curated']} curated, {r['passages']['drafted']} drafted; "
            f"{r['passages']['within_a_draft']} curated ones stand within a drafted one, "
            f"{r['passages']['same_sector']} of them with the curated sector",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    measured = run()
    print(report(measured))
    if "--json" in sys.argv:
        print(json.dumps(measured, ensure_ascii=False, indent=1))
