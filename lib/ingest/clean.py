"""Pure cell cleaners for the spreadsheet importer.

Each ``clean_*`` function takes one raw cell value — whatever openpyxl, xlrd, pandas or a CSV
reader produced (None, str, int, float, bool, date, datetime, time, bytes, numpy and pandas
scalars, Decimal, …) — and returns a :class:`Cleaned`: the normalised value, or a Chinese
error with a hint (建议), plus an optional warning for values that are accepted but suspicious.

The importer calls a cleaner once per DISTINCT raw value of a column, so these are plain
Python. They never raise: every input type is handled by an explicit check, and a last
safety net (``_never_raises``) turns an unforeseen exception into a cell error instead of
failing the whole upload. The tests assert that the safety net is never reached.

No Streamlit here. Identifiers are English; every message string is Chinese.
"""
from __future__ import annotations

import calendar
import datetime as dt
import decimal
import functools
import logging
import math
import numbers
import re
import sys
import unicodedata
from dataclasses import dataclass

__all__ = [
    "Cleaned", "is_blank", "normalize_text",
    "clean_text", "clean_org", "clean_org_list", "clean_name", "clean_id", "clean_bool",
    "clean_date", "clean_month", "clean_quarter", "clean_year", "clean_number", "clean_enum",
    "clean_good",
]

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Cleaned:
    value: object = None        # normalised value, None when the cell is blank
    error: str | None = None    # Chinese: why the cell is invalid (e.g. "无法识别的日期")
    hint: str | None = None     # Chinese suggestion (建议), e.g. "请写成 2024-06-03"
    warning: str | None = None  # Chinese: accepted but suspicious


_BLANK = Cleaned()

# Plausible years for anything dated in a mine's party-building records.
YEAR_MIN, YEAR_MAX = 1950, 2100
_YEAR_RANGE = f"{YEAR_MIN}–{YEAR_MAX}"

# Excel serial dates: day 0 is 1899-12-30 (this absorbs Excel's fictitious 1900-02-29).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_MIN = (dt.date(YEAR_MIN, 1, 1) - _EXCEL_EPOCH).days     # 18264
_SERIAL_MAX = (dt.date(YEAR_MAX, 12, 31) - _EXCEL_EPOCH).days   # 73415

# Python refuses int <-> str conversions beyond this many digits (3.11+); stay well below.
_MAX_INT_BITS = 12_000

# --------------------------------------------------------------------------- messages
_MSG_INTERNAL = "无法处理该单元格的值"
_HINT_INTERNAL = "请检查该单元格的内容，或改为普通文本后重新填写"
_HINT_FORMULA = "请检查该单元格的公式，或直接填写数值"
_HINT_AS_TEXT = "请把单元格设为文本后重新填写"

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
_MSG_BOOL = "无法识别的是/否值"
_HINT_BOOL = "请填写 是 或 否"
_MSG_NUMBER = "不是数字"
_HINT_NUMBER = "请只填写数字，如 85 或 1234.5"
_MSG_ENUM = "不是允许的取值"
_MSG_GOOD = "无法识别的六好评价"
_HINT_GOOD = "请填写 0–100 的分数，或 是/否"
_HINT_ID = "请把单元格设为文本，填写完整工号"

# --------------------------------------------------------------------------- text basics
# Whitespace as Python sees it (incl. U+3000 and NBSP) plus zero-width characters and BOM.
_WS_CLASS = r"[\s\u200b\u200c\u200d\u2060\ufeff]"
_WS_ALL = re.compile(_WS_CLASS + "+")
_EDGES = re.compile(rf"\A{_WS_CLASS}+|{_WS_CLASS}+\Z")
_NEWLINES = re.compile(r"\r\n?")

# Placeholders that mean "nothing here" (compared after NFKC, trim and casefold).
_PLACEHOLDERS = frozenset({"无", "空", "无数据", "n/a", "/"})
_DASHES = re.compile(r"[-\u2012\u2013\u2014\u2015\u2500]{1,3}")   # - -- --- — —— – ─

# Values Excel writes into a cell whose formula failed.
_EXCEL_ERRORS = re.compile(
    r"#(?:N/A|DIV/0!|VALUE!|REF!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA|FIELD!|BLOCKED!)",
    re.IGNORECASE,
)

