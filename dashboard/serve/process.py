"""Start the served app as a child process on a loopback port: the replicas (cluster.py), and the tests'
and benchmarks' servers (tests/serving.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"  # the page alone (AppTest runs it)
ENTRY = APP.with_name("asgi.py")  # the page with its chart and data URLs, as `make run` serves it
PROJECT = APP.parents[2]  # streamlit reads .streamlit/config.toml (theme, error details, toolbar) from its cwd
# No file watcher on a served app: it costs every session CPU and serves no reader (docs/performance.md).
SERVED = ["--server.headless", "true", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Process:
    """One started child whose output is kept in a temporary file, read back only if it fails."""

    def __init__(self, command: list[str], env: dict[str, str] | None = None, cwd: Path = PROJECT):
        self.log = tempfile.TemporaryFile()
        self.popen = subprocess.Popen(command, env={**os.environ, **(env or {})}, stdout=self.log,
                                      stderr=subprocess.STDOUT, cwd=cwd)

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def wait_until_healthy(self, url: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback)
                    return
            except OSError:
                if self.popen.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{url} did not answer:\n{self.output()}") from None
                time.sleep(0.2)

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self.log.close()


def start_streamlit(script: Path, port: int, env: dict[str, str] | None = None) -> Process:
    return Process([sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
                    "--server.address", "127.0.0.1", *SERVED], env)
