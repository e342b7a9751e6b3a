"""What may leave the app: .xlsx files that never contain a formula (no CSV/formula injection),
and the rule of who gets full names in them.

Every role may export (查看 sees the pages, so it may take what it sees away), but only
管理员, outside 会议模式 and when asking for it, gets full names. The logged download itself is
lib.present.exports.
"""
from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from lib.access.auth import User

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


def names_in_full(user: User, meeting: bool, full_names_wanted: bool) -> bool:
    """Whether an export may carry full names and 工号."""
    return user.can_see_full_names and full_names_wanted and not meeting