# Middle-dot variants in minority names (买买提·艾力) → U+00B7.
_NAME_DOTS = str.maketrans({"\u2022": "·", "\u30fb": "·", "\u2027": "·", "\u22c5": "·", "\u2219": "·"})

_DIGIT = re.compile(r"[0-9]")
_LIST_SEP = re.compile(r"[、,，;；/\s\u200b\u200c\u200d\u2060\ufeff]+")

_PLAIN_TYPES = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime, dt.time, bytes})


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def _trim(s: str) -> str:
    return _EDGES.sub("", s)


def _norm(s: str) -> str:
    """NFKC, unify line breaks, trim. Repeated until stable so it is idempotent."""
    for _ in range(4):
        t = _trim(_NEWLINES.sub("\n", _nfkc(s)))
        if t == s:
            break
        s = t
    return s


def _squash(s: str) -> str:
    """NFKC and remove ALL whitespace, repeated until stable (removal can create new
    composable sequences)."""
    for _ in range(4):
        t = _nfkc(_WS_ALL.sub("", s))
        if t == s:
            break
        s = t
    return s


def _decode(b: bytes | bytearray) -> str:
    try:
        return bytes(b).decode("utf-8")
    except UnicodeDecodeError:
        return bytes(b).decode("gb18030", errors="replace")   # CSV exported in GBK


def _safe_str(raw: object) -> str:
    try:
        s = str(raw)
    except Exception:  # an arbitrary object's __str__ may do anything
        return ""
    return s if isinstance(s, str) else ""


def _coerce(raw: object) -> object:
    """numpy scalars and Decimal → the equivalent plain Python value; others unchanged."""
    t = type(raw)
    if t in _PLAIN_TYPES:
        return raw
    if isinstance(raw, decimal.Decimal):
        if raw.is_nan():
            return math.nan
        if raw.is_infinite():
            return math.inf if raw > 0 else -math.inf
        if raw == raw.to_integral_value() and raw.adjusted() < 4000:
            return int(raw)
        return float(raw)
    if (getattr(t, "__module__", None) or "").startswith("numpy"):
        if t.__name__ == "datetime64":
            as_us = getattr(raw, "astype", None)
            if callable(as_us):
                conv = as_us("datetime64[us]").item()
                if conv is None or isinstance(conv, dt.date):
                    return conv
            return raw
        item = getattr(raw, "item", None)
        if callable(item):
            return item()
    return raw


def _is_missing(raw: object) -> bool:
    """None, NaN, pandas NaT / NA (after _coerce)."""
    if raw is None:
        return True
    if isinstance(raw, float):
        return math.isnan(raw)
    return type(raw).__name__ in ("NaTType", "NAType")


def _is_blank_text(s: str) -> bool:
    """s is already NFKC-normalised and trimmed."""
    return s == "" or s.casefold() in _PLACEHOLDERS or _DASHES.fullmatch(s) is not None


def _is_text(raw: object) -> bool:
    return isinstance(raw, (str, bytes, bytearray))


def _is_int(raw: object) -> bool:
    return isinstance(raw, numbers.Integral) and not isinstance(raw, bool)


def _is_real(raw: object) -> bool:
    """A non-integral real number (float, Fraction…), bools excluded."""
    return isinstance(raw, numbers.Real) and not isinstance(raw, (bool, numbers.Integral))


def _to_float(raw: numbers.Real) -> float:
    try:
        return float(raw)
    except OverflowError:   # e.g. Fraction(10**400)
        return math.inf if raw > 0 else -math.inf


def _int_text(n: int) -> str:
    if n.bit_length() > _MAX_INT_BITS:
        return format(decimal.Decimal(n), ".15e")
    return str(n)


def _float_text(f: float) -> str:
    """123.0 → '123', 92.5 → '92.5' (repr: shortest round-trip, no trailing zeros)."""
    if math.isfinite(f) and f.is_integer() and abs(f) < 1e16:
        return str(int(f))
    return repr(f)


def _fmt_num(x: float) -> str:
    x = float(x)
    return _float_text(x)


def _excel_error(s: str) -> Cleaned | None:
    if s.startswith("#") and _EXCEL_ERRORS.fullmatch(s):
        return Cleaned(error=f"单元格是 Excel 错误值 {s.upper()}", hint=_HINT_FORMULA)
    return None


