"""The checks of a parsed upload against the store, redone by the preview and again by the import.

Another import may have changed the store between a preview and its confirm, so the import runs
`check_against_store` once more inside its transaction, on the preview's parse: the 队 a sheet
leaves out (lib/store/derive_units.py), which 队 the user may write, whether the same content is
already in, keys stored under another scope, what the upload replaces, and names the nearest
人员名册 does not know.
"""
from __future__ import annotations

import datetime as dt
import difflib

import pandas as pd
import pyarrow as pa

from lib.access.auth import UPLOADER, User
from lib.ingest.findings import ERROR, WARNING, Finding, shown_value
from lib.ingest.periods import month_text
from lib.ingest.sheets import SHEETS, SHEETS_BY_KEY, SheetType
from lib.store.derive_units import derive_units
from lib.store.replace_scope import in_scope, scope_keys, scope_sql, scope_text
from lib.store.upload import READY, REJECTED, UNCHANGED, FileResult, Replacement

ARROW_TYPES = {"VARCHAR": pa.string(), "DATE": pa.date32(), "BOOLEAN": pa.bool_(), "INTEGER": pa.int32(),
               "DOUBLE": pa.float64()}

# Cross-sheet name checks: which roster column a field is checked against, and the 队 field
# that goes with a 班组 field.
UNIT_FIELDS = ("unit", "member_unit", "worker_unit")
TEAM_FIELDS = {"team": "unit", "worker_team": "worker_unit"}
ID_FIELDS = ("staff_id", "member_id", "worker_id", "owner_id", "liaison_id")
# Unknown values listed one by one per field; the rest are counted in one line.
MAX_UNKNOWN_LISTED = 50


def check_against_store(cur, result: FileResult, user: User | None) -> dict[str, str]:
    """Every check that looks at the store, on `result` (a FileResult.for_store_check copy).

    Sets result.status (READY, UNCHANGED or REJECTED). Returns the staged temporary tables of the
    new rows by sheet key (the import writes from them; the caller drops them), empty unless READY.
    """
    if result.status != READY:
        return {}
    derive_units(cur, result)  # first: the 填报 check and the replace scope need every row's 队
    if user is not None:
        _check_units(cur, result, user)
    if result.errors:
        result.status = REJECTED
        return {}
    since = _unchanged_since(cur, result.content_key)
    if since is not None:
        result.status, result.unchanged_since = UNCHANGED, since
        return {}
    staged = {k: _stage(cur, SHEETS_BY_KEY[k], f) for k, f in _combined_frames(result).items()}
    _check_scopes(cur, result, staged)
    _roster_warnings(cur, result, staged)
    if result.errors:
        result.status = REJECTED
        drop_stages(cur, staged)
        return {}
    return staged


def drop_stages(cur, staged: dict[str, str]) -> None:
    for stage in staged.values():
        cur.execute(f"DROP TABLE IF EXISTS {stage}")


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


def _unchanged_since(cur, content_key: str) -> int | None:
    """An earlier import of the same content whose rows are all still in place."""
    superseded = " UNION ALL ".join(f"SELECT import_id FROM {s.key}__replaced" for s in SHEETS)
    row = cur.execute(
        f"SELECT max(id) FROM imports WHERE content_key = ? AND status = 'imported' "
        f"AND id NOT IN ({superseded})", [content_key]).fetchone()
    return row[0] if row else None


def _check_scopes(cur, result: FileResult, staged: dict[str, str]) -> None:
    """Keys stored under another scope (errors), and what the upload replaces."""
    for key, stage in staged.items():
        sheet = SHEETS_BY_KEY[key]
        # Keys already stored under another scope (e.g. a 工号 in another 队's roster that month).
        grain_join = " AND ".join(f"s.{g} = t.{g}" for g in sheet.grain)
        clashes = cur.execute(
            f"WITH sc AS (SELECT DISTINCT {scope_keys(sheet)} FROM {stage} s) "
            f"SELECT s._sheet, s._row, concat_ws('、', {', '.join('s.' + g for g in sheet.grain)}), "
            f"{', '.join(scope_sql(sheet, 't'))} FROM {stage} s JOIN {key} t ON {grain_join} "
            f"WHERE NOT EXISTS (SELECT 1 FROM sc WHERE {in_scope(sheet)}) ORDER BY s._row LIMIT 200").fetchall()
        for sheet_name, row, grain_values, *other_scope in clashes:
            result.store_problems.append(Finding(
                ERROR, f"这条记录已在其他范围（{scope_text(sheet, other_scope)}）的{sheet.label}中导入过，"
                       f"不能同时属于两处",
                "请核对队、月份或工号是否填错；如人员调动，请先更新原来那份报表",
                result.file_name, sheet_name, row, "+".join(sheet.column(g).label for g in sheet.grain),
                grain_values))
        # What this upload will replace: per scope, the new rows and the stored ones.
        counts = cur.execute(
            f"WITH sc AS (SELECT {scope_keys(sheet)}, count(*) AS n FROM {stage} s GROUP BY ALL) "
            f"SELECT sc.* EXCLUDE (n), sc.n, (SELECT count(*) FROM {key} t WHERE {in_scope(sheet)}) AS existing "
            f"FROM sc").fetchall()
        if sheet.scope == sheet.grain:
            existing = sum(r[-1] for r in counts)
            result.replacements.append(Replacement(sheet, f"{len(counts)} 个{sheet.column(sheet.grain[0]).label}",
                                                   existing, len(counts)))
        else:
            for *values, n, existing in counts:
                result.replacements.append(Replacement(sheet, scope_text(sheet, values), existing, n))


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


