"""The two logs people read: imports (who loaded which file, and its undo) and exports (who took
which data out of the app). Import rows are written by the importer in its transaction; export
rows are only ever added."""
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


def history(store) -> pd.DataFrame:
    """The import log, newest first, with Chinese headers."""
    frame = store.query("SELECT * FROM imports ORDER BY id DESC LIMIT ?", [LOG_ROWS_SHOWN])
    if frame.empty:
        return pd.DataFrame(columns=list(IMPORT_LOG_COLUMNS.values()))
    frame["sheet_types"] = [
        "、".join(sorted({s["type"] for s in json.loads(v) if s.get("type")})) for v in frame["sheets"]]
    frame["status_label"] = frame["status"].map({"imported": "有效", "undone": "已撤销"})
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
