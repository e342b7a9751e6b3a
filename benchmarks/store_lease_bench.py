"""What sharing the file costs (lib/store/lease.py): reads through the lease against plain DuckDB,
the file kept open against reopened per read, and how long another process waits for its turn.

    python -m benchmarks.store_lease_bench [--reads 300] [--rows 5000]

Figures (per read, median of the timed loop's reads):
- duckdb:      one connection held, a cursor per read — what the app did before #12 (the floor);
- kept open:   Store uses while the lease lingers (the app between page runs: APP_LINGER);
- reopened:    Store uses with linger 0: each read opens the file, checks the schema, closes it;
- hand-over:   a second process asks for the file (`Store(path).fetchone`) while this one reads in
               a loop: how long until it has its answer, against the same command on an idle file.
All in one run, so the ratios compare like with like on a noisy machine.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb

from lib.store.database import APP_LINGER, Store
from lib.store.importer import import_file
from tests.users import ADMIN_USER
from tests.workbooks import roster, xlsx_bytes

ROOT = Path(__file__).resolve().parent.parent
SQL = "SELECT count(*), count(DISTINCT team) FROM roster WHERE unit = ?"
CHILD = ("import sys, time; from lib.store.database import Store; t = time.perf_counter(); "
         "Store(sys.argv[1]).fetchone('SELECT count(*) FROM roster'); print(time.perf_counter() - t)")


def timed(read, n: int) -> list[float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        read()
        times.append(time.perf_counter() - started)
    return times


def child_seconds(path: Path) -> float:
    out = subprocess.run([sys.executable, "-c", CHILD, str(path)], cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=300)
    return float(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reads", type=int, default=300)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, duckdb {duckdb.__version__}, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="lease_bench_") as tmp:
        folder = Path(tmp)
        base = folder / "base.duckdb"
        store = Store(base)
        import_file(store, xlsx_bytes({"人员名册": roster(n=args.rows)}), "综采队_2024年6月.xlsx", ADMIN_USER)
        store.close()
        for name in ("plain", "kept", "reopened", "handover"):
            shutil.copy(base, folder / f"{name}.duckdb")

        con = duckdb.connect(str(folder / "plain.duckdb"))
        plain = timed(lambda: con.cursor().execute(SQL, ["综采队"]).fetchone(), args.reads)
        con.close()
        kept_store = Store(folder / "kept.duckdb", linger=APP_LINGER)
        kept = timed(lambda: kept_store.fetchone(SQL, ["综采队"]), args.reads)
        kept_store.close()
        reopened_store = Store(folder / "reopened.duckdb", linger=0)
        reopened = timed(lambda: reopened_store.fetchone(SQL, ["综采队"]), args.reads)

        rows = [("duckdb (one connection)", plain), ("kept open (lease)", kept), ("reopened per read", reopened)]
        floor = statistics.median(plain)
        print(f"\n== {args.reads} reads of a {args.rows}-row roster, per read ==")
        print(f"  {'':26} {'median ms':>10} {'p95 ms':>8} {'× duckdb':>9}")
        for label, times in rows:
            med, p95 = statistics.median(times), sorted(times)[int(0.95 * len(times)) - 1]
            print(f"  {label:26} {med * 1000:10.2f} {p95 * 1000:8.2f} {med / floor:9.2f}")

        handover = folder / "handover.duckdb"
        idle = statistics.median(child_seconds(handover) for _ in range(3))
        busy_store = Store(handover, linger=APP_LINGER)
        stop = threading.Event()

        def read_loop():
            while not stop.is_set():
                busy_store.fetchone(SQL, ["综采队"])

        reader = threading.Thread(target=read_loop)
        reader.start()
        try:
            busy = statistics.median(child_seconds(handover) for _ in range(3))
        finally:
            stop.set()
            reader.join()
            busy_store.close()
        print("\n== another process's turn (open + one read, in the child, median of 3) ==")
        print(f"  file idle:                       {idle * 1000:8.1f} ms")
        print(f"  while this process reads nonstop:{busy * 1000:8.1f} ms   (× idle {busy / idle:.2f})")


if __name__ == "__main__":
    main()
