"""Indicator benchmark: the full indicator set at demo scale and at group scale.

    python -m benchmarks.metrics_bench [--keep DIR] [--reps 5]

Builds the demo database (demo.build, through the importer: 1–2 minutes) and a group-scale one
(demo.group_scale, generated straight into DuckDB: ~15 s) in a temporary folder, or reuses
them from DIR with --keep (building whatever is missing there). Then, with the default filter
(the latest 12 months loaded):

- row counts per table at both scales;
- `all_metrics` once cold (first call after opening the database) and `--reps` times warm, the
  two scales taking turns; the median warm seconds at each scale and group ÷ demo (goal ≤ 3:
  the work grows in SQL, not in Python);
- at group scale, every indicator function alone, warm (median of `--reps`), sorted by time,
  marked ◀ when ≥ 150 ms (goal: every one under 150 ms on a 2-core machine), beside the time
  all_metrics then spends turning its result into JSON and the rows that result holds; for the
  marked ones, the time of each SQL query they run (fetch into pandas included);
- at group scale, the full set with a one-unit filter and with a one-team filter;
- at both scales, how many indicator computations a cold 总览 run (its view and 本月要点) and one
  deck (every page's view and 本月要点) make, beside the distinct (indicator, filter) requests
  they make, nested ones included: equal when each is computed once.

Times are wall-clock; the CPU time of the process (DuckDB's threads included) is printed
beside them because it barely moves when other processes share the machine, while wall time
does: the load average is printed at the start and the end for that reason.

It prints figures and never asserts on them: it is not a test.
"""
from __future__ import annotations

import argparse
import gc
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb

from demo import group_scale as group_data
from lib.ingest.sheets import SHEETS
from lib.metrics import query
from lib.metrics.json_contract import REPORTED, all_metrics, plain
from lib.metrics.query import Filter
from lib.metrics.registry import INDICATORS, Indicators
from lib.metrics.scope import default_filter
from lib.present.deck import deck_content
from lib.present.highlights import highlights
from lib.present.page_views import overview_view
from lib.store.database import Store

LIMIT_MS = 150
GOAL_RATIO = 3.0


# ---------------------------------------------------------------- the two databases

def _meta(path: Path, key: str) -> str | None:
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        loaded = con.execute("SELECT count(*) FROM roster").fetchone()[0]
        return row[0] if row and loaded else None
    except duckdb.Error:
        return None
    finally:
        con.close()


def demo_db(folder: Path) -> Path:
    path = folder / "demo.duckdb"
    if path.exists() and _meta(path, "schema_version"):
        print(f"demo:  reusing {path}")
        return path
    from demo.build import build_demo_database

    print("demo:  building through the importer (1–2 minutes)…", flush=True)
    started = time.perf_counter()
    summary = build_demo_database(path)
    shutil.rmtree(folder / "demo_workbooks", ignore_errors=True)
    print(f"demo:  {summary} in {time.perf_counter() - started:.0f}s")
    return path


def group_db(folder: Path) -> Path:
    path = folder / "group.duckdb"
    if path.exists() and _meta(path, "bench_generator") == group_data.GENERATOR_VERSION:
        print(f"group: reusing {path}")
        return path
    print("group: generating in DuckDB…", flush=True)
    group_data.build_group_database(path, progress=lambda s: print("group:" + s, flush=True))
    return path


def row_counts(store: Store) -> dict[str, int]:
    counts = {s.key: store.fetchone(f"SELECT count(*) FROM {s.key}")[0] for s in SHEETS}
    counts["imports"] = store.fetchone("SELECT count(*) FROM imports")[0]
    return counts


def shape(store: Store) -> str:
    month = Indicators(store).get("roster_month", default_filter(store))
    people, teams, units, members = store.fetchone(
        "SELECT count(*), count(DISTINCT unit || '/' || team), count(DISTINCT unit), "
        "count(*) FILTER (WHERE political IN ('中共党员', '中共预备党员')) FROM roster WHERE month = ?",
        [month])
    first, last = store.fetchone("SELECT min(month), max(month) FROM roster")
    return (f"{units} units, {teams:,} teams, {people:,} people ({members / people:.0%} members) in "
            f"{month:%Y-%m}; rosters {first:%Y-%m} … {last:%Y-%m}")


