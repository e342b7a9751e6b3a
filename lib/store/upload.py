"""One upload, read and cleaned once: FileResult.

`parse_file` reads and cleans every sheet of a file without touching the database. Its FileResult
is what a preview shows and what an import writes: the import takes the preview's FileResult and
redoes only the checks against the store (lib/store/checks.py), never the reading.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from lib.ingest.column_map import HeaderMaps
from lib.ingest.findings import ERROR, WARNING, Finding
from lib.ingest.parse import DROP_REASONS, EMPTY_SHEET, GUIDE_SHEET, ParsedSheet, parse_sheet
from lib.ingest.reader import FileRejected, read_workbook
from lib.ingest.sheets import SHEETS, SHEETS_BY_KEY, SheetType
from lib.store.replace_scope import scope_summary

IMPORTED, UNCHANGED, REJECTED, READY = "imported", "unchanged", "rejected", "ready"
STATUS_LABELS = {IMPORTED: "已导入", UNCHANGED: "未变化（此前已导入过同一文件）", REJECTED: "已拒绝",
                 READY: "检查通过，待确认导入"}


@dataclass
class Replacement:
    sheet: SheetType
    scope_text: str
    existing_rows: int
    new_rows: int

    @property
    def text(self) -> str:
        if self.existing_rows:
            return f"将替换 {self.scope_text} {self.sheet.label}（已有 {self.existing_rows} 行，新 {self.new_rows} 行）"
        return f"将新增 {self.scope_text} {self.sheet.label}（{self.new_rows} 行）"


@dataclass
class FileResult:
    file_name: str
    status: str = READY
    file_hash: str = ""
    content_key: str = ""
    file_format: str = ""
    file_size: int = 0
    sheets: list[ParsedSheet] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)   # the file's own: found once, when it is parsed
    # Found against the store, so redone by every check (preview, then import): lib/store/checks.py.
    store_problems: list[Finding] = field(default_factory=list)
    unit_problems: list[Finding] = field(default_factory=list)   # 填报: rows of another 队
    replacements: list[Replacement] = field(default_factory=list)
    import_id: int | None = None
    unchanged_since: int | None = None

    @property
    def rows_released(self) -> bool:
        return any(s.released_rows is not None for s in self.sheets)

    def without_rows(self) -> "FileResult":
        """A copy for display only: counts, findings, replacements and outcome, but no parsed rows
        (the upload page keeps this after an import, not the tables). It cannot be checked or
        imported again: parse the file anew for that."""
        return replace(self, sheets=[s.without_rows() for s in self.sheets])

    def for_store_check(self) -> "FileResult":
        """A copy to check against the store anew: the parse is shared (never re-read), the
        findings and outcome of any earlier check are left behind."""
        if self.rows_released:
            raise ValueError(f"{self.file_name}: its parsed rows were released; parse the file again")
        own_errors = any(p.is_error for p in self.problems + [p for s in self.sheets for p in s.problems])
        return replace(self, status=REJECTED if own_errors else READY, sheets=list(self.sheets),
                       problems=list(self.problems), store_problems=[], unit_problems=[], replacements=[],
                       import_id=None, unchanged_since=None)

    @property
    def all_findings(self) -> list[Finding]:
        return (self.problems + self.unit_problems + self.store_problems
                + [p for s in self.sheets for p in s.problems])

    @property
    def errors(self) -> list[Finding]:
        return [p for p in self.all_findings if p.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [p for p in self.all_findings if not p.is_error]

    @property
    def loadable(self) -> list[ParsedSheet]:
        return [s for s in self.sheets if s.sheet_type is not None and s.frame is not None and not s.skipped]

    @property
    def missing_context(self) -> list[str]:
        return sorted({c for s in self.sheets for c in s.missing_context})

    @property
    def summary(self) -> str:
        if self.status == REJECTED:
            return f"{self.file_name}：已拒绝，共 {len(self.errors)} 处错误，数据库未做任何改动"
        if self.status == UNCHANGED:
            return f"{self.file_name}：与第 {self.unchanged_since} 次导入的文件相同，无需重复导入"
        loaded = sum(s.rows_loaded for s in self.loadable)
        dropped = sum(s.rows_dropped for s in self.sheets)
        verb = "已导入" if self.status == IMPORTED else "可导入"
        return f"{self.file_name}：{verb} {loaded} 行，剔除 {dropped} 行，{len(self.warnings)} 条提醒"

    @property
    def empty_sheets(self) -> int:
        """Sheets with nothing in them but headers (a template's unused sheets): one line, not a row each."""
        return sum(s.skipped == EMPTY_SHEET for s in self.sheets)

    @property
    def guide_sheets(self) -> int:
        return sum(s.skipped == GUIDE_SHEET for s in self.sheets)

    @property
    def skipped_text(self) -> str:
        """One line for the sheets not listed: 其余 11 张空白工作表和填表说明页已跳过。"""
        parts = [f"{self.empty_sheets} 张空白工作表"] if self.empty_sheets else []
        if self.guide_sheets:
            parts.append("填表说明页")
        if not parts:
            return ""
        return ("其余 " if self.sheet_rows() else "") + "和".join(parts) + "已跳过。"

    def sheet_rows(self) -> list[dict]:
        """One row per sheet with something in it; the empty ones are counted by `empty_sheets`."""
        rows = []
        for s in self.sheets:
            if s.empty:
                continue
            row = {"sheet": s.name, "type": s.sheet_type.label if s.sheet_type else None,
                   "scope": scope_summary(s), "rows_read": s.rows_read, "rows_loaded": s.rows_loaded,
                   "rows_dropped": s.rows_dropped,
                   "dropped": {DROP_REASONS[k]: v for k, v in s.dropped.items()}, "skipped": s.skipped}
            if s.mapping_used:
                row["mapping"] = dict(s.mapping_used)
                row["mapping_source"] = s.mapping_source
            rows.append(row)
        return rows

    def as_json(self) -> dict:
        return {"file": self.file_name, "status": self.status if self.status != READY else IMPORTED,
                "import_id": self.import_id,
                "sheets": [{k: r[k] for k in ("sheet", "type", "scope", "rows_loaded", "rows_dropped")}
                           for r in self.sheet_rows() if r["type"]],
                "errors": [p.as_json() for p in self.errors],
                "warnings": [p.as_json() for p in self.warnings]}


def release_memory() -> None:
    """Hand freed memory back to the system. After a large parse or import glibc keeps the freed
    heap (calamine's cells, the raw rows, DuckDB's staging) for reuse, and the process stays at its
    peak long after; malloc_trim returns it."""
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _libc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        return libc
    except (OSError, AttributeError):  # not glibc (musl, macOS): the memory stays with the process
        return None


_LIBC = _libc()
# Small files free little: trimming after them would only cost time.
RELEASE_AFTER_BYTES = 1024 * 1024


def rejected_file(file_name: str, message: str, hint: str = "") -> FileResult:
    """A file refused before it could be parsed (unreadable, busy database …)."""
    result = FileResult(file_name=file_name, status=REJECTED)
    result.problems.append(Finding(ERROR, message, hint, file_name))
    return result


def file_hash(data: bytes) -> str:
    """The file's identity: the archived copy is named by it, and the upload page finds duplicates by it."""
    return hashlib.sha256(data).hexdigest()


def parse_file(data: bytes, file_name: str, context: dict[str, str] | None = None,
               known_hash: str | None = None, maps: HeaderMaps | None = None) -> FileResult:
    """Read and clean every sheet of one upload. Never raises for a bad file.

    `known_hash`: file_hash(data) when the caller has already computed it (the upload page does,
    to find duplicates), so the bytes are hashed once. `maps`: the 对应表头 to apply (given for this
    upload, or saved by earlier imports: lib/store/column_maps.py).
    """
    display_name = Path(file_name).name or "未命名文件"
    result = FileResult(file_name=display_name, file_size=len(data))
    result.file_hash = known_hash or file_hash(data)
    context = {k: str(v) for k, v in (context or {}).items() if v}
    try:
        workbook = read_workbook(data, display_name)
    except FileRejected as rejected:
        result.problems.append(Finding(ERROR, rejected.message, rejected.hint, display_name))
        result.status = REJECTED
        return result
    result.file_format = workbook.format
    if workbook.formula_cells_without_value:
        result.problems.append(Finding(
            ERROR, f"表格中有 {workbook.formula_cells_without_value} 个公式单元格没有计算结果",
            "请用Excel/WPS打开并保存后再上传", display_name))
        result.status = REJECTED  # the cells read as empty: checking them would only mislead
        return result
    # Each sheet's raw cells go as soon as it is cleaned: never the whole raw grid beside the tables.
    raw_sheets, workbook = workbook.sheets, None
    while raw_sheets:
        raw = raw_sheets.pop(0)
        parsed = parse_sheet(raw, display_name, context, maps)
        result.sheets.append(parsed)
        if parsed.skipped == "隐藏的工作表，未导入":
            result.problems.append(Finding(WARNING, f"工作表「{raw.name}」是隐藏的，已跳过", "", display_name, raw.name))
        del raw
    if result.file_size >= RELEASE_AFTER_BYTES:
        release_memory()
    recognised_empty = any(s.empty and s.sheet_type is not None for s in result.sheets)
    if not result.loadable and not result.missing_context and recognised_empty and not result.errors:
        result.problems.append(Finding(ERROR, "文件中的报表没有数据行", "请填写数据后再上传", display_name))
    elif not result.loadable and not result.missing_context:
        result.problems.append(Finding(
            ERROR, "文件中没有可识别的报表", _missing_headers_hint(result), display_name))
    elif result.loadable and not any(s.rows_loaded for s in result.loadable) and not result.errors:
        result.problems.append(Finding(ERROR, "文件中的报表没有数据行", "请填写数据后再上传", display_name))
    # The same bytes with another 队/月份 supplied, or read by another 对应表头, are another import.
    outside = {s.name: [s.context_used, s.mapping_used] if s.mapping_used else s.context_used for s in result.sheets}
    result.content_key = hashlib.sha256(
        (result.file_hash + json.dumps(outside, sort_keys=True, ensure_ascii=False)).encode()).hexdigest()
    _check_same_type_sheets(result)
    if result.errors:
        result.status = REJECTED
    return result


def _missing_headers_hint(result: FileResult) -> str:
    """What the file's one error suggests: the sheets that came closest (each named), the sheets that
    are none of the types, then — once for the whole file — the types the system takes and where
    the template is."""
    unrecognised = [s for s in result.sheets if s.skipped == "未识别的工作表"]
    closest = [p.message for s in unrecognised for p in s.problems if "最接近「" in p.message]
    others = [s.name for s in unrecognised if not any("最接近「" in p.message for p in s.problems)]
    parts = closest
    if others:
        names = "".join(f"「{name}」" for name in others[:10]) + (f"等 {len(others)} 张" if len(others) > 10 else "")
        parts.append(f"工作表{names}{'都' if len(others) > 1 else ''}不是系统接收的报表")
    if not unrecognised:
        parts.append("文件中只有空白表、填表说明页或隐藏的工作表")
    parts.append(f"系统接收 {len(SHEETS)} 种报表：" + "、".join(s.label for s in SHEETS))
    parts.append("请按报表模板的表头填写：数据上传页「下载报表模板」，或运行 python -m lib.cli template")
    return "。".join(parts) + "。"


def _check_same_type_sheets(result: FileResult) -> None:
    """Two sheets of one type in a file are loaded together, so their keys must not clash."""
    by_type: dict[str, list[ParsedSheet]] = {}
    for s in result.loadable:
        by_type.setdefault(s.sheet_type.key, []).append(s)
    for key, group in by_type.items():
        if len(group) < 2:
            continue
        sheet = SHEETS_BY_KEY[key]
        combined = pd.concat([s.frame.assign(_sheet=s.name) for s in group], ignore_index=True)
        dup = combined[combined.duplicated(subset=list(sheet.grain), keep="first")]
        for _, row in dup.iterrows():
            result.problems.append(Finding(
                ERROR, f"与同一文件另一张「{sheet.label}」表中的记录重复（{'、'.join(str(row[g]) for g in sheet.grain)}）",
                "同一记录只能填写一次", result.file_name, row["_sheet"], int(row["_row"])))
