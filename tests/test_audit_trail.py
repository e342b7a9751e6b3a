"""The audit trail only grows: real workbooks into real DuckDB files, then backup, restore and undo.

No import, export or operation log row is ever removed — not by an undo, not by a restore of an
older backup, not by any code under lib/ or ui/.
"""
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from lib.cli import main
from lib.store.backup import backup, restore
from lib.store.database import LOG_DDL, LOG_TABLES, Store
from lib.store.importer import IMPORTED, import_file
from lib.store.logs import history, log_export, operations_history, without_names
from lib.store.undo import UndoRefused, undo
from tests.fingerprint import fingerprint
from tests.users import ADMIN_USER, VIEWER_USER, uploader
from tests.workbooks import roster, xlsx_bytes

ROOT = Path(__file__).resolve().parent.parent


def _import(store, n, start, name, unit="综采队", user=ADMIN_USER):
    result = import_file(store, xlsx_bytes({"人员名册": roster(unit=unit, n=n, start=start)}), name, user)
    assert result.status == IMPORTED, result.errors
    return result.import_id


def _logs(store) -> dict:
    cur = store.cursor()
    return {"imports": cur.execute("SELECT id, file_name, user_name, imported_at FROM imports ORDER BY id").fetchall(),
            "export_log": cur.execute("SELECT * FROM export_log ORDER BY exported_at").fetchall(),
            "operations": cur.execute("SELECT * FROM operations ORDER BY id").fetchall()}


def _kept(before: dict, after: dict) -> bool:
    return all(set(before[t]) <= set(after[t]) for t in before)


def test_import_backup_import_export_restore_keeps_every_log_row(store, tmp_path):
    first = _import(store, 10, 1, "综采队6月.xlsx", user=uploader("综采队", "李四"))
    log_export(store, VIEWER_USER, "表格：名单", "全矿")
    state_at_backup = fingerprint(store)
    copy = backup(store, tmp_path / "周一备份.duckdb", ADMIN_USER)
    second = _import(store, 4, 100, "机运队6月.xlsx", unit="机运队")
    log_export(store, uploader("综采队", "李四"), "汇报材料", "综采队")
    before = _logs(store)

    op_id = restore(store, copy, ADMIN_USER)

    after = _logs(store)
    assert _kept(before, after), "every earlier log row is still there"
    assert len(after["export_log"]) == 2 and len(after["imports"]) == 2
    assert fingerprint(store) == state_at_backup, "the data is the backup's"
    log = history(store)
    assert list(zip(log["编号"], log["状态"])) == [(second, "已被恢复操作撤回"), (first, "有效")]
    ops = operations_history(store)
    assert list(ops["操作"]) == ["恢复备份", "备份"]
    restored = ops[ops["编号"] == op_id].iloc[0]
    assert restored["操作人"] == ADMIN_USER.name
    assert "周一备份.duckdb" in restored["说明"] and "备份于" in restored["说明"]
    assert f"第 {second} 次导入的数据被撤回" in restored["说明"]
    # What the restore took away cannot be undone; what it kept can, and the log keeps counting.
    with pytest.raises(UndoRefused, match="已被恢复备份的操作撤回"):
        undo(store, second, ADMIN_USER)
    undo(store, first, ADMIN_USER)
    assert fingerprint(store)["roster"][0] == 0
    assert _import(store, 3, 300, "综采队7月.xlsx") == second + 1, "an id always names one import"
    assert _kept(after, _logs(store))


def test_restore_of_an_earlier_state_gives_imports_the_backups_status(store, tmp_path):
    first = _import(store, 6, 1, "a.xlsx")
    copy = backup(store, tmp_path / "b.duckdb", ADMIN_USER)
    undo(store, first, ADMIN_USER)
    before = _logs(store)
    restore(store, copy, ADMIN_USER)
    assert _kept(before, _logs(store))
    assert list(history(store)["状态"]) == ["有效"], "its data is back, so it can be undone again"
    assert [a for a in operations_history(store)["操作"]] == ["恢复备份", "撤销导入", "备份"], \
        "the undo stays in the operations log"
    undo(store, first, ADMIN_USER)
    assert fingerprint(store)["roster"][0] == 0


def test_a_second_restore_keeps_the_first_ones_rows(store, tmp_path):
    _import(store, 5, 1, "a.xlsx")
    old = backup(store, tmp_path / "old.duckdb", ADMIN_USER)
    second = _import(store, 5, 100, "b.xlsx", unit="机运队")
    new = backup(store, tmp_path / "new.duckdb", ADMIN_USER)
    restore(store, old, ADMIN_USER)
    restore(store, new, ADMIN_USER)  # the newer backup brings the second import's data back
    log = history(store)
    assert list(zip(log["编号"], log["状态"])) == [(second, "有效"), (1, "有效")]
    assert list(operations_history(store)["操作"]) == ["恢复备份", "恢复备份", "备份", "备份"]


def test_undo_never_removes_log_rows(store):
    ids = [_import(store, 8, 1, "a.xlsx"), _import(store, 6, 50, "b.xlsx"), _import(store, 3, 90, "c.xlsx")]
    before = _logs(store)
    for import_id in reversed(ids):
        undo(store, import_id, ADMIN_USER)
    after = _logs(store)
    assert _kept(before, after)
    assert [r[0] for r in after["imports"]] == ids
    assert list(history(store)["状态"]) == ["已撤销"] * 3
    assert [r[2:] for r in after["operations"]] == [
        (ADMIN_USER.name, "undo", f"撤销第 {i} 次导入（{n}.xlsx）") for i, n in zip(reversed(ids), "cba")]


