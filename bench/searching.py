"""Search latency: a query over both reviews, with and without diacritics, index built once."""

from __future__ import annotations

import time

from bench.stats import Result
from dashboard.core import search
from dashboard.core.data import PROJECT_ROOT, load

QUERIES = ("chinh phu dien tu", "Chính phủ điện tử", "an toan thong tin", "e-government", "dang uy bo")


def run(repeats: int) -> list[Result]:
    index = search.build_index(load(PROJECT_ROOT / "data"))
    samples = []
    for _ in range(repeats):
        for query in QUERIES:
            began = time.perf_counter()
            search.search(index, query)
            samples.append((time.perf_counter() - began) * 1000)
    return [Result("Search: one query over both reviews", "ms", samples, target=50,
                   note=f"{len(QUERIES)} queries × {repeats}, index built once per process as in the app")]
