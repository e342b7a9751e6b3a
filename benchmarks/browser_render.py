"""The browser half of the app benchmark (see benchmarks/app_bench.py, step 2): 总览's first render
in Debian's Chromium against a bare Streamlit page drawing the same Plotly figures from constants."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "dashboard.py"
GOAL_BROWSER_RATIO = 1.5
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
VIEWPORT = {"width": 1600, "height": 1000}


def med(runs: list[dict], key: str = "wall") -> float:
    return statistics.median(r[key] for r in runs)

BASELINE_SCRIPT = '''"""Bare page: the same Plotly figures as 总览, from constants, two per row."""
import json
from pathlib import Path

import plotly.io as pio
import streamlit as st

st.set_page_config(page_title="baseline", layout="wide")
FIGURES = json.loads((Path(__file__).parent / "figures.json").read_text(encoding="utf-8"))
for i in range(0, len(FIGURES), 2):
    for j, (column, figure) in enumerate(zip(st.columns(2), FIGURES[i:i + 2])):
        with column:
            st.plotly_chart(pio.from_json(figure["spec"]), config=json.loads(figure["config"] or "{}"),
                            theme=None, key=f"chart-{i + j}")
'''

CHARTS_DRAWN = """(n) => {
  const drawn = Array.from(document.querySelectorAll('.js-plotly-plot')).filter(p => p.querySelector('.main-svg'));
  return drawn.length >= n && !document.querySelector('[data-testid="stStatusWidget"]') ? performance.now() : false;
}"""
# Milestones of a load, in the browser's clock: the script's first element shown in the main area (an
# element container with content, a loading skeleton included; the empty placeholder before the first
# message does not count), the first chart mounted (after the lazily loaded Plotly bundle), the first
# chart drawn.
MILESTONES = """
window.__bench = {};
new MutationObserver(() => {
  const t = window.__bench, now = performance.now();
  if (!('content' in t) && Array.from(document.querySelectorAll(
      '[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]')).some(e => e.childElementCount))
    t.content = now;
  if (!('container' in t) && document.querySelector('[data-testid="stPlotlyChart"]')) t.container = now;
  if (!('drawn' in t) && document.querySelector('.js-plotly-plot .main-svg')) t.drawn = now;
}).observe(document, {subtree: true, childList: true});
"""
COUNT_CHARTS = """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
  .filter(p => p.querySelector('.main-svg')).length"""


def write_bare(folder: Path, figures: list[dict]) -> Path:
    """The bare Streamlit page with the given figures as constants, and the app's config.toml (theme, toolbar)."""
    (folder / ".streamlit").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / ".streamlit" / "config.toml", folder / ".streamlit" / "config.toml")
    (folder / "figures.json").write_text(json.dumps(figures), encoding="utf-8")
    (folder / "bare_app.py").write_text(BASELINE_SCRIPT, encoding="utf-8")
    return folder


TICK = os.sysconf("SC_CLK_TCK")


def cpu_by_pid() -> dict[int, tuple[int, float]]:
    """pid → (parent pid, CPU seconds of the process and of its children it has reaped), from /proc."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                text = f.read()
        except OSError:
            continue
        fields = text[text.rfind(")") + 2:].split()      # from field 3 (state) on
        table[int(name)] = (int(fields[1]), sum(int(x) for x in fields[11:15]) / TICK)
    return table


def tree_cpu(table: dict[int, tuple[int, float]], roots: list[int], skip: set[int] = frozenset()) -> float:
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    total, stack = 0.0, list(roots)
    while stack:
        pid = stack.pop()
        if pid in skip or pid not in table:
            continue
        total += table[pid][1]
        stack.extend(children.get(pid, ()))
    return total


class CpuMeter:
    """CPU seconds used by one server process, and by the browser side (Chromium and Playwright's driver:
    every other process below this one)."""

    def __init__(self, servers: dict) -> None:
        self.servers = servers

    def sample(self) -> dict[str, float]:
        table = cpu_by_pid()
        pids = {k: s.proc.pid for k, s in self.servers.items()}
        mine = [pid for pid, (ppid, _) in table.items() if ppid == os.getpid()]
        result = {k: tree_cpu(table, [pid]) for k, pid in pids.items()}
        result["browser"] = tree_cpu(table, mine, skip=set(pids.values()))
        return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python -m streamlit run SCRIPT` on its own port, in its own process group (stopped by its id)."""

    def __init__(self, name: str, script: Path, cwd: Path, env: dict, logs: Path) -> None:
        self.name, self.port = name, free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = open(logs / f"server_{name}.log", "w")  # noqa: SIM115 — closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(self.port), "--browser.gatherUsageStats", "false"],
            cwd=cwd, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server {self.name} exited with {self.proc.returncode}; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.url + "_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        return
            except OSError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"server {self.name} not ready after {timeout:.0f}s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=15)
            except ProcessLookupError:
                pass
        self.log.close()


