"""App benchmark: every page's script run at demo and at group scale, and 总览's first render in a browser.

    python -m benchmarks.app_bench [--demo PATH] [--group PATH] [--keep DIR] [--reps 3] [--loads 3]
                                   [--no-browser] [--no-browser-group]

The databases, in a temporary folder (or DIR with --keep, reused from there when present):

- demo scale: `demo_home/demo.duckdb`, copied from --demo PATH (e.g. /tmp/demo_home/demo.duckdb; the
  original is never opened for writing) or built with demo.build (~1.5 min), with DANGJIAN_DB pointing
  at `demo_home/dangjian.duckdb`, which does not exist (removed before each phase), so the app shows
  the demo exactly as on a fresh install;
- group scale: `group_home/dangjian.duckdb` from demo.group_scale (generated in DuckDB, ~15–60 s),
  or copied from --group PATH; its `imports` rows have status 'imported', so the app treats it as
  real data (checked before measuring).

1. AppTest, per page (the pages listed in dashboard.py, default page first): the default page is
   `AppTest.from_file(dashboard.py).run()`, every other one `.switch_page("pages/<name>_page.py").run()`
   in the same AppTest (as a user clicks through the menu). That first run is "cold" (the page's own
   indicators computed; pages visited earlier have filled the shared memo); `at.run()` is then
   timed `--reps` more times: "warm", the median. The memo lives per process, so each scale runs
   in its own subprocess (`python -m benchmarks.app_bench --scale group --home DIR`, printing JSON),
   the two taking turns page by page (so a change in the machine's load hits both scales alike);
   the heavy modules are imported before the clock starts, so cold is the data work, not imports.
   Each run is split by where its time went (self time, nested calls subtracted): ui.sidebar_filters,
   ui.metric (memo look-up and copy when warm), lib.present.charts figure building, st.plotly_chart,
   st.dataframe, xlsx_bytes (built only when a download is clicked, so normally 0 here) and the rest;
   single calls of 50 ms or more are listed by name.
   Goal: group warm ÷ demo warm ≤ 1.5 for every page.
2. Browser: `streamlit run dashboard.py` (headless, its own port) beside a bare Streamlit script
   drawing the same Plotly figures as 总览 (its exact figures, captured as constants from the AppTest
   run at that scale, two per row, same config) and nothing else; each server warmed by one load, then
   `--loads` fresh page loads each (a new browser context every time, the two servers taking turns),
   timed from page.goto until every chart has drawn its SVG and the running indicator is gone; the
   median of each and app ÷ bare (goal ≤ 1.5), with the CPU seconds the server and the browser side
   spent on each load (from /proc) and, in the browser's clock, when the first element, the first chart
   container and the first drawn chart appeared. Debian's /usr/bin/chromium through Playwright.
   Servers are stopped at the end whatever happens.

Times are wall-clock with the process CPU time beside them (DuckDB's threads included), and the load
average is printed: on a shared machine wall time also counts waiting for a CPU. It prints figures
and never asserts on them: it is not a test.
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.browser_render import browser_compare, med, print_browser, write_bare

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "dashboard.py"
GOAL_PAGE_RATIO = 1.5
CATEGORIES = ("sidebar", "metric", "charts", "plotly_chart", "dataframe", "xlsx", "other")
BENCH_PASSWORD = "基准测试口令2026!"  # the group run's account, hashed cheaply, never written anywhere
DETAIL_MIN = 0.05      # a single call at least this long (self time) is listed by name


def pages_from_dashboard() -> list[dict]:
    """The st.Page entries of dashboard.py, in menu order, the default page first."""
    pages = []
    for node in ast.walk(ast.parse(DASHBOARD.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page" and node.args:
            kw = {k.arg: k.value for k in node.keywords}
            pages.append({"path": node.args[0].value,
                          "title": kw["title"].value if "title" in kw else Path(node.args[0].value).stem,
                          "default": "default" in kw and kw["default"].value is True})
    return sorted(pages, key=lambda p: not p["default"])


def load_note() -> str:
    one, five, _ = os.getloadavg()
    busy = "  (busy: wall times inflated, compare cpu)" if one > 0.75 * (os.cpu_count() or 1) else ""
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs{busy}"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ================================================================ AppTest (runs in a subprocess per scale)

class Split:
    """Self time per category of the instrumented calls (a nested call's time goes to its own category)."""

    def __init__(self) -> None:
        self.stack: list[list] = []
        self.reset()

    def reset(self) -> None:
        self.times = dict.fromkeys(CATEGORIES, 0.0)
        self.calls: list[tuple[float, str]] = []        # (self seconds, "category: what") of each call
        self.xlsx_bytes = 0

    def wrap(self, category: str, fn, label=None):
        """`fn` timed into `category`; `label(args, kwargs)` names the call in `calls`."""
        def timed(*args, **kwargs):
            frame = [time.perf_counter(), 0.0]
            self.stack.append(frame)
            try:
                result = fn(*args, **kwargs)
                if category == "xlsx" and isinstance(result, bytes):
                    self.xlsx_bytes += len(result)
                return result
            finally:
                total = time.perf_counter() - frame[0]
                self.stack.pop()
                self.times[category] += total - frame[1]
                self.calls.append((total - frame[1], f"{category}: {label(args, kwargs) if label else fn.__name__}"))
                if self.stack:
                    self.stack[-1][1] += total
        timed.__wrapped__ = fn
        return timed


def instrument(split: Split) -> None:
    """Wrap what the pages call (benchmark-only monkeypatching; nothing in lib/ changes)."""
    import inspect

    import streamlit as st

    import ui
    from lib.access import export
    from lib.present import charts  # noqa: F401

    def sheets(args, kwargs):
        frames = args[0] if args else kwargs["sheets"]
        return ", ".join(f"{name} ({len(frame):,} rows)" for name, frame in frames.items())

    def rows(args, kwargs):
        frame = args[0] if args else kwargs.get("frame")
        return f"{len(frame):,} rows" if hasattr(frame, "__len__") else ""

    def figure(fn):
        def label(args, kwargs):
            frame = args[0] if args else None
            return fn.__name__ + (f" ({len(frame):,} rows in)" if hasattr(frame, "columns") else "")
        return label

    ui.sidebar_filters = split.wrap("sidebar", ui.sidebar_filters)
    # Pages call ui.metric; ui.show_page hands the same function to the views from ui.frame.
    ui.metric = ui.frame.metric = split.wrap("metric", ui.metric, lambda a, k: f"{a[0]}")
    wrapped_xlsx = split.wrap("xlsx", export.xlsx_bytes, sheets)
    export.xlsx_bytes = wrapped_xlsx  # export_table looks it up at call time
    for name, fn in inspect.getmembers(charts, inspect.isfunction):
        if fn.__module__ == charts.__name__ and not name.startswith("_"):
            setattr(charts, name, split.wrap("charts", fn, figure(fn)))
    st.plotly_chart = split.wrap("plotly_chart", st.plotly_chart)
    st.dataframe = split.wrap("dataframe", st.dataframe, rows)


def measure_scale(scale: str, home: Path, reps: int, lockstep: bool = False) -> dict:
    """Every page in one AppTest: a cold run, then `reps` warm ones (this process only).

    With `lockstep`, each page (and the bare page at the end) waits for a line on stdin: the parent
    lets the two scales take turns page by page, so a change in the machine's load hits both alike."""
    os.environ["DANGJIAN_DB"] = str(home / "dangjian.duckdb")
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    started = time.perf_counter()
    # Import what the scripts import before any clock starts: cold = data work, not module loading.
    import openpyxl  # noqa: F401
    import pandas  # noqa: F401
    import plotly.graph_objects
    import plotly.io  # noqa: F401
    from streamlit.testing.v1 import AppTest

    import ui  # noqa: F401
    from lib.metrics import registry  # noqa: F401
    from lib.present import charts  # noqa: F401

    split = Split()
    instrument(split)
    log(f"  [{scale}] imports {time.perf_counter() - started:.1f}s")

    def one_run(at, switch_to: str | None = None, click=None) -> dict:
        split.reset()
        wall, cpu = time.perf_counter(), time.process_time()
        if switch_to:
            at.switch_page(switch_to)
        if click is not None:
            click.click()
        at.run()
        run = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}
        run["split"] = dict(split.times)
        run["split"]["other"] = max(0.0, run["wall"] - sum(split.times.values()))
        run["xlsx_bytes"] = split.xlsx_bytes
        run["calls"] = sorted([c for c in split.calls if c[0] >= DETAIL_MIN], reverse=True)
        return run

    def wait_turn() -> None:
        if lockstep and not sys.stdin.readline():
            raise SystemExit("parent went away")

    results = []
    at = AppTest.from_file(str(DASHBOARD), default_timeout=300)
    sign_in = None
    if scale == "group":
        # Real data shows no page without an account (#12): sign in as a 管理员 (every page, every 队,
        # as the demo's open access); the click's run is 总览's cold run.
        from lib.access.auth import hash_password

        at.secrets["accounts"] = {"bench": {"name": "基准", "role": "管理员",
                                            "password_hash": hash_password(BENCH_PASSWORD, rounds=4)}}
        at.run()
        at.sidebar.text_input(key="sign-in-login").input("bench")
        at.sidebar.text_input(key="sign-in-password").input(BENCH_PASSWORD)
        sign_in = at.sidebar.button[0]
    for i, page in enumerate(pages_from_dashboard()):
        wait_turn()
        cold = one_run(at, click=sign_in) if i == 0 else one_run(at, page["path"])
        warm = [one_run(at) for _ in range(reps)]
        errors = [str(e.message) for e in at.exception] + [e.value for e in at.error if e.value == ui.ERROR_MESSAGE]
        frames = [e.value for e in at.dataframe]
        charts_here = at.get("plotly_chart")
        entry = {**page, "cold": cold, "warm": warm, "errors": errors, "charts": len(charts_here),
                 "tables": len(frames), "table_rows": sum(len(f) for f in frames),
                 "downloads": len(at.get("download_button")), "demo_banner": any(
                     "演示数据" in w.value for w in at.sidebar.warning)}
        if page["default"]:
            entry["figures"] = [{"spec": c.proto.spec, "config": c.proto.config} for c in charts_here]
        median = statistics.median(r["wall"] for r in warm)
        log(f"  [{scale}] {page['title']:6} cold {cold['wall']:6.2f}s  warm {median:6.2f}s"
            + (f"  ERRORS: {errors}" if errors else ""))
        results.append(entry)
    # The bare page of the browser comparison, same figures as 总览 here: its script run, for reference.
    wait_turn()
    bare = write_bare(home.parent / f"bare_{scale}", results[0]["figures"])
    at = AppTest.from_file(str(bare / "bare_app.py"), default_timeout=300)
    bare_runs = {"cold": one_run(at), "warm": [one_run(at) for _ in range(reps)]}
    log(f"  [{scale}] bare page ({len(results[0]['figures'])} charts)  cold {bare_runs['cold']['wall']:6.2f}s  "
        f"warm {statistics.median(r['wall'] for r in bare_runs['warm']):6.2f}s")
    return {"scale": scale, "pages": results, "bare": bare_runs, "seconds": time.perf_counter() - started}


