"""A store's data as a comparable value, for tests that check nothing changed."""
import hashlib

from lib.ingest.sheets import SHEETS
from lib.store.database import data_columns


def fingerprint(store) -> dict[str, tuple[int, str]]:
    """Each data table's row count and a hash of its ordered content."""
    cur = store.cursor()
    result = {}
    for sheet in SHEETS:
        cols = data_columns(sheet) + ["import_id"]
        rows = cur.execute(f"SELECT {', '.join(cols)} FROM {sheet.key} ORDER BY {', '.join(sheet.grain)}").fetchall()
        digest = hashlib.sha256(repr(rows).encode()).hexdigest()
        result[sheet.key] = (len(rows), digest)
    return result
