"""Many sessions at once: filter changes on 总览, one session alone against N together.

    python -m benchmarks.sessions_bench [--demo PATH] [--sessions 10] [--seconds 60] [--alone 20]
                                        [--processes 1] [--root CHECKOUT] [--think 0.5 1.5]

The real server (`python serve.py`, headless, a free port on 127.0.0.1) over a copy of the demo
database in a temporary folder, with DANGJIAN_DB pointing beside it at a database that does not
exist, so the app shows the demo as on a fresh install: 演示模式, no accounts, every visitor acts as
管理员 with names masked (the default). `--demo PATH` copies that demo database (never opened for
writing); without it the demo is built through the importer first (~40 s). `--root` serves another
checkout of the app (e.g. `git archive` of an older commit), to measure before and after in one way.

Each session is a raw websocket client speaking Streamlit's protocol (BackMsg/ForwardMsg, as the
browser does, without drawing anything, so the clients cost the server's two cores little): it
opens 总览, then, until the time is up, changes one filter — 队 (none, one or two, at random),
起始月份 or 结束月份 (a random month, start ≤ end) — waits for the run to finish, waits a
think time (uniform in --think seconds) and changes the next. A filter change's latency is from
sending it to the server's "script finished"; a run that ends in an error element (Streamlit's
exception or the app's Chinese error message) is counted as an error. Phase 1 is one session
alone for --alone seconds; phase 2 is --sessions sessions for --seconds seconds. With
--processes 2 two servers share the one database and the sessions alternate between them (what a
reverse proxy does; needs a store that several processes may open).

Prints the median and p95 of a filter change for 1 and for N sessions and their ratio, the errors,
the server's CPU (cores used, from /proc) and the load average. It asserts nothing: not a test.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
ERROR_TEXT = "页面出现了意外问题"  # ui.frame.ERROR_MESSAGE, the page guard's message
FILTER_KEYS = ("filter_units", "filter_start", "filter_end")
GOAL_P95_S = 3.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(home: Path, root: Path, name: str):
    """serve.py on a free port over home/ (demo.duckdb there); stopped whatever happens."""
    port = free_port()
    env = {**os.environ, "DANGJIAN_DB": str(home / "dangjian.duckdb"),
           "DANGJIAN_SECRETS": str(home / "secrets.toml"), "STREAMLIT_SECRETS_FILES": str(home / "secrets.toml")}
    log = open(home / f"{name}.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "serve.py", "--server.headless", "true", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError("server did not start: " + (home / f"{name}.log").read_text())
                time.sleep(0.3)
        yield url, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process (all its threads: DuckDB's too), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Session:
    """One browser tab, as far as the server can tell: a websocket, its widgets' ids and values."""

    def __init__(self, url: str, rng: random.Random):
        self.url, self.rng = url, rng
        self.ws = None
        self.widgets: dict[str, tuple[str, list[str]]] = {}  # key → (widget id, options as sent)
        self.values: dict[str, object] = {}
        self.page_hash = ""
        self.errors = 0

    async def open(self) -> float:
        self.ws = await websockets.connect(self.url.replace("http", "ws") + "/_stcore/stream",
                                           subprotocols=["streamlit"], max_size=None, open_timeout=60)
        return await self.run()

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    def _client_state(self) -> BackMsg:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = ""
        state.page_script_hash = self.page_hash
        for key, value in self.values.items():
            widget = state.widget_states.widgets.add()
            widget.id = self.widgets[key][0]
            if isinstance(value, list):
                widget.string_array_value.data.extend(value)
            else:
                widget.string_value = value
        return msg

    async def run(self) -> float:
        """Send the widget states, wait for the run to finish; its seconds."""
        start = time.perf_counter()
        await self.ws.send(self._client_state().SerializeToString())
        while True:
            msg = ForwardMsg.FromString(await asyncio.wait_for(self.ws.recv(), timeout=300))
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = self.page_hash or msg.new_session.page_script_hash
            elif kind == "delta":
                self._seen(msg.delta)
            elif kind == "script_finished":
                if msg.script_finished in (ForwardMsg.FINISHED_SUCCESSFULLY,
                                           ForwardMsg.FINISHED_WITH_COMPILE_ERROR):
                    return time.perf_counter() - start

    def _seen(self, delta) -> None:
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception" or (kind == "alert" and ERROR_TEXT in element.alert.body):
            self.errors += 1
        elif kind in ("multiselect", "selectbox"):
            widget = getattr(element, kind)
            key = next((k for k in FILTER_KEYS if k in widget.id), None)
            if key:
                self.widgets[key] = (widget.id, list(widget.options))

    def change(self) -> None:
        """One filter change, as a person makes it: 队, or one end of the month range."""
        units, months = self.widgets["filter_units"][1], self.widgets["filter_start"][1]
        what = self.rng.choice(("unit", "start", "end"))
        if what == "unit":
            self.values["filter_units"] = self.rng.sample(units, self.rng.choice((0, 1, 1, 2)))
            return
        start = self.values.get("filter_start", months[max(0, len(months) - 12)])
        end = self.values.get("filter_end", months[-1])
        i, j = months.index(start), months.index(end)
        if what == "start":
            start = months[self.rng.randint(max(0, j - 23), j)]
        else:
            end = months[self.rng.randint(i, min(len(months) - 1, i + 23))]
        self.values["filter_start"], self.values["filter_end"] = start, end


