"""Memory of one large upload: peak and settled RSS of reading, previewing and importing it.

    python -m benchmarks.upload_memory_bench [--rows 354000] [--phases read,parse,preview,import,app]
                                             [--keep DIR] [--json]

Writes a ~20 MB 人员名册 (XlsxWriter, one month, ~354k rows, 13 columns) and runs each phase in a
fresh Python process, so that one phase's leftovers never count for the next. Each process loads
its modules first, notes its RSS (`base`), resets the kernel's high-water mark, then does the work:

- read:    lib/ingest/reader.read_workbook (calamine → raw cell rows)
- parse:   lib/store/upload.parse_file (read + recognise + clean → FileResult with DataFrames)
- preview: lib/store/importer.preview on a fresh DuckDB file (parse + checks against the store)
- import:  preview, then import_preview of that parse (the upload page's confirm), into that file
- app:     数据上传 in the real app (Streamlit AppTest, signed in as 管理员): choose the file, see
           its preview, confirm, then 清空已选文件 — what the page itself holds in its session

and prints `peak` (VmHWM − base: the most the work added at once), `held` (what stays while the
result is kept, as the page keeps a preview) and `settled` (after the result is dropped, the
garbage collector has run and glibc was asked to return freed memory). With two result files
(--json output of a run before and after a change) `--compare A B` prints after/before ratios.
"""
from __future__ import annotations

import argparse
import ctypes
import gc
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

PHASES = ("read", "parse", "preview", "import", "app")
HEADER = ["序号", "月份", "队", "班组", "工号", "姓名", "性别", "出生年月", "岗位", "是否一线职工", "是否班组长",
          "政治面貌", "入党时间"]
UNITS = ["综采队", "掘锚队", "综掘队", "开拓队", "机运队", "通防部", "准备队", "机关"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志"
POSTS = ["采煤工", "支架工", "电钳工", "运输工", "通风工", "瓦检员", "安全员", "技术员"]
MIB = 1024 * 1024


def write_roster(path: Path, rows: int, seed: int = 7) -> Path:
    """One month's roster of the whole mine, as a 队's clerk would fill it in: a title row, the
    template's header, text 工号 with leading zeros, dates as dates."""
    import datetime as dt

    import xlsxwriter

    rng = random.Random(seed)
    wb = xlsxwriter.Workbook(str(path))  # shared strings, as Excel writes them
    ws = wb.add_worksheet("人员名册")
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, ["2024年6月人员名册"])
    ws.write_row(1, 0, HEADER)
    for i in range(rows):
        party = rng.random() < 0.12
        r = i + 2
        ws.write_row(r, 0, [i + 1, "2024-06", UNITS[i % len(UNITS)], f"{['生产', '检修', '运输', '机电'][i % 4]}{i % 90}班",
                            f"{i:07d}", rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                            rng.choice("男男男女"), f"{rng.randint(1965, 2003)}-{rng.randint(1, 12):02d}",
                            rng.choice(POSTS), rng.choice(["是", "是", "否"]), "是" if i % 15 == 0 else "否",
                            "中共党员" if party else rng.choice(["群众", "群众", "共青团员"])])
        if party:
            ws.write_datetime(r, 12, dt.datetime(rng.randint(1990, 2023), rng.randint(1, 12), 1), date_format)
    wb.close()
    return path


# ---------------------------------------------------------------- measuring one process

def _status() -> dict[str, int]:
    """VmRSS and VmHWM of this process, in bytes."""
    out = {}
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":", 1)
                out[key] = int(value.split()[0]) * 1024
    return out


def _reset_peak() -> None:
    """Make VmHWM start again from the current RSS (Linux ≥ 4.0)."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def _release() -> None:
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _work(phase: str, path: Path, db: Path):
    """Do the phase's work; returns what it produced (held while `held` is measured)."""
    from lib.access.auth import cli_user
    from lib.ingest.reader import read_workbook
    from lib.store.database import Store
    from lib.store.importer import IMPORTED, READY, import_preview, preview
    from lib.store.upload import parse_file

    data = path.read_bytes()
    if phase == "read":
        return read_workbook(data, path.name)
    if phase == "parse":
        return parse_file(data, path.name)
    store = Store(db)
    user = cli_user("benchmark")
    previewed = preview(store, data, path.name, user=user)
    if previewed.status != READY:
        raise SystemExit(f"preview failed: {[p.message for p in previewed.errors[:3]]}")
    if phase == "preview":
        return store, previewed
    result = import_preview(store, previewed, data, user)
    if result.status != IMPORTED:
        raise SystemExit(f"import failed: {[p.message for p in result.errors[:3]]}")
    rows = store.query("SELECT count(*) AS n FROM roster")["n"].iloc[0]
    if rows != previewed.sheets[0].rows_loaded:
        raise SystemExit(f"imported {rows} rows, previewed {previewed.sheets[0].rows_loaded}")
    store.close()
    return None  # the page keeps only the small outcome


