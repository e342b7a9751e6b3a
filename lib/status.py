"""What the store holds: per sheet type, rows, periods and the latest import (SQL only)."""
from __future__ import annotations

import pandas as pd

from lib.sheets import SHEETS
from lib.store import Store

OVERVIEW_COLUMNS = {"label": "报表", "rows": "行数", "units": "队数", "first": "最早", "last": "最新",
                    "last_import": "最近导入"}


def _period_sql(sheet) -> str:
    if sheet.period_field is None:
        return "NULL"
    if sheet.period in ("month",):
        return f"strftime(date_trunc('month', {sheet.period_field}), '%Y-%m')"
    return f"CAST({sheet.period_field} AS VARCHAR)"


def table_overview(store: Store) -> pd.DataFrame:
    """One row per sheet type: how many rows, from how many 队, covering which periods."""
    parts = []
    for sheet in SHEETS:
        unit = "unit" if "unit" in sheet.fields else "member_unit"
        period = _period_sql(sheet)
        parts.append(
            f"SELECT '{sheet.label}' AS label, count(*) AS rows, count(DISTINCT {unit}) AS units, "
            f"min({period}) AS first, max({period}) AS last, "
            f"(SELECT max(i.imported_at) FROM imports i WHERE i.id IN (SELECT import_id FROM {sheet.key})) "
            f"AS last_import FROM {sheet.key}")
    frame = store.query(" UNION ALL ".join(parts))
    return frame.rename(columns=OVERVIEW_COLUMNS)
