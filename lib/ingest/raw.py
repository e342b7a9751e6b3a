"""What the readers hand on: the cells exactly as the workbook stores them.

No value is turned into text, no header is looked for, nothing is cleaned; the cleaners in
lib/ingest/clean decide what a cell means.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RawSheet:
    name: str
    # rows[0] is Excel row 1, rows[r][0] is column A; trailing empty cells are trimmed.
    # Values: None, str, int, float, bool, datetime.date, datetime.datetime, datetime.time.
    rows: list[list]
    hidden: bool = False
    hidden_rows: frozenset[int] = frozenset()
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


@dataclass
class RawWorkbook:
    format: str                      # 'xlsx' | 'xlsm' | 'xls' | 'et' | 'csv'
    sheets: list[RawSheet]
    formula_cells_without_value: int = 0
    encoding: str | None = None      # for csv
