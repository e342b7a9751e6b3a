"""Backup and restore of the whole database while the app keeps running (管理员 only).

A restore brings back the backup's data, but never the backup's logs in place of today's: the
import log, the export log and the operations log only grow (append-only audit trail).

- Import log rows the backup also has take the backup's status (its data is what is restored).
- Import log rows the backup lacks stay, keeping their ids; those whose data the restore took away
  become 'restored_away' (已被恢复操作撤回) and can no longer be undone. New imports keep counting
  after the highest id ever given, so an id always names one import.
- Export and operations rows the backup has and today's logs lack are added; none is removed.
- The restore itself is logged: who restored which backup file, taken when, and when.

A backup from another database (an import id that names a different file there) is refused, so no
log row is ever overwritten. Before that, a restore copies the file and checks the copy
(`check_backup`): a DuckDB file with this dashboard's meta table, a restorable schema version, every
expected table and the data tables' columns; anything else is refused in Chinese with nothing changed.

A backup is written under a temporary name beside its target and moved onto it when complete; an
existing file is replaced only with `force`. File and catalog names are quoted, so spaces, hyphens,
quotes and Chinese in either path work.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import threading
from pathlib import Path

import duckdb

from lib.access.auth import MANAGE, User, require
from lib.ingest.sheets import SHEETS
from lib.store.database import RESTORABLE_VERSIONS, SCHEMA_VERSION, Store, data_columns, log_operation, quote

# Same import id, same import: these columns never change after the import is logged.
_IDENTITY = ("file_hash", "file_name", "user_name", "imported_at")


class BackupExists(ValueError):
    """The backup's path names a file already there: never overwritten without `force`."""


def _ident(name: str) -> str:
    """A catalog name as an SQL identifier (a database file named 'my db' or 'a-b' included)."""
    return '"' + name.replace('"', '""') + '"'


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _remove(*paths: Path) -> None:
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            pass


def backup(store: Store, target: Path | str, user: User, force: bool = False,
           detail: str | None = None, action: str = "backup") -> Path:
    """A consistent copy of the whole database, taken while the app keeps running (logged).

    The copy is written beside `target` under a temporary name and moved onto it only once it is
    complete, so a failed backup leaves nothing and an existing file is replaced only with `force`
    (without it: BackupExists, nothing written)."""
    require(user, MANAGE, action="备份数据库")
    target = Path(target)
    if target.resolve() == store.path.resolve():
        raise ValueError("备份文件不能是正在使用的数据库本身，请换一个文件名")
    if target.is_dir():
        raise ValueError(f"{target} 是一个文件夹，请给出备份文件的名字，如 {target / '备份.duckdb'}")
    if target.exists() and not force:
        raise BackupExists(f"已有文件 {target}，没有覆盖它。请换一个文件名，或加 --force 替换它")
    if not target.parent.is_dir():
        raise ValueError(f"找不到文件夹 {target.parent}，请先建好它")
    partial = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.partial")
    _remove(partial, _wal(partial))
    now = dt.datetime.now()
    try:
        with store.exclusive() as cur:
            catalog = cur.execute("SELECT current_database()").fetchone()[0]
            cur.execute(f"ATTACH {quote(str(partial))} AS backup_db")
            try:
                cur.execute(f"COPY FROM DATABASE {_ident(catalog)} TO backup_db")
                cur.execute("INSERT OR REPLACE INTO backup_db.meta VALUES ('backed_up_at', ?)", [now.isoformat()])
            finally:
                cur.execute("DETACH backup_db")
            _remove(_wal(target))  # a stale WAL beside the old file would be replayed into the new one
            os.replace(partial, target)
            with store.transaction() as tx:
                log_operation(tx, user.name, action, detail or f"备份到 {target.name}", now)
    finally:
        _remove(partial, _wal(partial))
    return target


def backup_bytes(store: Store, user: User, file_name: str) -> bytes:
    """A backup as bytes, for the 备份 download on 数据上传 (logged as 下载备份 with its file name)."""
    require(user, MANAGE, action="备份数据库")
    with tempfile.TemporaryDirectory(prefix="backup-", dir=store.path.parent) as folder:
        path = backup(store, Path(folder) / "backup.duckdb", user, action="backup_download",
                      detail=f"下载备份 {file_name}")
        return path.read_bytes()


# ---------------------------------------------------------------- checking a file before a restore

# The first bytes of every DuckDB database file: a checksum (8 bytes), then the magic.
_MAGIC_AT, _MAGIC = 8, b"DUCK"


def _expected_tables(version: str) -> list[str]:
    tables = [s.key for s in SHEETS] + [f"{s.key}__replaced" for s in SHEETS] + ["imports", "export_log"]
    return tables + (["operations"] if version != "1" else [])


