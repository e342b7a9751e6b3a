"""Dates, months, quarters and years: from date cells, Excel serial numbers or text.

Month, quarter and year texts are read by the one period grammar, lib/ingest/periods; this
module judges what it finds (ranges, the 2023.1 ambiguity) and words the errors.
"""
from __future__ import annotations

import calendar
import datetime as dt
import math
import re

from lib.ingest.clean.cells import (
    _BLANK,
    _WS_ALL,
    Cleaned,
    _coerce,
    _is_int,
    _is_real,
    _is_text,
    _never_raises,
    _squash,
    _text_of,
    _to_float,
    is_blank,
)
from lib.ingest.periods import YEAR_MAX, YEAR_MIN, month_in_cell, quarter_in_cell, quarter_key, year_in_cell

_YEAR_RANGE = f"{YEAR_MIN}–{YEAR_MAX}"

# Excel serial dates: day 0 is 1899-12-30 (this absorbs Excel's fictitious 1900-02-29).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_MIN = (dt.date(YEAR_MIN, 1, 1) - _EXCEL_EPOCH).days     # 18264
_SERIAL_MAX = (dt.date(YEAR_MAX, 12, 31) - _EXCEL_EPOCH).days   # 73415

_MSG_DATE = "无法识别的日期"
_HINT_DATE = "请写成 2024-06-03"
_HINT_FULL_DATE = "请写成完整日期，如 2023-07-03"
_MSG_MONTH = "无法识别的月份"
_HINT_MONTH = "请写成 2023-07 或 2023年7月"
_MSG_MONTH_AS_NUMBER = "月份被存成了数字，无法区分1月和10月"
_HINT_MONTH_AS_NUMBER = "请把单元格设为文本，写成 2023-10 或 2023年10月"
_MSG_QUARTER = "无法识别的季度"
_HINT_QUARTER = "请写成 2024Q2 或 2024年第二季度"
_MSG_YEAR = "无法识别的年度"
_HINT_YEAR = "请填写四位年份，如 2024"
_MSG_YEAR_RANGE = f"年份超出合理范围（{_YEAR_RANGE}）"
_HINT_YEAR_RANGE = "请核对年份"


# --------------------------------------------------------------------------- dates
_TIME = (
    r"(?:(?:上午|下午|晚上|AM|PM)?\s*[0-9]{1,2}:[0-9]{1,2}(?::[0-9]{1,2}(?:\.[0-9]+)?)?"
    r"\s*(?:AM|PM|Z|[+-][0-9]{2}:?[0-9]{2})?"
    r"|[0-9]{1,2}[时点](?:[0-9]{1,2}分(?:[0-9]{1,2}秒)?)?)"
)
_WEEKDAY = r"(?:\s*[(（]?(?:星期|周)[一二三四五六日天][)）]?)?"
_AFTER_DATE = rf"{_WEEKDAY}(?:(?:\s+|T|\s*(?=[上下晚]))\s*{_TIME})?"
_DATE_SEP = re.compile(
    rf"([0-9]{{4}})\s*([-/.])\s*([0-9]{{1,2}})\s*\2\s*([0-9]{{1,2}}){_AFTER_DATE}", re.IGNORECASE)
_DATE_CN = re.compile(
    rf"([0-9]{{4}})\s*年\s*([0-9]{{1,2}})\s*月\s*([0-9]{{1,2}})\s*[日号]?{_AFTER_DATE}", re.IGNORECASE)
_DATE_COMPACT = re.compile(rf"([0-9]{{4}})([0-9]{{2}})([0-9]{{2}}){_AFTER_DATE}", re.IGNORECASE)

_SERIAL_TEXT = re.compile(r"[0-9]{5}(?:\.[0-9]+)?")


def _year_ok(y: int) -> bool:
    return YEAR_MIN <= y <= YEAR_MAX


def _date_ok(d: dt.date) -> Cleaned:
    if not _year_ok(d.year):
        return Cleaned(error=_MSG_YEAR_RANGE, hint=_HINT_YEAR_RANGE)
    return Cleaned(d)


