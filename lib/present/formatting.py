"""Every text a period, a date or a number becomes for people — on the pages, in 本月要点, in the
deck and the CLI — written once. Months and quarters as stored ('2024-06', '2024Q2') are read by
the one period grammar in lib/ingest/periods.py, which also words them."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from lib.ingest.periods import month_text, quarter_text, year_text
from lib.metrics.query import Ratio

__all__ = ["month_text", "quarter_text", "year_text", "period_text", "date_text", "timestamp_text", "percent",
           "ratio_text", "value_text", "scope_period_text", "sheet_names", "upload_hint", "not_reported_text"]

NO_DATA = "无数据"
NOT_REPORTED = "未报送"   # a figure whose sheets were not sent: never 0 % or 0 次


def sheet_names(labels) -> str:
    """('包保对子', '谈心记录') → 《包保对子》《谈心记录》."""
    return "".join(f"《{label}》" for label in labels)


def upload_hint(labels) -> str:
    """What to send for a figure that is 未报送: 请上传《包保对子》《谈心记录》."""
    return f"请上传{sheet_names(labels)}"


def not_reported_text(labels) -> str:
    """未报送，请上传《包保对子》 — in place of a chart, or as a sentence."""
    return f"{NOT_REPORTED}，{upload_hint(labels)}"


def period_text(period: str) -> str:
    """A reported period as stored: '2024-06' → 2024年6月, '2024Q2' → 2024年第2季度."""
    if "Q" in period:
        return quarter_text(period)
    year, month = period.split("-")
    return month_text(dt.date(int(year), int(month), 1))


def scope_period_text(start: dt.date, end: dt.date) -> str:
    """A month range: 2024年1月–2024年6月 (one month once)."""
    return month_text(start) + ("" if start == end else "–" + month_text(end))


def date_text(day: dt.date) -> str:
    """date(2024, 6, 3) → 2024年6月3日."""
    return f"{day.year}年{day.month}月{day.day}日"


def timestamp_text(moment, with_time: bool = True) -> str:
    """An import or export time as the logs show it: 2024-06-03 14:05 ('' when missing)."""
    if moment is None or pd.isna(moment):
        return ""
    return pd.Timestamp(moment).strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def percent(value: float | None, digits: int = 1) -> str:
    """0.238 → 23.8%; 无数据 when there is no base."""
    return NO_DATA if value is None else f"{value:.{digits}%}"


def ratio_text(r: Ratio) -> str:
    """23.8%（223/937）, the share always with its counts; 无数据 when N is 0."""
    return NO_DATA if r.value is None else f"{percent(r.value)}（{r.n}/{r.N}）"


def value_text(value) -> str:
    """A headline value as people read it: 87.5%（7/8）, 85.3, 12, 无数据."""
    if value is None:
        return NO_DATA
    if isinstance(value, Ratio):
        return ratio_text(value)
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)
