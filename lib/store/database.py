"""The DuckDB store: schema from the sheet declarations, the file opened only for the work at hand.
(Backup and restore: lib/store/backup.py.)

The logs are append-only: no operation deletes a row of `imports`, `export_log` or `operations`
(an undo or a restore only changes an import's status; a restore puts back every log row the
backup lacks, lib/store/backup.py).

Every data table has the declared columns, `import_id` (which import wrote the row) and the grain
as primary key. Beside each sits `<table>__replaced`: the rows an import replaced, tagged with
that import, so an undo can put them back exactly.
"""
from __future__ import annotations

import datetime as dt
import threading
from contextlib import contextmanager
from pathlib import Path

import duckdb

from lib.config import default_db_path, store_wait
from lib.ingest.sheets import SHEETS, SheetType
from lib.store.faults import translate
from lib.store.lease import lease_for

SCHEMA_VERSION = "2"

# How long the file stays open after the last use when nobody else waits: the app keeps it a
# while (a page run is many short reads), a CLI command lets it go almost at once.
APP_LINGER = 2.0
CLI_LINGER = 0.2
# Versions whose backups can be restored into this one (version 1 had no `operations` table and
# no 'restored_away' status; its data tables are the same).
RESTORABLE_VERSIONS = ("1", "2")

# The append-only log tables (tests check that nothing in lib/ deletes from them).
LOG_TABLES = ("imports", "export_log", "operations")

# An import's status: its data is in the store, it was undone, or a restore of an older backup
# took its data away (the log row stays; such an import cannot be undone).
IMPORT_STATUSES = ("imported", "undone", "restored_away")


def quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _checks(sheet: SheetType) -> list[str]:
    checks = []
    for col in sheet.columns:
        if col.kind == "enum":
            checks.append(f"CHECK ({col.field} IN ({', '.join(quote(v) for v in col.allowed)}))")
        if col.kind == "number" and col.lo is not None:
            checks.append(f"CHECK ({col.field} BETWEEN {col.lo} AND {col.hi})")
    return checks


def data_columns(sheet: SheetType) -> list[str]:
    """Columns of a data table, in order, without import_id."""
    return list(sheet.fields) + (["items"] if sheet.score_items else [])


def table_ddl(sheet: SheetType) -> list[str]:
    cols = [f"{c.field} {c.sql_type}{' NOT NULL' if c.required or c.field in sheet.grain else ''}"
            for c in sheet.columns]
    if sheet.score_items:
        cols.append("items VARCHAR")  # JSON object: score-item header → score
    body = ",\n  ".join([*cols, "import_id BIGINT NOT NULL", *_checks(sheet),
                         f"PRIMARY KEY ({', '.join(sheet.grain)})"])
    archive = ", ".join(["replaced_by BIGINT NOT NULL",
                         *(f"{c.field} {c.sql_type}" for c in sheet.columns),
                         *(["items VARCHAR"] if sheet.score_items else []), "import_id BIGINT NOT NULL"])
    return [f"CREATE TABLE IF NOT EXISTS {sheet.key} (\n  {body}\n)",
            f"CREATE TABLE IF NOT EXISTS {sheet.key}__replaced ({archive})"]


