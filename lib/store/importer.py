"""Upload → check → one atomic write per file. The only way data enters the store.

`preview` tells what a file would do (sheets, scope, rows, what it replaces, problems) without
writing; `import_file` does it in one transaction, or refuses the whole file. An import can be
undone: the rows it replaced come back from the `__replaced` tables.
"""
from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from lib import __version__
from lib.access.auth import UNDO, UPLOAD, UPLOADER, User, require
from lib.ingest.parse import DROP_REASONS, ParsedSheet, parse_sheet
from lib.ingest.findings import ERROR, WARNING, Finding, shown_value
from lib.ingest.read import FileRejected, read_workbook
from lib.ingest.sheets import SHEETS, SHEETS_BY_KEY, SheetType
from lib.store.database import Store, data_columns

ARROW_TYPES = {"VARCHAR": pa.string(), "DATE": pa.date32(), "BOOLEAN": pa.bool_(), "INTEGER": pa.int32(),
               "DOUBLE": pa.float64()}
IMPORTED, UNCHANGED, REJECTED, READY = "imported", "unchanged", "rejected", "ready"
STATUS_LABELS = {IMPORTED: "已导入", UNCHANGED: "未变化（此前已导入过同一文件）", REJECTED: "已拒绝",
                 READY: "检查通过，待确认导入"}

# Cross-sheet name checks: which roster column a field is checked against, and the 队 field
# that goes with a 班组 field.
UNIT_FIELDS = ("unit", "member_unit", "worker_unit")
TEAM_FIELDS = {"team": "unit", "worker_team": "worker_unit"}
ID_FIELDS = ("staff_id", "member_id", "worker_id", "owner_id", "liaison_id")


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
    problems: list[Finding] = field(default_factory=list)   # file-level and within-file
    store_problems: list[Finding] = field(default_factory=list)  # against what is stored; redone per check
    unit_problems: list[Finding] = field(default_factory=list)   # 填报: rows of another 队; redone per check
    replacements: list[Replacement] = field(default_factory=list)
    import_id: int | None = None
    unchanged_since: int | None = None

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


# ---------------------------------------------------------------- formatting scope values

_QUARTER_NAMES = {"1": "一", "2": "二", "3": "三", "4": "四"}


def format_scope_value(value) -> str:
    if isinstance(value, (dt.date, pd.Timestamp)) and not isinstance(value, dt.datetime):
        return f"{value.year}年{value.month}月"
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return f"{value.year}年{value.month}月"
    text = str(value)
    quarter = re.fullmatch(r"(\d{4})Q([1-4])", text)
    if quarter:
        return f"{quarter.group(1)}年第{_QUARTER_NAMES[quarter.group(2)]}季度"
    if isinstance(value, int) and 1900 < value < 2200:
        return f"{value}年"
    return text


def scope_summary(parsed: ParsedSheet) -> list[str]:
    """The distinct scopes a sheet covers, e.g. ['综采队 2024年6月']."""
    if parsed.sheet_type is None or parsed.frame is None or not len(parsed.frame):
        return []
    sheet = parsed.sheet_type
    if sheet.scope == sheet.grain:
        return [f"{sheet.column(sheet.grain[0]).label} 共 {len(parsed.frame)} 条"]
    keys = _scope_frame(sheet, parsed.frame).drop_duplicates()
    return [_scope_text(sheet, row) for row in keys.itertuples(index=False)]


def _scope_text(sheet: SheetType, values) -> str:
    # Units first, then periods, as people say it: 综采队 2024年6月.
    parts = [format_scope_value(v) for v in values]
    return " ".join(sorted(parts, key=lambda p: bool(re.match(r"\d{4}", p))))


