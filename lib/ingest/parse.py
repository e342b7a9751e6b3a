"""Raw sheets → recognised, cleaned tables, with every problem as a row.

Steps for one sheet: fill merged cells, find the header row and the sheet type (recognise),
take 队 and 月份/季度 from the lines above the header or the file name when the sheet has no such
column (context), drop rows that carry no data (recognise), clean each column once per distinct
value (clean), then check rows against each other. Nothing here touches the database.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import partial

import pandas as pd

from lib.ingest import clean
from lib.ingest.column_map import HeaderMaps, MappingOffer, header_signature, mapping_offer, remap
from lib.ingest.context import CONTEXT_LABELS, infer_context
from lib.ingest.findings import ERROR, WARNING, Finding, shown_value
from lib.ingest.raw import RawSheet
from lib.ingest.recognise import (
    IGNORED,
    HeaderMatch,
    fill_merged,
    find_header,
    is_blank_row,
    is_hint_row,
    is_notes_row,
    is_total_row,
    normalize_header,
    suggestable,
)
from lib.ingest.sheets import Column, SheetType

__all__ = ["CONTEXT_LABELS", "DROP_REASONS", "EMPTY_SHEET", "GUIDE_SHEET", "ParsedSheet", "infer_context", "parse_sheet"]

# How many problems of one kind (column × message) a sheet reports row by row before summarising.
MAX_PROBLEMS_PER_KIND = 200

EMPTY_SHEET, GUIDE_SHEET = "空白工作表", "填表说明页"
DROP_REASONS = {"blank": "空行", "hint": "填写说明行", "total": "合计行", "notes": "表尾说明", "duplicate": "重复行"}


CLEANERS = {
    "text": clean.clean_text, "org": clean.clean_org, "org_list": clean.clean_org_list,
    "name": clean.clean_name, "id": clean.clean_id, "bool": clean.clean_bool,
    "date": clean.clean_date, "month": clean.clean_month, "quarter": clean.clean_quarter,
    "year": clean.clean_year, "good": clean.clean_good,
}


def cleaner_for(col: Column):
    if col.kind == "enum":
        return partial(clean.clean_enum, allowed=col.allowed, aliases=col.aliases)
    if col.kind == "number":
        return partial(clean.clean_number, lo=col.lo, hi=col.hi)
    return CLEANERS[col.kind]


@dataclass
class ParsedSheet:
    """One workbook sheet, recognised and cleaned (or not recognised, with the reason)."""
    file: str
    name: str
    sheet_type: SheetType | None
    header_row: int | None = None            # Excel row number of the header
    frame: pd.DataFrame | None = None        # declared fields (+ items JSON) + _row
    rows_read: int = 0
    dropped: dict[str, int] = field(default_factory=dict)  # reason → count
    problems: list[Finding] = field(default_factory=list)
    missing_context: list[str] = field(default_factory=list)  # 'unit' / 'month' … the user must supply
    context_used: dict[str, str] = field(default_factory=dict)
    skipped: str = ""                        # why the sheet was not imported (hidden, empty …)
    header_signature: str = ""               # the header row's layout (lib/ingest/column_map)
    mapping_source: str = ""                 # 'given' / 'saved' when a 对应表头 was applied
    mapping_used: dict[str, str] = field(default_factory=dict)   # sheet header → template label
    mapping_offer: MappingOffer | None = None  # what the user may map (missing required columns)
    released_rows: int | None = None         # set by without_rows: the frame's rows were let go

    @property
    def rows_loaded(self) -> int:
        if self.released_rows is not None:
            return self.released_rows
        return 0 if self.frame is None else len(self.frame)

    def without_rows(self) -> "ParsedSheet":
        """A copy that keeps the counts, findings and columns but not the rows (an import's outcome
        kept for display: a 300,000-row frame is some 150 MiB). Its scope can no longer be derived."""
        if self.frame is None:
            return self
        # A fresh empty frame: a zero-row slice would keep the whole frame alive as its base.
        return replace(self, frame=pd.DataFrame(columns=list(self.frame.columns), dtype=object),
                       released_rows=self.rows_loaded)

    @property
    def rows_dropped(self) -> int:
        return sum(self.dropped.values())

    @property
    def empty(self) -> bool:
        """Nothing in it but a header, hints and blank rows (a template's unused sheet), or the
        template's 填表说明: skipped with one line, not listed."""
        return self.skipped in (EMPTY_SHEET, GUIDE_SHEET)


# ---------------------------------------------------------------- the whole sheet

# A sheet named 填写说明 / 使用说明（必读） / 注意事项 explains the others; its rows are not data.
_GUIDE_SHEET_WORDS = ("说明", "注意事项")


def parse_sheet(raw: RawSheet, filename: str, context: dict[str, str] | None = None,
                maps: HeaderMaps | None = None) -> ParsedSheet:
    """One sheet read as its declared type; `maps` are the 对应表头 the user gave or saved earlier."""
    result = ParsedSheet(file=filename, name=raw.name, sheet_type=None)
    if raw.hidden:
        result.skipped = "隐藏的工作表，未导入"
        return result
    if normalize_header(raw.name) in IGNORED or any(w in raw.name for w in _GUIDE_SHEET_WORDS):
        result.skipped = GUIDE_SHEET
        return result
    rows = fill_merged(raw)
    if not any(not is_blank_row(r) for r in rows):
        result.skipped = EMPTY_SHEET
        return result
    match = find_header(rows, raw.name, filename)
    if match is not None:
        header_cells = rows[match.row]
        result.header_signature = header_signature(header_cells)
        found = match
        if maps:
            match, result.mapping_source, result.mapping_used = remap(maps, raw.name, match, header_cells)
        if (match.missing_blocking or result.mapping_used) and suggestable(found):
            result.mapping_offer = mapping_offer(found, header_cells, rows[found.row + 1:], cleaner_for,
                                                 result.mapping_used)
    if match is None or match.missing_blocking:
        _unrecognised(result, match, filename)
        return result
    sheet = match.sheet
    result.sheet_type = sheet
    result.header_row = match.row + 1
    data_rows, row_numbers = _data_rows(result, rows, match.row, raw.hidden_rows)
    result.rows_read = len(data_rows) + result.rows_dropped
    if not data_rows and set(result.dropped) <= {"blank", "hint"}:
        # A template's sheet left empty: nothing to import, nothing to ask or warn about.
        result.skipped = EMPTY_SHEET
        return result
    _report_columns(result, sheet, match, header_cells)

    found_fields = set(match.columns.values())
    result.context_used = _resolve_context(result, sheet, found_fields, rows[:match.row], raw.name, filename,
                                           context or {})
    if result.missing_context:
        return result
    result.frame = _clean_columns(result, sheet, match, header_cells, data_rows, row_numbers)
    if result.frame is not None and len(result.frame):
        _check_rows(result, sheet)
    return result


def _unrecognised(result: ParsedSheet, match: HeaderMatch | None, filename: str) -> None:
    """A sheet that is none of the declared types (or lacks required columns of the closest one).

    The closest type is named only when the sheet has its distinctive columns (recognise.suggestable)
    or the user mapped headers to it; the list of types and the template are the file's error
    (lib/store/upload.py), not repeated for every sheet."""
    result.skipped = "未识别的工作表"
    if match is not None and (result.mapping_used or suggestable(match)):
        missing = "、".join(c.label for c in match.missing_blocking)
        result.problems.append(Finding(
            WARNING, f"工作表「{result.name}」未能识别：最接近「{match.sheet.label}」，但缺少表头 {missing}",
            "请把表头改成报表模板中的写法，或补上缺少的列", filename, result.name, match.row + 1))
        return
    result.problems.append(Finding(
        WARNING, f"工作表「{result.name}」不是系统接收的报表（没有找到任何一种报表的表头），未导入",
        "需要导入的，请按报表模板的表头填写（数据上传页「下载报表模板」）；不需要导入的可以忽略",
        filename, result.name))


def _report_columns(result: ParsedSheet, sheet: SheetType, match: HeaderMatch, header_cells: list) -> None:
    for c, f in match.duplicates:
        result.problems.append(Finding(
            WARNING, f"重复的列「{shown_value(header_cells[c])}」，只导入第一列", "请删除重复的列",
            result.file, result.name, match.row + 1, shown_value(header_cells[c])))
    if sheet.score_items:
        return  # unknown columns may be score items there: _score_items decides
    for c, cell in enumerate(header_cells):
        norm = normalize_header(cell)
        if c in match.columns or not norm or norm in IGNORED:
            continue
        _unknown_column(result, sheet, match, cell)


def _unknown_column(result: ParsedSheet, sheet: SheetType, match: HeaderMatch, cell) -> None:
    result.problems.append(Finding(
        WARNING, f"未识别的列「{shown_value(cell)}」，未导入", f"「{sheet.label}」只需要模板中的列",
        result.file, result.name, match.row + 1, shown_value(cell)))


def _resolve_context(result, sheet, found_fields, lines_rows, sheet_name, filename, given) -> dict[str, str]:
    needed = [c for c in sheet.columns if c.context and c.field not in found_fields]
    if not needed:
        return {}
    lines = [" ".join(str(v) for v in r if v is not None) for r in lines_rows]
    inferred = infer_context(lines, sheet_name, filename)
    used = {}
    for col in needed:
        value = given.get(col.context) or inferred.get(col.context)
        if value:
            used[col.context] = str(value)
        elif col.derived_from in found_fields:
            continue  # left empty: the store fills it in row by row (lib/store/derive_units.py)
        elif col.required:
            result.missing_context.append(col.context)
            what = CONTEXT_LABELS[col.context]
            example = {"unit": "填报单位：综采队", "month": "统计月份：2024年6月", "quarter": "2024年第二季度",
                       "year": "2024年度"}[col.context]
            result.problems.append(Finding(
                ERROR, f"不知道这张表属于哪个{what}：表中没有「{col.label}」列，标题和文件名中也没有注明",
                f"请增加「{col.label}」列，或在表头上方写明“{example}”，或在文件名中注明（如 综采队_2024年6月.xlsx）",
                result.file, result.name, None, col.label))
    return used


def _data_rows(result: ParsedSheet, rows: list[list], header: int, hidden_rows: frozenset[int]):
    kept, numbers = [], []
    dropped = {k: 0 for k in DROP_REASONS}
    hidden_seen = []
    # Template rows numbered in advance (序号 only, nothing filled in) carry no data either.
    ignored = {c for c, cell in enumerate(rows[header]) if normalize_header(cell) in IGNORED}
    for r in range(header + 1, len(rows)):
        row = rows[r]
        if is_blank_row(row):
            dropped["blank"] += 1
        elif is_notes_row(row):
            dropped["notes"] += len(rows) - r - sum(is_blank_row(x) for x in rows[r:])
            dropped["blank"] += sum(is_blank_row(x) for x in rows[r:])
            break
        elif is_total_row(row):
            dropped["total"] += 1
        elif r <= header + 3 and not kept and is_hint_row(row):
            dropped["hint"] += 1
        elif ignored and is_blank_row([v for c, v in enumerate(row) if c not in ignored]):
            dropped["blank"] += 1
        else:
            if r in hidden_rows:
                hidden_seen.append(r + 1)
            kept.append(row)
            numbers.append(r + 1)
    result.dropped = {k: v for k, v in dropped.items() if v}
    if hidden_seen:
        shown = "、".join(str(n) for n in hidden_seen[:10]) + ("…" if len(hidden_seen) > 10 else "")
        result.problems.append(Finding(
            WARNING, f"有 {len(hidden_seen)} 行被隐藏或筛选掉了（第 {shown} 行），仍已导入",
            "请确认这些行应当上报；不需要的行请删除", result.file, result.name, hidden_seen[0]))
    return kept, numbers


def _clean_columns(result, sheet, match, header_cells, data_rows, row_numbers) -> pd.DataFrame:
    n = len(data_rows)
    counts: dict[tuple[str, str], int] = {}
    columns: dict[str, list] = {"_row": row_numbers}
    by_field = {f: c for c, f in match.columns.items()}

    def report(level, row_no, col_label, raw_value, message, hint=""):
        key = (col_label, message)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= MAX_PROBLEMS_PER_KIND:
            result.problems.append(Finding(level, message, hint or "", result.file, result.name, row_no,
                                           col_label, shown_value(raw_value)))

    for col in sheet.columns:
        if col.field in by_field:
            c = by_field[col.field]
            header_label = shown_value(header_cells[c]) or col.label
            raw_values = [row[c] if c < len(row) else None for row in data_rows]
        elif col.context and col.context in result.context_used:
            header_label = col.label
            raw_values = [result.context_used[col.context]] * n
        else:
            columns[col.field] = [None if col.field not in sheet.grain else ""] * n
            continue
        cleaner = cleaner_for(col)
        cache: dict = {}
        values = []
        numeric_ids = []
        for i, raw_value in enumerate(raw_values):
            key = (type(raw_value), raw_value)
            cleaned = cache.get(key)
            if cleaned is None:
                cleaned = cache[key] = cleaner(raw_value)
            value = cleaned.value
            if cleaned.error:
                report(ERROR, row_numbers[i], header_label, raw_value, cleaned.error, cleaned.hint)
                value = None
            elif cleaned.warning:
                report(WARNING, row_numbers[i], header_label, raw_value, cleaned.warning, cleaned.hint)
            if value is None and not cleaned.error:
                if col.required:
                    report(ERROR, row_numbers[i], header_label, raw_value, "必填项为空", f"请填写「{col.label}」")
                elif col.field in sheet.grain:
                    value = ""
            if col.kind == "id" and isinstance(raw_value, (int, float)) and value:
                numeric_ids.append(i)
            values.append(value)
        if numeric_ids:
            _flag_short_ids(report, values, numeric_ids, row_numbers, header_label)
        columns[col.field] = values

    if sheet.score_items:
        columns["items"] = _score_items(result, sheet, match, header_cells, data_rows, row_numbers, report)

    for (col_label, message), count in counts.items():
        if count > MAX_PROBLEMS_PER_KIND:
            result.problems.append(Finding(
                ERROR if any(p.is_error and p.message == message for p in result.problems) else WARNING,
                f"「{col_label}」列另有 {count - MAX_PROBLEMS_PER_KIND} 处同类问题：{message}", "",
                result.file, result.name, None, col_label))
    # Object columns keep Python dates and None exactly as cleaned; DuckDB types them on insert.
    return pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in columns.items()})