# ================================================================ databases

def check_real(path: Path) -> int:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM imports WHERE status = 'imported'").fetchone()[0]
    finally:
        con.close()


def prepare_demo(folder: Path, source: Path | None) -> Path:
    home = folder / "demo_home"
    home.mkdir(parents=True, exist_ok=True)
    target = home / "demo.duckdb"
    if source is not None:
        if source.resolve() != target.resolve():
            shutil.copyfile(source, target)
            print(f"demo:  copied {source} ({source.stat().st_size / 1e6:.0f} MB)")
    elif target.exists():
        print(f"demo:  reusing {target}")
    else:
        from demo.build import build_demo_database

        print("demo:  building through the importer (~1.5 minutes)…", flush=True)
        t0 = time.perf_counter()
        summary = build_demo_database(target)
        shutil.rmtree(home / "demo_workbooks", ignore_errors=True)
        print(f"demo:  built in {time.perf_counter() - t0:.0f}s: {summary}")
    return home


def group_version(path: Path) -> str | None:
    import duckdb

    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'bench_generator'").fetchone()
        return row[0] if row else None
    except duckdb.Error:
        return None
    finally:
        con.close()


def prepare_group(folder: Path, source: Path | None) -> Path:
    from demo import group_scale as group_data

    home = folder / "group_home"
    home.mkdir(parents=True, exist_ok=True)
    target = home / "dangjian.duckdb"
    if source is not None:
        if source.resolve() != target.resolve():
            shutil.copyfile(source, target)
            print(f"group: copied {source} ({source.stat().st_size / 1e6:.0f} MB)")
    elif target.exists() and group_version(target) == group_data.GENERATOR_VERSION:
        print(f"group: reusing {target}")
    else:
        print("group: generating in DuckDB…", flush=True)
        t0 = time.perf_counter()
        group_data.build_group_database(target, progress=lambda s: print("group:" + s, flush=True))
        print(f"group: built in {time.perf_counter() - t0:.0f}s")
    return home


