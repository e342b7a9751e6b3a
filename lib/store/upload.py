"""One upload, read and cleaned once: FileResult.

`parse_file` reads and cleans every sheet of a file without touching the database. Its FileResult
is what a preview shows and what an import writes: the import takes the preview's FileResult and
redoes only the checks against the store (lib/store/checks.py), never the reading.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from lib.ingest.findings import ERROR, WARNING, Finding
from lib.ingest.parse import DROP_REASONS, ParsedSheet, parse_sheet
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

    def for_store_check(self) -> "FileResult":
        """A copy to check against the store anew: the parse is shared (never re-read), the
        findings and outcome of any earlier check are left behind."""
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

    def sheet_rows(self) -> list[dict]:
        rows = []
        for s in self.sheets:
            rows.append({"sheet": s.name, "type": s.sheet_type.label if s.sheet_type else None,
                         "scope": scope_summary(s), "rows_read": s.rows_read, "rows_loaded": s.rows_loaded,
                         "rows_dropped": s.rows_dropped,
                         "dropped": {DROP_REASONS[k]: v for k, v in s.dropped.items()}, "skipped": s.skipped})
        return rows

    def as_json(self) -> dict:
        return {"file": self.file_name, "status": self.status if self.status != READY else IMPORTED,
                "import_id": self.import_id,
                "sheets": [{k: r[k] for k in ("sheet", "type", "scope", "rows_loaded", "rows_dropped")}
                           for r in self.sheet_rows() if r["type"]],
                "errors": [p.as_json() for p in self.errors],
                "warnings": [p.as_json() for p in self.warnings]}


def rejected_file(file_name: str, message: str, hint: str = "") -> FileResult:
    """A file refused before it could be parsed (unreadable, busy database …)."""
    result = FileResult(file_name=file_name, status=REJECTED)
    result.problems.append(Finding(ERROR, message, hint, file_name))
    return result


def file_hash(data: bytes) -> str:
    """The file's identity: the archived copy is named by it, and the upload page finds duplicates by it."""
    return hashlib.sha256(data).hexdigest()


def parse_file(data: bytes, file_name: str, context: dict[str, str] | None = None,
               known_hash: str | None = None) -> FileResult:
    """Read and clean every sheet of one upload. Never raises for a bad file.

    `known_hash`: file_hash(data) when the caller has already computed it (the upload page does,
    to find duplicates), so the bytes are hashed once.
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
    for raw in workbook.sheets:
        parsed = parse_sheet(raw, display_name, context)
        result.sheets.append(parsed)
        if parsed.skipped == "隐藏的工作表，未导入":
            result.problems.append(Finding(WARNING, f"工作表「{raw.name}」是隐藏的，已跳过", "", display_name, raw.name))
    if not result.loadable and not result.missing_context:
        result.problems.append(Finding(
            ERROR, "文件中没有可识别的报表", _missing_headers_hint(result), display_name))
    elif result.loadable and not any(s.rows_loaded for s in result.loadable) and not result.errors:
        result.problems.append(Finding(ERROR, "文件中的报表没有数据行", "请填写数据后再上传", display_name))
    # The same bytes with another 队/月份 supplied are another import.
    result.content_key = hashlib.sha256(
        (result.file_hash + json.dumps({s.name: s.context_used for s in result.sheets}, sort_keys=True,
                                       ensure_ascii=False)).encode()).hexdigest()
    _check_same_type_sheets(result)
    if result.errors:
        result.status = REJECTED
    return result


def _missing_headers_hint(result: FileResult) -> str:
    hints = [p.message for s in result.sheets for p in s.problems if p.message.startswith("未识别为任何报表")]
    if hints:
        return "；".join(hints)
    return "每张表需要标准模板的表头，例如人员名册需要：" + "、".join(c.label for c in SHEETS[0].required)


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
