"""Cells with a closed set of answers or a number: 是/否, numbers in a range, enums, 六好 items."""
from __future__ import annotations

import datetime as dt
import math
import re
import sys

from lib.ingest.clean.cells import (
    _BLANK,
    Cleaned,
    _coerce,
    _excel_error,
    _float_text,
    _fmt_num,
    _is_int,
    _is_real,
    _is_text,
    _never_raises,
    _squash,
    _text_of,
    _to_float,
    is_blank,
    normalize_text,
)

_MSG_BOOL = "无法识别的是/否值"
_HINT_BOOL = "请填写 是 或 否"
_MSG_NUMBER = "不是数字"
_HINT_NUMBER = "请只填写数字，如 85 或 1234.5"
_MSG_ENUM = "不是允许的取值"
_MSG_GOOD = "无法识别的六好评价"
_HINT_GOOD = "请填写 0–100 的分数，或 是/否"


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
