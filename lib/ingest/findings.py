"""Validation findings: one row per error or warning found in an upload (the clerk's error table).

Named findings, not problems, because 问题 in this project is the 问题台帐 sheet."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import pandas as pd

from lib.ingest.clean.cells import CONTROL_CLASS

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
    """How a raw cell value is shown back to the user in the error table: control characters as
    visible symbols (␇ for BEL, � for C1 and bidi controls), so that the table and 错误清单.xlsx
    show where they were and stay writable."""
    if raw is None:
        return ""
    text = str(raw)
    text = text if len(text) <= 60 else text[:57] + "…"
    return _CONTROL_SHOWN.sub(_visible, text) if _CONTROL_SHOWN.search(text) else text


# The characters the cleaners remove, one at a time.
_CONTROL_SHOWN = re.compile(CONTROL_CLASS)


def _visible(m: re.Match) -> str:
    code = ord(m.group())
    if code < 0x20:
        return chr(0x2400 + code)        # Unicode control pictures: ␀ ␇ ␛ …
    return "\u2421" if code == 0x7F else "\ufffd"


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """The error/warning table with Chinese headers, errors first."""
    rows = [asdict(p) for p in sorted(findings, key=lambda p: (not p.is_error, p.file, p.sheet, p.row or 0))]
    frame = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    return frame.rename(columns=FINDING_COLUMNS)
