"""The store stage: parsed uploads in, one DuckDB file, logs out.

    database.py       schema from the sheet declarations, the shared connection, the write lock
    upload.py         one upload read and cleaned once: parse_file → FileResult (no database)
    replace_scope.py  what an upload replaces, SQL and pandas generated from SheetType.scope
    checks.py         checks of a parse against the store (own 队, unchanged, clashes, 名册 names)
    importer.py       preview / import_preview (one transaction per file) / import_file / import_paths
    undo.py           undo an import exactly
    logs.py           the import, export and operations logs (append-only), as people read them
    backup.py         backup and restore while the app runs; restore keeps every log row
    uploads.py        raw uploads: archived at import, removed after the retention, at undo, on demand
    units.py          the 队 the store knows
"""