def fresh_demo_state(demo_home: Path) -> None:
    """DANGJIAN_DB names a database that does not exist (the app creates it empty on first open)."""
    for name in ("dangjian.duckdb", "dangjian.duckdb.wal"):
        (demo_home / name).unlink(missing_ok=True)


# ================================================================ AppTest phase (parent side)

class ScaleRun:
    """`python -m benchmarks.app_bench --scale … --home … --lockstep` in a subprocess, one page per turn."""

    def __init__(self, scale: str, home: Path, reps: int, logs: Path) -> None:
        self.scale, self.out, self.err = scale, logs / f"apptest_{scale}.json", logs / f"apptest_{scale}.log"
        env = {**os.environ, "DANGJIAN_DB": str(home / "dangjian.duckdb")}
        self.stdout, self.stderr = open(self.out, "w"), open(self.err, "w")  # noqa: SIM115 — closed in result()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.app_bench", "--scale", scale, "--home", str(home), "--reps", str(reps),
             "--lockstep"], cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=self.stdout, stderr=subprocess.PIPE,
            text=True, bufsize=1)
        self.progress()                                  # its imports done

    def progress(self) -> None:
        """Pass its lines to the log until the next progress line, which is printed."""
        for line in self.proc.stderr:
            self.stderr.write(line)
            if line.startswith("  ["):
                print(line.rstrip(), flush=True)
                return
        self.fail()

    def turn(self) -> None:
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()
        self.progress()

    def fail(self):
        self.proc.wait()
        self.stderr.close()
        tail = self.err.read_text(errors="replace").splitlines()[-30:]
        raise RuntimeError(f"{self.scale} AppTest run failed ({self.proc.returncode}):\n" + "\n".join(tail))

    def result(self) -> dict:
        self.proc.stdin.close()
        for line in self.proc.stderr:
            self.stderr.write(line)
        if self.proc.wait():
            self.fail()
        self.stdout.close()
        self.stderr.close()
        return json.loads(self.out.read_text())

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def run_scales(homes: dict[str, Path], reps: int, logs: Path) -> dict[str, dict]:
    """Both scales in their own subprocess, taking turns page by page."""
    runs = {}
    try:
        for scale, home in homes.items():
            runs[scale] = ScaleRun(scale, home, reps, logs)
        for _ in range(len(pages_from_dashboard()) + 1):          # the pages, then the bare page
            for run in runs.values():
                run.turn()
        return {scale: run.result() for scale, run in runs.items()}
    finally:
        for run in runs.values():
            run.stop()