def _never_raises(fn):
    """Final safety net: an unforeseen exception becomes a cell error (and is logged)."""

    @functools.wraps(fn)
    def wrapper(raw, *args, **kwargs):
        try:
            return fn(raw, *args, **kwargs)
        except Exception:
            _log.exception("cleaner %s failed on %r", fn.__name__, type(raw))
            return Cleaned(error=_MSG_INTERNAL, hint=_HINT_INTERNAL)

    return wrapper


# --------------------------------------------------------------------------- public basics
def is_blank(raw) -> bool:
    """None, NaN/NaT/NA, '', whitespace (incl. U+3000, NBSP) and placeholders such as
    无 / — / - / -- / / / 空 / 无数据 / N/A (after NFKC and trim)."""
    raw = _coerce(raw)
    if _is_missing(raw):
        return True
    if isinstance(raw, (bytes, bytearray)):
        raw = _decode(raw)
    if isinstance(raw, str):
        return _is_blank_text(_norm(raw))
    return False


def normalize_text(raw) -> str:
    """The cell as text: NFKC, trimmed (incl. U+3000 and NBSP), line breaks as \\n.
    Numbers: 123.0 → '123', 12.5 → '12.5'; dates → ISO; bools → 'TRUE'/'FALSE' (as Excel shows
    them); missing → ''."""
    raw = _coerce(raw)
    if _is_missing(raw):
        return ""
    if isinstance(raw, str):
        return _norm(raw)
    if isinstance(raw, (bytes, bytearray)):
        return _norm(_decode(raw))
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, numbers.Integral):
        return _int_text(int(raw))
    if isinstance(raw, numbers.Real):
        return _float_text(_to_float(raw))
    if isinstance(raw, dt.datetime):
        if raw.time() == dt.time(0) and raw.tzinfo is None:
            return raw.date().isoformat()
        return raw.isoformat(sep=" ", timespec="seconds")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, dt.time):
        return raw.isoformat(timespec="seconds")
    return _norm(_safe_str(raw))


def _text_of(raw) -> tuple[str, Cleaned | None]:
    """normalize_text plus the Excel-error check shared by all cleaners."""
    s = normalize_text(raw)
    return s, _excel_error(s)


# --------------------------------------------------------------------------- text-like
@_never_raises
def clean_text(raw) -> Cleaned:
    raw = _coerce(raw)
    if is_blank(raw):
        return _BLANK
    s, err = _text_of(raw)
    return err or Cleaned(s)


def _org(raw) -> Cleaned:
    raw = _coerce(raw)
    if is_blank(raw):
        return _BLANK
    if isinstance(raw, bool):
        return Cleaned(error="无法识别的名称", hint="请填写队或班组的名称")
    if isinstance(raw, (dt.date, dt.time)):
        return Cleaned(error="名称被 Excel 识别成了日期", hint=_HINT_AS_TEXT)
    s, err = _text_of(raw)
    if err:
        return err
    s = _squash(s)
    return _BLANK if _is_blank_text(s) else Cleaned(s)


@_never_raises
def clean_org(raw) -> Cleaned:
    """队/班组 names are join keys: NFKC and ALL whitespace removed."""
    return _org(raw)


@_never_raises
def clean_org_list(raw) -> Cleaned:
    """Several names in one cell (、,，;；/ or whitespace) → each cleaned, de-duplicated, '、'-joined."""
    first = _org(raw)                 # type checks, blanks, Excel errors, on the whole cell
    if first.error or first.value is None:
        return first
    s = normalize_text(_coerce(raw))
    items: list[str] = []
    duplicate = False
    pending = _LIST_SEP.split(s)
    while pending:
        part = pending.pop(0)
        value = _squash(part)
        if _LIST_SEP.search(value):   # normalisation produced a separator: split again
            pending[:0] = _LIST_SEP.split(value)
            continue
        if _is_blank_text(value):
            continue
        if value in items:
            duplicate = True
        else:
            items.append(value)
    if not items:
        return _BLANK
    return Cleaned("、".join(items), warning="有重复的名称，已合并" if duplicate else None)


# The common case, checked first because names are the highest-cardinality column of a roster.
_PLAIN_CJK_NAME = re.compile(r"[\u4e00-\u9fff]{1,12}")


