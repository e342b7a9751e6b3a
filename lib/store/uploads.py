"""Raw uploads: the original bytes of each imported file, beside the database, for a while.

They may carry what the tables never store (身份证号, phone numbers in a stray column), so they are
kept `upload_retention_days()` (DANGJIAN_UPLOAD_DAYS, default 180) after the last import that used
them, removed at once when their import is undone, and on demand (`python -m lib.cli
purge-uploads`). Nothing needs them afterwards: undo works from the archived rows
(`<table>__replaced`). Every removal is written to the operations log.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from pathlib import Path

from lib.access.auth import MANAGE, User, require
from lib.config import upload_retention_days
from lib.store.database import Store, log_operation

log = logging.getLogger("dangjian")

# The app's own cleanup runs at most once a day per database and process.
CLEANUP_INTERVAL = dt.timedelta(days=1)
SYSTEM_USER = "系统（自动清理）"
_last_cleanup: dict[Path, dt.datetime] = {}
_cleanup_lock = threading.Lock()


def archive(store: Store, data: bytes, file_hash: str, file_format: str | None) -> Path:
    """Keep the raw bytes, named by their hash (never by the uploaded name). Importing the same
    bytes again renews the file's time, so the retention counts from the last import."""
    store.archive_dir.mkdir(parents=True, exist_ok=True)
    target = store.archive_dir / f"{file_hash}.{file_format or 'bin'}"
    if target.exists():
        os.utime(target)
        return target
    tmp = target.with_suffix(".tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk must not keep half a file (the import rolls back)
        raise
    return target


def raw_files(store: Store) -> list[Path]:
    folder = store.archive_dir
    return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []


def _unlink(paths: list[Path]) -> list[Path]:
    removed = []
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError:
            log.exception("could not remove raw upload %s", path)
            continue
        removed.append(path)
    return removed


def remove_unused(store: Store, file_hash: str) -> list[Path]:
    """After an undo: remove the file of `file_hash` unless an import still in the store uses it."""
    with store.write_lock:  # an import of the same bytes archives under this lock
        in_use = store.fetchone(
            "SELECT count(*) FROM imports WHERE file_hash = ? AND status = 'imported'", [file_hash])[0]
        if in_use:
            return []
        return _unlink([p for p in raw_files(store) if p.name.split(".")[0] == file_hash])


def expired(store: Store, days: int, now: dt.datetime | None = None) -> list[Path]:
    """Raw files last written (imported) more than `days` days before `now`."""
    limit = ((now or dt.datetime.now()) - dt.timedelta(days=days)).timestamp()
    return [p for p in raw_files(store) if p.stat().st_mtime < limit]


def _purge(store: Store, user_name: str, days: int, now: dt.datetime | None, log_empty: bool) -> list[Path]:
    with store.write_lock:
        removed = _unlink(expired(store, days, now))
        if removed or log_empty:
            with store.transaction() as cur:
                log_operation(cur, user_name, "purge_uploads",
                              f"删除保存超过 {days} 天的原始上传文件 {len(removed)} 个", now)
    return removed


def purge_uploads(store: Store, user: User, days: int | None = None,
                  now: dt.datetime | None = None) -> list[Path]:
    """Remove raw uploads older than `days` (default: the retention) now (管理员 only); logged."""
    require(user, MANAGE, action="清理原始上传文件")
    days = upload_retention_days() if days is None else days
    if days < 0:
        raise ValueError("保留天数不能为负数")
    return _purge(store, user.name, days, now, log_empty=True)


def cleanup_if_due(store: Store, now: dt.datetime | None = None) -> list[Path] | None:
    """The app's own cleanup of expired raw uploads: at most once a day per database and process
    (None when not due). A run that removes files is logged as done by the system."""
    now = now or dt.datetime.now()
    days = upload_retention_days()  # a bad setting stops here, with its Chinese message
    key = store.path.resolve()
    with _cleanup_lock:
        last = _last_cleanup.get(key)
        if last is not None and now - last < CLEANUP_INTERVAL:
            return None
        _last_cleanup[key] = now
    try:
        return _purge(store, SYSTEM_USER, days, now, log_empty=False)
    except Exception:  # noqa: BLE001 — a busy database must not break the page; tried again tomorrow
        log.exception("cleanup of raw uploads failed")
        return []
