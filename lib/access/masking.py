"""Masking of personal data (names and 工号) for meeting mode and exports.

Names and job numbers are personal information (see docs and the domain brief): wherever a screen
or an export does not need them in full, they are shown partly hidden, e.g. 张*林 and 00***34.
Everything here is plain Python/pandas so it can be used by the UI, the exports and the CLI alike.

Rules
-----
``mask_name`` (Han names):
    1 character → ``*``; 2 → first + ``*`` (李*); 3 or more → first + ``*`` × (n−2) + last
    (张*林, 欧阳明月 → 欧**月). Compound surnames get no special treatment: the rule is purely
    positional, so nothing about the split between surname and given name is revealed.
``mask_name`` (names with a middle dot, such as 买买提·艾力):
    the dots (· • ・ ‧ ∙ . ．), spaces (incl. U+3000 padding such as 张　三) and hyphens stay where they
    are; the same rule is applied to the remaining characters as one sequence, so the first
    character of the first part and the last character of the last part stay: 买买提·艾力 → 买**·*力.
``mask_name`` (ASCII names): the first letter stays, every other letter becomes ``*``;
    separators stay (John Smith → J*** *****, Tom → T**).
Blank values are returned as they are: None, NaN/NA/NaT, '' and whitespace, and the placeholders
lib.ingest.clean treats as blank (无, /, —, …). The result always has the input's length (for strings).
``mask_id``: the first 2 and the last 2 characters stay, the middle is masked (0081234 → 00***34);
    an ID of 2–4 characters keeps only its last character (1234 → ***4, 12 → *2); a one-character
    ID becomes ``*``. Surrounding whitespace is kept; blanks are returned as they are.
Both functions never raise and are idempotent (masking a masked value changes nothing). Values
that are not strings (a 工号 read as the number 81234.0) are masked as the text Excel shows ('81234').
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable

import pandas as pd

from lib.ingest.clean import is_blank, normalize_text
from lib.ingest.sheets import SHEETS
from lib.labels import COLUMN_LABELS

MASK = "*"

# Characters that separate the parts of a name and are kept as they are.
NAME_DOTS = "·•・‧∙⋅･.．"
NAME_SEPARATORS = NAME_DOTS + "-‐'’"


# --------------------------------------------------------------------------- which columns are personal

def _is_staff_id_label(label: str) -> bool:
    return "工号" in label


def _declared(kind: str) -> list:
    """Declared sheet columns holding a person's name ('name') or 工号 ('id' labelled …工号)."""
    cols = [c for s in SHEETS for c in s.columns if c.kind == kind]
    if kind == "id":  # 问题编号 / 责任区编号 are kind 'id' too, but they are not about a person
        cols = [c for c in cols if _is_staff_id_label(c.label)]
    return cols


# Fields outside the sheet declarations that hold a person's name: the import log's 导入人.
EXTRA_NAME_LABELS = {"user_name": "导入人"}

NAME_FIELDS: frozenset[str] = frozenset(
    {c.field for c in _declared("name")}
    | {f for f, label in COLUMN_LABELS.items() if label.endswith("姓名")}
    | set(EXTRA_NAME_LABELS))

ID_FIELDS: frozenset[str] = frozenset(
    {c.field for c in _declared("id")}
    | {f for f, label in COLUMN_LABELS.items() if label.endswith("工号")})

# The Chinese headers of those columns: the canonical labels and synonyms of the declarations,
# the metric tables' COLUMN_LABELS and any header ending in 姓名 / 工号 there.
NAME_LABELS: frozenset[str] = frozenset(
    {h for c in _declared("name") for h in c.headers}
    | {label for f, label in COLUMN_LABELS.items() if f in NAME_FIELDS}
    | set(EXTRA_NAME_LABELS.values()))

ID_LABELS: frozenset[str] = frozenset(
    {h for c in _declared("id") for h in c.headers}
    | {label for f, label in COLUMN_LABELS.items() if f in ID_FIELDS})

# Free text that may name people (问题描述, 谈心内容, 责任内容, 示范岗名称, 荣誉名称 …): every declared
# column of kind 'text', by field and by header. Names of people known to the store are masked
# inside them (mask_frame's `text`), since the whole column cannot be.
FREE_TEXT_FIELDS: frozenset[str] = frozenset(c.field for c in _declared("text"))
FREE_TEXT_LABELS: frozenset[str] = frozenset(
    {h for c in _declared("text") for h in c.headers}
    | {label for f, label in COLUMN_LABELS.items() if f in FREE_TEXT_FIELDS}) - NAME_LABELS - ID_LABELS