# ---------------------------------------------------------------- timing

def clock(fn) -> tuple[float, float]:
    """Wall seconds and this process's CPU seconds (DuckDB's threads included) of one call.

    On a machine other processes share, wall time also counts waiting for a CPU; CPU time does
    not, so it is the steadier figure there (it is higher than wall when DuckDB runs in parallel)."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def timed(fn) -> float:
    return clock(fn)[0]


def full_set(store: Store, f: Filter) -> dict:
    """Every indicator computed afresh (a new Indicators: nothing remembered) and turned into JSON."""
    return all_metrics(Indicators(store).get, f)


def full_sets(stores: dict[str, Store], filters: dict[str, Filter], reps: int) -> dict[str, dict]:
    """all_metrics per store: the first call, then `reps` more, the stores taking turns (so that load
    from other processes hits every scale alike). Each run is (wall, cpu) seconds."""
    result = {k: {"cold": clock(lambda: full_set(s, filters[k])), "warm": []} for k, s in stores.items()}
    for _ in range(reps):
        for k, s in stores.items():
            result[k]["warm"].append(clock(lambda: full_set(s, filters[k])))
    return result


def summary(runs: list[tuple[float, float]]) -> dict[str, float]:
    walls = [w for w, _ in runs]
    return {"median": statistics.median(walls), "min": min(walls), "max": max(walls),
            "cpu": statistics.median(c for _, c in runs)}


# What all_metrics reports (dev_frontline_share and dev_leader_share are dev_shares).
TIMED = ("dev_shares",) + REPORTED


def rows_returned(value) -> int:
    """Rows of every DataFrame in an indicator's result: what Python then has to turn into JSON."""
    import dataclasses

    import pandas as pd

    if isinstance(value, pd.DataFrame):
        return len(value)
    if dataclasses.is_dataclass(value):
        return sum(rows_returned(getattr(value, f.name)) for f in dataclasses.fields(value))
    return 0


def alone(store: Store, name: str, f: Filter):
    """One indicator from a fresh Indicators: computed with whatever it builds on (the roster month …)."""
    return Indicators(store).get(name, f)


def per_indicator(store: Store, f: Filter, reps: int) -> list[tuple[str, float, float, float, int]]:
    """(name, seconds, its CPU seconds, JSON-conversion seconds, rows returned), warm medians, slowest first.

    Every indicator all_metrics reports, each alone; "JSON" is all_metrics' conversion of that
    result (`json_contract.plain`)."""
    rows = []
    for name in TIMED:
        result = alone(store, name, f)
        runs = [clock(lambda: alone(store, name, f)) for _ in range(reps)]
        json_seconds = statistics.median(timed(lambda: plain(result)) for _ in range(reps))
        rows.append((name, statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs),
                     json_seconds, rows_returned(result)))
    return sorted(rows, key=lambda r: -r[1])


@contextmanager
def recording_queries():
    """Time every query the indicator modules run (query.frame / query.row), including the fetch."""
    calls: list[tuple[float, str]] = []
    # Each indicator module imported frame and row by name: they are replaced there, and put back.
    modules = {fn.__module__ for fn in INDICATORS.values()}
    users = [(sys.modules[m], helper) for m in modules for helper in ("frame", "row")
             if getattr(sys.modules[m], helper, None) is getattr(query, helper)]

    def wrap(fn):
        def timed_query(store, sql, params):
            started = time.perf_counter()
            try:
                return fn(store, sql, params)
            finally:
                calls.append((time.perf_counter() - started, sql))
        return timed_query

    for module, helper in users:
        setattr(module, helper, wrap(getattr(query, helper)))
    try:
        yield calls
    finally:
        for module, helper in users:
            setattr(module, helper, getattr(query, helper))


def query_label(sql: str, width: int = 96) -> str:
    text = re.sub(r"\s+", " ", sql).strip()
    return text if len(text) <= width else text[:width - 1] + "…"


