"""A 队 the sheet leaves out, found row by row from what the store knows about the person.

A column declared with `derived_from` (lib/ingest/sheets.py: 谈心记录's 党员所在队 from 党员工号) may
be missing altogether when neither the sheet, its title nor the file name names a 队: the parse
leaves it empty, and here each row gets the 队 of the person whose 工号 it names, in this order:

1. the 包保对子 of that 党员 active on the row's date (结对日期 ≤ date ≤ 解除日期) — its 党员所在队;
2. the 人员名册 of the row's month, or the nearest earlier month the person appears in — their 队;
3. any other 包保对子 of that 党员: the last one started before the date, else the first one after.

A 包保对子 or 人员名册 sent in the same upload counts as much as a stored one. Rows whose person is
unknown to all of these get one error per sheet naming the 工号s and rows. A 队 given for the whole
file (on the upload page or the command line) or written in the title is used as before, for every
row; this only fills what is still empty.

Runs inside check_against_store, before the 填报 check (which must see the derived 队) and before
staging (the replace scope is months × the derived 队). The parse is shared between the preview and
the import, so the filled frame is a copy in the checked FileResult's own list of sheets.
"""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pyarrow as pa

from lib.ingest.findings import ERROR, Finding
from lib.ingest.parse import ParsedSheet
from lib.ingest.sheets import Column, SheetType
from lib.store.upload import FileResult

# Unknown 工号 and rows named one by one in the error; the rest are counted.
MAX_LISTED = 20

_WANTED = pa.schema([("pid", pa.string()), ("day", pa.date32())])
_PAIRS = pa.schema([("member_id", pa.string()), ("member_unit", pa.string()), ("paired_on", pa.date32()),
                    ("ended_on", pa.date32())])
_ROSTER = pa.schema([("month", pa.date32()), ("staff_id", pa.string()), ("unit", pa.string())])


def derivable_columns(sheet: SheetType) -> list[Column]:
    return [c for c in sheet.columns if c.derived_from]


def derive_units(cur, result: FileResult) -> None:
    """Fill every empty derivable 队 of `result`'s sheets (on copies); errors for unknown persons."""
    loadable = {id(s) for s in result.loadable}
    todo = [(i, s) for i, s in enumerate(result.sheets)
            if id(s) in loadable and len(s.frame) and derivable_columns(s.sheet_type)]
    if not todo:
        return
    sources = _register_sources(cur, result)
    try:
        for i, parsed in todo:
            frame = parsed.frame
            for col in derivable_columns(parsed.sheet_type):
                empty = frame[col.field].isna() | (frame[col.field] == "")
                if not empty.any():
                    continue
                found = iter(_lookup(cur, parsed, col, frame[empty]))
                values = [next(found) if e else v for v, e in zip(frame[col.field], empty)]
                # A new frame, never the parsed one: the preview and the import share that.
                frame = frame.assign(**{col.field: pd.Series(values, index=frame.index, dtype=object)})
                _report_unknown(result, parsed, col, frame[[v is None for v in values]])
            if frame is not parsed.frame:
                result.sheets[i] = replace(parsed, frame=frame)
    finally:
        for name in sources:
            cur.unregister(name)


def _register_sources(cur, result: FileResult) -> list[str]:
    """The 包保对子 and 人员名册 rows of this upload, as Arrow tables the lookup reads beside the store."""
    uploaded = {"pairs": [], "roster": []}
    for s in result.loadable:
        if s.sheet_type.key in uploaded and len(s.frame):
            uploaded[s.sheet_type.key].append(s.frame)
    tables = {"derive_upload_pairs": _PAIRS, "derive_upload_roster": _ROSTER}
    for (name, schema), frames in zip(tables.items(), uploaded.values()):
        frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=schema.names)
        cur.register(name, pa.table({f.name: pa.array(frame[f.name].tolist(), type=f.type) for f in schema},
                                    schema=schema))
    return list(tables)


