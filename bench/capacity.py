"""Capacity without browsers: simulated readers speaking Streamlit's own websocket protocol.

Each simulated page view does what the browser does after loading Streamlit's JavaScript: open
`/_stcore/stream` (subprotocol "streamlit"), send a `BackMsg.rerun_script` whose `ClientState` carries the
view's query string, and read `ForwardMsg`s until `script_finished`. An exception element or an error
alert in the deltas counts as an error, as does a dropped connection or a missing `script_finished`.

`python -m bench.capacity [--quick]` prints, for the dashboard and the bare one-chart page
(bench/bare_app.py) in the same run and configuration (`make run`'s: no file watcher), at 1/10/50/100/200
concurrent readers: page views per second, p50/p95/p99 latency from connect to `script_finished`, errors,
server CPU seconds per view, and server memory per idle held session; then the dashboard with 1 and 2
replicas behind nginx at the same load, and 50 paced readers (one view every 5 s) on 2 replicas.
Loopback only; every loop is bounded by a count and a time budget.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from statistics import median, quantiles

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from dashboard.serve.cluster import serve_replicas
from dashboard.serve.process import ENTRY, free_port, start_streamlit

BARE = Path(__file__).resolve().parent / "bare_app.py"
RESULTS = Path(__file__).resolve().parent / "results" / "capacity.json"
VIEW_TIMEOUT = 60.0  # s: a view slower than this is an error, not a wait
SEARCHES = ("chinh phu dien tu", "an toan thong tin", "kinh te so", "bưu chính")
TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def realistic_views(sectors: list[str], seed: int = 14) -> list[str]:
    """A mix of what readers open: the landing page most, every tab, one or several sectors, both
    languages, some searches. Deterministic for a seed, so both runs of a comparison see the same mix."""
    rng = random.Random(seed)  # noqa: S311 (a reproducible mix, not a secret)
    views = []
    for _ in range(400):
        lang = rng.choice(["", "lang=en"])
        roll = rng.random()
        if roll < 0.35:
            parts = [lang]
        elif roll < 0.65:
            chosen = rng.sample(sectors, rng.choice([1, 1, 2, 3])) if rng.random() < 0.8 else []
            parts = [lang, "tab=sectors", *(f"sector={s}" for s in chosen)]
        elif roll < 0.9:
            parts = [lang, f"tab={rng.choice(['text', 'data', 'sources'])}", f"sector={rng.choice(sectors)}"]
        else:
            parts = [lang, "q=" + rng.choice(SEARCHES).replace(" ", "+")]
        views.append("&".join(p for p in parts if p))
    return views


@dataclass
class View:
    seconds: float
    error: str = ""


async def page_view(base: str, query: str) -> View:
    """One reader's page view: connect, ask for the script run with the view's query, wait for the end."""
    started = time.perf_counter()
    ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
    host = base.removeprefix("http://")
    message = BackMsg()
    message.rerun_script.query_string = query
    message.rerun_script.context_info.url = f"{base}/"
    message.rerun_script.context_info.timezone = "Asia/Ho_Chi_Minh"
    message.rerun_script.context_info.locale = "vi-VN"
    try:
        async with asyncio.timeout(VIEW_TIMEOUT), websockets.connect(
            ws_url, subprotocols=["streamlit"], origin=f"http://{host}", max_size=None, compression=None,
            ping_interval=None, open_timeout=VIEW_TIMEOUT,  # no client pings: an overloaded client is not an error
        ) as socket:
            await socket.send(message.SerializeToString())
            error = ""
            async for frame in socket:
                forward = ForwardMsg.FromString(frame)
                kind = forward.WhichOneof("type")
                if kind == "delta" and not error:
                    error = _error_in(forward)
                elif kind == "script_finished":
                    if forward.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                        error = error or f"script finished with status {forward.script_finished}"
                    return View(time.perf_counter() - started, error)
            return View(time.perf_counter() - started, "connection closed before script_finished")
    except (TimeoutError, OSError, websockets.WebSocketException) as exc:
        return View(time.perf_counter() - started, f"{type(exc).__name__}: {exc}"[:200])


def _error_in(forward: ForwardMsg) -> str:
    delta = forward.delta
    if delta.WhichOneof("type") != "new_element":
        return ""
    element = delta.new_element
    kind = element.WhichOneof("type")
    if kind == "exception":
        return f"exception on the page: {element.exception.type}: {element.exception.message[:120]}"
    if kind == "alert" and element.alert.format == Alert.ERROR:
        return f"error alert on the page: {element.alert.body[:120]}"
    return ""


async def held_session(base: str, query: str, expected: int, done: list[bool], ready: asyncio.Event,
                       release: asyncio.Event) -> None:
    """A reader who opens the page and then just reads: the session stays connected, idle."""
    ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
    message = BackMsg()
    message.rerun_script.query_string = query
    try:
        async with asyncio.timeout(VIEW_TIMEOUT * 3), websockets.connect(
            ws_url, subprotocols=["streamlit"], origin=base, max_size=None, compression=None, ping_interval=None,
        ) as socket:  # origin: the page's own, as a browser sends it
            await socket.send(message.SerializeToString())
            async for frame in socket:
                if ForwardMsg.FromString(frame).WhichOneof("type") == "script_finished":
                    break
            done.append(True)
            if len(done) == expected:
                ready.set()
            await release.wait()
    except (TimeoutError, OSError, websockets.WebSocketException):
        done.append(False)
        if len(done) == expected:
            ready.set()


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


def rss_bytes(pids: list[int]) -> int:
    return sum(int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE for pid in pids)


@dataclass
class Level:
    target: str
    users: int
    views: int
    seconds: float
    views_per_s: float
    p50: float
    p95: float
    p99: float
    errors: int
    cpu_per_view: float
    client_cpu_per_view: float  # the load generator's own: near 1 s/s of wall time means it is the limit
    idle_kib_per_session: float | None = None
    error_samples: list[str] = field(default_factory=list)


async def load_level(base: str, pids: list[int], users: int, views: list[str], budget: float,
                     max_views: int, pace: float = 0.0, target: str = "") -> Level:
    """`users` readers view pages back to back (or one every `pace` s) until `budget` s or `max_views`."""
    results: list[View] = []
    deadline = time.monotonic() + budget
    counter = iter(range(max_views))

    async def reader(number: int) -> None:
        await asyncio.sleep(number * min(0.02, budget / 50 / max(users, 1)))  # arrivals a little apart
        while time.monotonic() < deadline and next(counter, None) is not None:
            began = time.monotonic()
            results.append(await page_view(base, views[len(results) % len(views)]))
            if pace:
                await asyncio.sleep(max(0.0, pace - (time.monotonic() - began)))

    cpu_before, client_before, began = cpu_seconds(pids), time.process_time(), time.monotonic()
    await asyncio.gather(*(reader(n) for n in range(users)))
    seconds = time.monotonic() - began
    cpu, client = cpu_seconds(pids) - cpu_before, time.process_time() - client_before
    times = sorted(v.seconds for v in results)
    cuts = quantiles(times, n=100, method="inclusive") if len(times) > 1 else times * 99
    failed = [v.error for v in results if v.error]
    return Level(target, users, len(results), round(seconds, 2), round(len(results) / seconds, 2),
                 round(cuts[49], 3), round(cuts[94], 3), round(cuts[98], 3), len(failed),
                 round(cpu / max(len(results), 1), 4), round(client / max(len(results), 1), 4),
                 error_samples=sorted(set(failed))[:3])


async def idle_memory(base: str, pids: list[int], users: int, views: list[str]) -> float:
    """KiB of server memory per session held open and idle, over `users` sessions."""
    before = rss_bytes(pids)
    ready, release, done = asyncio.Event(), asyncio.Event(), []
    tasks = [asyncio.create_task(held_session(base, views[n % len(views)], users, done, ready, release))
             for n in range(users)]
    try:
        await asyncio.wait_for(ready.wait(), VIEW_TIMEOUT * 3)
        await asyncio.sleep(1.0)  # let the server settle after the last script run
        grown = rss_bytes(pids) - before
    finally:
        release.set()
        await asyncio.gather(*tasks, return_exceptions=True)
    return round(grown / 1024 / max(sum(done), 1), 1)


@contextmanager
def one_server(script: Path):
    port = free_port()
    process = start_streamlit(script, port)
    try:
        process.wait_until_healthy(f"http://127.0.0.1:{port}/_stcore/health", 120)
        yield f"http://127.0.0.1:{port}", [process.popen.pid]
    finally:
        process.stop()


@contextmanager
def replicas(count: int):
    with serve_replicas(count) as cluster:
        yield cluster.url, [p.popen.pid for p in cluster.replicas]


def measure(name: str, server: Callable[[], AbstractContextManager], levels: list[int], views: list[str],
            budget: float, per_user: int, with_memory: bool) -> list[Level]:
    found = []
    with server() as (base, pids):
        asyncio.run(load_level(base, pids, 2, views, 10, 10))  # warm: imports, caches, first figures
        for users in levels:
            level = asyncio.run(load_level(base, pids, users, views, budget, max(users * per_user, 20), target=name))
            if with_memory:
                level.idle_kib_per_session = asyncio.run(idle_memory(base, pids, users, views))
            print(row(level), flush=True)
            found.append(level)
    return found


def row(level: Level) -> str:
    memory = "" if level.idle_kib_per_session is None else f"{level.idle_kib_per_session:9.0f}"
    sample = f"  e.g. {level.error_samples[0]}" if level.error_samples else ""
    return (f"{level.target:<28} {level.users:>5} {level.views:>6} {level.views_per_s:>7.2f} {level.p50:>6.2f} "
            f"{level.p95:>6.2f} {level.p99:>6.2f} {level.errors:>6} {level.cpu_per_view:>8.3f} "
            f"{level.client_cpu_per_view:>8.3f} {memory:>9}{sample}")


HEADER = (f"{'server':<28} {'users':>5} {'views':>6} {'views/s':>7} {'p50 s':>6} {'p95 s':>6} {'p99 s':>6} "
          f"{'errors':>6} {'CPU s/v':>8} {'gen s/v':>8} {'KiB/idle':>9}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.capacity", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer levels and shorter budgets")
    parser.add_argument("--levels", default=None, help="comma-separated concurrent readers (default 1,10,50,100,200)")
    parser.add_argument("--only", choices=["single", "replicas"], action="append")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    levels = [int(n) for n in (args.levels or ("1,10,50" if args.quick else "1,10,50,100,200")).split(",")]
    budget, per_user = (8.0, 3) if args.quick else (20.0, 5)
    from dashboard.core.data import load

    views = realistic_views(list(load().sectors))
    landing = [""]
    sections = args.only or ["single", "replicas"]
    report: dict = {"levels": levels, "budget_s": budget, "cpus": os.cpu_count(), "load_at_start": os.getloadavg()}
    print(HEADER)
    if "single" in sections:
        report["dashboard"] = [asdict(x) for x in measure(
            "dashboard (mix)", lambda: one_server(ENTRY), levels, views, budget, per_user, True)]
        report["bare"] = [asdict(x) for x in measure(
            "bare page", lambda: one_server(BARE), levels, landing, budget, per_user, True)]
        report["landing"] = [asdict(x) for x in measure(
            "dashboard (landing)", lambda: one_server(ENTRY), [levels[min(1, len(levels) - 1)]], landing, budget,
            per_user, False)]
        everything = ["tab=sectors"]
        report["every_sector"] = [asdict(x) for x in measure(
            "dashboard (sectors, all)", lambda: one_server(ENTRY), [levels[min(1, len(levels) - 1)]], everything,
            budget, per_user, False)]
    if "replicas" in sections:
        users, pairs = 50, (1 if args.quick else 3)
        rounds = []
        for _ in range(pairs):  # alternated, so a change in the machine's load hits both sides alike
            one = measure("1 replica behind nginx", lambda: replicas(1), [users], views, budget, per_user, False)
            two = measure("2 replicas behind nginx", lambda: replicas(2), [users], views, budget, per_user, False)
            rounds.append({"one": asdict(one[0]), "two": asdict(two[0]),
                           "ratio": round(two[0].views_per_s / one[0].views_per_s, 2)})
        with replicas(2) as (base, pids):
            asyncio.run(load_level(base, pids, 2, views, 10, 10))
            paced = asyncio.run(load_level(base, pids, 50, views, max(budget, 20), 50 * 6, pace=5.0,
                                           target="2 replicas, 50 paced (5 s)"))
            print(row(paced), flush=True)
        ratios = [r["ratio"] for r in rounds]
        report["replicas"] = {"rounds": rounds, "paced": asdict(paced), "ratio": median(ratios)}
        print(f"\n2 replicas / 1 replica, {users} readers, same mix: median {median(ratios):.2f}× "
              f"(rounds: {', '.join(f'{r:.2f}' for r in ratios)})")
    if "dashboard" in report and "bare" in report:
        peak = {k: max(x["views_per_s"] for x in report[k]) for k in ("dashboard", "bare")}
        print(f"Saturation: dashboard {peak['dashboard']:.2f} views/s, bare {peak['bare']:.2f} views/s: "
              f"{peak['dashboard'] / peak['bare']:.2f}×")
        cpu_bare = min(x["cpu_per_view"] for x in report["bare"] if x["views"])
        for key in ("landing", "every_sector"):
            print(f"CPU per view, {key} / bare: {report[key][0]['cpu_per_view'] / cpu_bare:.2f}×")
    report["load_at_end"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"written to {args.out}; load average {report['load_at_start'][0]:.1f} at start, "
          f"{report['load_at_end'][0]:.1f} at end on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