@_never_raises
def clean_name(raw) -> Cleaned:
    """Person names: NFKC, trimmed; inner spaces (incl. U+3000) removed with a warning."""
    if type(raw) is str and _PLAIN_CJK_NAME.fullmatch(raw) and not _is_blank_text(raw):
        return Cleaned(raw)
    raw = _coerce(raw)
    if is_blank(raw):
        return _BLANK
    if isinstance(raw, bool):
        return Cleaned(error="无法识别的姓名", hint="请填写姓名")
    if isinstance(raw, (dt.date, dt.time)):
        return Cleaned(error="姓名不能是日期", hint="请核对是否填错了列")
    s, err = _text_of(raw)
    if err:
        return err
    warnings = []
    if _WS_ALL.search(s):
        warnings.append("姓名中含空格，已去除")
    s = _squash(s.translate(_NAME_DOTS)).translate(_NAME_DOTS)
    if _is_blank_text(s):
        return _BLANK
    if _DIGIT.search(s):
        warnings.append("姓名中含数字，请核对是否填错了列")
    return Cleaned(s, warning="；".join(warnings) or None)


_ID_DOT_ZERO = re.compile(r"([0-9]+)\.0+")
_ID_SCIENTIFIC = re.compile(r"[0-9](?:\.[0-9]+)?E\+[0-9]+", re.IGNORECASE)
_ID_APOSTROPHES = "'‘’`"


@_never_raises
def clean_id(raw) -> Cleaned:
    """IDs are text: full-width digits → ASCII, 123.0 → '123', leading zeros in text kept."""
    if type(raw) is str and raw.isascii() and raw.isdigit():
        return Cleaned(raw)  # the common case, and the highest-cardinality column
    raw = _coerce(raw)
    if is_blank(raw):
        return _BLANK
    if isinstance(raw, bool):
        return Cleaned(error="是/否值不能作为工号", hint="请填写工号")
    if isinstance(raw, (dt.date, dt.time)):
        return Cleaned(error="工号被 Excel 识别成了日期", hint=_HINT_AS_TEXT)
    if _is_int(raw):
        n = int(raw)
        if n.bit_length() > _MAX_INT_BITS:
            return Cleaned(error="工号位数过多", hint=_HINT_ID)
        return Cleaned(str(n))
    if _is_real(raw):
        f = _to_float(raw)
        if not math.isfinite(f):
            return Cleaned(error="工号不是有效的数字", hint=_HINT_ID)
        if not f.is_integer():
            return Cleaned(error="工号不应有小数", hint=_HINT_ID)
        warning = None
        if abs(f) >= 1e15:
            warning = "工号超过15位数字，可能已被 Excel 截断，请设为文本后核对"
        return Cleaned(str(int(f)), warning=warning)
    s, err = _text_of(raw)
    if err:
        return err
    s = _trim(s.lstrip(_ID_APOSTROPHES))        # Excel's "treat as text" apostrophe
    if _ID_SCIENTIFIC.fullmatch(s):
        return Cleaned(error="工号被显示成了科学计数法，已丢失位数", hint=_HINT_ID)
    warning = None
    if _WS_ALL.search(s):
        warning = "工号中含空格，已去除"
        s = _squash(s)
    m = _ID_DOT_ZERO.fullmatch(s)
    if m:
        s = m.group(1)
    if _is_blank_text(s):
        return _BLANK
    return Cleaned(s, warning=warning)


# --------------------------------------------------------------------------- 是/否
_TRUE_WORDS = frozenset({"是", "√", "✓", "✔", "☑", "✅", "y", "yes", "有", "1", "true", "对"})
_FALSE_WORDS = frozenset({"否", "×", "✗", "✘", "✕", "✖", "☒", "❌", "x", "n", "no", "无", "0",
                          "false", "不是", "没有", "不对"})


def _bool_word(raw) -> bool | None:
    """The 是/否 vocabulary for text cells (after NFKC, all spaces removed, casefold)."""
    if not _is_text(raw):
        return None
    key = _squash(normalize_text(raw)).casefold()
    if key in _TRUE_WORDS:
        return True
    if key in _FALSE_WORDS:
        return False
    return None


@_never_raises
def clean_bool(raw) -> Cleaned:
    """是/√/Y/有/1 → True; 否/×/N/无/0 → False. 无 means False here, not blank."""
    raw = _coerce(raw)
    if isinstance(raw, bool):
        return Cleaned(raw)
    word = _bool_word(raw)
    if word is not None:
        return Cleaned(word)
    if is_blank(raw):
        return _BLANK
    if _is_int(raw) or _is_real(raw):
        f = _to_float(raw)
        if f == 1:
            return Cleaned(True)
        if f == 0:
            return Cleaned(False)
        return Cleaned(error=_MSG_BOOL, hint=_HINT_BOOL)
    if _is_text(raw):
        err = _excel_error(normalize_text(raw))
        if err:
            return err
    return Cleaned(error=_MSG_BOOL, hint=_HINT_BOOL)


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