# --------------------------------------------------------------------------- scalars

def _is_missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return False
    try:
        return bool(pd.isna(value)) is True
    except (TypeError, ValueError):  # list-likes: not a scalar missing value
        return False


# Every character of lib.ingest.clean's blank placeholders (无, 空, 无数据, N/A, /, dashes), in the forms
# NFKC folds into them: only text made of these needs the full (slower) is_blank check.
_PLACEHOLDER_CHARS = frozenset("无空数据nNaAｎＮａＡ/／-－‐‑‒–—―─")


def _is_blank_text(text: str) -> bool:
    core = text.strip()
    if not core:
        return True
    return all(ch in _PLACEHOLDER_CHARS or ch.isspace() for ch in core) and is_blank(core)


def _as_text(value) -> str | None:
    """The value as text to mask, or None when it is blank and must be returned unchanged."""
    if _is_missing(value):
        return None
    try:
        text = value if isinstance(value, str) else normalize_text(value)
        return None if _is_blank_text(text) else text
    except Exception:  # noqa: BLE001 — masking never raises
        try:
            text = str(value)
        except Exception:  # noqa: BLE001
            return None
        return text if text.strip() else None


def _is_separator(ch: str) -> bool:
    return ch.isspace() or ch in NAME_SEPARATORS


def _mask_positions(text: str, keep_last: bool) -> str:
    letters = [i for i, ch in enumerate(text) if not _is_separator(ch)]
    n = len(letters)
    keep = set()
    if n >= 2:
        keep.add(letters[0])
    if keep_last and n >= 3:
        keep.add(letters[-1])
    return "".join(ch if i in keep or _is_separator(ch) else MASK for i, ch in enumerate(text))


def mask_name(name):
    """张*林 style: see the module docstring for the rules. Blank values come back unchanged."""
    try:
        text = _as_text(name)
        if text is None:
            return name
        return _mask_positions(text, keep_last=not text.isascii())
    except Exception:  # noqa: BLE001 — masking never raises; hide everything rather than leak
        return MASK * len(name) if isinstance(name, str) else MASK


def mask_id(staff_id):
    """00***34 style: see the module docstring. Blank values come back unchanged."""
    try:
        text = _as_text(staff_id)
        if text is None:
            return staff_id
        core = text.strip()
        start = len(text) - len(text.lstrip())
        before, after = text[:start], text[start + len(core):]
        n = len(core)
        if n == 1:
            masked = MASK
        elif n <= 4:
            masked = MASK * (n - 1) + core[-1]
        else:
            masked = core[:2] + MASK * (n - 4) + core[-2:]
        return before + masked + after
    except Exception:  # noqa: BLE001
        return MASK * len(staff_id) if isinstance(staff_id, str) else MASK


# --------------------------------------------------------------------------- frames

def personal_columns(frame: pd.DataFrame, also_labels: bool = True,
                     text: Callable | None = None) -> dict[int, Callable]:
    """Column position → the masking function for each name / 工号 column of the frame, and, with a
    `text` masker (text_masker), for each free-text column."""
    names, ids, free = set(NAME_FIELDS), set(ID_FIELDS), set(FREE_TEXT_FIELDS)
    if also_labels:
        names |= NAME_LABELS
        ids |= ID_LABELS
        free |= FREE_TEXT_LABELS
    found = {}
    for i, col in enumerate(frame.columns):
        if not isinstance(col, str):
            continue
        key = col.strip()
        if key in names:
            found[i] = mask_name
        elif key in ids:
            found[i] = mask_id
        elif text is not None and key in free:
            found[i] = text
    return found


def mask_frame(frame: pd.DataFrame, also_labels: bool = True, text: Callable | None = None) -> pd.DataFrame:
    """A copy with every name / 工号 column masked, and with `text` (a text_masker of the people
    the store knows) the names and 工号 inside every free-text column (FREE_TEXT_FIELDS / _LABELS).

    Columns are recognised by their English field name (NAME_FIELDS / ID_FIELDS) and, with
    `also_labels`, by their Chinese header (NAME_LABELS / ID_LABELS), since tables are relabelled
    before they are shown or exported. Other columns are left exactly as they are. Each distinct
    value is masked once, so 20,000 rows with a few thousand people take milliseconds."""
    out = frame.copy()
    for i, func in personal_columns(frame, also_labels, text).items():
        col = out.iloc[:, i]
        if not col.notna().any():
            continue  # nothing to mask; keeps the column's dtype
        values = col.tolist()
        try:
            mapping = {v: func(v) for v in set(values)}
            masked = [mapping[v] for v in values]
        except TypeError:  # unhashable cells (lists): value by value
            masked = [func(v) for v in values]
        # object dtype: None stays None (Series.map would turn it into NaN); a string column stays one
        result = pd.Series(masked, index=col.index, name=col.name, dtype=object)
        if isinstance(col.dtype, pd.StringDtype):
            result = result.astype(col.dtype)
        out.isetitem(i, result)
    return out


