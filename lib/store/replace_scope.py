"""What a new upload of a sheet type replaces, generated from its declaration.

A sheet's scope (SheetType.scope) is a tuple of fields, e.g. (month, unit) for a 人员名册: an upload
replaces every stored row of that type whose scope values are among the upload's. Fields named in
SheetType.scope_by_month are dates that match by their month. From this one declaration come the
SQL (what to replace, clashes with other scopes) and the pandas twin (the scopes a preview lists),
so the two cannot drift apart.
"""
from __future__ import annotations

import pandas as pd

from lib.ingest.parse import ParsedSheet
from lib.ingest.periods import month_text, quarter_text, year_text
from lib.ingest.sheets import SheetType

PERIOD_KINDS = ("month", "quarter", "year")


def scope_sql(sheet: SheetType, alias: str) -> list[str]:
    """One SQL expression per scope field, over the table aliased `alias`."""
    return [f"date_trunc('month', {alias}.{f})" if f in sheet.scope_by_month else f"{alias}.{f}"
            for f in sheet.scope]


def scope_keys(sheet: SheetType, alias: str = "s") -> str:
    """SQL select list: the scope of row `alias` as columns k0, k1, …"""
    return ", ".join(f"{e} AS k{i}" for i, e in enumerate(scope_sql(sheet, alias)))


def in_scope(sheet: SheetType, scopes: str = "sc", alias: str = "t") -> str:
    """SQL condition: row `alias` of the sheet's table has the scope of row `scopes` (columns k0, k1, …)."""
    return " AND ".join(f"{scopes}.k{i} = {e}" for i, e in enumerate(scope_sql(sheet, alias)))


def scope_frame(sheet: SheetType, frame: pd.DataFrame) -> pd.DataFrame:
    """The scope of each parsed row, columns k0, k1, … (the pandas twin of scope_sql)."""
    columns = {}
    for i, f in enumerate(sheet.scope):
        values = frame[f].tolist()
        columns[f"k{i}"] = ([None if d is None else d.replace(day=1) for d in values]
                            if f in sheet.scope_by_month else values)
    return pd.DataFrame(columns)


def _is_period(sheet: SheetType, field_name: str) -> bool:
    return field_name in sheet.scope_by_month or sheet.column(field_name).kind in PERIOD_KINDS


def _value_text(sheet: SheetType, field_name: str, value) -> str:
    kind = "month" if field_name in sheet.scope_by_month else sheet.column(field_name).kind
    if value is None or value == "" or pd.isna(value):
        # e.g. a 谈心记录 row whose 党员所在队 is still to be found (lib/store/derive_units.py)
        return f"{sheet.column(field_name).label}未确定"
    texts = {"month": month_text, "quarter": quarter_text, "year": year_text}
    return texts[kind](value) if kind in texts else str(value)


def scope_text(sheet: SheetType, values) -> str:
    """One scope as people say it, units first, then periods: 综采队 2024年6月."""
    parts = [(_is_period(sheet, f), _value_text(sheet, f, v)) for f, v in zip(sheet.scope, values)]
    return " ".join(text for _, text in sorted(parts, key=lambda p: p[0]))


def scope_summary(parsed: ParsedSheet) -> list[str]:
    """The distinct scopes a parsed sheet covers, e.g. ['综采队 2024年6月']."""
    if parsed.sheet_type is None or parsed.frame is None or not len(parsed.frame):
        return []
    sheet = parsed.sheet_type
    if sheet.scope == sheet.grain:
        return [f"{sheet.column(sheet.grain[0]).label} 共 {len(parsed.frame)} 条"]
    keys = scope_frame(sheet, parsed.frame).drop_duplicates()
    return [scope_text(sheet, row) for row in keys.itertuples(index=False)]
