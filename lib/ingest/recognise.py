"""Which declared sheet a raw sheet is, where its header row is, and which rows carry no data.

The header is looked for in the first rows (config.HEADER_SEARCH_ROWS); every declared sheet type
is matched against each candidate row, and the best usable match wins (see find_header). Rows
below it that are blank, hints, totals or the notes under a form are recognised here too.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePath

from lib.config import HEADER_SEARCH_ROWS
from lib.ingest.clean.cells import strip_controls
from lib.ingest.raw import RawSheet
from lib.ingest.sheets import HINT_WORDS, IGNORED_HEADERS, SHEETS, TOTAL_WORDS, Column, SheetType

_PAREN = re.compile(r"[(（【\[［<《〔][^)）】\]］>》〕]*[)）】\]］>》〕]")
_SPACES = re.compile(r"\s+")


def normalize_header(raw) -> str:
    """`政治面貌（中共党员/群众） ` and `政治面貌` are the same header."""
    if raw is None:
        return ""
    return _normalize_header_text(raw if isinstance(raw, str) else str(raw))


@lru_cache(maxsize=8192)  # the same few headers are looked up for every type and candidate row
def _normalize_header_text(raw: str) -> str:
    text = unicodedata.normalize("NFKC", strip_controls(raw))
    text = _PAREN.sub("", text)
    text = _SPACES.sub("", text)
    return text.strip("*:：")


def _header_index(sheet: SheetType) -> dict[str, str]:
    index: dict[str, str] = {}
    for col in sheet.columns:
        for header in col.headers:
            index.setdefault(normalize_header(header), col.field)
    return index


HEADER_INDEX = {s.key: _header_index(s) for s in SHEETS}
IGNORED = {normalize_header(h) for h in IGNORED_HEADERS}


def fill_merged(raw: RawSheet) -> list[list]:
    """The sheet's rows with every cell of a merged range holding its top-left value (in place)."""
    rows = raw.rows
    for r0, c0, r1, c1 in raw.merged:
        if r0 >= len(rows):
            continue
        top = rows[r0]
        value = top[c0] if c0 < len(top) else None
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([None] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                if r != r0 or c != c0:
                    row[c] = value
    return rows


@dataclass
class HeaderMatch:
    sheet: SheetType
    row: int
    columns: dict[int, str]                  # column index → field
    missing: list[Column]                    # required columns not found
    duplicates: list[tuple[int, str]]
    cells: list = field(default_factory=list, repr=False)   # the header row as read

    @property
    def missing_blocking(self) -> list[Column]:
        """Missing required columns that no title or file name can supply."""
        return [c for c in self.missing if not c.context]

    def rank(self, preferred: bool):
        required = len(self.sheet.required)
        found = required - len(self.missing)
        if self.missing_blocking:  # not usable: the closest type is the one explaining most headers
            return (False, preferred, len(self.columns), found / required)
        return (True, preferred, found / required, len(self.columns))


def match_header(sheet: SheetType, row_index: int, cells: list) -> HeaderMatch:
    index = HEADER_INDEX[sheet.key]
    columns: dict[int, str] = {}
    duplicates = []
    for c, cell in enumerate(cells):
        f = index.get(normalize_header(cell))
        if f is None:
            continue
        if f in columns.values():
            duplicates.append((c, f))
        else:
            columns[c] = f
    found = set(columns.values())
    missing = [col for col in sheet.required if col.field not in found]
    return HeaderMatch(sheet, row_index, columns, missing, duplicates, cells)


def _preferred_types(*names: str) -> set[str]:
    preferred = set()
    for name in names:
        norm = normalize_header(name)
        for sheet in SHEETS:
            if any(k in norm for k in sheet.name_keywords):
                preferred.add(sheet.key)
        if preferred:
            return preferred
    return preferred


def find_header(rows: list[list], sheet_name: str, filename: str) -> HeaderMatch | None:
    preferred = _preferred_types(sheet_name, PurePath(filename).stem)
    best: dict[bool, tuple] = {}  # usable? → (rank, match)
    for r, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if sum(cell is not None and str(cell).strip() != "" for cell in cells) < 2:
            continue
        for sheet in SHEETS:
            match = match_header(sheet, r, cells)
            if not match.columns:
                continue
            rank = match.rank(sheet.key in preferred)
            if rank[0] not in best or rank > best[rank[0]][0]:
                best[rank[0]] = (rank, match)
    usable, closest = best.get(True), best.get(False)
    if usable is None:
        return closest and closest[1]
    # A type that needs only a 班组 column (and 队/月份 from the title) must not capture a sheet
    # whose headers are explained better by a type that lacks a few required columns.
    (_, closest_preferred, *_), closest_match = closest or ((None, False), None)
    (_, usable_preferred, *_), usable_match = usable
    if closest_match is not None and len(closest_match.columns) > len(usable_match.columns) \
            and (closest_preferred or not usable_preferred):
        return closest_match
    return usable_match


# Fields every kind of personnel list has, and the personal details any list may carry (性别, 出生年月,
# 岗位/职务, 入党时间, 任职日期): matching them says nothing about which kind a sheet is. (职工所在队 and
# 职工所在班组 are not among them: no list but a 包保对子 says so.)
GENERIC_FIELDS = frozenset({"unit", "team", "staff_id", "name", "member_id", "member_name", "member_unit",
                            "worker_id", "worker_name", "month", "quarter", "year",
                            "gender", "birth_month", "post", "joined_on", "appointed_on"})
# A header of two characters (编号, 类型, 类别, 状态, 内容, 方式, 职务, 分工 …) is a word any list may use.
_MIN_DISTINCTIVE_CHARS = 3
# Headers some type reads as a generic field: 职务 is a 人员名册's 岗位, so it never marks a 管理委员会.
_GENERIC_HEADERS = frozenset(normalize_header(h) for s in SHEETS for c in s.columns if c.field in GENERIC_FIELDS
                             for h in c.headers)


def _is_distinctive(header: str, field_name: str) -> bool:
    return (field_name not in GENERIC_FIELDS and len(header) >= _MIN_DISTINCTIVE_CHARS
            and header not in _GENERIC_HEADERS)


def distinctive_columns(match: HeaderMatch, cells: list) -> list[str]:
    """The matched headers that say which kind of sheet this is: not a generic personnel field (姓名, 单位,
    工号, 性别 …), not a bare two-character word, and not read as a generic field by any type."""
    found = []
    for c, f in match.columns.items():
        header = normalize_header(cells[c])
        if _is_distinctive(header, f):
            found.append(header)
    return found


def suggestable(match: HeaderMatch, cells: list | None = None) -> bool:
    """Whether the closest type is worth naming: the sheet has that type's distinctive columns, not
    merely 姓名 / 单位 / 工号 (a 党支部委员 list is no 管理委员会, a meeting record no 谈心记录, an
    organisation list no 党员责任区).

    Named when a distinctive column is one the type requires (申请入党时间, 结对日期, 政治面貌 …) and
    beside it a second distinctive column or half the required columns (_half_found); otherwise (a
    谈心记录 without its 谈心日期 column, a 党员示范岗 without 示范岗名称) only with two distinctive
    columns and half the required ones: 设立时间 and 主要职责 do not make an organisation list a
    党员责任区, nor does 申请时间 make a leave list a 发展党员."""
    if cells is None:
        cells = match.cells
    distinctive = set(distinctive_columns(match, cells))
    if not distinctive:
        return False
    required_fields = {c.field for c in match.sheet.required}
    has_required = any(f in required_fields for c, f in match.columns.items()
                       if normalize_header(cells[c]) in distinctive)
    enough = (len(distinctive) >= 2, _half_found(match))
    return any(enough) if has_required else all(enough)


def _half_found(match: HeaderMatch) -> bool:
    """Half the required columns are there, or half of those the sheet itself must carry (队, 月份 …
    may come from the title or the file name)."""
    required = match.sheet.required
    own = [c for c in required if not c.context]
    return (len(required) - len(match.missing)) * 2 >= len(required) \
        or bool(own) and (len(own) - len(match.missing_blocking)) * 2 >= len(own)


# ---------------------------------------------------------------- rows that carry no data

def _text(value) -> str:
    return "" if value is None else _SPACES.sub("", unicodedata.normalize("NFKC", str(value)))


def is_blank_row(row: list) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


def _first_cells(row: list, n: int = 3) -> list[str]:
    """The first n non-empty cells as normalised text (numbers and dates as '#': never words)."""
    found = []
    for v in row:
        if v is None:
            continue
        if isinstance(v, str):
            if not v.strip():
                continue
            found.append(_text(v))
        else:
            found.append("#")
        if len(found) == n:
            break
    return found


def is_total_row(row: list) -> bool:
    return any(t.startswith(TOTAL_WORDS) for t in _first_cells(row))


_NOTES_START = ("注意事项", "填表说明", "说明:", "说明：", "注:", "注：", "备注:", "备注：", "填报说明", "附注",
                # the signature footer under a form: 填表人：张三  审核人：李四
                "填表人", "填报人", "制表人", "审核人")
# Cells are compared after NFKC (例： becomes 例:), so the words are too.
_HINT_WORDS = tuple(unicodedata.normalize("NFKC", w) for w in HINT_WORDS)


def is_notes_row(row: list) -> bool:
    first = _first_cells(row, 1)
    return bool(first) and first[0].startswith(_NOTES_START)


def is_hint_row(row: list) -> bool:
    cells = [t for t in (_text(v) for v in row) if t]
    hinted = sum(any(w in t for w in _HINT_WORDS) for t in cells)
    return bool(cells) and hinted * 2 >= len(cells)
