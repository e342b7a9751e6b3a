"""Text-like cells: free text, 队/班组 names (join keys), lists of names, person names, 工号."""
from __future__ import annotations

import datetime as dt
import math
import re

from lib.ingest.clean.cells import (
    _BLANK,
    _HINT_AS_TEXT,
    _MAX_INT_BITS,
    _WS_ALL,
    Cleaned,
    _coerce,
    _is_blank_text,
    _is_int,
    _is_real,
    _never_raises,
    _squash,
    _text_of,
    _to_float,
    _trim,
    is_blank,
    normalize_text,
)

# Middle-dot variants in minority names (买买提·艾力) → U+00B7.
_NAME_DOTS = str.maketrans({"\u2022": "·", "\u30fb": "·", "\u2027": "·", "\u22c5": "·", "\u2219": "·"})
_DIGIT = re.compile(r"[0-9]")
_LIST_SEP = re.compile(r"[、,，;；/\s\u200b\u200c\u200d\u2060\ufeff]+")

_HINT_ID = "请把单元格设为文本，填写完整工号"

# Length limits, declared once here for every column of these kinds (lib/ingest/sheets.py names
# the kinds). Names of people, 队/班组 and IDs are short keys: a longer value is a wrong column or
# pasted text, and would flood every page that lists it. Free text may be long, but no longer than
# an Excel cell holds, or it could not go back out in a download (openpyxl cuts it silently).
MAX_KEY_CHARS = 50
MAX_TEXT_CHARS = 32_767


def _too_long(s: str, what: str, hint: str) -> Cleaned | None:
    if len(s) <= MAX_KEY_CHARS:
        return None
    return Cleaned(error=f"{what}过长（{len(s)} 个字），超过 {MAX_KEY_CHARS} 个字的上限", hint=hint)


_HINT_ORG_LONG = f"请只填写队或班组的名称（不超过 {MAX_KEY_CHARS} 个字），核对是否填错了列"
_HINT_NAME_LONG = f"请只填写一个人的姓名（不超过 {MAX_KEY_CHARS} 个字），核对是否填错了列"
_HINT_ID_LONG = f"请填写完整工号或编号（不超过 {MAX_KEY_CHARS} 个字），核对是否填错了列"


# --------------------------------------------------------------------------- text-like
@_never_raises
def clean_text(raw) -> Cleaned:
    raw = _coerce(raw)
    if is_blank(raw):
        return _BLANK
    s, err = _text_of(raw)
    if err:
        return err
    if len(s) > MAX_TEXT_CHARS:
        return Cleaned(error=f"内容过长（{len(s)} 个字），超过 Excel 单元格 {MAX_TEXT_CHARS} 个字的上限",
                       hint="请精简内容，或分成几条记录填写")
    return Cleaned(s)


def _org(raw, limit: bool = True) -> Cleaned:
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
    if _is_blank_text(s):
        return _BLANK
    return (limit and _too_long(s, "名称", _HINT_ORG_LONG)) or Cleaned(s)


@_never_raises
def clean_org(raw) -> Cleaned:
    """队/班组 names are join keys: NFKC and ALL whitespace removed."""
    return _org(raw)


@_never_raises
def clean_org_list(raw) -> Cleaned:
    """Several names in one cell (、,，;；/ or whitespace) → each cleaned, de-duplicated, '、'-joined."""
    first = _org(raw, limit=False)    # type checks, blanks, Excel errors, on the whole cell
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
        too_long = _too_long(value, "名称", _HINT_ORG_LONG)
        if too_long:
            return too_long
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
    too_long = _too_long(s, "姓名", _HINT_NAME_LONG)
    if too_long:
        return too_long
    if _DIGIT.search(s):
        warnings.append("姓名中含数字，请核对是否填错了列")
    return Cleaned(s, warning="；".join(warnings) or None)


_ID_DOT_ZERO = re.compile(r"([0-9]+)\.0+")
_ID_SCIENTIFIC = re.compile(r"[0-9](?:\.[0-9]+)?E\+[0-9]+", re.IGNORECASE)
_ID_APOSTROPHES = "'‘’`"


@_never_raises
def clean_id(raw) -> Cleaned:
    """IDs are text: full-width digits → ASCII, 123.0 → '123', leading zeros in text kept."""
    if type(raw) is str and raw.isascii() and raw.isdigit() and len(raw) <= MAX_KEY_CHARS:
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
        return _too_long(str(n), "工号或编号", _HINT_ID_LONG) or Cleaned(str(n))
    if _is_real(raw):
        f = _to_float(raw)
        if not math.isfinite(f):
            return Cleaned(error="工号不是有效的数字", hint=_HINT_ID)
        if not f.is_integer():
            return Cleaned(error="工号不应有小数", hint=_HINT_ID)
        warning = None
        if abs(f) >= 1e15:
            warning = "工号超过15位数字，可能已被 Excel 截断，请设为文本后核对"
        return _too_long(str(int(f)), "工号或编号", _HINT_ID_LONG) or Cleaned(str(int(f)), warning=warning)
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
    return _too_long(s, "工号或编号", _HINT_ID_LONG) or Cleaned(s, warning=warning)


