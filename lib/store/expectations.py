"""报送情况: from which month a 队 is expected to send a sheet, when a 管理员 says so.

Without a setting a 队 is expected to send a sheet from its first report of that sheet onward
(lib/metrics/submissions.py); a 管理员 may set another start month per 队 and sheet on the 报送情况
page, or remove it again. Only a 管理员 may; each change is written to the operations log (who,
when, what) and the row keeps who set it last.
"""
from __future__ import annotations

import datetime as dt
import unicodedata

import pandas as pd

from lib.access.auth import MANAGE, User, require
from lib.ingest.periods import YEAR_MAX, YEAR_MIN, month_in_cell, month_text
from lib.ingest.sheets import SHEETS
from lib.store.database import Store, log_operation

ACTION = "expected_start"   # lib/store/logs.py OPERATION_LABELS: 设置应报送起始月份
SHEET_KEYS = {s.key: s.label for s in SHEETS}


def expected_starts(store: Store) -> pd.DataFrame:
    """Every start month set: unit, sheet (key), start_month, set_by, set_at."""
    return store.query("SELECT unit, sheet, start_month, set_by, set_at FROM submission_starts ORDER BY unit, sheet")


def parse_month(text: str | dt.date) -> dt.date:
    """A month as a person types it (2024-06, 2024年6月, 202406) → its first day; a Chinese message otherwise."""
    if isinstance(text, dt.date):
        return text.replace(day=1)
    typed = "".join(unicodedata.normalize("NFKC", str(text or "")).split())
    found = month_in_cell(typed)
    if found is None or found.maybe_decimal or not (1 <= found.month <= 12) \
            or not (YEAR_MIN <= found.year <= YEAR_MAX):
        raise ValueError(f"“{typed}”不是一个月份，请写成 2024-06 或 2024年6月" if typed else "请填写起始月份，例如 2024-06")
    return dt.date(found.year, found.month, 1)


def _checked(units, sheets) -> tuple[list[str], list[str]]:
    units = list(dict.fromkeys(str(u).strip() for u in units if str(u).strip()))
    if not units:
        raise ValueError("请至少选择一个队")
    sheets = list(dict.fromkeys(sheets))
    if not sheets:
        raise ValueError("请至少选择一类报表")
    unknown = [s for s in sheets if s not in SHEET_KEYS]
    if unknown:
        raise ValueError(f"没有这类报表：{'、'.join(map(str, unknown))}")
    return units, sheets


def _what(units: list[str], sheets: list[str]) -> str:
    return f"{'、'.join(units)} · {'、'.join(SHEET_KEYS[s] for s in sheets)}"


def set_expected_start(store: Store, user: User, units, sheets, month: str | dt.date) -> int:
    """Each of `units` is expected to send each of `sheets` (keys) from `month` on. Returns the
    operations-log id. Only a 管理员; a bad month, no 队 or an unknown sheet: ValueError in Chinese."""
    require(user, MANAGE, action="设置应报送起始月份")
    units, sheets = _checked(units, sheets)
    start = parse_month(month)
    now = dt.datetime.now()
    with store.transaction() as cur:
        for unit in units:
            for sheet in sheets:
                cur.execute("INSERT OR REPLACE INTO submission_starts VALUES (?, ?, ?, ?, ?)",
                            [unit, sheet, start, user.name, now])
        return log_operation(cur, user.name, ACTION, f"{_what(units, sheets)}：应报送起始月份设为{month_text(start)}",
                             now)


def clear_expected_start(store: Store, user: User, units, sheets) -> int:
    """Back to the rule: `units` are expected to send `sheets` from their first report on. Logged; 管理员 only."""
    require(user, MANAGE, action="设置应报送起始月份")
    units, sheets = _checked(units, sheets)
    with store.transaction() as cur:
        for unit in units:
            for sheet in sheets:
                cur.execute("DELETE FROM submission_starts WHERE unit = ? AND sheet = ?", [unit, sheet])
        return log_operation(cur, user.name, ACTION, f"{_what(units, sheets)}：取消设置，改为从首次报送的月份起")
