"""Store faults are local and Chinese (#12 item 5): a damaged file, a read-only folder, a full disk.

Each fault is real where the machine allows it: a file of garbage, a tmpfs remounted read-only, a
tmpfs too small for the import (mounting needs root; elsewhere those tests are skipped). The user
gets a Chinese message saying what to do, nothing is changed, no temp file stays, and the same
process works again once the cause is gone — no restart.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.store.database import Store
from lib.store.faults import StoreDamaged, StoreDiskFull, StoreReadOnly
from lib.store.health import check_store
from lib.store.importer import IMPORTED, import_file
from tests.fingerprint import fingerprint
from tests.users import ADMIN_USER
from tests.workbooks import roster, xlsx_bytes

ROOT = Path(__file__).resolve().parent.parent
GARBAGE = b"This is not a database, only a file someone copied over it.\n" * 200


def damaged(path: Path) -> Path:
    path.write_bytes(GARBAGE)
    return path


def test_a_damaged_file_is_refused_in_chinese_and_left_as_it_was(tmp_path):
    db = damaged(tmp_path / "dangjian.duckdb")
    with pytest.raises(StoreDamaged) as refused:
        Store(db)
    assert "已损坏或无法读取" in refused.value.message and "restore" in refused.value.message
    run = subprocess.run([sys.executable, "-m", "lib.cli", "metrics", "--db", str(db)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert "已损坏或无法读取" in run.stderr and "Traceback" not in run.stderr
    assert db.read_bytes() == GARBAGE
    assert check_store(db, tmp_path / "demo.duckdb").as_json() == (
        '{"status": "damaged", "demo": false, "message": "数据库文件已损坏或无法读取，请从最近的备份恢复。"}')
    assert check_store(db, tmp_path / "demo.duckdb").http_status == 503


def test_the_app_shows_a_damaged_store_in_chinese_and_recovers_once_it_is_restored(demo_copy, monkeypatch):
    real = demo_copy.parent / "dangjian.duckdb"
    Store(real).close()  # a fresh install: nothing imported yet, the app shows the demo data
    backup = real.with_name("备份.duckdb")
    shutil.copy(real, backup)
    damaged(real)
    monkeypatch.setenv("DANGJIAN_DB", str(real))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    assert not at.exception
    assert any("已损坏或无法读取" in e.value for e in at.error), [e.value for e in at.error]
    shutil.copy(backup, real)  # the admin puts the backup back; nobody restarts the app
    at.run()
    assert not at.exception
    assert not [e.value for e in at.error]
    assert any("数据截至" in c.value for c in at.caption)


# --- a real small disk ---------------------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path):
    """A 16 MiB tmpfs (root only): a real disk that fills and a real read-only file system."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("mounting a tmpfs needs root")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def remount(mount: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(mount)], check=True)


def test_a_read_only_folder_is_said_in_chinese_and_the_store_works_once_writable(small_disk):
    db = small_disk / "dangjian.duckdb"
    store = Store(db)
    assert import_file(store, xlsx_bytes({"人员名册": roster(n=20)}), "a.xlsx", ADMIN_USER).status == IMPORTED
    store.close()
    before = fingerprint(Store(db))
    Store(db).close()
    remount(small_disk, "ro")
    try:
        with pytest.raises(StoreReadOnly) as refused:
            Store(db)
        assert "不可写" in refused.value.message and "自动恢复" in refused.value.message
        run = subprocess.run([sys.executable, "-m", "lib.cli", "import", "--db", str(db), str(ROOT / "README.md")],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert run.returncode == 1 and "不可写" in run.stderr and "Traceback" not in run.stderr
        assert check_store(db, small_disk / "demo.duckdb").status == "read_only"
    finally:
        remount(small_disk, "rw")
    assert fingerprint(Store(db)) == before
    assert check_store(db, small_disk / "demo.duckdb").status == "ok"


def big_roster() -> bytes:
    return xlsx_bytes({"人员名册": roster(month="2024-07", n=20000, start=100000)})


def test_a_full_disk_refuses_the_import_with_nothing_changed_and_the_store_works_after(small_disk):
    db = small_disk / "dangjian.duckdb"
    store = Store(db)
    assert import_file(store, xlsx_bytes({"人员名册": roster(n=20)}), "a.xlsx", ADMIN_USER).status == IMPORTED
    before = fingerprint(store)
    data = big_roster()
    # Leave too little room for the import's rows (the workbook itself would still fit).
    free = shutil.disk_usage(small_disk).free
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * max(0, free - len(data) - 256 * 1024))
    with pytest.raises(StoreDiskFull) as refused:
        import_file(store, data, "综采队_2024年7月.xlsx", ADMIN_USER)
    assert "磁盘空间已满" in refused.value.message and "数据没有任何改动" in refused.value.message
    assert not list(small_disk.rglob("*.tmp")), "no half-written archive left"
    filler.unlink()  # the admin frees space; the same process goes on
    assert fingerprint(store) == before
    assert store.fetchall("SELECT file_name FROM imports") == [("a.xlsx",)]
    assert import_file(store, data, "综采队_2024年7月.xlsx", ADMIN_USER).status == IMPORTED
    assert store.fetchone("SELECT count(*) FROM roster WHERE month = DATE '2024-07-01'")[0] == 20000
    store.close()


def test_a_full_disk_while_archiving_leaves_no_temp_file(small_disk, tmp_path):
    """The raw copy is written last, before the commit: when it cannot be, the import rolls back."""
    db = tmp_path / "dangjian.duckdb"  # the database has room; the archive folder is the small disk
    store = Store(db)
    os.symlink(small_disk, tmp_path / "uploads")
    data = big_roster()
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (shutil.disk_usage(small_disk).free - len(data) // 2))
    with pytest.raises(StoreDiskFull):
        import_file(store, data, "综采队_2024年7月.xlsx", ADMIN_USER)
    assert not list(small_disk.rglob("*.tmp")) and not list(small_disk.rglob("*.xlsx"))
    assert store.fetchone("SELECT count(*) FROM imports")[0] == 0
    assert store.fetchone("SELECT count(*) FROM roster")[0] == 0
    filler.unlink()
    result = import_file(store, data, "综采队_2024年7月.xlsx", ADMIN_USER)
    assert result.status == IMPORTED, [p.message for p in result.errors]
    store.close()