def _lookup(cur, parsed: ParsedSheet, col: Column, rows: pd.DataFrame) -> list[str | None]:
    """The 队 of each row's person (None when unknown), in the order of `rows`."""
    sheet = parsed.sheet_type
    day_field = sheet.period_field if sheet.period_field and sheet.column(sheet.period_field).kind == "date" else None
    ids = rows[col.derived_from].tolist()
    days = rows[day_field].tolist() if day_field else [None] * len(rows)
    wanted = pa.table({"pid": pa.array(ids, type=pa.string()), "day": pa.array(days, type=pa.date32())},
                      schema=_WANTED)
    cur.register("derive_wanted", wanted)
    try:
        found = cur.execute(_LOOKUP_SQL).fetchall()
    finally:
        cur.unregister("derive_wanted")
    units = {(pid, day): unit for pid, day, unit in found}
    return [units.get((pid, day)) for pid, day in zip(ids, days)]


# One row per distinct (工号, date): the first source that knows the person decides (see the module doc).
_LOOKUP_SQL = """
WITH w AS (SELECT DISTINCT pid, day FROM derive_wanted WHERE pid IS NOT NULL AND pid <> ''),
p AS (SELECT member_id, member_unit, paired_on, ended_on FROM pairs
      UNION ALL SELECT member_id, member_unit, paired_on, ended_on FROM derive_upload_pairs),
r AS (SELECT month, staff_id, unit FROM roster
      UNION ALL SELECT month, staff_id, unit FROM derive_upload_roster),
candidates AS (
    SELECT w.pid, w.day, p.member_unit AS unit,
           CASE WHEN w.day IS NULL THEN 3
                WHEN p.paired_on <= w.day AND (p.ended_on IS NULL OR p.ended_on >= w.day) THEN 1
                WHEN p.paired_on <= w.day THEN 3 ELSE 4 END AS source,
           coalesce(abs(date_diff('day', p.paired_on, w.day)), 0) AS distance
    FROM w JOIN p ON p.member_id = w.pid
    WHERE p.member_unit IS NOT NULL AND p.member_unit <> ''
    UNION ALL
    SELECT w.pid, w.day, r.unit, 2,
           coalesce(date_diff('month', r.month, date_trunc('month', w.day)), 0)
    FROM w JOIN r ON r.staff_id = w.pid AND (w.day IS NULL OR r.month <= date_trunc('month', w.day))
    WHERE r.unit IS NOT NULL AND r.unit <> ''
)
SELECT pid, day, unit FROM (
    SELECT pid, day, unit,
           row_number() OVER (PARTITION BY pid, day ORDER BY source, distance, unit) AS rank
    FROM candidates)
WHERE rank = 1
"""


def _report_unknown(result: FileResult, parsed: ParsedSheet, col: Column, unknown: pd.DataFrame) -> None:
    if not len(unknown):
        return
    sheet = parsed.sheet_type
    id_label = sheet.column(col.derived_from).label
    ids = sorted({str(v) for v in unknown[col.derived_from] if v})
    rows = [int(r) for r in unknown["_row"]]
    shown_ids = "、".join(ids[:MAX_LISTED]) + (f" 等 {len(ids)} 个" if len(ids) > MAX_LISTED else "")
    shown_rows = "、".join(map(str, rows[:MAX_LISTED])) + ("…" if len(rows) > MAX_LISTED else "")
    result.store_problems.append(Finding(
        ERROR, f"不知道这些党员属于哪个队：{id_label} {shown_ids} 在包保对子和人员名册中都找不到"
               f"（共 {len(rows)} 行：第 {shown_rows} 行）",
        f"请先导入含这些党员的人员名册或包保对子；或在表中增加「{col.label}」列；"
        f"如整张表都是同一个队的，也可在上传时选择队，或在表头上方写明“填报单位：综采队”",
        result.file_name, parsed.name, rows[0], col.label, "、".join(ids[:MAX_LISTED])))