LOG_DDL = [
    """CREATE TABLE IF NOT EXISTS imports (
      id BIGINT PRIMARY KEY,
      file_hash VARCHAR NOT NULL,       -- sha256 of the bytes; the archived copy is named by it
      content_key VARCHAR NOT NULL,     -- bytes + the 队/月份 supplied from outside the file
      file_name VARCHAR NOT NULL,       -- shown to people, never used as a path
      file_format VARCHAR,
      file_size BIGINT,
      sheets VARCHAR NOT NULL,          -- JSON: sheet, type, scope, rows read/loaded/dropped (with reasons)
      warnings VARCHAR NOT NULL,        -- JSON list
      rows_loaded BIGINT NOT NULL,
      rows_dropped BIGINT NOT NULL,
      user_name VARCHAR NOT NULL,
      imported_at TIMESTAMP NOT NULL,
      app_version VARCHAR NOT NULL,
      status VARCHAR NOT NULL CHECK (status IN ('imported', 'undone', 'restored_away')),
      undone_by VARCHAR,
      undone_at TIMESTAMP
    )""",
    """CREATE TABLE IF NOT EXISTS export_log (
      exported_at TIMESTAMP NOT NULL, user_name VARCHAR NOT NULL, what VARCHAR NOT NULL, detail VARCHAR
    )""",
    # Backup, restore, undo and the removal of raw uploads: who, when, what (never deleted).
    """CREATE TABLE IF NOT EXISTS operations (
      id BIGINT PRIMARY KEY, done_at TIMESTAMP NOT NULL, user_name VARCHAR NOT NULL,
      action VARCHAR NOT NULL, detail VARCHAR NOT NULL
    )""",
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    # 对应表头 remembered per 队 + sheet type + header layout (lib/store/column_maps.py). Appended
    # only: the newest row of a key is the mapping in force, the older ones say who chose what before.
    """CREATE TABLE IF NOT EXISTS column_maps (
      id BIGINT PRIMARY KEY, unit VARCHAR NOT NULL, sheet VARCHAR NOT NULL, signature VARCHAR NOT NULL,
      mapping VARCHAR NOT NULL, headers VARCHAR NOT NULL, saved_by VARCHAR NOT NULL, saved_at TIMESTAMP NOT NULL,
      import_id BIGINT
    )""",
    # 报送情况: the month a 管理员 set from which a 队 is expected to send a sheet (lib/store/expectations.py).
    """CREATE TABLE IF NOT EXISTS submission_starts (
      unit VARCHAR NOT NULL, sheet VARCHAR NOT NULL, start_month DATE NOT NULL,
      set_by VARCHAR NOT NULL, set_at TIMESTAMP NOT NULL, PRIMARY KEY (unit, sheet)
    )""",
]


def _widen_import_statuses(cur) -> None:
    """A version-1 `imports` table allows only 'imported' and 'undone': rebuild it with every row.

    DuckDB cannot alter a CHECK constraint, so the table is renamed, created anew and filled from
    the old one; the old one goes only once every row is in the new one (same transaction).
    """
    check = cur.execute("SELECT count(*) FROM duckdb_constraints() WHERE database_name = current_database() "
                        "AND schema_name = current_schema() AND table_name = 'imports' "
                        "AND constraint_type = 'CHECK' AND expression NOT LIKE '%restored_away%'").fetchone()[0]
    if not check:
        return
    cur.execute("ALTER TABLE imports RENAME TO imports_v1")
    cur.execute(LOG_DDL[0])
    cur.execute("INSERT INTO imports SELECT * FROM imports_v1")
    old, new = (cur.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("imports_v1", "imports"))
    if old != new:
        raise RuntimeError(f"imports migration copied {new} of {old} rows")
    cur.execute("DROP TABLE imports_v1")


ALL_TABLES = frozenset([*(s.key for s in SHEETS), *(f"{s.key}__replaced" for s in SHEETS),
                        "imports", "export_log", "operations", "meta", "column_maps", "submission_starts"])


def log_operation(cur, user_name: str, action: str, detail: str, at: dt.datetime | None = None) -> int:
    """Append one row to the operations log (inside the caller's transaction); returns its id."""
    op_id = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM operations").fetchone()[0]
    cur.execute("INSERT INTO operations VALUES (?, ?, ?, ?, ?)",
                [op_id, at or dt.datetime.now(), user_name, action, detail])
    return op_id