def _scope_frame(sheet: SheetType, frame: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for i, expr in enumerate(sheet.scope):
        if expr in frame.columns:
            out[f"k{i}"] = frame[expr]
        else:  # date_trunc('month', field)
            f = re.search(r"'month',\s*(\w+)", expr).group(1)
            out[f"k{i}"] = [None if d is None else d.replace(day=1) for d in frame[f]]
    return pd.DataFrame(out)


def _scope_sql(sheet: SheetType, alias: str) -> list[str]:
    """Scope expressions with the table alias on each field."""
    exprs = []
    for expr in sheet.scope:
        for f in sorted(sheet.fields, key=len, reverse=True):
            expr = re.sub(rf"(?<![\w.']){f}(?![\w'])", f"{alias}.{f}", expr)
        exprs.append(expr)
    return exprs


# ---------------------------------------------------------------- reading and parsing (no database)

def parse_file(data: bytes, file_name: str, context: dict[str, str] | None = None) -> FileResult:
    """Read and clean every sheet of one upload. Never raises for a bad file."""
    display_name = Path(file_name).name or "未命名文件"
    result = FileResult(file_name=display_name, file_size=len(data))
    result.file_hash = hashlib.sha256(data).hexdigest()
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


# ---------------------------------------------------------------- checks against the store

def _combined_frames(result: FileResult) -> dict[str, pd.DataFrame]:
    frames: dict[str, list[pd.DataFrame]] = {}
    for s in result.loadable:
        if len(s.frame):
            frames.setdefault(s.sheet_type.key, []).append(s.frame.assign(_sheet=s.name))
    return {k: pd.concat(v, ignore_index=True) for k, v in frames.items()}


def _stage(cur, sheet: SheetType, frame: pd.DataFrame) -> str:
    """A typed temporary copy of the new rows (temp tables are private to this cursor)."""
    name = f"stage_{sheet.key}"
    # Typed Arrow columns: DuckDB reads them without sniffing Python objects (much faster).
    types = {c.field: ARROW_TYPES[c.sql_type] for c in sheet.columns}
    types.update(items=pa.string(), _row=pa.int32(), _sheet=pa.string())
    table = pa.table({col: pa.array(frame[col].tolist(), type=types[col]) for col in types if col in frame})
    cur.register(f"{name}_arrow", table)
    cur.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
    cur.unregister(f"{name}_arrow")
    return name


def _check_against_store(cur, result: FileResult, staged: dict[str, str]) -> None:
    # Redone at import time (the store may have changed since the preview): start afresh.
    result.replacements, result.store_problems = [], []
    for key, stage in staged.items():
        sheet = SHEETS_BY_KEY[key]
        t_scope, s_scope = _scope_sql(sheet, "t"), _scope_sql(sheet, "s")
        scope_keys = ", ".join(f"{e} AS k{i}" for i, e in enumerate(s_scope))
        in_scope = " AND ".join(f"sc.k{i} = {e}" for i, e in enumerate(t_scope))
        # Keys already stored under another scope (e.g. a 工号 in another 队's roster that month).
        grain_join = " AND ".join(f"s.{g} = t.{g}" for g in sheet.grain)
        clashes = cur.execute(
            f"WITH sc AS (SELECT DISTINCT {scope_keys} FROM {stage} s) "
            f"SELECT s._sheet, s._row, concat_ws('、', {', '.join('s.' + g for g in sheet.grain)}), "
            f"{', '.join(t_scope)} FROM {stage} s JOIN {key} t ON {grain_join} "
            f"WHERE NOT EXISTS (SELECT 1 FROM sc WHERE {in_scope}) ORDER BY s._row LIMIT 200").fetchall()
        for sheet_name, row, grain_values, *other_scope in clashes:
            result.store_problems.append(Finding(
                ERROR, f"这条记录已在其他范围（{_scope_text(sheet, other_scope)}）的{sheet.label}中导入过，"
                       f"不能同时属于两处",
                "请核对队、月份或工号是否填错；如人员调动，请先更新原来那份报表",
                result.file_name, sheet_name, row, "+".join(sheet.column(g).label for g in sheet.grain),
                grain_values))
        # What this upload will replace.
        counts = cur.execute(
            f"WITH sc AS (SELECT {scope_keys}, count(*) AS n FROM {stage} s GROUP BY ALL) "
            f"SELECT sc.* EXCLUDE (n), sc.n, (SELECT count(*) FROM {key} t WHERE {in_scope}) AS existing "
            f"FROM sc").fetchall()
        if sheet.scope == sheet.grain:
            existing = sum(r[-1] for r in counts)
            result.replacements.append(Replacement(sheet, f"{len(counts)} 个{sheet.column(sheet.grain[0]).label}",
                                                   existing, len(counts)))
        else:
            for *values, n, existing in counts:
                result.replacements.append(Replacement(sheet, _scope_text(sheet, values), existing, n))
    _roster_warnings(cur, result, staged)


def _period_months(cur, sheet: SheetType, stage: str) -> list[dt.date]:
    """The last month of each period a sheet covers: its roster is the one to compare with."""
    if sheet.period == "month":
        sql = f"SELECT DISTINCT date_trunc('month', {sheet.period_field})::DATE FROM {stage}"
    elif sheet.period == "quarter":
        sql = (f"SELECT DISTINCT make_date(CAST(left({sheet.period_field}, 4) AS INTEGER), "
               f"3 * CAST(right({sheet.period_field}, 1) AS INTEGER), 1) FROM {stage}")
    elif sheet.period == "year":
        sql = f"SELECT DISTINCT make_date({sheet.period_field}, 12, 1) FROM {stage}"
    else:
        return []
    return [r[0] for r in cur.execute(sql).fetchall()]


def _nearest_roster_month(cur, months: list, staged_roster: str | None = None) -> dt.date | None:
    # A roster in the same upload counts as much as a stored one.
    roster = f"(SELECT month FROM roster UNION ALL SELECT month FROM {staged_roster})" if staged_roster else "roster"
    target = max(months) if months else None
    if target is None:
        row = cur.execute(f"SELECT max(month) FROM {roster}").fetchone()
    else:
        row = cur.execute(f"SELECT coalesce((SELECT max(month) FROM {roster} WHERE month <= ?), "
                          f"(SELECT min(month) FROM {roster}))", [target]).fetchone()
    return row[0] if row else None


def _roster_warnings(cur, result: FileResult, staged: dict[str, str]) -> None:
    """Names and 工号 the nearest 人员名册 does not know: the commonest silent mismatch."""
    for key, stage in staged.items():
        if key == "roster":
            continue
        sheet = SHEETS_BY_KEY[key]
        months = _period_months(cur, sheet, stage)
        month = _nearest_roster_month(cur, months, staged.get("roster"))
        if month is None:
            continue  # no roster loaded yet: nothing to compare with
        roster = "(SELECT * FROM roster WHERE month = $month" + (
            " UNION ALL BY NAME SELECT * EXCLUDE (_row, _sheet) FROM stage_roster" if "roster" in staged else "") + ")"
        month_text = format_scope_value(month)
        checks = []
        for f in sheet.fields:
            if f in UNIT_FIELDS:
                checks.append((f, None, f"SELECT DISTINCT unit FROM {roster}", "队"))
            elif f in TEAM_FIELDS and TEAM_FIELDS[f] in sheet.fields:
                checks.append((f, TEAM_FIELDS[f], f"SELECT DISTINCT unit, team FROM {roster}", "班组"))
            elif f in ID_FIELDS:
                checks.append((f, None, f"SELECT DISTINCT staff_id FROM {roster}", "工号"))
        for f, unit_field, known_sql, what in checks:
            known = cur.execute(known_sql, {"month": month}).fetchall()
            if unit_field:
                known_set = {(u, t) for u, t in known}
                rows = cur.execute(
                    f"SELECT {unit_field}, {f}, min(_sheet), min(_row), count(*) FROM {stage} "
                    f"WHERE {f} IS NOT NULL AND {f} <> '' GROUP BY ALL ORDER BY 4").fetchall()
                for unit, value, sheet_name, row, n in rows:
                    if (unit, value) in known_set:
                        continue
                    candidates = [t for u, t in known_set if u == unit] or [t for _, t in known_set]
                    _warn_unknown(result, sheet, f, what, value, candidates, month_text, sheet_name, row, n)
            else:
                known_set = {k[0] for k in known}
                rows = cur.execute(
                    f"SELECT {f}, min(_sheet), min(_row), count(*) FROM {stage} "
                    f"WHERE {f} IS NOT NULL AND {f} <> '' GROUP BY ALL ORDER BY 3").fetchall()
                unknown = [r for r in rows if r[0] not in known_set]
                for value, sheet_name, row, n in unknown[:50]:
                    _warn_unknown(result, sheet, f, what, value, list(known_set) if what == "队" else [],
                                  month_text, sheet_name, row, n)
                if len(unknown) > 50:
                    result.store_problems.append(Finding(
                        WARNING, f"另有 {len(unknown) - 50} 个{what}不在{month_text}人员名册中", "",
                        result.file_name, sheet.label, None, sheet.column(f).label))


def _warn_unknown(result, sheet, f, what, value, candidates, month_text, sheet_name, row, n) -> None:
    close = difflib.get_close_matches(str(value), [str(c) for c in candidates], n=1, cutoff=0.5)
    guess = f"，是否为 '{close[0]}'？" if close else ""
    more = f"（共 {n} 行）" if n > 1 else ""
    result.store_problems.append(Finding(
        WARNING, f"{what} '{value}' 不在{month_text}人员名册中{guess}{more}",
        "名称不一致会让统计对不上，请核对写法", result.file_name, sheet_name, row, sheet.column(f).label,
        shown_value(value)))


def _unchanged_since(cur, content_key: str) -> int | None:
    """An earlier import of the same content whose rows are all still in place."""
    superseded = " UNION ALL ".join(f"SELECT import_id FROM {s.key}__replaced" for s in SHEETS)
    row = cur.execute(
        f"SELECT max(id) FROM imports WHERE content_key = ? AND status = 'imported' "
        f"AND id NOT IN ({superseded})", [content_key]).fetchone()
    return row[0] if row else None


# ---------------------------------------------------------------- 填报: only the user's own 队

def unit_field(sheet: SheetType) -> str:
    """The field naming the 队 a sheet belongs to (包保/谈心: the party member's 队)."""
    return next(c.field for c in sheet.columns if c.context == "unit")


def _check_units(cur, result: FileResult, user: User) -> None:
    """One error per sheet holding rows of a 队 the user may not write; nothing for 管理员.

    The problem ledger is replaced by 问题编号, not by 队, so a stored row with the same number
    under another 队 is refused as well: re-filing it would take it over.
    """
    result.unit_problems = []
    if user.role != UPLOADER:  # 管理员 writes every 队; 查看 never gets this far
        return
    for parsed in result.loadable:
        if parsed.frame is None or not len(parsed.frame):
            continue
        sheet, frame = parsed.sheet_type, parsed.frame
        field_name = unit_field(sheet)
        label = sheet.column(field_name).label
        foreign = frame[[not user.may_write_unit(u) for u in frame[field_name]]]
        if len(foreign):
            units = sorted({str(u) for u in foreign[field_name]})
            result.unit_problems.append(Finding(
                ERROR, f"这张{sheet.label}含有其他队（{'、'.join(units[:5])}{' 等' if len(units) > 5 else ''}）的 "
                       f"{len(foreign)} 行；你只能上传本队（{user.unit}）的报表",
                "请删去其他队的行后重新上传，或请管理员导入", result.file_name, parsed.name,
                int(foreign["_row"].iloc[0]), label, shown_value(foreign[field_name].iloc[0])))
            continue
        if sheet.key == "problems":
            ids = sorted({str(v) for v in frame["problem_id"]})
            taken = cur.execute(
                "SELECT problem_id, unit FROM problems WHERE list_contains(?, problem_id) ORDER BY problem_id",
                [ids]).fetchall()
            taken = [(pid, unit) for pid, unit in taken if not user.may_write_unit(unit)]
            if taken:
                first = frame[frame["problem_id"] == taken[0][0]]
                shown = "、".join(f"{pid}（{unit}）" for pid, unit in taken[:5]) + (" 等" if len(taken) > 5 else "")
                result.unit_problems.append(Finding(
                    ERROR, f"问题编号 {shown}已登记在其他队的问题台帐中；你只能更新本队（{user.unit}）的问题",
                    "请核对问题编号；如确需修改，请联系管理员", result.file_name, parsed.name,
                    int(first["_row"].iloc[0]) if len(first) else None,
                    sheet.column("problem_id").label, shown_value(taken[0][0])))


# ---------------------------------------------------------------- public API

def preview(store: Store, data: bytes, file_name: str, context: dict[str, str] | None = None,
            user: User | None = None) -> FileResult:
    """What importing this file would do; writes nothing.

    With `user`, also what that user's role refuses (a 填报 user's rows of another 队), so the
    upload page can say so before the import does.
    """
    result = parse_file(data, file_name, context)
    if result.status == REJECTED:
        return result
    cur = store.cursor()
    if user is not None:
        _check_units(cur, result, user)
        if result.errors:
            result.status = REJECTED
            return result
    since = _unchanged_since(cur, result.content_key)
    if since is not None:
        result.status, result.unchanged_since = UNCHANGED, since
        return result
    staged = {k: _stage(cur, SHEETS_BY_KEY[k], f) for k, f in _combined_frames(result).items()}
    _check_against_store(cur, result, staged)
    _drop_stages(cur, staged)
    if result.errors:
        result.status = REJECTED
    return result


def import_file(store: Store, data: bytes, file_name: str, user: User,
                context: dict[str, str] | None = None, parsed: FileResult | None = None) -> FileResult:
    """Import one file atomically: all of it, or nothing (and then say why).

    Raises PermissionDenied for a user who may not import at all (查看); a 填报 user's file with
    rows of another 队 comes back rejected, one error per such sheet. Either way nothing is
    written or archived.
    """
    require(user, UPLOAD)
    result = parsed or parse_file(data, file_name, context)
    if result.status == REJECTED:
        return result
    with store.write_lock:
        cur = store.cursor()
        # Checked under the lock: the ledger's stored 队 cannot change before the write.
        _check_units(cur, result, user)
        if result.errors:
            result.status = REJECTED
            return result
        since = _unchanged_since(cur, result.content_key)
        if since is not None:
            result.status, result.unchanged_since = UNCHANGED, since
            return result
        _archive(store, data, result)
        cur.execute("BEGIN TRANSACTION")
        try:
            staged = {k: _stage(cur, SHEETS_BY_KEY[k], f) for k, f in _combined_frames(result).items()}
            _check_against_store(cur, result, staged)
            if result.errors:
                cur.execute("ROLLBACK")
                result.status = REJECTED
                return result
            import_id = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM imports").fetchone()[0]
            for key, stage in staged.items():
                _replace_scope(cur, SHEETS_BY_KEY[key], stage, import_id)
            _log_import(cur, result, import_id, user)
            _drop_stages(cur, staged)
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
    result.status, result.import_id = IMPORTED, import_id
    return result


def import_paths(store: Store, paths: list[Path | str], user: User) -> list[FileResult]:
    require(user, UPLOAD)  # before reading any file
    results = []
    for path in paths:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            result = FileResult(file_name=path.name, status=REJECTED)
            result.problems.append(Finding(ERROR, f"无法读取文件：{exc.strerror or exc}", "请检查文件路径", path.name))
            results.append(result)
            continue
        results.append(import_file(store, data, path.name, user))
    return results


def _replace_scope(cur, sheet: SheetType, stage: str, import_id: int) -> None:
    cols = ", ".join(data_columns(sheet))
    t_scope, s_scope = _scope_sql(sheet, "t"), _scope_sql(sheet, "s")
    scope_keys = ", ".join(f"{e} AS k{i}" for i, e in enumerate(s_scope))
    in_scope = " AND ".join(f"sc.k{i} = {e}" for i, e in enumerate(t_scope))
    where = f"EXISTS (SELECT 1 FROM (SELECT DISTINCT {scope_keys} FROM {stage} s) sc WHERE {in_scope})"
    cur.execute(f"INSERT INTO {sheet.key}__replaced SELECT {import_id}, {cols}, import_id FROM {sheet.key} t WHERE {where}")
    cur.execute(f"DELETE FROM {sheet.key} t WHERE {where}")
    cur.execute(f"INSERT INTO {sheet.key} ({cols}, import_id) SELECT {cols}, {import_id} FROM {stage}")


def _drop_stages(cur, staged: dict[str, str]) -> None:
    for stage in staged.values():
        cur.execute(f"DROP TABLE IF EXISTS {stage}")


def _log_import(cur, result: FileResult, import_id: int, user: User) -> None:
    sheets = result.sheet_rows()
    cur.execute(
        "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'imported', NULL, NULL)",
        [import_id, result.file_hash, result.content_key, result.file_name, result.file_format, result.file_size,
         json.dumps(sheets, ensure_ascii=False),
         json.dumps([p.as_json() for p in result.warnings][:500], ensure_ascii=False),
         sum(s["rows_loaded"] for s in sheets), sum(s["rows_dropped"] for s in sheets),
         user.name, dt.datetime.now(), __version__])


def _archive(store: Store, data: bytes, result: FileResult) -> None:
    """Keep the raw bytes, named by their hash (never by the uploaded name)."""
    store.archive_dir.mkdir(parents=True, exist_ok=True)
    target = store.archive_dir / f"{result.file_hash}.{result.file_format or 'bin'}"
    if target.exists():
        return
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)