def _flag_short_ids(report, values, numeric_ids, row_numbers, header_label) -> None:
    """An ID typed as a number and shorter than its neighbours probably lost its leading zeros."""
    lengths = pd.Series([len(v) for v in values if v])
    if lengths.empty:
        return
    usual = int(lengths.mode().iloc[0])
    for i in numeric_ids:
        if len(values[i]) < usual:
            report(WARNING, row_numbers[i], header_label, values[i],
                   f"工号是数字格式且比其他工号短（{len(values[i])} 位，多数为 {usual} 位），开头的0可能已丢失",
                   "请把工号列设为文本格式后重新填写")


def _score_items(result, sheet, match, header_cells, data_rows, row_numbers, report) -> list[str | None]:
    """比学争优: an extra column before 自评总分 holding numbers is a score item, saved under its own
    header. Other extra columns (岗位, 联系电话, 身份证号 …) are reported and not loaded."""
    total = next(c for c, f in match.columns.items() if f == "self_score")
    items = []
    for c, cell in enumerate(header_cells):
        norm = normalize_header(cell)
        if c in match.columns or not norm or norm in IGNORED:
            continue
        values = [row[c] for row in data_rows if c < len(row)]
        if c < total and any(clean.clean_number(v).value is not None for v in values):
            items.append((c, norm))
        else:
            _unknown_column(result, sheet, match, cell)
    rows_items: list[dict] = [{} for _ in data_rows]
    for c, name in items:
        for i, row in enumerate(data_rows):
            raw_value = row[c] if c < len(row) else None
            cleaned = clean.clean_number(raw_value, lo=0, hi=100)
            if cleaned.error:
                report(ERROR, row_numbers[i], name, raw_value, f"分项得分：{cleaned.error}", cleaned.hint)
            elif cleaned.value is not None:
                rows_items[i][name] = cleaned.value
    return [json.dumps(d, ensure_ascii=False) if d else None for d in rows_items]


