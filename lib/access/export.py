"""Tables as .xlsx downloads. A cell is never written as a formula (no CSV/formula injection).

`export_table` is how a person downloads a table: it checks the role, masks names and 工号
unless the user may and wants to see them, and records the download in `export_log`.
Every role may export (查看 sees the pages, so it may take what it sees away), but only
管理员, outside 会议模式 and when asking for it, gets full names.
"""
from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from lib.access.auth import EXPORT, MANAGE, User, require
from lib.access.masking import mask_frame

# Excel (and WPS) treat text starting with these as the start of a formula or a command.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell_value(value):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, dt.date)):
        return value.item()
    return value


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One worksheet per frame, bold header, frozen first row; strings always stored as text."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, frame in sheets.items():
        ws = wb.create_sheet(name[:31] or "数据")
        ws.append([str(c) for c in frame.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for record in frame.itertuples(index=False):
            ws.append([_cell_value(v) for v in record])
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    cell.data_type = TYPE_STRING  # openpyxl would otherwise write "=…" as a formula
        for i, col in enumerate(frame.columns, start=1):
            width = max([len(str(col))] + [len(str(v)) for v in frame[col].head(200)]) * 1.6 + 2
            ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, width))
        ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def log_export(store, user: User, what: str, detail: str) -> None:
    """Record who exported what, and when (personal data leaves the app here)."""
    with store.transaction() as cur:
        cur.execute("INSERT INTO export_log VALUES (?, ?, ?, ?)", [dt.datetime.now(), user.name, what, detail])


def names_in_full(user: User, meeting: bool, full_names_wanted: bool) -> bool:
    """Whether an export may carry full names and 工号."""
    return user.can_see_full_names and full_names_wanted and not meeting


def export_table(store, user: User, frames: dict[str, pd.DataFrame], what: str, detail: str,
                 meeting: bool, full_names_wanted: bool) -> bytes:
    """The workbook of `frames` for `user`, names masked unless allowed; logged in export_log.

    Raises PermissionDenied when the role may not export. The log row is written before the
    bytes are handed over, so no download goes unrecorded.
    """
    require(user, EXPORT)
    full = names_in_full(user, meeting, full_names_wanted)
    shown = frames if full else {name: mask_frame(frame) for name, frame in frames.items()}
    data = xlsx_bytes(shown)
    rows = sum(len(frame) for frame in frames.values())
    note = "含完整姓名和工号" if full else "姓名和工号已打码"
    log_export(store, user, what, "；".join(x for x in (detail, f"{rows} 行", note) if x))
    return data


def export_chart_png(store, user: User, fig, name: str, detail: str, wide: bool = False) -> bytes:
    """One chart as a 2× PNG rendered on the server (the deck's look); logged like every export."""
    from lib.present import render  # starts a browser on first use: only when a picture is asked for

    require(user, EXPORT)
    data = render.png(fig, render.WIDE if wide else render.HALF)
    log_export(store, user, f"图表图片：{name}", detail)
    return data


EXPORT_LOG_COLUMNS = {"exported_at": "导出时间", "user_name": "导出人", "what": "导出内容", "detail": "范围和说明"}


def export_history(store, user: User, limit: int = 200) -> pd.DataFrame:
    """The export log, newest first, with Chinese headers; only a 管理员 may read who took what."""
    require(user, MANAGE, action="查看导出记录")
    frame = store.query("SELECT * FROM export_log ORDER BY exported_at DESC LIMIT ?", [limit])
    frame["exported_at"] = pd.to_datetime(frame["exported_at"]).dt.strftime("%Y-%m-%d %H:%M")
    return frame[list(EXPORT_LOG_COLUMNS)].rename(columns=EXPORT_LOG_COLUMNS)