def print_indicator_table(rows: list[tuple[str, float, float, float, int]], full: float | None = None) -> None:
    print(f"  {'indicator':20} {'function ms':>11} {'(cpu ms)':>9} {'+ JSON ms':>10} {'rows out':>9}")
    for name, seconds, cpu, json_seconds, n in rows:
        mark = f"  ◀ ≥ {LIMIT_MS} ms" if seconds * 1000 >= LIMIT_MS else ""
        print(f"  {name:20} {seconds * 1000:11.1f} {cpu * 1000:9.1f} {json_seconds * 1000:10.1f} {n:9,}{mark}")
    parts = [r for r in rows if r[0] != "overview"]
    print(f"  {'sum without overview':20} {sum(r[1] for r in parts) * 1000:11.0f} {sum(r[2] for r in parts) * 1000:9.0f}"
          f" {sum(r[3] for r in parts) * 1000:10.0f}"
          + (f"   (full set: {full * 1000:.0f} ms; there overview reuses the indicators computed for the "
             "range and adds those of the period before)" if full else ""))


def print_queries(store: Store, f: Filter, names: list[str], reps: int) -> None:
    """The queries of each slow indicator, each the median of `reps` runs."""
    for name in names:
        alone(store, name, f)
        runs = []
        for _ in range(reps):
            with recording_queries() as calls:
                alone(store, name, f)
            runs.append(calls)
        n = min(len(r) for r in runs)
        print(f"  {name}: {n} queries")
        rows = [(statistics.median(r[i][0] for r in runs), runs[0][i][1]) for i in range(n)]
        for seconds, sql in sorted(rows, key=lambda r: -r[0])[:8]:
            print(f"    {seconds * 1000:7.1f} ms  {query_label(sql)}")


# ---------------------------------------------------------------- computations

class CountingIndicators(Indicators):
    """Indicators that also note every distinct (name, filter) asked for, nested requests included."""

    def __init__(self, store: Store):
        super().__init__(store)
        self.asked: set[tuple[str, Filter]] = set()

    def get(self, name: str, f: Filter):
        self.asked.add((name, f))
        return super().get(name, f)


def computation_counts(store: Store, f: Filter) -> dict[str, tuple[int, int]]:
    """(computations, distinct requests) for a cold 总览 run — what pages/overview_page.py asks for:
    its view and 本月要点 — and for one deck's content (every page's view and 本月要点, the charts'
    figures built but not rendered: rendering asks for no indicator)."""
    page = CountingIndicators(store)
    overview_view(page.get, f)
    highlights(page.get, f)
    deck = CountingIndicators(store)
    deck_content(deck, f, full_names=False)
    return {"cold 总览": (page.computations, len(page.asked)), "one deck": (deck.computations, len(deck.asked))}


# ---------------------------------------------------------------- main