def _app(path: Path, db: Path) -> None:
    """The upload page in the real app: choose, preview, confirm, clear."""
    from streamlit.testing.v1 import AppTest

    from tests.accounts import accounts_secrets, sign_in

    os.environ["DANGJIAN_DB"] = str(db)
    entry = str(Path(__file__).resolve().parent.parent / "dashboard.py")
    at = AppTest.from_file(entry, default_timeout=900)
    at.secrets.update(accounts_secrets())
    at.run()
    sign_in(at, "admin")
    at.switch_page("pages/upload_page.py").run()
    # The app is up: what it holds from here on is the upload's.
    _release()
    base = _status()["VmRSS"]
    _reset_peak()
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    at.file_uploader(key="upload-files-0").set_value([(path.name, path.read_bytes(), xlsx)]).run()
    if at.exception or at.button(key="upload-confirm").disabled:
        raise SystemExit(f"preview failed in the app: {at.exception or [e.value for e in at.error]}")
    previewed = _status()["VmRSS"]
    at.button(key="upload-confirm").click().run()
    if at.exception or not any("已导入" in s.value for s in at.success):
        raise SystemExit(f"import failed in the app: {at.exception or [e.value for e in at.error]}")
    confirmed = _status()["VmRSS"]
    at.button(key="upload-clear").click().run()
    cleared = _status()["VmRSS"]
    _release()
    out = _status()
    print(json.dumps({"base": base, "peak": out["VmHWM"] - base, "previewed": previewed - base,
                      "held": confirmed - base, "cleared": cleared - base, "settled": out["VmRSS"] - base}))


def child(phase: str, path: Path, db: Path) -> None:
    if phase == "app":
        return _app(path, db)
    import lib.store.importer  # noqa: F401  (modules loaded before the base is taken)

    _release()
    base = _status()["VmRSS"]
    _reset_peak()
    kept = _work(phase, path, db)
    held = _status()["VmRSS"]
    del kept
    _release()
    out = _status()
    print(json.dumps({"base": base, "peak": out["VmHWM"] - base, "held": held - base,
                      "settled": out["VmRSS"] - base}))


# ---------------------------------------------------------------- the benchmark

def run_phase(phase: str, path: Path, workdir: Path) -> dict:
    db = workdir / f"{phase}.duckdb"
    for leftover in workdir.glob(f"{phase}.duckdb*"):
        leftover.unlink()
    proc = subprocess.run([sys.executable, "-m", "benchmarks.upload_memory_bench", "--child", phase,
                           "--file", str(path), "--db", str(db)],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    if proc.returncode != 0:
        print(f"{phase} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}", file=sys.stderr)
        return None
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"{phase}: {figures}", file=sys.stderr, flush=True)
    return figures


def _mib(n: int | None) -> str:
    return "—" if n is None else f"{n / MIB:.0f}"


def report(figures: dict, size: int, rows: int) -> None:
    print(f"upload: {size / MIB:.1f} MiB xlsx, {rows} rows; MiB above the process's base after loading its modules")
    print(f"{'phase':<9}{'base':>7}{'peak':>7}{'held':>7}{'settled':>9}")
    for phase, f in figures.items():
        print(f"{phase:<9}{_mib(f['base']):>7}{_mib(f['peak']):>7}{_mib(f['held']):>7}{_mib(f['settled']):>9}")
    if "app" in figures:
        f = figures["app"]
        print(f"app: after preview {_mib(f['previewed'])}, after confirm {_mib(f['held'])}, "
              f"after 清空 {_mib(f['cleared'])}, settled {_mib(f['settled'])}; "
              f"peak base+peak = {_mib(f['base'] + f['peak'])} MiB (goal < 600), "
              f"settled {_mib(f['settled'])} MiB above base (goal ≤ 100)")


def compare(before: dict, after: dict) -> None:
    print(f"{'phase':<9}{'peak before':>12}{'after':>7}{'ratio':>7}{'settled before':>16}{'after':>7}")
    for phase in after["figures"]:
        if phase not in before["figures"]:
            continue
        b, a = before["figures"][phase], after["figures"][phase]
        ratio = a["peak"] / b["peak"] if b["peak"] else float("nan")
        print(f"{phase:<9}{_mib(b['peak']):>12}{_mib(a['peak']):>7}{ratio:>7.2f}"
              f"{_mib(b['settled']):>16}{_mib(a['settled']):>7}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=354_000)
    parser.add_argument("--phases", default=",".join(PHASES))
    parser.add_argument("--keep", type=Path, help="folder for the workbook and databases (kept)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    parser.add_argument("--child", choices=PHASES, help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.file, args.db)
    if args.compare:
        return compare(*(json.loads(p.read_text()) for p in args.compare))
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        path = workdir / f"全矿_人员名册_{args.rows}.xlsx"
        if not path.exists():
            write_roster(path, args.rows)
        figures = {phase: run_phase(phase, path, workdir) for phase in args.phases.split(",")}
        figures = {phase: f for phase, f in figures.items() if f is not None}
        size = path.stat().st_size
    report(figures, size, args.rows)
    if args.json:
        args.json.write_text(json.dumps({"rows": args.rows, "size": size, "figures": figures}, indent=1))


if __name__ == "__main__":
    main()
