"""The logs people read: imports (who loaded which file, and its undo), exports (who took which
data out of the app) and operations (backup, restore, undo, removal of raw uploads).

All three are append-only: import rows are written by the importer in its transaction and later
only change status (undone, or taken away by a restore); export and operation rows are only ever
added. No function anywhere deletes a log row, a restore included (lib/store/backup.py).
Who imported and who exported is for a 管理员's eyes only.
"""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from lib.access.auth import MANAGE, User, require

# The logs show the latest entries only (the upload page says 最近 200 次).
LOG_ROWS_SHOWN = 200

IMPORT_LOG_COLUMNS = {"id": "编号", "imported_at": "导入时间", "user_name": "导入人", "file_name": "文件",
                      "sheet_types": "报表", "rows_loaded": "导入行数", "rows_dropped": "剔除行数",
                      "status_label": "状态"}


IMPORT_STATUS_LABELS = {"imported": "有效", "undone": "已撤销", "restored_away": "已被恢复操作撤回"}


def history(store) -> pd.DataFrame:
    """The import log, newest first, with Chinese headers (导入人 included: `without_names` for
    whoever is not 管理员)."""
    frame = store.query("SELECT * FROM imports ORDER BY id DESC LIMIT ?", [LOG_ROWS_SHOWN])
    if frame.empty:
        return pd.DataFrame(columns=list(IMPORT_LOG_COLUMNS.values()))
    frame["sheet_types"] = [
        "、".join(sorted({s["type"] for s in json.loads(v) if s.get("type")})) for v in frame["sheets"]]
    frame["status_label"] = frame["status"].map(IMPORT_STATUS_LABELS)
    return frame[list(IMPORT_LOG_COLUMNS)].rename(columns=IMPORT_LOG_COLUMNS)


def log_export(store, user: User, what: str, detail: str) -> None:
    """Record who exported what, and when (personal data leaves the app here)."""
    with store.transaction() as cur:
        cur.execute("INSERT INTO export_log VALUES (?, ?, ?, ?)", [dt.datetime.now(), user.name, what, detail])


EXPORT_LOG_COLUMNS = {"exported_at": "导出时间", "user_name": "导出人", "what": "导出内容", "detail": "范围和说明"}


def export_history(store, user: User) -> pd.DataFrame:
    """The export log, newest first, with Chinese headers (times as stored); only a 管理员 may read who took what."""
    require(user, MANAGE, action="查看导出记录")
    frame = store.query("SELECT * FROM export_log ORDER BY exported_at DESC LIMIT ?", [LOG_ROWS_SHOWN])
    return frame[list(EXPORT_LOG_COLUMNS)].rename(columns=EXPORT_LOG_COLUMNS)


OPERATION_LABELS = {"backup": "备份", "backup_download": "下载备份", "restore": "恢复备份", "undo": "撤销导入",
                    "purge_uploads": "清理原始上传文件", "expected_start": "设置应报送起始月份"}
OPERATION_COLUMNS = {"id": "编号", "done_at": "时间", "user_name": "操作人", "action_label": "操作", "detail": "说明"}


def operations_history(store) -> pd.DataFrame:
    """The operations log (backup, restore, undo, removal of raw uploads), newest first, with
    Chinese headers (操作人 included: `without_names` for whoever is not 管理员)."""
    frame = store.query("SELECT * FROM operations ORDER BY id DESC LIMIT ?", [LOG_ROWS_SHOWN])
    frame["action_label"] = frame["action"].map(lambda a: OPERATION_LABELS.get(a, a))
    return frame[list(OPERATION_COLUMNS)].rename(columns=OPERATION_COLUMNS)


PERSON_COLUMNS = ("导入人", "导出人", "操作人")


def without_names(frame: pd.DataFrame, user: User) -> pd.DataFrame:
    """A log as `user` may see it: who imported, exported or operated is shown to a 管理员 only."""
    if user.can_admin:
        return frame
    return frame.drop(columns=[c for c in PERSON_COLUMNS if c in frame.columns])