def test_a_backup_of_another_database_is_refused_and_changes_nothing(store, tmp_path):
    other = Store(tmp_path / "other.duckdb")
    _import(other, 3, 500, "别处.xlsx")
    foreign = backup(other, tmp_path / "foreign.duckdb", ADMIN_USER)
    other.close()
    _import(store, 5, 1, "本库.xlsx")
    before, logs = fingerprint(store), _logs(store)
    with pytest.raises(ValueError, match="不是本数据库的备份"):
        restore(store, foreign, ADMIN_USER)
    assert fingerprint(store) == before and _logs(store) == logs
    assert main(["restore", str(foreign), "--db", str(store.path)]) == 1


def test_a_version_1_database_and_its_backups_keep_their_log_rows(tmp_path):
    """A database from before the operations log: its imports table is rebuilt row for row."""
    path = tmp_path / "v1.duckdb"
    store = Store(path)
    _import(store, 4, 1, "a.xlsx")
    copy = backup(store, tmp_path / "v1-backup.duckdb", ADMIN_USER)
    store.close()
    for db in (path, copy):  # make both look like version 1
        con = duckdb.connect(str(db))
        rows = con.execute("SELECT * FROM imports").fetchall()
        con.execute("DROP TABLE imports")
        con.execute("DROP TABLE operations")
        con.execute(LOG_DDL[0].replace(", 'restored_away'", ""))
        con.executemany(f"INSERT INTO imports VALUES ({', '.join('?' * 16)})", rows)
        con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
        con.close()
    store = Store(path)
    assert list(history(store)["文件"]) == ["a.xlsx"]
    _import(store, 2, 60, "b.xlsx", unit="机运队")
    restore(store, copy, ADMIN_USER)
    assert list(history(store)["状态"]) == ["已被恢复操作撤回", "有效"]
    store.close()


def test_the_cli_restore_says_what_it_kept(tmp_path, capsys):
    db = str(tmp_path / "cli.duckdb")
    files = []
    for name, unit, start in (("a.xlsx", "综采队", 1), ("b.xlsx", "机运队", 100)):
        files.append(tmp_path / name)
        files[-1].write_bytes(xlsx_bytes({"人员名册": roster(unit=unit, n=4, start=start)}))
    assert main(["import", str(files[0]), "--db", db, "--user", "张三"]) == 0
    assert main(["backup", str(tmp_path / "bk.duckdb"), "--db", db, "--user", "李四"]) == 0
    assert main(["import", str(files[1]), "--db", db, "--user", "张三"]) == 0
    capsys.readouterr()
    assert main(["restore", str(tmp_path / "bk.duckdb"), "--db", db, "--user", "王五"]) == 0
    out = capsys.readouterr().out
    assert "从备份 bk.duckdb" in out and "第 2 次导入的数据被撤回" in out and "均已保留" in out
    store = Store(db)
    assert store.cursor().execute("SELECT user_name, action FROM operations ORDER BY id").fetchall() == [
        ("李四", "backup"), ("王五", "restore")]
    assert len(history(store)) == 2
    store.close()


# ---------------------------------------------------------------- no code deletes a log row

LOG_NAMES = "|".join(LOG_TABLES)
FORBIDDEN = [re.compile(p, re.IGNORECASE) for p in (
    rf"DELETE\s+FROM\s+({LOG_NAMES})\b",
    rf"TRUNCATE\s+(TABLE\s+)?({LOG_NAMES})\b",
    rf"DROP\s+TABLE\s+(IF\s+EXISTS\s+)?({LOG_NAMES})\b",
    r"UPDATE\s+(export_log|operations)\b",
    rf"INSERT\s+OR\s+REPLACE\s+INTO\s+({LOG_NAMES})\b",
    rf"COPY\s+({LOG_NAMES})\s+FROM",
)]


def test_no_code_in_the_app_or_the_cli_deletes_log_rows():
    sources = [*ROOT.glob("lib/**/*.py"), *ROOT.glob("ui/**/*.py"), *ROOT.glob("pages/**/*.py"),
               *ROOT.glob("*.py")]
    assert len(sources) > 30
    hits = [f"{path.relative_to(ROOT)}: {m.group(0)}" for path in sources
            for pattern in FORBIDDEN for m in pattern.finditer(path.read_text(encoding="utf-8"))]
    assert hits == []
    # The only status changes of an import: undone, restored away, or the backup's status back.
    updates = [m.group(0) for path in sources
               for m in re.finditer(r"UPDATE\s+imports\s+SET\s+[^\"]*", path.read_text(encoding="utf-8"))]
    assert updates and all(u.split("SET")[1].strip().startswith("status") for u in updates), updates


# ---------------------------------------------------------------- who is shown

def test_who_imported_exported_or_operated_is_for_admins_only(store):
    _import(store, 3, 1, "a.xlsx")
    undo(store, 1, ADMIN_USER)
    for frame in (history(store), operations_history(store),
                  pd.DataFrame({"导出时间": [], "导出人": [], "导出内容": []})):
        assert set(without_names(frame, ADMIN_USER).columns) == set(frame.columns)
        for user in (VIEWER_USER, uploader()):
            shown = without_names(frame, user)
            assert not {"导入人", "导出人", "操作人"} & set(shown.columns)
            assert len(shown) == len(frame)


def test_a_backup_never_overwrites_the_database_itself(store):
    _import(store, 3, 1, "a.xlsx")
    logs = _logs(store)
    with pytest.raises(ValueError, match="不能是正在使用的数据库本身"):
        backup(store, store.path, ADMIN_USER)
    assert _logs(store) == logs and len(history(store)) == 1