def _make_date(y: int, m: int, d: int) -> Cleaned:
    if not _year_ok(y):
        return Cleaned(error=_MSG_YEAR_RANGE, hint=_HINT_YEAR_RANGE)
    if not 1 <= m <= 12:
        return Cleaned(error=f"不存在的日期：没有{m}月", hint="请核对年月日，如 2023-07-03")
    last = calendar.monthrange(y, m)[1]
    if not 1 <= d <= last:
        return Cleaned(error=f"不存在的日期：{y}年{m}月没有{d}日", hint=f"{y}年{m}月只有{last}天，请核对")
    return Cleaned(dt.date(y, m, d))


def _serial_date(n: int) -> dt.date:
    return _EXCEL_EPOCH + dt.timedelta(days=n)


def _date_from_number(raw) -> Cleaned:
    """An Excel serial (time fraction ignored) or an 8-digit YYYYMMDD number."""
    if _is_int(raw):
        n, integral = int(raw), True
    else:
        f = _to_float(raw)
        if not math.isfinite(f):
            return Cleaned(error=_MSG_DATE, hint=_HINT_DATE)
        n, integral = math.floor(f), f.is_integer()
    if _SERIAL_MIN <= n <= _SERIAL_MAX:
        return Cleaned(_serial_date(n))
    if integral and 19_000_101 <= n <= 21_991_231:
        return _make_date(n // 10_000, n // 100 % 100, n % 100)
    if not integral and YEAR_MIN <= n <= YEAR_MAX:
        return Cleaned(error="日期被存成了数字，缺少日", hint=_HINT_FULL_DATE)
    return Cleaned(error=f"数字超出 Excel 日期序号的合理范围（{_YEAR_RANGE}年）",
                   hint="请把单元格设为日期格式，或写成 2024-06-03")


def _date_from_text(s: str) -> Cleaned:
    """s is normalize_text output."""
    for pattern in (_DATE_SEP, _DATE_CN, _DATE_COMPACT):
        m = pattern.fullmatch(s)
        if m:
            groups = [g for g in m.groups() if g not in ("-", "/", ".")]
            return _make_date(int(groups[0]), int(groups[1]), int(groups[2]))
    t = _WS_ALL.sub("", s)
    if month_in_cell(t):
        return Cleaned(error="缺少日", hint=_HINT_FULL_DATE)
    if _SERIAL_TEXT.fullmatch(t):
        c = _date_from_number(float(t))
        if c.value is not None:
            return Cleaned(c.value, warning="文本按 Excel 日期序号解读，请核对")
    return Cleaned(error=_MSG_DATE, hint=_HINT_DATE)


@_never_raises
def clean_date(raw) -> Cleaned:
    """→ datetime.date, from a date/datetime, an Excel serial number or a date text."""
    raw = _coerce(raw)
    if is_blank(raw):
        return _BLANK
    if isinstance(raw, bool):
        return Cleaned(error="是/否值不是日期", hint=_HINT_DATE)
    if isinstance(raw, dt.datetime):
        return _date_ok(raw.date())
    if isinstance(raw, dt.date):
        return _date_ok(raw)
    if isinstance(raw, dt.time):
        return Cleaned(error="只有时间，没有日期", hint=_HINT_FULL_DATE)
    if _is_int(raw) or _is_real(raw):
        return _date_from_number(raw)
    s, err = _text_of(raw)
    return err or _date_from_text(s)


def _month(y: int, m: int, warning: str | None = None) -> Cleaned:
    if not _year_ok(y):
        return Cleaned(error=_MSG_YEAR_RANGE, hint=_HINT_YEAR_RANGE)
    if not 1 <= m <= 12:
        return Cleaned(error="月份应在 1–12 之间", hint=_HINT_MONTH)
    return Cleaned(dt.date(y, m, 1), warning=warning)


def _first_of_month(c: Cleaned) -> Cleaned:
    if isinstance(c.value, dt.date):
        return Cleaned(c.value.replace(day=1), warning=c.warning)
    return c


def _month_from_number(raw) -> Cleaned:
    if _is_int(raw):
        n, integral = int(raw), True
    else:
        f = _to_float(raw)
        if not math.isfinite(f):
            return Cleaned(error=_MSG_MONTH, hint=_HINT_MONTH)
        n, integral = math.floor(f), f.is_integer()
    if integral and 100_000 <= n <= 999_999:                  # 202307
        return _month(n // 100, n % 100)
    if YEAR_MIN <= n <= YEAR_MAX:
        if integral:
            return Cleaned(error="缺少月份", hint=_HINT_MONTH)
        return Cleaned(error=_MSG_MONTH_AS_NUMBER, hint=_HINT_MONTH_AS_NUMBER)
    if _SERIAL_MIN <= n <= _SERIAL_MAX:                        # a date cell read as a number
        return Cleaned(_serial_date(n).replace(day=1))
    return Cleaned(error=_MSG_MONTH, hint=_HINT_MONTH)


def _month_from_text(s: str) -> Cleaned:
    t = _WS_ALL.sub("", s)
    month = month_in_cell(t)
    if month:
        if month.maybe_decimal:
            return Cleaned(error=_MSG_MONTH_AS_NUMBER, hint=_HINT_MONTH_AS_NUMBER)
        return _month(month.year, month.month)
    if year_in_cell(t) is not None:
        return Cleaned(error="缺少月份", hint=_HINT_MONTH)
    c = _date_from_text(s)
    if c.value is not None:
        return _first_of_month(c)
    if c.error not in (_MSG_DATE, "缺少日"):
        return c                                    # e.g. 不存在的日期 / 年份超出范围
    return Cleaned(error=_MSG_MONTH, hint=_HINT_MONTH)


@_never_raises
def clean_month(raw) -> Cleaned:
    """→ datetime.date, the first day of the month. A month typed as a number (2023.1) is
    rejected: Excel shows 2023.10 as 2023.1, so it cannot be told from January."""
    raw = _coerce(raw)
    if is_blank(raw):
        return _BLANK
    if isinstance(raw, bool):
        return Cleaned(error="是/否值不是月份", hint=_HINT_MONTH)
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return _first_of_month(_date_ok(raw))
    if isinstance(raw, dt.time):
        return Cleaned(error="只有时间，没有月份", hint=_HINT_MONTH)
    if _is_int(raw) or _is_real(raw):
        return _month_from_number(raw)
    s, err = _text_of(raw)
    return err or _month_from_text(s)


def _quarter(y: int, q: int) -> Cleaned:
    if not _year_ok(y):
        return Cleaned(error=_MSG_YEAR_RANGE, hint=_HINT_YEAR_RANGE)
    return Cleaned(quarter_key(y, q))


@_never_raises
def clean_quarter(raw) -> Cleaned:
    """→ 'YYYYQn', from 2024Q2 / 2024-Q2 / 2024年第二季度 / 2024-2季度 … or a date."""
    raw = _coerce(raw)
    if is_blank(raw):
        return _BLANK
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return _quarter(raw.year, (raw.month - 1) // 3 + 1)
    if not _is_text(raw):
        return Cleaned(error=_MSG_QUARTER, hint=_HINT_QUARTER)
    s, err = _text_of(raw)
    if err:
        return err
    quarter = quarter_in_cell(_squash(s).upper())
    if quarter:
        return _quarter(*quarter)
    return Cleaned(error=_MSG_QUARTER, hint=_HINT_QUARTER)


@_never_raises
def clean_year(raw) -> Cleaned:
    """→ int: 2022, 2022.0, '2022', '2022年', '2022年度' (1950–2100)."""
    raw = _coerce(raw)
    if is_blank(raw):
        return _BLANK
    if isinstance(raw, bool) or isinstance(raw, dt.time):
        return Cleaned(error=_MSG_YEAR, hint=_HINT_YEAR)
    if isinstance(raw, dt.date):
        y = raw.year
    elif _is_int(raw):
        y = int(raw)
    elif _is_real(raw):
        f = _to_float(raw)
        if not math.isfinite(f):
            return Cleaned(error=_MSG_YEAR, hint=_HINT_YEAR)
        if not f.is_integer():
            return Cleaned(error="年度不应有小数", hint=_HINT_YEAR)
        y = int(f)
    else:
        s, err = _text_of(raw)
        if err:
            return err
        y = year_in_cell(_squash(s))
        if y is None:
            return Cleaned(error=_MSG_YEAR, hint=_HINT_YEAR)
    if not _year_ok(y):
        return Cleaned(error=_MSG_YEAR_RANGE, hint=_HINT_YEAR)
    return Cleaned(y)


