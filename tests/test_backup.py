"""Backups (issue #12): paths with spaces, hyphens and Chinese; an existing file never overwritten
without --force; a restore checks the file first and refuses anything but a backup of this schema and
version with nothing changed; the 备份 download on 数据上传 for 管理员 only, logged."""
import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from lib.access.auth import ADMIN, UPLOADER, VIEWER
from lib.cli import main
from lib.store.backup import BackupExists, backup, check_backup, restore
from lib.store.database import SCHEMA_VERSION, Store
from lib.store.importer import import_file
from lib.store.logs import operations_history
from tests.fingerprint import fingerprint
from tests.users import ADMIN_USER
from tests.workbooks import roster, xlsx_bytes

AWKWARD = ["周一 备份.duckdb", "back-up-2024-06.duckdb", "班组党建备份.duckdb", "it's a back-up 备份.duckdb"]


def _db(folder, name="dangjian.duckdb") -> Store:
    folder.mkdir(parents=True, exist_ok=True)
    store = Store(folder / name)
    import_file(store, xlsx_bytes({"人员名册": roster(n=4)}), "综采队.xlsx", ADMIN_USER)
    return store


@pytest.mark.parametrize("db_name, target", zip(
    ["my db.duckdb", "dang-jian.duckdb", "党建看板.duckdb", "党建 看板-1.duckdb"], AWKWARD))
def test_backup_and_restore_with_spaces_hyphens_and_chinese(tmp_path, db_name, target):
    store = _db(tmp_path / "数据 folder-1", db_name)
    state = fingerprint(store)
    copy = backup(store, tmp_path / target, ADMIN_USER)
    assert copy.is_file() and check_backup(copy) == SCHEMA_VERSION
    import_file(store, xlsx_bytes({"人员名册": roster(unit="机运队", n=3, start=100)}), "机运队.xlsx", ADMIN_USER)
    assert fingerprint(store) != state
    restore(store, copy, ADMIN_USER)
    assert fingerprint(store) == state
    assert not list(copy.parent.glob("*.partial*")), "no temporary file left"
    store.close()


def test_cli_backup_to_awkward_paths(tmp_path, capsys):
    store = _db(tmp_path / "数据", "班组 党建-库.duckdb")
    db = str(store.path)
    store.close()
    folder = tmp_path / "备份 目录-2024"
    folder.mkdir()
    for name in AWKWARD:
        assert main(["backup", str(folder / name), "--db", db]) == 0, capsys.readouterr().err
        assert main(["restore", str(folder / name), "--db", db]) == 0, capsys.readouterr().err


def test_an_existing_file_is_refused_without_force_and_replaced_with_it(tmp_path, capsys):
    store = _db(tmp_path / "db")
    db = str(store.path)
    target = tmp_path / "已有 文件-1.duckdb"
    target.write_bytes(b"precious, not a backup")
    ops_before = len(operations_history(store))
    with pytest.raises(BackupExists, match="--force"):
        backup(store, target, ADMIN_USER)
    assert target.read_bytes() == b"precious, not a backup"
    assert len(operations_history(store)) == ops_before, "a refused backup is not logged"
    store.close()

    capsys.readouterr()
    assert main(["backup", str(target), "--db", db]) == 1
    err = capsys.readouterr().err
    assert "已有文件" in err and "--force" in err and "没有覆盖" in err
    assert target.read_bytes() == b"precious, not a backup"

    assert main(["backup", str(target), "--db", db, "--force"]) == 0
    assert check_backup(target) == SCHEMA_VERSION
    assert not list(tmp_path.glob(".*partial*"))
    assert main(["restore", str(target), "--db", db]) == 0


def test_a_backup_into_a_missing_folder_is_refused_in_chinese(tmp_path, capsys):
    store = _db(tmp_path / "db")
    db = str(store.path)
    store.close()
    assert main(["backup", str(tmp_path / "没有这个目录" / "b.duckdb"), "--db", db]) == 1
    assert "找不到文件夹" in capsys.readouterr().err


def _not_duckdb(path):
    path.write_bytes(b"PK\x03\x04 this is a workbook, not a database" * 20)


def _no_meta(path):
    duckdb.connect(str(path)).execute("CREATE TABLE roster (a INT)").close()


def _other_version(path):
    source = Store(path)
    source.close()
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.close()


def _missing_tables(path):
    source = Store(path)
    source.close()
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE export_log")
    con.close()


def _empty_file(path):
    path.write_bytes(b"")


