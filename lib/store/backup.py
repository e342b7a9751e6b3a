"""Backup and restore of the whole database while the app keeps running (管理员 only)."""
from __future__ import annotations

from pathlib import Path

from lib.access.auth import MANAGE, User, require
from lib.ingest.sheets import SHEETS
from lib.store.database import SCHEMA_VERSION, Store, quote


def backup(store: Store, target: Path | str, user: User) -> Path:
    """A consistent copy of the whole database, taken while the app keeps running."""
    require(user, MANAGE, action="备份数据库")
    target = Path(target)
    if target.exists():
        target.unlink()
    with store.write_lock:
        cur = store.cursor()
        catalog = cur.execute("SELECT current_database()").fetchone()[0]
        cur.execute(f"ATTACH {quote(str(target))} AS backup_db")
        try:
            cur.execute(f"COPY FROM DATABASE {catalog} TO backup_db")
        finally:
            cur.execute("DETACH backup_db")
    return target


def restore(store: Store, source: Path | str, user: User) -> None:
    """Replace every table's content with the backup's, in one transaction."""
    require(user, MANAGE, action="恢复数据库")
    cur = store.cursor()
    cur.execute(f"ATTACH {quote(str(Path(source)))} AS restore_db (READ_ONLY)")
    try:
        has_meta = cur.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'restore_db' "
                               "AND table_name = 'meta'").fetchone()[0]
        version = has_meta and cur.execute(
            "SELECT value FROM restore_db.meta WHERE key = 'schema_version'").fetchone()
        if not version or version[0] != SCHEMA_VERSION:
            raise ValueError("这不是本看板的备份文件，或备份的版本与当前程序不一致，无法恢复")
        tables = [s.key for s in SHEETS] + [f"{s.key}__replaced" for s in SHEETS] + ["imports", "export_log"]
        with store.transaction() as tx:
            for table in tables:
                tx.execute(f"DELETE FROM {table}")
                tx.execute(f"INSERT INTO {table} SELECT * FROM restore_db.{table}")
    finally:
        cur.execute("DETACH restore_db")
