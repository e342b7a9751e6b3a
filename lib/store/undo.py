"""Undo an import: put back exactly what it replaced (from the `__replaced` tables), remove what it added.

The import's log row stays (marked undone) and the undo is added to the operations log; the
import's raw file is removed (lib/store/uploads.py) unless another import in the store uses it.
"""
from __future__ import annotations

import datetime as dt

from lib.access.auth import UNDO, User, require
from lib.ingest.sheets import SHEETS
from lib.store.database import Store, data_columns, log_operation
from lib.store.uploads import remove_unused


class UndoRefused(Exception):
    """An undo the user asked for that cannot be done; .message is Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def undo(store: Store, import_id: int, user: User) -> None:
    """Put back exactly what import `import_id` replaced, and remove what it added (管理员 only).

    Refused while a later import has replaced rows of this one: undo that one first, so every
    undo restores a state that existed.
    """
    require(user, UNDO)
    with store.transaction() as cur:
        row = cur.execute("SELECT status, file_hash, file_name FROM imports WHERE id = ?", [import_id]).fetchone()
        if row is None:
            raise UndoRefused(f"没有编号为 {import_id} 的导入记录")
        status, file_hash, file_name = row
        if status == "undone":
            raise UndoRefused(f"第 {import_id} 次导入已经撤销过了")
        if status == "restored_away":
            raise UndoRefused(f"第 {import_id} 次导入的数据已被恢复备份的操作撤回，当前数据中没有它，无需也无法撤销")
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
        now = dt.datetime.now()
        cur.execute("UPDATE imports SET status = 'undone', undone_by = ?, undone_at = ? WHERE id = ?",
                    [user.name, now, import_id])
        log_operation(cur, user.name, "undo", f"撤销第 {import_id} 次导入（{file_name}）", now)
    remove_unused(store, file_hash)
