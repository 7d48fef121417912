"""Serve the app on a free loopback port for a test or a benchmark, and the browser that drives it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dashboard.present import exports
from dashboard.serve.process import ENTRY, free_port, start_streamlit

CHROMIUM = exports.browser_path()  # the browser the tests and benchmarks drive: the one that draws the exports
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@contextmanager
def serve(script: Path = ENTRY, env: dict[str, str] | None = None, timeout: float = 60) -> Iterator[str]:
    """Run `streamlit run script` on a free port; yield its URL once it answers."""
    port = free_port()
    process = start_streamlit(script, port, env)
    url = f"http://127.0.0.1:{port}"
    try:
        process.wait_until_healthy(f"{url}/_stcore/health", timeout)
        yield url
    finally:
        process.stop()