def _check_rows(result: ParsedSheet, sheet: SheetType) -> None:
    frame = result.frame
    label = {c.field: c.label for c in sheet.columns}
    # Dates in order.
    chain = sheet.date_chain
    for i, (earlier, _) in enumerate(chain):
        for j in range(i + 1, len(chain)):
            later = chain[j][0]
            strict = any(s for _, s in chain[i:j])
            a, b = pd.to_datetime(frame[earlier]), pd.to_datetime(frame[later])
            bad = (a >= b) if strict else (a > b)
            for idx in frame.index[bad.fillna(False).astype(bool)]:
                word = "早于" if strict else "不晚于"
                result.problems.append(Finding(
                    ERROR, f"「{label[earlier]}」应{word}「{label[later]}」", "请核对两个日期",
                    result.file, result.name, int(frame.at[idx, "_row"]), label[later],
                    f"{frame.at[idx, earlier]} / {frame.at[idx, later]}"))
    for earlier, later, days, message in sheet.min_gaps:
        gap = (pd.to_datetime(frame[later]) - pd.to_datetime(frame[earlier])).dt.days
        for idx in frame.index[((gap >= 0) & (gap < days)).fillna(False).astype(bool)]:
            result.problems.append(Finding(
                WARNING, f"{message}（相隔 {int(gap[idx])} 天）", "请核对日期是否填写正确",
                result.file, result.name, int(frame.at[idx, "_row"]), label[later],
                f"{frame.at[idx, earlier]} / {frame.at[idx, later]}"))
    result.frame = drop_duplicate_grain(result, sheet, frame)