def check_backup(path: Path | str) -> str:
    """Is this file a backup of this dashboard that this version can restore? Returns its schema
    version; raises ValueError with a Chinese message saying what it is instead. Opens the file
    read-only and changes nothing anywhere."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"找不到备份文件：{path}")
    with path.open("rb") as fh:
        head = fh.read(_MAGIC_AT + len(_MAGIC))
    if head[_MAGIC_AT:] != _MAGIC:
        raise ValueError(f"{path.name} 不是 DuckDB 数据库文件，不是本看板的备份文件，无法恢复")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise ValueError(f"{path.name} 无法作为数据库打开（文件可能已损坏或被其他程序占用），无法恢复：{exc}") from exc
    try:
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()}
        if "meta" not in tables:
            raise ValueError(f"{path.name} 中没有版本信息（meta 表）：这不是本看板的备份文件，无法恢复")
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = row[0] if row else None
        if version not in RESTORABLE_VERSIONS:
            raise ValueError(f"{path.name} 的数据库版本是 {version or '未知'}，当前程序是 {SCHEMA_VERSION}"
                             f"（可恢复的版本：{'、'.join(RESTORABLE_VERSIONS)}）：这不是本看板的备份文件，"
                             f"或备份的版本与当前程序不一致，无法恢复")
        missing = [t for t in _expected_tables(version) if t not in tables]
        if missing:
            raise ValueError(f"{path.name} 缺少这些表：{'、'.join(missing)}。这不是本看板的完整备份，无法恢复")
        columns = {}
        for table, column in con.execute("SELECT table_name, column_name FROM duckdb_columns() "
                                         "WHERE schema_name = 'main' ORDER BY table_name, column_index").fetchall():
            columns.setdefault(table, []).append(column)
        wrong = [s.key for s in SHEETS if columns.get(s.key) != [*data_columns(s), "import_id"]]
        if wrong:
            raise ValueError(f"{path.name} 中这些表的列与当前程序不一致：{'、'.join(wrong)}。"
                             f"这不是本版本看板的备份，无法恢复")
        return version
    finally:
        con.close()


def _backup_time(cur, source: Path) -> dt.datetime:
    """When the backup was taken (recorded in it; the file's time for older backups)."""
    row = cur.execute("SELECT value FROM restore_db.meta WHERE key = 'backed_up_at'").fetchone()
    if row:
        try:
            return dt.datetime.fromisoformat(row[0])
        except ValueError:
            pass
    return dt.datetime.fromtimestamp(source.stat().st_mtime)


def restore(store: Store, source: Path | str, user: User) -> int:
    """Replace every data table's content with the backup's, in one transaction, keeping every log
    row (see the module's text). Returns the id of the restore's row in the operations log.

    The file is copied first and the copy checked (`check_backup`) and read: anything but a backup
    of this schema and version is refused with nothing changed, and the file itself is never written."""
    require(user, MANAGE, action="恢复数据库")
    source = Path(source)
    if not source.is_file():
        raise ValueError(f"找不到备份文件：{source}")
    with tempfile.TemporaryDirectory(prefix="restore-", dir=store.path.parent) as folder:
        copy = Path(folder) / "backup.duckdb"
        shutil.copyfile(source, copy)
        check_backup(copy)
        return _restore_from(store, copy, source, user)


def _restore_from(store: Store, copy: Path, source: Path, user: User) -> int:
    with store.exclusive() as cur:
        return _restore_attached(store, cur, copy, source, user)


def _restore_attached(store: Store, cur, copy: Path, source: Path, user: User) -> int:
    cur.execute(f"ATTACH {quote(str(copy))} AS restore_db (READ_ONLY)")
    try:
        tables = {r[0] for r in cur.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'restore_db'").fetchall()}
        taken = _backup_time(cur, source)
        with store.transaction() as tx:
            _refuse_foreign(tx)
            for table in [s.key for s in SHEETS] + [f"{s.key}__replaced" for s in SHEETS]:
                tx.execute(f"DELETE FROM {table}")
                tx.execute(f"INSERT INTO {table} SELECT * FROM restore_db.{table}")
            now = dt.datetime.now()
            away = _merge_imports(tx, user, now)
            tx.execute("INSERT INTO export_log SELECT * FROM restore_db.export_log "
                       "EXCEPT ALL SELECT * FROM export_log")
            if "operations" in tables:
                tx.execute("""INSERT INTO operations
                    SELECT (SELECT coalesce(max(id), 0) FROM operations) + row_number() OVER (ORDER BY b.id),
                           b.done_at, b.user_name, b.action, b.detail
                    FROM restore_db.operations b
                    WHERE NOT EXISTS (SELECT 1 FROM operations o WHERE o.done_at = b.done_at
                                      AND o.user_name = b.user_name AND o.action = b.action AND o.detail = b.detail)""")
            detail = f"从备份 {source.name}（备份于 {taken:%Y-%m-%d %H:%M}）恢复"
            if away:
                detail += f"；之后的第 {'、'.join(map(str, away))} 次导入的数据被撤回（导入记录保留）"
            return log_operation(tx, user.name, "restore", detail, now)
    finally:
        cur.execute("DETACH restore_db")


def _refuse_foreign(tx) -> None:
    """An import id that names another file in the backup: the backup is of another database."""
    differs = " OR ".join(f"i.{c} IS DISTINCT FROM b.{c}" for c in _IDENTITY)
    clash = tx.execute(f"SELECT min(i.id) FROM imports i JOIN restore_db.imports b ON b.id = i.id "
                       f"WHERE {differs}").fetchone()[0]
    if clash is not None:
        raise ValueError(f"备份中第 {clash} 次导入与本数据库的导入记录不是同一个文件：这不是本数据库的备份。"
                         f"为保留导入记录，不能用它恢复")


def _merge_imports(tx, user: User, now: dt.datetime) -> list[int]:
    """The import log after a restore: today's rows, statuses as in the backup, the backup's rows
    today lacks added, the imports whose data went away marked. Returns those imports' ids."""
    tx.execute("""UPDATE imports SET status = b.status, undone_by = b.undone_by, undone_at = b.undone_at
                  FROM restore_db.imports b WHERE imports.id = b.id""")
    tx.execute("INSERT INTO imports SELECT * FROM restore_db.imports "
               "WHERE id NOT IN (SELECT id FROM imports)")
    away = [r[0] for r in tx.execute(
        "SELECT id FROM imports WHERE status = 'imported' AND id NOT IN (SELECT id FROM restore_db.imports) "
        "ORDER BY id").fetchall()]
    if away:
        tx.execute(f"UPDATE imports SET status = 'restored_away', undone_by = ?, undone_at = ? "
                   f"WHERE id IN ({', '.join(map(str, away))})", [user.name, now])
    return away
