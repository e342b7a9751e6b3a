"""Build real workbooks for tests, the way units fill them in."""
from __future__ import annotations

import io
from typing import Iterable

from openpyxl import Workbook

from lib.ingest.sheets import SHEETS_BY_KEY

ROSTER_HEADER = ["月份", "队", "班组", "工号", "姓名", "性别", "是否一线职工", "是否班组长", "政治面貌"]


def xlsx_bytes(sheets: dict[str, Iterable[Iterable]], hidden_sheets: Iterable[str] = (),
               hidden_rows: dict[str, Iterable[int]] | None = None,
               merges: dict[str, Iterable[str]] | None = None,
               text_cells: bool = True) -> bytes:
    """One workbook; every str cell is stored as text, numbers as numbers."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
        if name in hidden_sheets:
            ws.sheet_state = "hidden"
        for r in (hidden_rows or {}).get(name, ()):
            ws.row_dimensions[r].hidden = True
        for rng in (merges or {}).get(name, ()):
            ws.merge_cells(rng)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def person(i: int, unit="综采队", team="赵林生产班", political="群众", frontline="是", leader="否",
           month="2024-06") -> list:
    return [month, unit, team, f"{i:06d}", f"职工{i}", "男", frontline, leader, political]


def roster(month="2024-06", unit="综采队", n=10, start=1, teams=("赵林生产班", "检修班")) -> list[list]:
    """A clean roster: every third person a party member."""
    rows = [ROSTER_HEADER]
    for k in range(n):
        i = start + k
        rows.append(person(i, unit, teams[k % len(teams)], "中共党员" if k % 3 == 0 else "群众",
                           month=month))
    return rows


def canonical_header(key: str) -> list[str]:
    return [c.label for c in SHEETS_BY_KEY[key].columns]
