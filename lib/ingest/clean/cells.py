"""The cleaners' common ground: Cleaned, what counts as blank, a cell as normalised text.

Each ``clean_*`` function (text, dates, choices) takes one raw cell value — whatever calamine,
a CSV reader or pandas produced (None, str, int, float, bool, date, datetime, time, bytes,
numpy and pandas scalars, Decimal, …) — and returns a :class:`Cleaned`: the normalised value,
or a Chinese error with a hint (建议), plus an optional warning for values that are accepted
but suspicious. They never raise: every input type is handled by an explicit check, and a
last safety net (``_never_raises``) turns an unforeseen exception into a cell error instead of
failing the whole upload. The tests assert that the safety net is never reached.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import functools
import logging
import math
import numbers
import re
import unicodedata

_log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True, slots=True)
class Cleaned:
    value: object = None        # normalised value, None when the cell is blank
    error: str | None = None    # Chinese: why the cell is invalid (e.g. "无法识别的日期")
    hint: str | None = None     # Chinese suggestion (建议), e.g. "请写成 2024-06-03"
    warning: str | None = None  # Chinese: accepted but suspicious


_BLANK = Cleaned()

# Python refuses int <-> str conversions beyond this many digits (3.11+); stay well below.
_MAX_INT_BITS = 12_000

# --------------------------------------------------------------------------- messages
_MSG_INTERNAL = "无法处理该单元格的值"
_HINT_INTERNAL = "请检查该单元格的内容，或改为普通文本后重新填写"
_HINT_FORMULA = "请检查该单元格的公式，或直接填写数值"
_HINT_AS_TEXT = "请把单元格设为文本后重新填写"

# --------------------------------------------------------------------------- text basics
# Whitespace as Python sees it (incl. U+3000 and NBSP) plus zero-width characters and BOM.
_WS_CLASS = r"[\s\u200b\u200c\u200d\u2060\ufeff]"
_WS_ALL = re.compile(_WS_CLASS + "+")
_EDGES = re.compile(rf"\A{_WS_CLASS}+|{_WS_CLASS}+\Z")
_NEWLINES = re.compile(r"\r\n?")

# Characters no cell may keep (issue #10): C0 controls except tab, line feed and carriage return
# (whitespace, handled like any other), DEL, the C1 controls, and the bidi embeddings, overrides
# and isolates that make text display in another order than it is stored. Excel writes them as
# `_x0007_`-style escapes, which calamine decodes; a CSV carries them raw. normalize_text removes
# them for every cleaner; the public cleaners add MSG_CONTROLS so that no removal is silent.
CONTROL_CLASS = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
_CONTROLS = re.compile(CONTROL_CLASS + "+")
MSG_CONTROLS = "已删除不可见的控制字符"

# Placeholders that mean "nothing here" (compared after NFKC, trim and casefold).
_PLACEHOLDERS = frozenset({"无", "空", "无数据", "n/a", "/"})
_DASHES = re.compile(r"[-\u2012\u2013\u2014\u2015\u2500]{1,3}")   # - -- --- — —— – ─

# Values Excel writes into a cell whose formula failed.
_EXCEL_ERRORS = re.compile(
    r"#(?:N/A|DIV/0!|VALUE!|REF!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA|FIELD!|BLOCKED!)",
    re.IGNORECASE,
)


_PLAIN_TYPES = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime, dt.time, bytes})


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def _trim(s: str) -> str:
    return _EDGES.sub("", s)


def strip_controls(s: str) -> str:
    """s without the characters of _CONTROLS (tab and line breaks are kept)."""
    return _CONTROLS.sub("", s)


def has_controls(s: str) -> bool:
    return _CONTROLS.search(s) is not None


def _norm(s: str) -> str:
    """Controls removed, NFKC, unify line breaks, trim. Repeated until stable so it is idempotent."""
    for _ in range(4):
        t = _trim(_NEWLINES.sub("\n", _nfkc(strip_controls(s))))
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
    """Every public cleaner's wrapper. Final safety net: an unforeseen exception becomes a cell
    error (and is logged). And the one place that says control characters were removed: a value
    cleaned from text that held them carries MSG_CONTROLS before any other warning."""

    @functools.wraps(fn)
    def wrapper(raw, *args, **kwargs):
        try:
            cleaned = fn(raw, *args, **kwargs)
            if cleaned.value is not None and cleaned.error is None and _raw_has_controls(raw):
                warning = MSG_CONTROLS + (f"；{cleaned.warning}" if cleaned.warning else "")
                cleaned = dataclasses.replace(cleaned, warning=warning)
            return cleaned
        except Exception:
            _log.exception("cleaner %s failed on %r", fn.__name__, type(raw))
            return Cleaned(error=_MSG_INTERNAL, hint=_HINT_INTERNAL)

    return wrapper


def _raw_has_controls(raw) -> bool:
    if isinstance(raw, str):
        return has_controls(raw)
    if isinstance(raw, (bytes, bytearray)):
        return has_controls(_decode(raw))
    return False


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