def load_note() -> str:
    one, five, _ = os.getloadavg()
    busy = "  (other processes compete for the CPUs: wall times are inflated, compare cpu)" if one > 0.75 * (os.cpu_count() or 1) else ""
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs{busy}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="folder to build the databases in and reuse them from")
    parser.add_argument("--reps", type=int, default=5, help="warm repetitions (median)")
    args = parser.parse_args()
    started = time.perf_counter()
    print(f"python {sys.version.split()[0]}, duckdb {duckdb.__version__}, {os.cpu_count()} CPUs")

    tmp = None
    if args.keep:
        folder = args.keep
        folder.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="metrics_bench_")
        folder = Path(tmp.name)
    try:
        paths = {"demo": demo_db(folder), "group": group_db(folder)}
        stores = {k: Store(p) for k, p in paths.items()}
        threads = stores["group"].fetchone("SELECT current_setting('threads')")[0]
        print(f"duckdb threads: {threads}; {load_note()}")

        # ---- data sizes
        print("\n== data sizes (rows) ==")
        counts = {k: row_counts(s) for k, s in stores.items()}
        print(f"  {'table':14} {'demo':>10} {'group':>10} {'×':>7}")
        for table in counts["demo"]:
            d, g = counts["demo"][table], counts["group"][table]
            print(f"  {table:14} {d:10,} {g:10,} {g / d if d else float('nan'):7.1f}")
        for k, s in stores.items():
            print(f"  {k}: {shape(s)}")

        # ---- full set, default filter
        print(f"\n== full indicator set (all_metrics), default filter; warm: {args.reps} runs, scales taking turns ==")
        filters = {k: default_filter(s) for k, s in stores.items()}
        gc.collect()
        runs = full_sets(stores, filters, args.reps)
        stats = {k: summary(r["warm"]) for k, r in runs.items()}
        warm = {k: st["median"] for k, st in stats.items()}
        for k, r in runs.items():
            f, st = filters[k], stats[k]
            print(f"  {k:6} {f.start:%Y-%m} … {f.end:%Y-%m}   cold {r['cold'][0]:6.3f} s   warm median {st['median']:6.3f} s"
                  f"   (min {st['min']:.3f}, max {st['max']:.3f}; cpu median {st['cpu']:.3f} s)")
        g_, d_ = stats["group"], stats["demo"]
        print(f"  group ÷ demo = {g_['median'] / d_['median']:.2f}   (goal ≤ {GOAL_RATIO:g}; on minima "
              f"{g_['min'] / d_['min']:.2f}, on cpu {g_['cpu'] / d_['cpu']:.2f})")

        # ---- each indicator at group scale
        g = stores["group"]
        f = filters["group"]
        print(f"\n== each indicator at group scale, default filter, warm median of {args.reps} "
              f"(goal < {LIMIT_MS} ms each) ==")
        rows = per_indicator(g, f, args.reps)
        print_indicator_table(rows, warm["group"])
        slow = [r[0] for r in rows if r[1] * 1000 >= LIMIT_MS and r[0] != "overview"]
        print("  (overview alone = the headline figures of team_coverage, pair_coverage, talk_activity,\n"
              "   problem_ledger, dev_shares and score_means, for the range and for the period before it)")
        if slow:
            print(f"\n== queries of the indicators ≥ {LIMIT_MS} ms (median of {args.reps}, fetch included; "
                  f"slowest 8 each) ==")
            print_queries(g, f, slow, args.reps)

        # ---- narrower filters at group scale
        unit, team = g.fetchone(
            "SELECT unit, team FROM roster WHERE month = (SELECT max(month) FROM roster) "
            "GROUP BY ALL ORDER BY count(*) DESC, unit, team LIMIT 1")
        print(f"\n== full set at group scale with a narrower filter; warm: median of {args.reps} ==")
        for label, narrow in (("one unit", default_filter(g, units=(unit,))),
                              ("one team", default_filter(g, units=(unit,), teams=((unit, team),)))):
            r = full_sets({"group": g}, {"group": narrow}, args.reps)["group"]
            st = summary(r["warm"])
            what = unit if label == "one unit" else f"{unit}/{team}"
            print(f"  {label} ({what}):   cold {r['cold'][0]:6.3f} s   warm median {st['median']:6.3f} s"
                  f"   (min {st['min']:.3f}; cpu median {st['cpu']:.3f} s)   all units: {warm['group']:.3f} s")
            top = per_indicator(g, narrow, max(3, args.reps // 2))[:4]
            print("    slowest: " + ", ".join(f"{n} {s * 1000:.0f} ms" for n, s, *_ in top))

        # ---- computations per page run and per deck
        print("\n== indicator computations, default filter (each distinct request computed once: the two equal) ==")
        print(f"  {'':6} {'what':10} {'computations':>12} {'distinct (indicator, filter) requests':>38}")
        for k, s in stores.items():
            for what, (computed, asked) in computation_counts(s, filters[k]).items():
                print(f"  {k:6} {what:10} {computed:12} {asked:38}")

        for s in stores.values():
            s.close()
    finally:
        if tmp is not None:
            tmp.cleanup()
    print(f"\n{load_note()}")
    print(f"benchmark took {time.perf_counter() - started:.0f}s")


if __name__ == "__main__":
    main()
