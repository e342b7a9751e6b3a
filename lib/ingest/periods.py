"""The one grammar for months, quarters and years, and their canonical texts.

Two places read periods: a cell of a 月份 / 季度 column (the whole cell is the period, e.g.
'2024-06', '2024年6月', '202406', '2024Q2', '2024年第二季度', 'Q2-2024') and the title lines,
sheet name or file name of a form whose table has no such column (the period is somewhere in
the text, e.g. '综采队2024年6月人员名册', '2024Q2_比学争优'). Both use the pieces below; in a title
a month needs its 月 (or a separator) so that '2024年1季度' is not read as January.

Canonical forms: months are stored as the first day of the month (datetime.date) and passed
around as '2024-06'; quarters as '2024Q2'; years as 2024. Texts for people: month_text,
quarter_text, year_text.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import NamedTuple

# Plausible years for anything dated in a mine's party-building records.
YEAR_MIN, YEAR_MAX = 1950, 2100

_CN_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
               "十": 10, "十一": 11, "十二": 12}
_YEAR = r"([0-9]{4})"
_MONTH_WORD = r"([0-9]{1,2}|十[一二]?|[一二三四五六七八九十])"
_QUARTER_WORD = r"([1-4一二三四])"

# Whole cells (matched after NFKC, all whitespace removed, upper-cased).
_CELL_MONTH_SEP = re.compile(_YEAR + r"([-/._])([0-9]{1,2})")
_CELL_MONTH_CN = re.compile(_YEAR + r"年度?" + _MONTH_WORD + r"(?:月份?)?")
_CELL_MONTH_COMPACT = re.compile(_YEAR + r"([0-9]{2})")
_CELL_YEAR = re.compile(_YEAR + r"(?:\.0+)?(?:年度?)?")
_CELL_QUARTER = re.compile(_YEAR + r"(?:年度?)?[-_/.]?(?:Q([1-4])|第?" + _QUARTER_WORD + r"季度?)")
_CELL_QUARTER_Q_FIRST = re.compile(r"Q([1-4])[-_/.]?" + _YEAR)

# Inside a title or a file name (searched in NFKC text, spaces allowed).
_TITLE_MONTH = re.compile(_YEAR + r"\s*(?:年\s*" + _MONTH_WORD + r"\s*月|[-_./](\d{1,2})(?!\d))"
                          r"|(?<!\d)((?:19|20)\d\d)(0[1-9]|1[0-2])(?!\d)")  # … or 202406
_TITLE_QUARTER = re.compile(_YEAR + r"\s*(?:年\s*第?\s*" + _QUARTER_WORD + r"\s*季度?|\s*[-_ ]?\s*[Qq]\s*([1-4]))")
_TITLE_YEAR = re.compile(r"(\d{4})\s*年")
_TITLE_BARE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")  # only when no '…年' is named
# The day a form was filled in (填报日期：2024年7月2日, or a bare 日期：…) is not the data's month.
_FILL_DATE = re.compile(r"(?:(?:填报|填表|制表|报送|上报|打印)(?:日期|时间)|(?<!\S)日期)"
                        r"\s*[:：]?\s*[\d\-./年月日\s:]*")


def _number(word: str) -> int:
    return _CN_NUMBERS[word] if word in _CN_NUMBERS else int(word)


# ---------------------------------------------------------------- whole cells

class CellMonth(NamedTuple):
    year: int
    month: int
    # '2023.1': a CSV export of the number 2023.10 reads the same, so January or October is unknowable
    maybe_decimal: bool


def month_in_cell(text: str) -> CellMonth | None:
    """The month a whole cell names ('2024-06', '2024_06', '2024年6月', '2024年六月', '202406'),
    text without whitespace. Year and month are not range-checked (the cleaner words those
    errors), except in the compact form, which is a month only when both are plausible."""
    m = _CELL_MONTH_SEP.fullmatch(text)
    if m:
        return CellMonth(int(m.group(1)), int(m.group(3)), m.group(2) == "." and m.group(3) == "1")
    m = _CELL_MONTH_CN.fullmatch(text)
    if m:
        return CellMonth(int(m.group(1)), _number(m.group(2)), False)
    m = _CELL_MONTH_COMPACT.fullmatch(text)
    if m and YEAR_MIN <= int(m.group(1)) <= YEAR_MAX and 1 <= int(m.group(2)) <= 12:
        return CellMonth(int(m.group(1)), int(m.group(2)), False)
    return None


def year_in_cell(text: str) -> int | None:
    """2024 from '2024', '2024.0', '2024年', '2024年度'."""
    m = _CELL_YEAR.fullmatch(text)
    return int(m.group(1)) if m else None


def quarter_in_cell(text: str) -> tuple[int, int] | None:
    """(year, quarter) from '2024Q2', '2024-Q2', '2024年第二季度', '2024-2季度', 'Q2-2024' …
    (text upper-cased, without whitespace)."""
    m = _CELL_QUARTER.fullmatch(text)
    if m:
        return int(m.group(1)), _number(m.group(2) or m.group(3))
    m = _CELL_QUARTER_Q_FIRST.fullmatch(text)
    if m:
        return int(m.group(2)), int(m.group(1))
    return None


# ---------------------------------------------------------------- titles and file names

def period_in_title(text: str, kind: str) -> str | None:
    """The first month ('2024-06'), quarter ('2024Q2') or year ('2024') named in a title line,
    sheet name or file name; kind is 'month', 'quarter' or 'year'. Fill-in dates are skipped."""
    text = _FILL_DATE.sub(" ", unicodedata.normalize("NFKC", text))
    if kind == "quarter":
        found = _TITLE_QUARTER.search(text)
        if found:
            return quarter_key(found.group(1), _number(found.group(2) or found.group(3)))
    elif kind == "month":
        found = _TITLE_MONTH.search(text)
        if found:
            month = _number(found.group(2) or found.group(3) or found.group(5))
            if 1 <= month <= 12:
                return month_key(found.group(1) or found.group(4), month)
    elif kind == "year":
        found = _TITLE_YEAR.search(text) or _TITLE_BARE_YEAR.search(text)
        if found:
            return found.group(1)
    return None


# ---------------------------------------------------------------- canonical texts

def month_key(year: int | str, month: int) -> str:
    """'2024-06': how a month travels as text (context values, file names)."""
    return f"{year}-{month:02d}"


def quarter_key(year: int | str, quarter: int) -> str:
    """'2024Q2': how a quarter is stored."""
    return f"{year}Q{quarter}"


def quarter_of(day: dt.date) -> str:
    """date(2024, 5, 1) → '2024Q2'."""
    return quarter_key(day.year, (day.month - 1) // 3 + 1)


def month_text(month: dt.date) -> str:
    """date(2024, 6, 1) → '2024年6月'."""
    return f"{month.year}年{month.month}月"


def quarter_text(quarter: str) -> str:
    """'2024Q2' → '2024年第2季度' (anything else unchanged)."""
    m = re.fullmatch(r"(\d{4})Q([1-4])", str(quarter))
    return f"{m[1]}年第{m[2]}季度" if m else str(quarter)


def year_text(year: int) -> str:
    """2024 → '2024年'."""
    return f"{year}年"
