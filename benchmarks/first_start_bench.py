"""From a fresh clone to the first usable page: `bash start.sh` as a new user runs it (#12 item 3).

    python -m benchmarks.first_start_bench [--runs 2] [--root CHECKOUT]

Clones the checkout's HEAD into a temporary folder (so no data/ exists yet: start.sh checks the
requirements, builds the demo database and serves), starts `bash start.sh` on a free port, and
times three moments: the server answering /_stcore/health, and 总览 fully drawn for a first
visitor (a websocket session speaking Streamlit's protocol, as in sessions_bench: its first run
finished, no error on the page). Packages are already installed, as the issue's goal assumes.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.sessions_bench import Session, free_port

ROOT = Path(__file__).resolve().parent.parent


def first_start(root: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="first_start_") as tmp:
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "-q", str(root), str(clone)], check=True)
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("DANGJIAN_")}
        log = open(Path(tmp) / "start.log", "w")
        started = time.perf_counter()
        proc = subprocess.Popen(["bash", "start.sh", "--server.headless", "true", "--server.address", "127.0.0.1",
                                 "--server.port", str(port), "--browser.gatherUsageStats", "false"],
                                cwd=clone, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        try:
            while True:
                try:
                    if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                        break
                except OSError:
                    if proc.poll() is not None or time.perf_counter() - started > 600:
                        raise RuntimeError("start.sh 未能启动：" + (Path(tmp) / "start.log").read_text())
                    time.sleep(0.2)
            served = time.perf_counter() - started
            session = Session(url, random.Random(1))

            async def visit() -> None:
                await session.open()
                await session.close()

            asyncio.run(visit())
            if session.errors:
                raise RuntimeError("总览 showed an error on the first visit")
            page = time.perf_counter() - started
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
            log.close()
        demo = clone / "data" / "demo.duckdb"
        return {"served": served, "page": page, "demo_mb": demo.stat().st_size / 1e6 if demo.exists() else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}; clone of {args.root}")
    runs = []
    for i in range(args.runs):
        run = first_start(args.root)
        runs.append(run)
        print(f"  run {i + 1}: server answers after {run['served']:.1f} s, 总览 drawn after {run['page']:.1f} s")
    page = statistics.median(r["page"] for r in runs)
    print(f"median: first usable page after {page:.1f} s (goal ≤ 60 s: {'met' if page <= 60 else 'NOT met'})")


if __name__ == "__main__":
    main()