def _nearest_roster_month(cur, months: list, staged_roster: str | None) -> dt.date | None:
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
                _unknown_teams(cur, result, sheet, stage, f, unit_field, {(u, t) for u, t in known}, month)
            else:
                _unknown_values(cur, result, sheet, stage, f, what, {k[0] for k in known}, month)


def _unknown_teams(cur, result, sheet, stage, f, unit_field, known: set, month: dt.date) -> None:
    rows = cur.execute(
        f"SELECT {unit_field}, {f}, min(_sheet), min(_row), count(*) FROM {stage} "
        f"WHERE {f} IS NOT NULL AND {f} <> '' GROUP BY ALL ORDER BY 4").fetchall()
    for unit, value, sheet_name, row, n in rows:
        if (unit, value) in known:
            continue
        candidates = [t for u, t in known if u == unit] or [t for _, t in known]
        _warn_unknown(result, sheet, f, "班组", value, candidates, month, sheet_name, row, n)


def _unknown_values(cur, result, sheet, stage, f, what, known: set, month: dt.date) -> None:
    rows = cur.execute(
        f"SELECT {f}, min(_sheet), min(_row), count(*) FROM {stage} "
        f"WHERE {f} IS NOT NULL AND {f} <> '' GROUP BY ALL ORDER BY 3").fetchall()
    unknown = [r for r in rows if r[0] not in known]
    for value, sheet_name, row, n in unknown[:MAX_UNKNOWN_LISTED]:
        # A 队 is guessed among the known 队; a 工号 has no near spelling worth suggesting.
        _warn_unknown(result, sheet, f, what, value, list(known) if what == "队" else [], month, sheet_name, row, n)
    if len(unknown) > MAX_UNKNOWN_LISTED:
        result.store_problems.append(Finding(
            WARNING, f"另有 {len(unknown) - MAX_UNKNOWN_LISTED} 个{what}不在{month_text(month)}人员名册中", "",
            result.file_name, sheet.label, None, sheet.column(f).label))


def _warn_unknown(result, sheet, f, what, value, candidates, month, sheet_name, row, n) -> None:
    close = difflib.get_close_matches(str(value), [str(c) for c in candidates], n=1, cutoff=0.5)
    guess = f"，是否为 '{close[0]}'？" if close else ""
    more = f"（共 {n} 行）" if n > 1 else ""
    result.store_problems.append(Finding(
        WARNING, f"{what} '{value}' 不在{month_text(month)}人员名册中{guess}{more}",
        "名称不一致会让统计对不上，请核对写法", result.file_name, sheet_name, row, sheet.column(f).label,
        shown_value(value)))


# ---------------------------------------------------------------- 填报: only the user's own 队

def _unit_field(sheet: SheetType) -> str:
    """The field naming the 队 a sheet belongs to (包保/谈心: the party member's 队)."""
    return next(c.field for c in sheet.columns if c.context == "unit")


def _check_units(cur, result: FileResult, user: User) -> None:
    """One error per sheet holding rows of a 队 the user may not write; nothing for 管理员.

    The problem ledger is replaced by 问题编号, not by 队, so a stored row with the same number
    under another 队 is refused as well: re-filing it would take it over.
    """
    if user.role != UPLOADER:  # 管理员 writes every 队; 查看 never gets this far
        return
    for parsed in result.loadable:
        if parsed.frame is None or not len(parsed.frame):
            continue
        sheet, frame = parsed.sheet_type, parsed.frame
        field_name = _unit_field(sheet)
        label = sheet.column(field_name).label
        # A row without a 队 (its 党员 unknown: lib/store/derive_units.py) is an error already.
        foreign = frame[[u is not None and u != "" and not user.may_write_unit(u) for u in frame[field_name]]]
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
