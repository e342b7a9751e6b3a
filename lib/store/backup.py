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
log row is ever overwritten.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from lib.access.auth import MANAGE, User, require
from lib.ingest.sheets import SHEETS
from lib.store.database import RESTORABLE_VERSIONS, Store, log_operation, quote

# Same import id, same import: these columns never change after the import is logged.
_IDENTITY = ("file_hash", "file_name", "user_name", "imported_at")


def backup(store: Store, target: Path | str, user: User) -> Path:
    """A consistent copy of the whole database, taken while the app keeps running (logged)."""
    require(user, MANAGE, action="备份数据库")
    target = Path(target)
    if target.resolve() == store.path.resolve():
        raise ValueError("备份文件不能是正在使用的数据库本身，请换一个文件名")
    if target.exists():
        target.unlink()
    now = dt.datetime.now()
    with store.write_lock:
        cur = store.cursor()
        catalog = cur.execute("SELECT current_database()").fetchone()[0]
        cur.execute(f"ATTACH {quote(str(target))} AS backup_db")
        try:
            cur.execute(f"COPY FROM DATABASE {catalog} TO backup_db")
            cur.execute("INSERT OR REPLACE INTO backup_db.meta VALUES ('backed_up_at', ?)", [now.isoformat()])
        finally:
            cur.execute("DETACH backup_db")
        with store.transaction() as tx:
            log_operation(tx, user.name, "backup", f"备份到 {target.name}", now)
    return target


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
    row (see the module's text). Returns the id of the restore's row in the operations log."""
    require(user, MANAGE, action="恢复数据库")
    source = Path(source)
    cur = store.cursor()
    cur.execute(f"ATTACH {quote(str(source))} AS restore_db (READ_ONLY)")
    try:
        tables = {r[0] for r in cur.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'restore_db'").fetchall()}
        version = "meta" in tables and cur.execute(
            "SELECT value FROM restore_db.meta WHERE key = 'schema_version'").fetchone()
        if not version or version[0] not in RESTORABLE_VERSIONS:
            raise ValueError("这不是本看板的备份文件，或备份的版本与当前程序不一致，无法恢复")
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
