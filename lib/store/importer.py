"""Upload → check → one atomic write per file. The only way data enters the store.

`preview` tells what a file would do (sheets, scope, rows, what it replaces, problems) without
writing; `import_preview` does it in one transaction, or refuses the whole file. The import reuses
the preview's parse (lib/store/upload.py) and redoes only the checks against the store
(lib/store/checks.py), inside its transaction: the store may have changed since the preview.
An import can be undone (lib/store/undo.py).
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import duckdb

from lib import __version__
from lib.access.auth import UPLOAD, User, require
from lib.ingest.column_map import HeaderMaps
from lib.ingest.sheets import SHEETS_BY_KEY, SheetType
from lib.store.checks import check_against_store, drop_stages
from lib.store.column_maps import header_maps, save_used_maps, saved_maps
from lib.store.database import Store, data_columns
from lib.store.faults import StoreBusy, is_lock_conflict
from lib.store.replace_scope import in_scope, scope_keys
from lib.store.upload import (
    IMPORTED,
    READY,
    REJECTED,
    STATUS_LABELS,
    UNCHANGED,
    FileResult,
    Replacement,
    parse_file,
    rejected_file,
)
from lib.store.uploads import archive

__all__ = ["IMPORTED", "READY", "REJECTED", "STATUS_LABELS", "UNCHANGED", "FileResult", "Replacement",
           "import_file", "import_many", "import_paths", "import_preview", "is_database_busy", "parse_file", "preview",
           "preview_parsed"]


def preview(store: Store, data: bytes, file_name: str, context: dict[str, str] | None = None,
            user: User | None = None, known_hash: str | None = None,
            mapping: dict[str, dict[str, str]] | None = None) -> FileResult:
    """What importing this file would do; writes nothing.

    With `user`, also what that user's role refuses (a 填报 user's rows of another 队), so the
    upload page can say so before the import does. `mapping`: 对应表头 given for this upload by
    sheet name (EVERY_SHEET for all), over those saved by earlier imports.
    """
    maps = header_maps(store, user, mapping)
    return preview_parsed(store, parse_file(data, file_name, context, known_hash, maps), user)


def preview_parsed(store: Store, parsed: FileResult, user: User | None = None) -> FileResult:
    """The preview of an already parsed file: a copy with the checks against the store redone."""
    result = parsed.for_store_check()
    with store.reading() as cur:
        drop_stages(cur, check_against_store(cur, result, user))
    return result


def import_file(store: Store, data: bytes, file_name: str, user: User,
                context: dict[str, str] | None = None, mapping: dict[str, dict[str, str]] | None = None) -> FileResult:
    """Read, check and import one file atomically: all of it, or nothing (and then say why)."""
    require(user, UPLOAD)  # before reading the file
    maps = header_maps(store, user, mapping)
    return import_preview(store, parse_file(data, file_name, context, maps=maps), data, user)


def import_preview(store: Store, previewed: FileResult, data: bytes, user: User) -> FileResult:
    """Import a file already parsed (by `preview` or `parse_file`), without reading it again.

    `data` is the file's bytes, archived beside the database under the hash the parse computed.
    The checks against the store run again inside the import's transaction, so what changed since
    the preview (another import, an undo) decides; `previewed` itself is left as it was.

    Raises PermissionDenied for a user who may not import at all (查看); a 填报 user's file with
    rows of another 队 comes back rejected, one error per such sheet. Either way nothing is
    written or archived.
    """
    require(user, UPLOAD)
    if len(data) != previewed.file_size:
        raise ValueError(f"{previewed.file_name}: these bytes are not the previewed file")
    result = previewed.for_store_check()
    if result.status == REJECTED:
        return result
    with store.transaction() as cur:
        _check_and_write(cur, store, result, data, user)
    if result.import_id is not None:
        result.status = IMPORTED
    return result


def _check_and_write(cur, store: Store, result: FileResult, data: bytes, user: User) -> int:
    """Inside the caller's transaction: the checks against the store, then, only if they all pass,
    the file's writes (rows, its one log row, mappings used) and its archived copy. Sets
    result.import_id when written; returns how many 对应表头 were saved."""
    staged = check_against_store(cur, result, user)
    if result.status != READY:
        return 0  # nothing was written: only read
    import_id = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM imports").fetchone()[0]
    for key, stage in staged.items():
        _replace_scope(cur, SHEETS_BY_KEY[key], stage, import_id)
    _log_import(cur, result, import_id, user)
    saved = save_used_maps(cur, result, import_id, user)
    drop_stages(cur, staged)
    archive(store, data, result.file_hash, result.file_format)  # before the commit: every import is archived
    result.import_id = import_id
    return saved


def import_many(store: Store, files: Iterable[tuple[str, bytes]], user: User,
                mapping: dict[str, dict[str, str]] | None = None, batch: int = 64) -> Iterator[FileResult]:
    """Import many files, in order, `batch` files a transaction: as if each went through `import_file`.

    `files`: (file name, bytes) pairs, read lazily (a generator may still be writing them). Each
    file is parsed, then checked against the store as it stands after the files before it, and
    written only if every check passes: one imports row, one import_id and one archived copy per
    file, the same rows as file by file. The saved 对应表头 are read once a transaction, and again
    after an import saved one. A failure while writing (not a rejection: those write nothing)
    rolls that transaction back and imports its files one by one instead, each all or nothing.

    Yields each file's result once its transaction is committed. Raises PermissionDenied at once
    for a user who may not import.
    """
    require(user, UPLOAD)  # before reading any file
    return _import_batches(store, iter(files), user, mapping, max(1, batch))


def _import_batches(store: Store, files: Iterator[tuple[str, bytes]], user: User,
                    mapping: dict[str, dict[str, str]] | None, batch: int) -> Iterator[FileResult]:
    unit = user.unit if user is not None else None
    while True:
        done: list[tuple[str, bytes]] = []
        results: list[FileResult] = []
        with store.write_lock:
            try:
                with store.transaction() as cur:
                    maps = HeaderMaps(given=dict(mapping or {}), saved=saved_maps(store, unit, cur))
                    for name, data in itertools.islice(files, batch):
                        done.append((name, data))
                        result = parse_file(data, name, maps=maps).for_store_check()
                        if result.status != REJECTED and _check_and_write(cur, store, result, data, user):
                            maps = HeaderMaps(given=dict(mapping or {}), saved=saved_maps(store, unit, cur))
                        if result.import_id is not None:
                            result.status = IMPORTED
                        results.append(result)
            except (duckdb.Error, OSError):
                # Rolled back: nothing of this batch is in the store. File by file, each all or nothing.
                results = [import_file(store, data, name, user, mapping=mapping) for name, data in done]
        if not done:
            return
        yield from results


def import_paths(store: Store, paths: list[Path | str], user: User,
                 mapping: dict[str, dict[str, str]] | None = None) -> list[FileResult]:
    require(user, UPLOAD)  # before reading any file
    results = []
    for path in paths:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            results.append(rejected_file(path.name, f"无法读取文件：{exc.strerror or exc}", "请检查文件路径"))
            continue
        results.append(import_file(store, data, path.name, user, mapping=mapping))
    return results


def _replace_scope(cur, sheet: SheetType, stage: str, import_id: int) -> None:
    """Move the stored rows in the upload's scopes to `<table>__replaced`, then insert the new rows."""
    cols = ", ".join(data_columns(sheet))
    where = f"EXISTS (SELECT 1 FROM (SELECT DISTINCT {scope_keys(sheet)} FROM {stage} s) sc WHERE {in_scope(sheet)})"
    cur.execute(f"INSERT INTO {sheet.key}__replaced SELECT {import_id}, {cols}, import_id FROM {sheet.key} t WHERE {where}")
    cur.execute(f"DELETE FROM {sheet.key} t WHERE {where}")
    cur.execute(f"INSERT INTO {sheet.key} ({cols}, import_id) SELECT {cols}, {import_id} FROM {stage}")


def _log_import(cur, result: FileResult, import_id: int, user: User) -> None:
    sheets = result.sheet_rows()
    cur.execute(
        "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'imported', NULL, NULL)",
        [import_id, result.file_hash, result.content_key, result.file_name, result.file_format, result.file_size,
         json.dumps(sheets, ensure_ascii=False),
         json.dumps([p.as_json() for p in result.warnings][:500], ensure_ascii=False),
         sum(s["rows_loaded"] for s in sheets), sum(s["rows_dropped"] for s in sheets),
         user.name, dt.datetime.now(), __version__])


def is_database_busy(exc: BaseException) -> bool:
    return isinstance(exc, StoreBusy) or is_lock_conflict(exc)