@pytest.mark.parametrize("make, message", [
    (_not_duckdb, "不是 DuckDB 数据库文件"),
    (_empty_file, "不是 DuckDB 数据库文件"),
    (_no_meta, "没有版本信息"),
    (_other_version, "数据库版本是 99"),
    (_missing_tables, "缺少这些表：export_log"),
])
def test_restore_refuses_anything_but_a_backup_and_changes_nothing(tmp_path, capsys, make, message):
    store = _db(tmp_path / "db")
    db_path = store.path
    candidate = tmp_path / "候选 文件-1.duckdb"
    make(candidate)
    candidate_bytes = candidate.read_bytes()
    before, logs_before = fingerprint(store), len(operations_history(store))
    with pytest.raises(ValueError, match=message):
        restore(store, candidate, ADMIN_USER)
    assert fingerprint(store) == before and len(operations_history(store)) == logs_before
    assert not [p for p in db_path.parent.iterdir() if p.name.startswith("restore-")], "no temporary copy left"
    store.close()

    db_bytes = db_path.read_bytes()
    capsys.readouterr()
    assert main(["restore", str(candidate), "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert "无法从该文件恢复" in err and message in err
    assert db_path.read_bytes() == db_bytes, "the database file is byte for byte unchanged"
    assert candidate.read_bytes() == candidate_bytes, "the candidate is only read"


def test_restore_of_a_missing_file_says_so(tmp_path, capsys):
    store = _db(tmp_path / "db")
    with pytest.raises(ValueError, match="找不到备份文件"):
        restore(store, tmp_path / "无.duckdb", ADMIN_USER)
    store.close()
    assert main(["restore", str(tmp_path / "无.duckdb"), "--db", str(store.path)]) == 1
    assert "找不到备份文件" in capsys.readouterr().err


# ---------------------------------------------------------------- the 备份 download on 数据上传

def _backup_script(db_path: str, role: str, unit: str | None, demo: bool) -> None:
    from lib.access.auth import User
    from lib.store.database import Store
    from ui.backup import backup_download

    backup_download(Store.shared(db_path), User("王主任", role, unit, demo=demo))


@pytest.fixture
def shared_db(tmp_path):
    path = tmp_path / "正式 数据-库.duckdb"
    store = Store.shared(path)
    import_file(store, xlsx_bytes({"人员名册": roster(n=4)}), "综采队.xlsx", ADMIN_USER)
    yield store
    store.close()


@pytest.mark.parametrize("role, unit, demo, shown", [
    (ADMIN, None, False, True), (VIEWER, None, False, False), (UPLOADER, "综采队", False, False),
    (ADMIN, None, True, False)])
def test_the_backup_button_is_for_a_signed_in_admin_only(shared_db, role, unit, demo, shown):
    at = AppTest.from_function(_backup_script, args=(str(shared_db.path), role, unit, demo),
                               default_timeout=60).run()
    assert not at.exception, at.exception
    buttons = [d for d in at.get("download_button") if d.proto.label == "下载备份"]
    assert bool(buttons) == shown


def test_the_backup_button_gives_a_restorable_copy_and_is_logged(shared_db, tmp_path, monkeypatch):
    from streamlit.runtime.media_file_manager import MediaFileManager

    offered = []
    original = MediaFileManager.add_deferred

    def keep(self, data_callable, *args, **kwargs):
        offered.append(data_callable)
        return original(self, data_callable, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    at = AppTest.from_function(_backup_script, args=(str(shared_db.path), ADMIN, None, False),
                               default_timeout=60).run()
    assert not at.exception, at.exception
    button = next(d for d in at.get("download_button") if d.proto.label == "下载备份")
    assert button.proto.deferred_file_id and len(offered) == 1
    assert not len(operations_history(shared_db)[lambda f: f["操作"] == "下载备份"]), "nothing made before the click"

    state = fingerprint(shared_db)
    data = offered[0]()  # what the server runs when the button is clicked
    copy = tmp_path / "下载的 备份-1.duckdb"
    copy.write_bytes(data)
    assert check_backup(copy) == SCHEMA_VERSION
    ops = operations_history(shared_db)
    logged = ops[ops["操作"] == "下载备份"]
    assert len(logged) == 1 and logged["操作人"].iloc[0] == "王主任"
    assert "班组党建看板备份_" in logged["说明"].iloc[0] and logged["说明"].iloc[0].endswith(".duckdb")
    assert not [p for p in shared_db.path.parent.iterdir() if p.name.startswith("backup-")], "temp copy removed"

    import_file(shared_db, xlsx_bytes({"人员名册": roster(unit="机运队", n=3, start=100)}), "机运队.xlsx", ADMIN_USER)
    restore(shared_db, copy, ADMIN_USER)
    assert fingerprint(shared_db) == state