LINE_CHART_PAGES = ("总览", "比学争优")  # the per-队 line charts (#13: at most 8 lines at group scale)


def _median_run(page: dict) -> dict:
    runs = sorted(page["warm"], key=lambda r: r["wall"])
    return runs[len(runs) // 2]


def print_line_chart_pages(demo: dict, group: dict) -> None:
    """group ÷ demo for the pages with per-队 line charts, and their figure-building time."""
    print(f"\n  pages with per-队 line charts, group ÷ demo (goal ≤ {GOAL_PAGE_RATIO:g}):")
    for d, g in zip(demo["pages"], group["pages"]):
        if d["title"] in LINE_CHART_PAGES:
            ratio = med(g["warm"]) / med(d["warm"])
            print(f"    {d['title']:8} {med(d['warm']):.3f} s → {med(g['warm']):.3f} s = {ratio:.2f}"
                  f"{'  ◀ over' if ratio > GOAL_PAGE_RATIO else ''}; building figures "
                  f"{_median_run(d)['split']['charts']:.3f} s → {_median_run(g)['split']['charts']:.3f} s")


def print_pages(demo: dict, group: dict, reps: int) -> None:
    print(f"\n== AppTest script run per page: warm = median of {reps} runs after the cold one (seconds) ==")
    print(f"  {'page':8} {'demo warm':>9} {'group warm':>10} {'ratio':>6} {'(cpu)':>6}   "
          f"{'demo cold':>9} {'group cold':>10}   {'charts':>6} {'tables':>6} {'rows demo→group':>17}")
    worst = []
    for d, g in zip(demo["pages"], group["pages"]):
        dw, gw = med(d["warm"]), med(g["warm"])
        ratio, cpu_ratio = gw / dw, med(g["warm"], "cpu") / med(d["warm"], "cpu")
        mark = f"  ◀ > {GOAL_PAGE_RATIO:g}" if ratio > GOAL_PAGE_RATIO else ""
        print(f"  {d['title']:8} {dw:9.3f} {gw:10.3f} {ratio:6.2f} {cpu_ratio:6.2f}   {d['cold']['wall']:9.3f} "
              f"{g['cold']['wall']:10.3f}   {g['charts']:6} {g['tables']:6} "
              f"{d['table_rows']:>7,}→{g['table_rows']:<9,}{mark}")
        worst.append((ratio, d["title"]))
        for label, r in (("demo", d), ("group", g)):
            if r["errors"]:
                print(f"      {label}: ERRORS {r['errors']}")
    total_d = sum(med(d["warm"]) for d in demo["pages"])
    total_g = sum(med(g["warm"]) for g in group["pages"])
    print(f"  {'all':8} {total_d:9.3f} {total_g:10.3f} {total_g / total_d:6.2f}")
    over = [t for r, t in sorted(worst, reverse=True) if r > GOAL_PAGE_RATIO]
    print(f"  pages over the goal (group ÷ demo ≤ {GOAL_PAGE_RATIO:g}): {len(over)} of {len(worst)}"
          + (f" — {', '.join(over)}" if over else ""))
    print_line_chart_pages(demo, group)
    banners = [p["title"] for p in group["pages"] if p["demo_banner"]]
    if banners or not all(p["demo_banner"] for p in demo["pages"]):
        print("  WARNING: demo banner where it should not be / missing where it should:", banners)

    for scale, data in (("group", group), ("demo", demo)):
        print(f"\n== where a warm run's time goes at {scale} scale (median run, seconds, self time) ==")
        print(f"  {'page':8} {'total':>7} " + " ".join(f"{c:>12}" for c in CATEGORIES) + f" {'xlsx built':>11}")
        for p in sorted(data["pages"], key=lambda p: -med(p["warm"])):
            runs = sorted(p["warm"], key=lambda r: r["wall"])
            r = runs[len(runs) // 2]
            print(f"  {p['title']:8} {r['wall']:7.3f} " + " ".join(f"{r['split'][c]:12.3f}" for c in CATEGORIES)
                  + f" {r['xlsx_bytes'] / 1e6:9.2f}MB")
        if scale == "group":
            print("  (sidebar = ui.sidebar_filters; metric = ui.metric: store look-up, data_version query, memo hit\n"
                  "   and copy of the result; charts = lib.present.charts figure building; xlsx = xlsx_bytes for the\n"
                  "   download buttons; other = the rest: page script, widgets, KPI cards, pandas in the pages)")
            print(f"\n  single calls ≥ {DETAIL_MIN * 1000:.0f} ms in that run (self time):")
            for p in sorted(data["pages"], key=lambda p: -med(p["warm"])):
                runs = sorted(p["warm"], key=lambda r: r["wall"])
                calls = runs[len(runs) // 2]["calls"]
                if calls:
                    print(f"    {p['title']:8} " + "; ".join(f"{what} {sec:.2f}s" for sec, what in calls[:5]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demo", type=Path, help="an existing demo.duckdb to copy (never modified)")
    parser.add_argument("--group", type=Path, help="an existing group-scale database to copy instead of generating")
    parser.add_argument("--keep", type=Path, help="folder to keep the databases in and reuse them from")
    parser.add_argument("--reps", type=int, default=3, help="warm AppTest runs per page (median)")
    parser.add_argument("--loads", type=int, default=3, help="fresh browser loads per server (median)")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser comparison")
    parser.add_argument("--no-browser-group", action="store_true", help="browser comparison at demo scale only")
    parser.add_argument("--scale", choices=("demo", "group"), help=argparse.SUPPRESS)   # subprocess mode
    parser.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--lockstep", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.scale:
        print(json.dumps(measure_scale(args.scale, args.home, args.reps, args.lockstep), ensure_ascii=False))
        return

    started = time.perf_counter()
    import duckdb
    import streamlit

    print(f"python {sys.version.split()[0]}, streamlit {streamlit.__version__}, duckdb {duckdb.__version__}; "
          f"{load_note()}")
    tmp = None
    if args.keep:
        folder = args.keep.resolve()
        folder.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="app_bench_")
        folder = Path(tmp.name)
    logs = folder / "logs"
    logs.mkdir(exist_ok=True)
    try:
        demo_home = prepare_demo(folder, args.demo)
        group_home = prepare_group(folder, args.group)
        imported = check_real(group_home / "dangjian.duckdb")
        print(f"group: {imported:,} imports with status 'imported' → the app shows it as real data")
        if not imported:
            raise SystemExit("group database has no imported rows: the app would show the demo instead")

        print(f"\nAppTest, {len(pages_from_dashboard())} pages × (1 cold + {args.reps} warm) per scale, "
              f"one subprocess per scale, taking turns page by page…", flush=True)
        fresh_demo_state(demo_home)
        scales = run_scales({"demo": demo_home, "group": group_home}, args.reps, logs)
        demo, group = scales["demo"], scales["group"]
        print_pages(demo, group, args.reps)
        print(f"\n  ({load_note()})")

        if not args.no_browser:
            print(f"\nbrowser: app and bare page served side by side, {args.loads} loads each…", flush=True)
            browser = {}
            fresh_demo_state(demo_home)
            figures = {"demo": demo["pages"][0]["figures"], "group": group["pages"][0]["figures"]}
            homes = {"demo": demo_home, "group": group_home}
            for scale in ("demo",) if args.no_browser_group else ("demo", "group"):
                browser[scale] = browser_compare(scale, homes[scale], figures[scale], folder, logs, args.loads)
            print_browser(browser, {"demo": demo, "group": group}, args.loads)
    finally:
        if tmp is not None:
            tmp.cleanup()
    print(f"\n{load_note()}")
    print(f"benchmark took {time.perf_counter() - started:.0f}s")


if __name__ == "__main__":
    main()