async def drive(urls: list[str], sessions: int, seconds: float, think: tuple[float, float],
                seed: int) -> tuple[list[float], int, int]:
    """`sessions` clients for `seconds`; every filter change's latency, the errors, the page loads."""
    latencies: list[float] = []
    errors = loads = 0
    stop_at = time.perf_counter() + seconds

    async def one(n: int) -> None:
        nonlocal errors, loads
        rng = random.Random(seed * 1000 + n)
        await asyncio.sleep(rng.uniform(0, min(3.0, seconds / 10)))  # people do not arrive together
        session = Session(urls[n % len(urls)], rng)
        try:
            await session.open()
            loads += 1
            while time.perf_counter() < stop_at:
                session.change()
                latencies.append(await session.run())
                await asyncio.sleep(rng.uniform(*think))
        finally:
            errors += session.errors
            await session.close()

    await asyncio.gather(*(one(n) for n in range(sessions)))
    return latencies, errors, loads


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]


def phase(urls: list[str], pids: list[int], sessions: int, seconds: float, think, seed: int) -> dict:
    cpu0, wall0 = sum(cpu_seconds(p) for p in pids), time.perf_counter()
    latencies, errors, loads = asyncio.run(drive(urls, sessions, seconds, think, seed))
    cpu, wall = sum(cpu_seconds(p) for p in pids) - cpu0, time.perf_counter() - wall0
    return {"sessions": sessions, "changes": len(latencies), "errors": errors, "loads": loads,
            "median": statistics.median(latencies) if latencies else float("nan"),
            "p95": p95(latencies) if latencies else float("nan"),
            "cores": cpu / wall, "cpu_per_change": cpu / max(1, len(latencies) + loads),
            "load": os.getloadavg()[0]}


def prepare(folder: Path, demo: Path | None) -> Path:
    home = folder / "home"
    home.mkdir()
    if demo is not None:
        shutil.copy(demo, home / "demo.duckdb")
    else:
        sys.path.insert(0, str(ROOT))
        from demo.build import build_demo_database
        print("building the demo database through the importer …", flush=True)
        build_demo_database(home / "demo.duckdb")
    return home


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", type=Path, help="a demo.duckdb to copy (otherwise built)")
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60.0, help="phase 2 (N sessions)")
    parser.add_argument("--alone", type=float, default=20.0, help="phase 1 (one session)")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to serve")
    parser.add_argument("--think", type=float, nargs=2, default=(0.5, 1.5), metavar=("MIN", "MAX"))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sessions_bench_") as tmp, ExitStack() as stack:
        home = prepare(Path(tmp), args.demo)
        servers = [stack.enter_context(serve(home, args.root.resolve(), f"server{i}"))
                   for i in range(args.processes)]
        urls, pids = [u for u, _ in servers], [p for _, p in servers]
        # Warm: every server computes the default view once, as after any restart.
        asyncio.run(drive(urls, len(urls), 0.1, args.think, args.seed + 99))
        alone = phase(urls[:1], pids[:1], 1, args.alone, args.think, args.seed)
        many = phase(urls, pids, args.sessions, args.seconds, args.think, args.seed + 1)
    print(f"\n总览 filter changes, {args.processes} app process(es), checkout {args.root.resolve()}")
    print(f"{'sessions':>8} {'changes':>8} {'errors':>7} {'median s':>9} {'p95 s':>7} {'cores':>6} "
          f"{'cpu s/run':>9} {'load':>5}")
    for r in (alone, many):
        print(f"{r['sessions']:>8} {r['changes']:>8} {r['errors']:>7} {r['median']:>9.2f} {r['p95']:>7.2f} "
              f"{r['cores']:>6.2f} {r['cpu_per_change']:>9.2f} {r['load']:>5.1f}")
    print(f"ratio {args.sessions} ÷ 1: median {many['median'] / alone['median']:.1f}×, "
          f"p95 {many['p95'] / alone['p95']:.1f}×   (goal: p95 ≤ {GOAL_P95_S:.0f} s with 20 sessions)")


if __name__ == "__main__":
    main()
