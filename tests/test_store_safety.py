"""The store is never damaged: killed imports, concurrent use, backup and restore."""
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

from lib.store.backup import backup, restore
from lib.store.database import Store
from lib.store.importer import IMPORTED, import_file
from tests.fingerprint import fingerprint
from tests.users import ADMIN_USER
from tests.workbooks import roster, xlsx_bytes

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _fingerprint(path) -> dict:
    store = Store(path)
    try:
        return fingerprint(store)
    finally:
        store.close()


def test_import_killed_at_random_moments_leaves_old_or_new_state(tmp_path):
    base = tmp_path / "base.duckdb"
    store = Store(base)
    assert import_file(store, xlsx_bytes({"人员名册": roster(n=300)}), "old.xlsx", ADMIN_USER).status == IMPORTED
    store.close()
    old = _fingerprint(base)

    # A bigger replacement of the same scope, so an import takes a while to write.
    new_file = tmp_path / "综采队_2024年6月.xlsx"
    new_file.write_bytes(xlsx_bytes({"人员名册": roster(n=20000, start=1000)}))
    done = tmp_path / "done.duckdb"
    shutil.copy(base, done)
    command = [sys.executable, "-m", "lib.cli", "import", str(new_file), "--db"]
    started = time.perf_counter()
    subprocess.run(command + [str(done)], cwd=ROOT, check=True, capture_output=True, timeout=300)
    full_run = time.perf_counter() - started
    new = _fingerprint(done)
    assert new != old

    rng = random.Random(7)
    outcomes = []
    for attempt in range(12):
        work = tmp_path / f"kill{attempt}.duckdb"
        shutil.copy(base, work)
        proc = subprocess.Popen(command + [str(work)], cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, full_run * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        state = _fingerprint(work)
        assert state in (old, new), f"attempt {attempt}: database is neither the old nor the new state"
        outcomes.append("new" if state == new else "old")
    print(f"full import {full_run:.2f}s; outcomes after SIGKILL: {outcomes}")


def test_four_importers_and_four_readers_at_once(tmp_path):
    store = Store(tmp_path / "concurrent.duckdb")
    units = ["综采队", "掘锚队", "机运队", "通防部"]
    sizes = {}
    files = []
    for u, unit in enumerate(units):
        for m in range(1, 4):
            n = 50 + 10 * m
            month = f"2024-0{m}"
            sizes[(unit, month)] = n
            files.append((unit, month, xlsx_bytes({"人员名册": roster(month=month, unit=unit, n=n,
                                                                   start=u * 1000 + m * 100)})))
    errors: list[str] = []
    stop = threading.Event()

    def importer(unit):
        try:
            for u, month, data in files:
                if u == unit:
                    result = import_file(store, data, f"{unit}{month}.xlsx", ADMIN_USER)
                    if result.status != IMPORTED:
                        errors.append(f"{unit}{month}: {result.status} {result.errors[:1]}")
        except Exception as exc:  # noqa: BLE001 — collected and asserted below
            errors.append(repr(exc))

    reads = [0]

    def reader():
        try:
            while not stop.is_set():
                rows = store.cursor().execute(
                    "SELECT unit, strftime(month, '%Y-%m'), count(*) FROM roster GROUP BY ALL").fetchall()
                for unit, month, n in rows:
                    if n != sizes[(unit, month)]:
                        errors.append(f"partial read {unit} {month}: {n}")
                reads[0] += 1
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))

    readers = [threading.Thread(target=reader) for _ in range(4)]
    importers = [threading.Thread(target=importer, args=(u,)) for u in units]
    for t in readers + importers:
        t.start()
    for t in importers:
        t.join(timeout=300)
    stop.set()
    for t in readers:
        t.join(timeout=60)
    assert errors == []
    assert reads[0] > 0
    total = store.cursor().execute("SELECT count(*) FROM roster").fetchone()[0]
    assert total == sum(sizes.values())
    store.close()


def test_backup_and_restore_while_in_use(tmp_path):
    store = Store(tmp_path / "live.duckdb")
    import_file(store, xlsx_bytes({"人员名册": roster(n=20)}), "a.xlsx", ADMIN_USER)
    state_a = fingerprint(store)
    reading = threading.Event()
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            store.cursor().execute("SELECT count(*) FROM roster").fetchone()
            reading.set()

    thread = threading.Thread(target=reader)
    thread.start()
    reading.wait(10)
    copy = backup(store, tmp_path / "backup.duckdb", ADMIN_USER)
    import_file(store, xlsx_bytes({"人员名册": roster(n=5, start=100)}), "b.xlsx", ADMIN_USER)
    assert fingerprint(store) != state_a
    restore(store, copy, ADMIN_USER)
    stop.set()
    thread.join(10)
    assert fingerprint(store) == state_a
    # The import the restore took away keeps its id in the log; ids keep counting after it.
    assert store.cursor().execute("SELECT id, status FROM imports ORDER BY id").fetchall() == [
        (1, "imported"), (2, "restored_away")]
    again = import_file(store, xlsx_bytes({"人员名册": roster(n=7, start=200)}), "c.xlsx", ADMIN_USER)
    assert again.import_id == 3
    store.close()


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, store):
    other = tmp_path / "other.duckdb"
    import duckdb
    duckdb.connect(str(other)).execute("CREATE TABLE x (a INT)").close()
    before = fingerprint(store)
    with pytest.raises(ValueError, match="不是本看板的备份文件"):
        restore(store, other, ADMIN_USER)
    assert fingerprint(store) == before
