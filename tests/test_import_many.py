"""import_many: many files in one transaction, exactly as if each went through import_file.

Same tables, same log rows (one per file, with its import_id), same archived files; a rejected
file writes nothing and the next ones still import; a failure while writing rolls the batch back
and the files are imported one by one instead.
"""
import duckdb
import pytest

from lib.store import importer
from lib.store.database import Store
from lib.store.importer import IMPORTED, REJECTED, UNCHANGED, import_file, import_many
from tests.users import ADMIN_USER
from tests.workbooks import roster, xlsx_bytes

TABLES_SQL = ("SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
              "ORDER BY table_name")


def everything(store: Store) -> dict[str, list]:
    """Every table's rows in a fixed order (the wall-clock columns left out) and the archive."""
    cur = store.cursor()
    out = {}
    for (table,) in cur.execute(TABLES_SQL).fetchall():
        cols = [r[0] for r in cur.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
            "AND table_name = ? ORDER BY column_index", [table]).fetchall()]
        kept = ", ".join(c for c in cols if c not in ("imported_at", "saved_at"))
        out[table] = cur.execute(f"SELECT {kept} FROM {table} ORDER BY ALL").fetchall()
    out["archive"] = sorted(p.name for p in store.archive_dir.iterdir()) if store.archive_dir.is_dir() else []
    return out


def small_files() -> list[tuple[str, bytes]]:
    bad = roster(n=6, start=500)
    bad[3][8] = "党外人士"  # not a 政治面貌: the file is rejected
    first = xlsx_bytes({"人员名册": roster(unit="综采队", n=10)})
    return [("a.xlsx", first),
            ("b.xlsx", xlsx_bytes({"人员名册": roster(unit="机运队", n=5, start=100)})),
            ("bad.xlsx", xlsx_bytes({"人员名册": bad})),
            ("a-again.xlsx", first),                                       # unchanged
            ("c.xlsx", xlsx_bytes({"人员名册": roster(unit="综采队", n=4, start=200)})),  # replaces a's scope
            ("d.xlsx", xlsx_bytes({"人员名册": roster(month="2024-07", unit="综采队", n=3, start=300)}))]


def one_by_one(path, files):
    store = Store(path)
    try:
        results = [import_file(store, data, name, ADMIN_USER) for name, data in files]
        return [(r.file_name, r.status, r.import_id) for r in results], everything(store)
    finally:
        store.close()


def batched(path, files, **kw):
    store = Store(path)
    try:
        results = list(import_many(store, iter(files), ADMIN_USER, **kw))
        assert [r.file_name for r in results] == [n for n, _ in files]
        return [(r.file_name, r.status, r.import_id) for r in results], everything(store)
    finally:
        store.close()


def test_batch_gives_the_same_tables_log_and_archive_as_file_by_file(tmp_path):
    files = small_files()
    single = one_by_one(tmp_path / "one" / "s.duckdb", files)
    batch = batched(tmp_path / "many" / "s.duckdb", files)
    assert batched(tmp_path / "two" / "s.duckdb", files, batch=2) == single
    assert [s for _, s, _ in batch[0]] == [IMPORTED, IMPORTED, REJECTED, UNCHANGED, IMPORTED, IMPORTED]
    assert batch[0] == single[0]
    assert batch[1] == single[1]
    assert len(batch[1]["imports"]) == 4 and len(batch[1]["archive"]) == 4


def test_a_failed_write_rolls_the_batch_back_and_imports_file_by_file(tmp_path, monkeypatch):
    files = small_files()
    single = one_by_one(tmp_path / "one" / "s.duckdb", files)
    real = importer._log_import
    calls = []

    def fail_once(cur, result, import_id, user):
        calls.append(result.file_name)
        if len(calls) == 3:
            raise duckdb.ConstraintException("simulated failure while writing")
        return real(cur, result, import_id, user)

    monkeypatch.setattr(importer, "_log_import", fail_once)
    batch = batched(tmp_path / "many" / "s.duckdb", files, batch=4)
    assert len(calls) > 4          # the batch got to its third import, then file by file
    assert batch == single


def test_demo_workbooks_batch_equals_file_by_file(demo_build, tmp_path):
    """The first 60 demo files (several 队, months and sheet types, replacements)."""
    paths = sorted(demo_build.workbooks.iterdir(), key=lambda p: p.stat().st_mtime_ns)[:60]
    files = [(p.name, p.read_bytes()) for p in paths]
    single = one_by_one(tmp_path / "one" / "d.duckdb", files)
    batch = batched(tmp_path / "many" / "d.duckdb", files, batch=16)
    assert batch == single
    assert all(s == IMPORTED for _, s, _ in batch[0])


def test_viewer_may_not_import_many(tmp_path):
    from lib.access.auth import PermissionDenied
    from tests.users import VIEWER_USER

    store = Store(tmp_path / "v.duckdb")
    try:
        with pytest.raises(PermissionDenied):
            import_many(store, small_files(), VIEWER_USER)
        assert everything(store)["imports"] == []
    finally:
        store.close()