# --------------------------------------------------------------------------- free text

_SEP = "[" + re.escape(NAME_SEPARATORS) + r"\s]*"
_NOT_WORD_BEFORE, _NOT_WORD_AFTER = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"


def _letters(name: str) -> tuple[str, ...]:
    return tuple(ch for ch in name if not _is_separator(ch))


def _tokens(name: str) -> tuple[str | None, ...]:
    """The name's characters, each run of separators inside it as one None."""
    out: list[str | None] = []
    for ch in name.strip():
        if not _is_separator(ch):
            out.append(ch)
        elif out and out[-1] is not None:
            out.append(None)
    return tuple(out)


def _trie_pattern(words: Iterable[tuple[str | None, ...]]) -> str:
    """One regex for many words, shared prefixes merged (fast for thousands of names); a longer
    word wins over a word it starts with. None stands for any separators, or none."""
    trie: dict = {}
    for word in words:
        node = trie
        for token in word:
            node = node.setdefault(token, {})
        node[""] = {}

    def alternatives(node):
        alts = [(_SEP if token is None else re.escape(token)) + rest(child)
                for token, child in sorted(node.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
                if token != ""]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    def rest(node):
        if set(node) == {""}:
            return ""
        body = alternatives(node)
        return f"(?:{body})?" if "" in node else body

    return alternatives(trie)


def text_masker(names: Iterable = (), ids: Iterable = ()) -> Callable:
    """A function masking the given full names (and, optionally, 工号) wherever they occur in a text.

    Build it once for many texts (e.g. the hover texts of a chart). Where a name has separators
    (dots, spaces) any separators or none match there, so 张　三 in the roster matches 张三 in a
    sentence and 买买提·艾力 matches 买买提.艾力; ASCII names and IDs match only as whole words.
    A longer name wins over a name it starts with (张三丰 before 张三). Names with fewer than two
    characters and IDs with fewer than four are not searched for (they would hit ordinary
    characters and numbers); a name that is also an ordinary word is masked there too."""
    if isinstance(names, str):
        names = [names]
    if isinstance(ids, str):
        ids = [ids]
    han, latin, numbers = set(), set(), set()
    for value in names:
        text = _as_text(value)
        if text is not None and len(_letters(text)) >= 2:
            (latin if text.isascii() else han).add(_tokens(text))
    for value in ids:
        text = _as_text(value)
        core = text.strip() if text is not None else ""
        if len(core) >= 4:
            numbers.add(tuple(core))
    groups = []
    if han:
        groups.append(f"(?P<name>{_trie_pattern(han)})")
    if latin:
        groups.append(f"(?P<latin>{_NOT_WORD_BEFORE}{_trie_pattern(latin)}{_NOT_WORD_AFTER})")
    if numbers:
        groups.append(f"(?P<id>{_NOT_WORD_BEFORE}{_trie_pattern(numbers)}{_NOT_WORD_AFTER})")
    if not groups:
        return lambda text: text
    regex = re.compile("|".join(groups))

    def replace(match: re.Match) -> str:
        return (mask_id if match.lastgroup == "id" else mask_name)(match.group(0))

    def mask(text):
        if not isinstance(text, str) or not text:
            return text
        return regex.sub(replace, text)

    return mask


def mask_text(text, names: Iterable = (), ids: Iterable = ()):
    """`text` with each full name in `names` (and each 工号 in `ids`) replaced by its masked form:
    '张三林反映…' → '张*林反映…'. Non-text values come back unchanged. For many texts with the
    same names build `text_masker(names, ids)` once."""
    return text_masker(names, ids)(text)


def mask_result(result, text: Callable | None = None):
    """A metric result with names and 工号 masked in every table inside it (dataclass, list or frame);
    with `text` (text_masker) also inside the free-text columns of those tables."""
    if isinstance(result, pd.DataFrame):
        return mask_frame(result, text=text)
    if dataclasses.is_dataclass(result):
        tables = {fld.name: mask_frame(getattr(result, fld.name), text=text) for fld in dataclasses.fields(result)
                  if isinstance(getattr(result, fld.name), pd.DataFrame)}
        return dataclasses.replace(result, **tables) if tables else result
    if isinstance(result, list):
        return [mask_result(item, text) for item in result]
    return result
