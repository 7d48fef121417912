"""Several dashboard replicas behind nginx, on loopback: `make serve-replicas` and the replica tests.

`python -m dashboard.serve.cluster --replicas 2 --port 8501` starts the replicas (each `streamlit run
dashboard/serve/asgi.py` on its own port) and nginx in the foreground, with deploy/nginx.conf.j2 filled in
inside a temporary folder that nginx uses as its prefix; Ctrl-C stops them all.
"""

from __future__ import annotations

import argparse
import getpass
import grp
import os
import secrets
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import jinja2

from dashboard.serve.process import ENTRY, Process, free_port, start_streamlit

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
AFFINITY_COOKIE = "replica"
NGINX_HINT = "nginx is not installed: run `bash scripts/ensure-browser` (it installs Debian's nginx with chromium)."


@dataclass
class Cluster:
    url: str  # nginx
    replica_urls: list[str]
    replicas: list[Process]
    proxy: Process
    prefix: Path

    def kill(self, index: int) -> None:
        """Stop one replica at once (SIGKILL), as a crash would."""
        self.replicas[index].popen.kill()
        self.replicas[index].popen.wait()


def nginx_config(port: int, replica_ports: list[int], prefix: Path) -> str:
    template = jinja2.Environment(loader=jinja2.FileSystemLoader(DEPLOY), autoescape=False,  # noqa: S701 (not HTML)
                                  undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    user = f"{getpass.getuser()} {grp.getgrgid(os.getgid()).gr_name}"
    return template.get_template("nginx.conf.j2").render(
        port=port, ports=replica_ports, prefix=prefix, user=user, cookie=AFFINITY_COOKIE)


@contextmanager
def serve_replicas(replicas: int = 2, port: int | None = None, env: dict[str, str] | None = None,
                   timeout: float = 120) -> Iterator[Cluster]:
    nginx = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
    if nginx is None:
        raise RuntimeError(NGINX_HINT)
    port = port or free_port()
    ports = [free_port() for _ in range(replicas)]
    # One cookie secret for every replica, so a cookie signed by one is valid on the others.
    env = {"STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32), **(env or {})}
    with ExitStack() as stack:
        prefix = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="dashboard-nginx-")))
        started = []
        for replica_port in ports:
            process = start_streamlit(ENTRY, replica_port, env)
            stack.callback(process.stop)
            started.append(process)
        for process, replica_port in zip(started, ports, strict=True):
            process.wait_until_healthy(f"http://127.0.0.1:{replica_port}/_stcore/health", timeout)
        (prefix / "nginx.conf").write_text(nginx_config(port, ports, prefix), encoding="utf-8")
        proxy = Process([nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")])
        stack.callback(proxy.stop)
        url = f"http://127.0.0.1:{port}"
        proxy.wait_until_healthy(f"{url}/_stcore/health", 30)
        yield Cluster(url, [f"http://127.0.0.1:{p}" for p in ports], started, proxy, prefix)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.serve.cluster", description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8501)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop cleanly on `kill` as on Ctrl-C
    try:
        with serve_replicas(args.replicas, args.port) as cluster:
            print(f"{args.replicas} replica(s) at {', '.join(cluster.replica_urls)}", flush=True)
            print(f"Open {cluster.url} (nginx). Ctrl-C stops everything.", flush=True)
            # nginx routes around a replica that dies; stop when nothing is left to route to.
            while cluster.proxy.popen.poll() is None and any(p.popen.poll() is None for p in cluster.replicas):
                time.sleep(1)
            print("nginx or every replica stopped; shutting down.", flush=True)
            return 1
    except KeyboardInterrupt:
        return 0
    except RuntimeError as exc:
        print(f"error: {exc}")
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