def load_once(browser, url: str, n: int, timeout_s: float, meter: CpuMeter, server: str) -> dict:
    """One fresh page load (new context): seconds from goto until n charts drawn and no run indicator,
    the browser's own performance.now() then, and the CPU seconds the server and the browser side used."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(MILESTONES)
    try:
        page = context.new_page()
        before = meter.sample()
        started = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        handle = page.wait_for_function(CHARTS_DRAWN, arg=n, polling=20, timeout=timeout_s * 1000)
        seconds = time.perf_counter() - started
        after = meter.sample()
        marks = page.evaluate("window.__bench")
        return {"wall": seconds, "js": handle.json_value() / 1000, "server_cpu": after[server] - before[server],
                "browser_cpu": after["browser"] - before["browser"],
                **{k: marks.get(k, float("nan")) / 1000 for k in ("content", "container", "drawn")}}
    finally:
        context.close()


def warm_and_count(browser, url: str, expected: int, timeout_s: float) -> tuple[float, int]:
    """The warm-up load: waits for the expected charts, settles, and counts the charts actually drawn."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        page.wait_for_function(CHARTS_DRAWN, arg=max(expected, 1), polling=50, timeout=timeout_s * 1000)
        seconds = time.perf_counter() - started
        page.wait_for_timeout(1500)
        return seconds, page.evaluate(COUNT_CHARTS)
    finally:
        context.close()


def browser_compare(scale: str, home: Path, figures: list[dict], folder: Path, logs: Path, loads: int) -> dict:
    """总览 in the app against the bare page with the same figures; both servers up, loads taking turns."""
    from playwright.sync_api import sync_playwright

    n = len(figures)
    bare = write_bare(folder / f"bare_{scale}", figures)
    env = {**os.environ, "DANGJIAN_DB": str(home / "dangjian.duckdb")}
    servers: dict[str, Server] = {}
    try:
        servers["app"] = Server(f"app_{scale}", DASHBOARD, ROOT, env, logs)
        servers["bare"] = Server(f"bare_{scale}", bare / "bare_app.py", bare, env, logs)
        for s in servers.values():
            s.wait_ready()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                result = {"expected": n, "warmup": {}, "counted": {}, "loads": {k: [] for k in servers}}
                for k, s in servers.items():
                    seconds, counted = warm_and_count(browser, s.url, n, 600)
                    result["warmup"][k], result["counted"][k] = seconds, counted
                    print(f"  [browser {scale}] {k}: warm-up load {seconds:.2f}s, {counted} charts drawn", flush=True)
                meter = CpuMeter(servers)
                for i in range(loads):
                    for k, s in servers.items():
                        result["loads"][k].append(load_once(browser, s.url, n, 300, meter, k))
                print(f"  [browser {scale}] " + ", ".join(
                    f"{k}: " + " ".join(f"{r['wall']:.2f}" for r in v) + "s" for k, v in result["loads"].items()),
                    flush=True)
            finally:
                browser.close()
    finally:
        for s in servers.values():
            s.stop()
    return result


def print_browser(results: dict[str, dict], runs: dict[str, dict], loads: int) -> None:
    print(f"\n== 总览 first render in Chromium: page.goto → every chart drawn, no run indicator; "
          f"median of {loads} fresh loads (s) ==")
    print(f"  {'scale':6} {'charts':>6} {'app':>7} {'bare':>7} {'app ÷ bare':>10}   {'server cpu app, bare':>20}   "
          f"{'browser cpu app, bare':>21}   {'warm-up load app, bare':>22}")
    for scale, r in results.items():
        m = {k: {f: statistics.median(x[f] for x in v) for f in ("wall", "js", "server_cpu", "browser_cpu")}
             for k, v in r["loads"].items()}
        app, bare = m["app"]["wall"], m["bare"]["wall"]
        mark = f"  ◀ > {GOAL_BROWSER_RATIO:g}" if app / bare > GOAL_BROWSER_RATIO else ""
        print(f"  {scale:6} {r['expected']:6} {app:7.2f} {bare:7.2f} {app / bare:10.2f}   "
              f"{m['app']['server_cpu']:13.2f}, {m['bare']['server_cpu']:5.2f}   "
              f"{m['app']['browser_cpu']:14.2f}, {m['bare']['browser_cpu']:5.2f}   "
              f"{r['warmup']['app']:15.2f}, {r['warmup']['bare']:5.2f}{mark}")
        if r["counted"]["app"] != r["expected"] or r["counted"]["bare"] != r["expected"]:
            print(f"    note: charts drawn after settling — app {r['counted']['app']}, bare {r['counted']['bare']}, "
                  f"expected {r['expected']}")
        for k in ("app", "bare"):
            marks = {f: statistics.median(x[f] for x in r["loads"][k]) for f in ("content", "container", "drawn")}
            print(f"    loads {k + ':':5} " + "  ".join(f"{x['wall']:.2f}" for x in r["loads"][k])
                  + f"   browser clock (median): first element {marks['content']:.2f}, first chart mounted "
                    f"{marks['container']:.2f}, first drawn {marks['drawn']:.2f}, all drawn {m[k]['js']:.2f}")
        data = runs[scale]
        app_warm, bare_warm = med(data["pages"][0]["warm"]), med(data["bare"]["warm"])
        print(f"    the script alone (AppTest, warm): 总览 {app_warm:.2f}, bare {bare_warm:.2f} "
              f"(difference {app_warm - bare_warm:.2f} of the {app - bare:.2f} s between the loads)")
    print("  (server cpu: the Streamlit process during the load; browser cpu: Chromium and Playwright's driver)")


# ================================================================ main

