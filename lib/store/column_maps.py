"""对应表头 remembered: the mapping a 队 chose for a sheet layout, applied when that layout returns.

A mapping is saved by the import that used it (so only what really loaded is remembered), under
the 队 whose rows it loaded, the sheet type and the header row's signature (lib/ingest/column_map).
Rows are only ever appended: the newest row of a key is in force, the older ones say who chose
what before. Only a 管理员 or a 填报 of that 队 may save one, which the import enforces anyway.
"""
from __future__ import annotations

import datetime as dt
import json

from lib.access.auth import UPLOAD, User, require
from lib.ingest.column_map import GIVEN, HeaderMaps
from lib.store.database import Store


def saved_maps(store: Store, unit: str | None = None, cur=None) -> dict[tuple[str, str], dict[str, str]]:
    """(sheet type key, signature) → mapping (sheet header → template label), the newest of each.

    With `unit` (a 填报's own 队), that 队's mapping wins over another 队's for the same layout.
    """
    sql = "SELECT unit, sheet, signature, mapping FROM column_maps ORDER BY id"
    rows = cur.execute(sql).fetchall() if cur is not None else store.fetchall(sql)
    chosen: dict[tuple[str, str], tuple[bool, dict]] = {}
    for row_unit, sheet, signature, mapping in rows:
        own = unit is not None and row_unit == unit
        key = (sheet, signature)
        if key in chosen and chosen[key][0] and not own:
            continue  # the 队's own choice stays in force over a later one of another 队
        chosen[key] = (own, json.loads(mapping))
    return {k: m for k, (_, m) in chosen.items()}


def header_maps(store: Store, user: User | None = None, given: dict[str, dict[str, str]] | None = None) -> HeaderMaps:
    """The mappings a parse applies: those given for this upload over those saved."""
    unit = user.unit if user is not None else None
    return HeaderMaps(given=dict(given or {}), saved=saved_maps(store, unit))


def save_used_maps(cur, result, import_id: int, user: User) -> int:
    """Remember every mapping the user gave for a sheet this import loads; returns how many."""
    saved = 0
    for sheet in result.loadable:
        if sheet.mapping_source != GIVEN or not sheet.mapping_used or not sheet.header_signature:
            continue
        unit = _sheet_unit(sheet) or (user.unit or "")
        require(user, UPLOAD, unit=unit or None)
        new_id = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM column_maps").fetchone()[0]
        cur.execute("INSERT INTO column_maps VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [new_id, unit, sheet.sheet_type.key, sheet.header_signature,
                     json.dumps(sheet.mapping_used, ensure_ascii=False, sort_keys=True),
                     json.dumps(sorted(sheet.mapping_used), ensure_ascii=False),
                     user.name, dt.datetime.now(), import_id])
        saved += 1
    return saved


def _sheet_unit(sheet) -> str | None:
    """The one 队 whose rows the sheet holds ('' for a mine-wide sheet of several 队)."""
    field = "unit" if "unit" in sheet.frame.columns else "member_unit"
    if field not in sheet.frame.columns:
        return None
    units = {u for u in sheet.frame[field].dropna() if u}
    return next(iter(units)) if len(units) == 1 else None


def mapping_history(store: Store):
    """Every mapping ever saved, newest first (for the log and tests)."""
    return store.query("SELECT id, unit, sheet, signature, mapping, saved_by, saved_at, import_id "
                       "FROM column_maps ORDER BY id DESC")
