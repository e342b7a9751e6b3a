"""The export log: who took which data out of the app, and when. Rows are only ever added."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from lib.access.auth import MANAGE, User, require


def log_export(store, user: User, what: str, detail: str) -> None:
    """Record who exported what, and when (personal data leaves the app here)."""
    with store.transaction() as cur:
        cur.execute("INSERT INTO export_log VALUES (?, ?, ?, ?)", [dt.datetime.now(), user.name, what, detail])


EXPORT_LOG_COLUMNS = {"exported_at": "导出时间", "user_name": "导出人", "what": "导出内容", "detail": "范围和说明"}


def export_history(store, user: User, limit: int = 200) -> pd.DataFrame:
    """The export log, newest first, with Chinese headers; only a 管理员 may read who took what."""
    require(user, MANAGE, action="查看导出记录")
    frame = store.query("SELECT * FROM export_log ORDER BY exported_at DESC LIMIT ?", [limit])
    frame["exported_at"] = pd.to_datetime(frame["exported_at"]).dt.strftime("%Y-%m-%d %H:%M")
    return frame[list(EXPORT_LOG_COLUMNS)].rename(columns=EXPORT_LOG_COLUMNS)
