"""Import benchmark: our whole import against merely reading with pandas + openpyxl.

    python -m benchmarks.import_bench [--rows 100000] [--peak-rows 300000] [--confirm-rows 10000]

Prints (a) seconds for `pandas.read_excel(engine="openpyxl")` to read a generated 人员名册,
(b) seconds for our whole import of it (read, clean, validate, commit) and b/a (goal ≤ 0.25),
then the upload page's two steps for a smaller file: preview (read, clean, check against the
store) and confirm (import the preview's parse: checks again, commit), with the number of times
confirm called the reader (0: the file is read once), then the peak memory of a separate process
importing a larger sheet (goal ≤ 600 MiB). Both sides of b/a run in the same process on the same
file, so machine noise hits them alike.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

HEADER = ["序号", "月份", "队", "班组", "工号", "姓名", "性别", "出生年月", "岗位", "是否一线职工", "是否班组长",
          "政治面貌", "入党时间"]
UNITS = ["综采队", "掘锚队", "综掘队", "开拓队", "机运队", "通防部", "准备队", "机关"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志"


def write_roster(path: Path, rows: int, seed: int = 1) -> Path:
    """A realistic one-month roster: one sheet, title row, text 工号 with leading zeros."""
    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("人员名册")
    ws.append(["2024年6月人员名册"])
    ws.append(HEADER)
    for i in range(rows):
        party = rng.random() < 0.12
        ws.append([i + 1, "2024-06", UNITS[i % len(UNITS)], f"{['生产', '检修', '运输', '机电'][i % 4]}{i % 90}班",
                   f"{i:07d}", rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                   rng.choice("男男男女"), f"{rng.randint(1965, 2003)}-{rng.randint(1, 12):02d}",
                   "采煤工", rng.choice(["是", "是", "否"]), "是" if i % 15 == 0 else "否",
                   "中共党员" if party else rng.choice(["群众", "群众", "共青团员"]),
                   dt.date(rng.randint(1990, 2023), rng.randint(1, 12), 1) if party else None])
    wb.save(path)
    return path


def time_pandas_openpyxl(path: Path) -> tuple[float, float]:
    """Wall and CPU seconds."""
    import pandas as pd

    started, cpu = time.perf_counter(), time.process_time()
    pd.read_excel(path, engine="openpyxl", header=1, dtype=str)
    return time.perf_counter() - started, time.process_time() - cpu


def time_our_import(path: Path, db: Path) -> tuple[float, float, int]:
    """Wall and CPU seconds (DuckDB's threads included), and the rows loaded."""
    from lib.access.auth import cli_user
    from lib.store.database import Store
    from lib.store.importer import IMPORTED, import_file

    store = Store(db)
    started, cpu = time.perf_counter(), time.process_time()
    result = import_file(store, path.read_bytes(), path.name, cli_user("benchmark"))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    if result.status != IMPORTED:
        raise SystemExit(f"import failed: {result.errors[:3]}")
    rows = result.sheets[0].rows_loaded
    store.close()
    return elapsed, cpu, rows


def time_preview_and_confirm(path: Path, db: Path) -> tuple[float, float, int, float]:
    """Seconds for preview, for confirm (import_preview), the reader calls during confirm, and for
    comparison a whole import_file of the same file, which reads it again (as confirm once did)."""
    import lib.store.upload as upload
    from lib.access.auth import cli_user
    from lib.store.database import Store
    from lib.store.importer import IMPORTED, READY, import_file, import_preview, preview

    user = cli_user("benchmark")
    data = path.read_bytes()
    reads = [0]
    reader = upload.read_workbook

    def counted(*args, **kwargs):
        reads[0] += 1
        return reader(*args, **kwargs)

    upload.read_workbook = counted
    try:
        store = Store(db)
        started = time.perf_counter()
        previewed = preview(store, data, path.name, user=user)
        preview_s = time.perf_counter() - started
        if previewed.status != READY:
            raise SystemExit(f"preview failed: {previewed.errors[:3]}")
        reads[0] = 0
        started = time.perf_counter()
        result = import_preview(store, previewed, data, user)
        confirm_s = time.perf_counter() - started
        confirm_reads = reads[0]
        if result.status != IMPORTED:
            raise SystemExit(f"confirm failed: {result.errors[:3]}")
        store.close()
        again = Store(db.with_name("again.duckdb"))
        started = time.perf_counter()
        import_file(again, data, path.name, user)
        whole_s = time.perf_counter() - started
        again.close()
    finally:
        upload.read_workbook = reader
    return preview_s, confirm_s, confirm_reads, whole_s


def peak_memory_mib(path: Path, db: Path) -> float:
    """Peak RSS of a fresh process that imports the file (imports of pandas/duckdb included)."""
    code = ("import sys, resource; from pathlib import Path; from lib.store.database import Store; "
            "from lib.store.importer import import_file; from lib.access.auth import cli_user; p = Path(sys.argv[1]); "
            "r = import_file(Store(sys.argv[2]), p.read_bytes(), p.name, cli_user('benchmark')); "
            "assert r.status == 'imported', r.errors[:3]; "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, str(path), str(db)], check=True, capture_output=True,
                         text=True, cwd=Path(__file__).resolve().parent.parent)
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the roster for b/a")
    parser.add_argument("--peak-rows", type=int, default=300_000, help="rows for the peak memory (0: skip)")
    parser.add_argument("--confirm-rows", type=int, default=10_000, help="rows for preview + confirm (0: skip)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        path = write_roster(tmp / "综采队_2024年6月.xlsx", args.rows)
        print(f"generated {args.rows:,}-row roster ({path.stat().st_size / 2**20:.1f} MiB) "
              f"in {time.perf_counter() - t0:.1f}s")
        a, a_cpu = time_pandas_openpyxl(path)
        b, b_cpu, rows = time_our_import(path, tmp / "bench.duckdb")
        print(f"(a) pandas.read_excel(engine='openpyxl'), read only : {a:6.2f} s")
        print(f"(b) our import: read, clean, validate, commit      : {b:6.2f} s  ({rows:,} rows)")
        print(f"b/a = {b / a:.3f}   (goal <= 0.25)")
        # CPU seconds stay steadier than wall time when other processes compete for the cores.
        print(f"    CPU: a {a_cpu:.2f} s, b {b_cpu:.2f} s, b/a = {b_cpu / a_cpu:.3f}")
        if args.confirm_rows:
            upload = write_roster(tmp / "upload.xlsx", args.confirm_rows, seed=3)
            preview_s, confirm_s, reads, whole_s = time_preview_and_confirm(upload, tmp / "confirm.duckdb")
            print(f"upload page, {args.confirm_rows:,} rows: preview (read, clean, check) {preview_s:6.2f} s, "
                  f"confirm (import the preview) {confirm_s:6.2f} s")
            print(f"    reader calls during confirm: {reads} (the file is not read again); "
                  f"a whole import that reads it again: {whole_s:.2f} s")
        if args.peak_rows:
            big = write_roster(tmp / "big.xlsx", args.peak_rows, seed=2)
            peak = peak_memory_mib(big, tmp / "peak.duckdb")
            print(f"peak memory importing {args.peak_rows:,} rows: {peak:.0f} MiB   (goal <= 600 MiB)")
    print(f"max RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
