"""Validation findings: one row per error or warning found in an upload (the clerk's error table).

Named findings, not problems, because 问题 in this project is the 问题台帐 sheet."""
from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

ERROR = "错误"
WARNING = "提醒"

# Column headers of the error table and of 错误清单.xlsx.
FINDING_COLUMNS = {"level": "级别", "file": "文件", "sheet": "工作表", "row": "行号", "column": "列",
                   "value": "原值", "message": "问题", "hint": "建议"}


@dataclass(frozen=True)
class Finding:
    level: str                 # ERROR blocks the whole file; WARNING does not
    message: str
    hint: str = ""
    file: str = ""
    sheet: str = ""
    row: int | None = None     # the Excel row number the user sees (1-based)
    column: str = ""
    value: str = ""

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    def as_json(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "value": self.value,
                "message": self.message, "hint": self.hint}


def shown_value(raw) -> str:
    """How a raw cell value is shown back to the user in the error table."""
    if raw is None:
        return ""
    text = str(raw)
    return text if len(text) <= 60 else text[:57] + "…"


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """The error/warning table with Chinese headers, errors first."""
    rows = [asdict(p) for p in sorted(findings, key=lambda p: (not p.is_error, p.file, p.sheet, p.row or 0))]
    frame = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    return frame.rename(columns=FINDING_COLUMNS)
