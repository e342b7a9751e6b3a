"""Demo build benchmark: the time `build_demo_database` takes, and a fingerprint of what it wrote.

    python -m benchmarks.demo_bench [--db PATH] [--fingerprint-only PATH] [--json]

Builds the demo database (every workbook through the real importer, as `python -m lib.cli demo`
does) into a temporary folder, prints the seconds it took (goal ≤ 20 s), and a fingerprint of
every table: row count and a hash of its rows in a fixed order, with the times of day the
import wrote (imported_at, saved_at) left out. Two builds of the same code give the same
fingerprint, so it tells whether a change to the import path changed any stored byte.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

# Columns that differ from run to run with equal data: the wall-clock time of the import, and
CLOCK_COLUMNS = {"imported_at", "saved_at", "undone_at", "done_at", "exported_at", "set_at",
                 # the bytes themselves: an .xlsx carries the time it was written
                 "file_hash", "content_key", "file_size"}


def fingerprint(db_path: Path) -> dict[str, tuple[int, str]]:
    """table → (row count, sha256 of every row in order of all its columns), clock columns left out."""
    import duckdb

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "ORDER BY table_name").fetchall()]
        out = {}
        for table in tables:
            cols = [r[0] for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
                "AND table_name = ? ORDER BY column_index", [table]).fetchall()]
            kept = ", ".join(f'"{c}"' for c in cols if c not in CLOCK_COLUMNS)
            rows = con.execute(f"SELECT {kept} FROM {table} ORDER BY ALL").fetchall()
            digest = hashlib.sha256()
            for row in rows:
                digest.update(repr(row).encode("utf-8"))
            out[table] = (len(rows), digest.hexdigest())
        return out
    finally:
        con.close()


def archived_files(folder: Path) -> int:
    """How many raw uploads the build archived (their bytes differ from run to run: write times)."""
    return sum(1 for p in folder.iterdir() if p.is_file()) if folder.is_dir() else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="build here (default: a temporary folder)")
    parser.add_argument("--fingerprint-only", metavar="PATH", help="only print the fingerprint of PATH")
    parser.add_argument("--json", action="store_true", help="print the fingerprint as JSON")
    args = parser.parse_args(argv)
    if args.fingerprint_only:
        print(json.dumps(fingerprint(Path(args.fingerprint_only)), ensure_ascii=False, indent=1))
        return 0
    from demo.build import build_demo_database

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "demo.duckdb"
        started = time.perf_counter()
        summary = build_demo_database(db)
        seconds = time.perf_counter() - started
        prints = fingerprint(db)
        uploads = archived_files(db.parent / "uploads" / db.stem)
    print(f"demo build: {seconds:.1f} s  ({summary}; goal ≤ 20 s)")
    if args.json:
        print(json.dumps({"tables": prints, "uploads": uploads}, ensure_ascii=False, indent=1))
    else:
        total = hashlib.sha256(json.dumps(prints, sort_keys=True).encode()).hexdigest()[:16]
        print(f"fingerprint: {len(prints)} tables, {sum(n for n, _ in prints.values()):,} rows, {total}; "
              f"{uploads} files archived")
    return 0


if __name__ == "__main__":
    sys.exit(main())