def drop_duplicate_grain(result: ParsedSheet, sheet: SheetType, frame: pd.DataFrame) -> pd.DataFrame:
    """Identical rows are dropped with a warning; rows sharing a key but differing are errors."""
    grain = list(sheet.grain)
    dup = frame.duplicated(subset=grain, keep=False)
    if not dup.any():
        return frame
    data_cols = [c for c in frame.columns if c != "_row"]
    drop = []
    key_text = "+".join(sheet.column(g).label for g in grain)
    for _, group in frame[dup].groupby(grain, dropna=False, sort=False):
        first = group.iloc[0]
        for idx, row in group.iloc[1:].iterrows():
            same = all(_same(first[c], row[c]) for c in data_cols)
            if same:
                drop.append(idx)
                result.problems.append(Finding(
                    WARNING, f"与第 {int(first['_row'])} 行完全相同，已去重", "", result.file, result.name,
                    int(row["_row"]), key_text))
            else:
                values = "、".join(str(row[g]) for g in grain)
                result.problems.append(Finding(
                    ERROR, f"与第 {int(first['_row'])} 行的{key_text}相同（{values}）但内容不同",
                    "同一记录只能出现一次，请合并或删除其中一行", result.file, result.name, int(row["_row"]),
                    key_text, values))
    if drop:
        result.dropped["duplicate"] = result.dropped.get("duplicate", 0) + len(drop)
    return frame.drop(index=drop).reset_index(drop=True)


def _same(a, b) -> bool:
    return (pd.isna(a) and pd.isna(b)) if (pd.isna(a) or pd.isna(b)) else a == b
