"""Raw uploads (the original files beside the database) are kept for the retention only, removed
when their import is undone, and on demand; undo keeps working from the archived rows."""
import datetime as dt
import os

import pytest

import lib.store.uploads as uploads
from lib.access.auth import PermissionDenied
from lib.cli import main
from lib.config import DEFAULT_UPLOAD_DAYS, UPLOAD_DAYS_ENV, upload_retention_days
from lib.store.backup import backup, restore
from lib.store.importer import IMPORTED, import_file
from lib.store.logs import history, operations_history
from lib.store.undo import undo
from lib.store.uploads import cleanup_if_due, purge_uploads, raw_files
from tests.fingerprint import fingerprint
from tests.users import ADMIN_USER, VIEWER_USER
from tests.workbooks import roster, xlsx_bytes

NOW = dt.datetime(2025, 3, 1, 9, 0)


@pytest.fixture(autouse=True)
def fresh_cleanup_clock(monkeypatch):
    """Each test starts as a fresh process: the app's cleanup has not run yet."""
    monkeypatch.setattr(uploads, "_last_cleanup", {})
    monkeypatch.delenv(UPLOAD_DAYS_ENV, raising=False)


def _import(store, n, start, name, unit="综采队"):
    result = import_file(store, xlsx_bytes({"人员名册": roster(unit=unit, n=n, start=start)}), name, ADMIN_USER)
    assert result.status == IMPORTED, result.errors
    return result


def _age(store, result, days: float) -> None:
    """Make the raw file of an import look `days` old at NOW."""
    path = store.archive_dir / f"{result.file_hash}.xlsx"
    stamp = (NOW - dt.timedelta(days=days)).timestamp()
    os.utime(path, (stamp, stamp))


def test_the_retention_is_180_days_unless_configured(monkeypatch):
    assert upload_retention_days() == DEFAULT_UPLOAD_DAYS == 180
    monkeypatch.setenv(UPLOAD_DAYS_ENV, "30")
    assert upload_retention_days() == 30
    for bad in ("半年", "-1", "1.5"):
        monkeypatch.setenv(UPLOAD_DAYS_ENV, bad)
        with pytest.raises(ValueError, match="DANGJIAN_UPLOAD_DAYS"):
            upload_retention_days()


def test_the_apps_cleanup_removes_expired_uploads_once_a_day(store, monkeypatch):
    old = _import(store, 5, 1, "old.xlsx")
    recent = _import(store, 5, 100, "recent.xlsx", unit="机运队")
    _age(store, old, 181)
    _age(store, recent, 179)
    before = fingerprint(store)

    removed = cleanup_if_due(store, now=NOW)

    assert [p.name for p in removed] == [f"{old.file_hash}.xlsx"]
    assert [p.name for p in raw_files(store)] == [f"{recent.file_hash}.xlsx"]
    assert fingerprint(store) == before, "the data stays; only the raw file goes"
    ops = operations_history(store)
    assert list(ops["操作人"]) == [uploads.SYSTEM_USER]
    assert "保存超过 180 天" in ops["说明"].iloc[0] and "1 个" in ops["说明"].iloc[0]
    # At most once a day: the next page run of the same day does nothing.
    _age(store, recent, 200)
    assert cleanup_if_due(store, now=NOW + dt.timedelta(hours=23)) is None
    assert cleanup_if_due(store, now=NOW + dt.timedelta(days=1)) != []
    assert raw_files(store) == []
    # Undo still works from the archived rows, without the raw file.
    undo(store, recent.import_id, ADMIN_USER)
    assert fingerprint(store)["roster"][0] == 5


def test_a_cleanup_that_removes_nothing_is_not_logged(store):
    _import(store, 5, 1, "a.xlsx")
    assert cleanup_if_due(store, now=NOW) == []
    assert len(raw_files(store)) == 1
    assert operations_history(store).empty


def test_the_retention_setting_reaches_the_cleanup(store, monkeypatch):
    result = _import(store, 5, 1, "a.xlsx")
    _age(store, result, 10)
    monkeypatch.setenv(UPLOAD_DAYS_ENV, "7")
    assert len(cleanup_if_due(store, now=NOW)) == 1


def test_importing_the_same_bytes_again_renews_the_file(store, tmp_path):
    empty = backup(store, tmp_path / "empty.duckdb", ADMIN_USER)
    data = xlsx_bytes({"人员名册": roster(n=5)})
    first = import_file(store, data, "a.xlsx", ADMIN_USER)
    restore(store, empty, ADMIN_USER)  # its data goes, its log row and its raw file stay
    _age(store, first, 300)
    again = import_file(store, data, "a.xlsx", ADMIN_USER)
    assert again.status == IMPORTED and again.import_id == first.import_id + 1
    assert cleanup_if_due(store) == [], "the retention counts from the last import"


def test_an_undone_imports_raw_file_is_gone_at_once(store):
    kept = _import(store, 5, 1, "kept.xlsx")
    undone = _import(store, 5, 100, "undone.xlsx", unit="机运队")
    assert len(raw_files(store)) == 2
    undo(store, undone.import_id, ADMIN_USER)
    assert [p.name for p in raw_files(store)] == [f"{kept.file_hash}.xlsx"]
    assert list(history(store)["状态"]) == ["已撤销", "有效"], "the log row stays"


def test_purge_uploads_needs_an_admin_and_is_logged(store):
    result = _import(store, 5, 1, "a.xlsx")
    _age(store, result, 40)
    with pytest.raises(PermissionDenied):
        purge_uploads(store, VIEWER_USER, 0)
    assert purge_uploads(store, ADMIN_USER, 60, now=NOW) == []
    assert len(purge_uploads(store, ADMIN_USER, 30, now=NOW)) == 1
    ops = operations_history(store)
    assert list(ops["操作"]) == ["清理原始上传文件"] * 2
    assert list(ops["操作人"]) == [ADMIN_USER.name] * 2, "an admin's purge is logged even when nothing went"


def test_purge_uploads_from_the_command_line(tmp_path, capsys, monkeypatch):
    db = tmp_path / "cli.duckdb"
    workbook = tmp_path / "综采队.xlsx"
    workbook.write_bytes(xlsx_bytes({"人员名册": roster(n=4)}))
    assert main(["import", str(workbook), "--db", str(db)]) == 0
    archived = list((tmp_path / "uploads" / "cli").iterdir())
    assert len(archived) == 1
    capsys.readouterr()

    assert main(["purge-uploads", "--db", str(db)]) == 0
    assert "共删除保存超过 180 天的原始上传文件 0 个" in capsys.readouterr().out
    assert main(["purge-uploads", "--db", str(db), "--days", "0", "--user", "王主任"]) == 0
    out = capsys.readouterr().out
    assert f"已删除 {archived[0]}" in out and "0 天的原始上传文件 1 个" in out
    assert not archived[0].exists()
    assert main(["purge-uploads", "--db", str(db), "--days", "-3"]) == 2
    monkeypatch.setenv(UPLOAD_DAYS_ENV, "半年")
    assert main(["purge-uploads", "--db", str(db)]) == 2
    assert "DANGJIAN_UPLOAD_DAYS" in capsys.readouterr().err