class Store:
    """One DuckDB file, opened only for the work at hand (lib/store/lease.py): every process —
    each app process, each CLI command — takes the file under a cross-process lock, shares it among
    its threads, and lets it go when the work is done, so they never fail because another holds it.

    Every access is a use: `reading()` (a cursor), `transaction()` (a write transaction),
    `exclusive()` (a cursor with this process's write lock, no transaction), or the one-liners
    `query`, `fetchall`, `fetchone`. A use waits at most `wait` seconds for another process
    (StoreBusy otherwise); faults of the file, folder or disk come out as StoreFault with a
    Chinese message (lib/store/faults.py). Writes are serialised by the file lock across
    processes and by `write_lock` among threads; DuckDB's transactions keep readers from seeing
    half an import.
    """

    _open: dict[Path, "Store"] = {}
    _open_lock = threading.Lock()

    def __init__(self, path: Path | str | None = None, wait: float | None = None, linger: float = CLI_LINGER):
        self.path = Path(path or default_db_path())
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise translate(exc, self.path) or exc
        self.wait = store_wait() if wait is None else wait
        self.lease = lease_for(self.path, linger)
        self.lease.on_open = self._on_open
        self.write_lock = self.lease.write_lock
        with self.reading():
            pass  # opens the file once: a damaged or unwritable one is refused here, in Chinese

    @classmethod
    def shared(cls, path: Path | str | None = None) -> "Store":
        """The process-wide store for a path, for the app (its threads share it; the file is kept
        open `APP_LINGER` seconds after the last use, and handed over at once to a waiting process)."""
        key = Path(path or default_db_path()).resolve()
        with cls._open_lock:
            store = cls._open.get(key)
            if store is None:
                store = cls._open[key] = cls(key, linger=APP_LINGER)
            return store

    @property
    def archive_dir(self) -> Path:
        """Raw uploads, stored by content hash next to the database (one folder per database,
        so the demo's files never mix with real uploads)."""
        return self.path.parent / "uploads" / self.path.stem

    def _on_open(self, con) -> None:
        """Each time the file is opened (another process may have created or restored it): the
        schema is there and current; the DDL runs only when something is missing."""
        have = {r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()}
        version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() \
            if "meta" in have else None
        if not ALL_TABLES <= have or version is None or version[0] != SCHEMA_VERSION:
            ensure_schema(con)

    @contextmanager
    def _use(self):
        con = self.lease.enter(self.wait)
        cur = None
        error = None
        try:
            cur = con.cursor()
            yield cur
        except BaseException as exc:
            error = exc
            fault = translate(exc, self.path) if isinstance(exc, (duckdb.Error, OSError)) else None
            if fault is not None and fault is not exc:
                raise fault from exc
            raise
        finally:
            if cur is not None:
                try:
                    cur.close()
                except duckdb.Error:
                    pass
            self.lease.exit(error)

    def reading(self):
        """A use with a cursor (reads, or writes that need no transaction of their own)."""
        return self._use()

    @contextmanager
    def exclusive(self):
        """A use with this process's write lock held (backup's ATTACH + COPY) but no transaction."""
        with self.write_lock, self._use() as cur:
            yield cur

    @contextmanager
    def transaction(self):
        """A write transaction: committed when the block ends, rolled back on any error."""
        with self.write_lock, self._use() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
            except BaseException:
                try:
                    cur.execute("ROLLBACK")
                except duckdb.Error:
                    pass  # an invalidated database has rolled back already
                raise
            cur.execute("COMMIT")

    def query(self, sql: str, params=None):
        """A read: a DataFrame."""
        with self._use() as cur:
            return cur.execute(sql, params or []).df()

    def fetchall(self, sql: str, params=None) -> list[tuple]:
        with self._use() as cur:
            return cur.execute(sql, params or []).fetchall()

    def fetchone(self, sql: str, params=None):
        with self._use() as cur:
            return cur.execute(sql, params or []).fetchone()

    def cursor(self) -> "StatementCursor":
        """For scripts and tests: a cursor whose every statement is a use of its own, its rows
        fetched before the file can be let go (no transaction spans two statements)."""
        return StatementCursor(self)

    def close(self) -> None:
        """Let the file go now (it is let go anyway once the last use ends)."""
        with Store._open_lock:
            for key, store in list(Store._open.items()):
                if store is self:
                    del Store._open[key]
        self.lease.close()

    def has_data(self) -> bool:
        return bool(self.fetchone("SELECT count(*) FROM imports WHERE status = 'imported'")[0])


class StatementCursor:
    """`Store.cursor()`: execute → fetchone / fetchall / df, each statement run in its own use."""

    def __init__(self, store: Store):
        self.store = store
        self.description = None
        self._rows: list[tuple] = []

    def execute(self, sql: str, params=None) -> "StatementCursor":
        with self.store.reading() as cur:
            result = cur.execute(sql, params or [])
            self.description = result.description
            self._rows = result.fetchall() if result.description else []
        return self

    def fetchall(self) -> list[tuple]:
        return list(self._rows)

    def fetchone(self):
        return self._rows[0] if self._rows else None

    def df(self):
        import pandas as pd

        return pd.DataFrame(self._rows, columns=[d[0] for d in self.description or []])


def ensure_schema(con) -> None:
    """Create what is missing, migrate a version-1 log; one transaction."""
    cur = con.cursor()
    try:
        cur.execute("BEGIN")
        for sheet in SHEETS:
            for ddl in table_ddl(sheet):
                cur.execute(ddl)
        _widen_import_statuses(cur)
        for ddl in LOG_DDL:
            cur.execute(ddl)
        current = cur.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if not current or current[0] != SCHEMA_VERSION:
            cur.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
        cur.execute("COMMIT")
    except BaseException:
        try:
            cur.execute("ROLLBACK")
        except duckdb.Error:
            pass
        raise
    finally:
        cur.close()