_CN_MONTHS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
              "十": 10, "十一": 11, "十二": 12}
# Month texts (matched with all whitespace removed).
_MONTH_SEP = re.compile(r"([0-9]{4})([-/.])([0-9]{1,2})")
_MONTH_CN = re.compile(r"([0-9]{4})年度?([0-9]{1,2}|十[一二]?|[一二三四五六七八九十])(?:月份?)?")
_MONTH_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})")
_YEAR_ONLY = re.compile(r"([0-9]{4})(?:\.0+)?(?:年度?)?")
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
    if _MONTH_SEP.fullmatch(t) or _MONTH_CN.fullmatch(t) or _month_compact(t):
        return Cleaned(error="缺少日", hint=_HINT_FULL_DATE)
    if _SERIAL_TEXT.fullmatch(t):
        c = _date_from_number(float(t))
        if c.value is not None:
            return Cleaned(c.value, warning="文本按 Excel 日期序号解读，请核对")
    return Cleaned(error=_MSG_DATE, hint=_HINT_DATE)


def _month_compact(t: str) -> tuple[int, int] | None:
    m = _MONTH_COMPACT.fullmatch(t)
    if m and _year_ok(int(m.group(1))) and 1 <= int(m.group(2)) <= 12:
        return int(m.group(1)), int(m.group(2))
    return None


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
    m = _MONTH_SEP.fullmatch(t)
    if m:
        if m.group(2) == "." and m.group(3) == "1":
            # A CSV export of the number 2023.10 reads 2023.1 too: January or October, never guessed.
            return Cleaned(error=_MSG_MONTH_AS_NUMBER, hint=_HINT_MONTH_AS_NUMBER)
        return _month(int(m.group(1)), int(m.group(3)))
    m = _MONTH_CN.fullmatch(t)
    if m:
        mo = m.group(2)
        return _month(int(m.group(1)), _CN_MONTHS[mo] if mo in _CN_MONTHS else int(mo))
    ym = _month_compact(t)
    if ym:
        return _month(*ym)
    if _YEAR_ONLY.fullmatch(t):
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


_QUARTER_DIGITS = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}
_QUARTER_Q = re.compile(r"([0-9]{4})(?:年度?)?[-_/.]?Q([1-4])")
_QUARTER_CN = re.compile(r"([0-9]{4})(?:年度?)?[-_/.]?第?([1-4一二三四])季度?")
_QUARTER_Q_FIRST = re.compile(r"Q([1-4])[-_/.]?([0-9]{4})")


def _quarter(y: int, q: int) -> Cleaned:
    if not _year_ok(y):
        return Cleaned(error=_MSG_YEAR_RANGE, hint=_HINT_YEAR_RANGE)
    return Cleaned(f"{y}Q{q}")


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
    t = _squash(s).upper()
    m = _QUARTER_Q.fullmatch(t) or _QUARTER_CN.fullmatch(t)
    if m:
        return _quarter(int(m.group(1)), _QUARTER_DIGITS[m.group(2)])
    m = _QUARTER_Q_FIRST.fullmatch(t)
    if m:
        return _quarter(int(m.group(2)), int(m.group(1)))
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
        m = _YEAR_ONLY.fullmatch(_squash(s))
        if not m:
            return Cleaned(error=_MSG_YEAR, hint=_HINT_YEAR)
        y = int(m.group(1))
    if not _year_ok(y):
        return Cleaned(error=_MSG_YEAR_RANGE, hint=_HINT_YEAR)
    return Cleaned(y)