class UndoRefused(Exception):
    """An undo the user asked for that cannot be done; .message is Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def undo(store: Store, import_id: int, user: User) -> None:
    """Put back exactly what import `import_id` replaced, and remove what it added (管理员 only)."""
    require(user, UNDO)
    with store.transaction() as cur:
        row = cur.execute("SELECT status FROM imports WHERE id = ?", [import_id]).fetchone()
        if row is None:
            raise UndoRefused(f"没有编号为 {import_id} 的导入记录")
        if row[0] == "undone":
            raise UndoRefused(f"第 {import_id} 次导入已经撤销过了")
        later = " UNION ".join(f"SELECT replaced_by FROM {s.key}__replaced WHERE import_id = {int(import_id)}"
                               for s in SHEETS)
        newer = sorted(r[0] for r in cur.execute(later).fetchall())
        if newer:
            raise UndoRefused(f"第 {import_id} 次导入的数据已被之后的导入（第 {'、'.join(map(str, newer))} 次）替换，"
                              f"请先撤销较新的导入")
        for sheet in SHEETS:
            cols = ", ".join(data_columns(sheet))
            cur.execute(f"DELETE FROM {sheet.key} WHERE import_id = ?", [import_id])
            cur.execute(f"INSERT INTO {sheet.key} ({cols}, import_id) SELECT {cols}, import_id "
                        f"FROM {sheet.key}__replaced WHERE replaced_by = ?", [import_id])
            cur.execute(f"DELETE FROM {sheet.key}__replaced WHERE replaced_by = ?", [import_id])
        cur.execute("UPDATE imports SET status = 'undone', undone_by = ?, undone_at = ? WHERE id = ?",
                    [user.name, dt.datetime.now(), import_id])


HISTORY_COLUMNS = {"id": "编号", "imported_at": "导入时间", "user_name": "导入人", "file_name": "文件",
                   "sheet_types": "报表", "rows_loaded": "导入行数", "rows_dropped": "剔除行数",
                   "status_label": "状态"}


def history(store: Store, limit: int = 200) -> pd.DataFrame:
    """The import log, newest first, with Chinese headers."""
    frame = store.query("SELECT * FROM imports ORDER BY id DESC LIMIT ?", [limit])
    if frame.empty:
        return pd.DataFrame(columns=list(HISTORY_COLUMNS.values()))
    frame["sheet_types"] = [
        "、".join(sorted({s["type"] for s in json.loads(v) if s.get("type")})) for v in frame["sheets"]]
    frame["status_label"] = frame["status"].map({"imported": "有效", "undone": "已撤销"})
    return frame[list(HISTORY_COLUMNS)].rename(columns=HISTORY_COLUMNS)


def is_database_busy(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()
