"""Every indicator as JSON-ready data: the contract of `python -m lib.cli metrics --json`.

The keys and their order are the contract (tests/test_metrics_golden.py holds them to it).
Never sent is not zero: an indicator whose sheets have no data for the filter carries
`"not_reported": ["包保对子", …]` (the sheets to send) and its ratios are null, not 0; in 总览
(`overview`) such a figure is null. 报送情况 marks the periods a 队 is not (yet) expected to send
with `"expected": false`.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pandas as pd

from lib.metrics.query import Filter, Ratio
from lib.metrics.registry import Getter

# After the filter and the two 发展对象 shares (both from dev_shares), in this order.
REPORTED = ("dev_pipeline", "team_coverage", "blank_team_trend", "liaison_rate", "pair_coverage", "talk_activity",
            "problem_ledger", "zones", "model_posts", "score_trend", "committee", "slogans", "honours",
            "submission_status", "overview")


def all_metrics(get: Getter, f: Filter) -> dict:
    """Every indicator for the filter, keyed by its JSON id."""
    shares = get("dev_shares", f)
    unsent = bool(shares.not_reported)  # 发展党员 not sent: the shares are null (dev_pipeline names the sheet)
    result = {
        "filter": {"units": list(f.units), "teams": [list(t) for t in f.teams],
                   "from": f.start.strftime("%Y-%m"), "to": f.end.strftime("%Y-%m"), "as_of": f.as_of},
        "dev_frontline_share": None if unsent else shares.frontline,
        "dev_leader_share": None if unsent else shares.leader,
        **{name: get(name, f) for name in REPORTED},
    }
    return plain(result)


def plain(value):
    """Dataclasses, Ratios, DataFrames and dates as JSON-ready data."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, Ratio):
        return value.as_json()
    if isinstance(value, pd.DataFrame):
        return _records(value)
    if dataclasses.is_dataclass(value):
        unsent = bool(getattr(value, "not_reported", ()))  # its ratios mean nothing: null, not 0
        return {fld.name: None if unsent and isinstance(getattr(value, fld.name), Ratio)
                else plain(getattr(value, fld.name)) for fld in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()[:10] if not isinstance(value, dt.datetime) else value.isoformat()
    if value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item"):  # numpy scalars
        return plain(value.item())
    return value


def _records(table: pd.DataFrame) -> list[dict]:
    """Column by column: numbers in bulk, only object columns value by value."""
    columns = {}
    for name in table.columns:
        col = table[name]
        if pd.api.types.is_datetime64_any_dtype(col):
            columns[name] = [None if pd.isna(v) else v.isoformat() for v in col]
        elif pd.api.types.is_bool_dtype(col) or pd.api.types.is_numeric_dtype(col):
            columns[name] = [plain(v) for v in col.astype(object).where(col.notna(), None).tolist()]
        else:
            columns[name] = [plain(v) for v in col.tolist()]
    return [dict(zip(columns, values)) for values in zip(*columns.values())]