# --------------------------------------------------------------------------- numbers
_NUMBER = re.compile(
    r"[+-]?(?:(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NUMBER_UNITS = ("分", "人", "次", "个", "项", "条", "篇", "名")


def _number(raw) -> float | Cleaned:
    """A finite float, or a Cleaned error / blank. raw is already _coerce'd."""
    if is_blank(raw):
        return _BLANK
    if isinstance(raw, bool):
        return Cleaned(error="是/否值不是数字", hint=_HINT_NUMBER)
    if isinstance(raw, (dt.date, dt.time)):
        return Cleaned(error="单元格被 Excel 识别成了日期", hint="请把单元格设为数字格式后重新填写")
    if _is_int(raw):
        n = int(raw)
        if abs(n) > sys.float_info.max:
            return Cleaned(error="数值过大", hint=_HINT_NUMBER)
        return float(n)
    if _is_real(raw):
        f = _to_float(raw)
        if not math.isfinite(f):
            return Cleaned(error="不是有效的数字（无穷大）", hint=_HINT_NUMBER)
        return f
    s, err = _text_of(raw)
    if err:
        return err
    t = _squash(s).replace("\u2212", "-")
    if t.endswith(_NUMBER_UNITS):
        t = t[:-1]
    if not _NUMBER.fullmatch(t):
        return Cleaned(error=_MSG_NUMBER, hint=_HINT_NUMBER)
    f = float(t.replace(",", ""))
    if not math.isfinite(f):
        return Cleaned(error="数值过大", hint=_HINT_NUMBER)
    return f


def _range_error(lo: float | None, hi: float | None) -> Cleaned:
    if lo is not None and hi is not None:
        return Cleaned(error=f"超出范围 {_fmt_num(lo)}–{_fmt_num(hi)}",
                       hint=f"请填写 {_fmt_num(lo)} 到 {_fmt_num(hi)} 之间的数字")
    if lo is not None:
        return Cleaned(error=f"超出范围 ≥{_fmt_num(lo)}", hint=f"请填写不小于 {_fmt_num(lo)} 的数字")
    return Cleaned(error=f"超出范围 ≤{_fmt_num(hi)}", hint=f"请填写不大于 {_fmt_num(hi)} 的数字")


def _in_range(v: float, lo: float | None, hi: float | None) -> bool:
    return (lo is None or v >= lo) and (hi is None or v <= hi)


@_never_raises
def clean_number(raw, lo: float | None = None, hi: float | None = None) -> Cleaned:
    """→ float. Full-width digits, '1,234.5', '85分', surrounding spaces; NaN → blank;
    inf / bool / dates → error; outside [lo, hi] → error."""
    v = _number(_coerce(raw))
    if isinstance(v, Cleaned):
        return v
    if not _in_range(v, lo, hi):
        return _range_error(lo, hi)
    return Cleaned(v)


# --------------------------------------------------------------------------- enum, 六好
def _enum_key(value) -> str:
    return _squash(normalize_text(value)).casefold()


@_never_raises
def clean_enum(raw, allowed: tuple[str, ...], aliases: dict[str, str]) -> Cleaned:
    """NFKC + all spaces removed; an allowed value or an alias → the allowed value."""
    raw = _coerce(raw)
    if is_blank(raw):
        return _BLANK
    s, err = _text_of(raw)
    if err:
        return err
    key = _squash(s).casefold()
    for value in allowed:
        if _enum_key(value) == key:
            return Cleaned(value)
    for alias, value in (aliases or {}).items():
        if _enum_key(alias) == key:
            return Cleaned(value)
    return Cleaned(error=_MSG_ENUM, hint="允许的取值：" + "、".join(str(a) for a in allowed))


@_never_raises
def clean_good(raw) -> Cleaned:
    """A 六好 item: a score 0–100 → its text ('85', '92.5'), or a 是/否 word → '是' / '否'.
    Numbers (incl. 1 and 0) are scores; 1 and 0 carry a warning."""
    raw = _coerce(raw)
    if isinstance(raw, bool):
        return Cleaned("是" if raw else "否")
    if _is_text(raw) and not _NUMBER.fullmatch(_squash(normalize_text(raw))):
        word = _bool_word(raw)
        if word is not None:
            return Cleaned("是" if word else "否")
    v = _number(raw)
    if isinstance(v, Cleaned):
        if v.error is None or v.error.startswith("单元格是 Excel"):
            return v
        return Cleaned(error=_MSG_GOOD, hint=_HINT_GOOD)
    if not _in_range(v, 0, 100):
        return Cleaned(error="超出范围 0–100", hint=_HINT_GOOD)
    text = _float_text(v)
    warning = None
    if v in (0, 1):
        warning = f"分数为 {text}；如果本意是“是/否”，请改填 是 或 否"
    return Cleaned(text, warning=warning)
