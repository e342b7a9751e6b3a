"""Downloads as a person makes them: role check, names masked unless allowed, logged first.

`export_table` is how a table leaves the app, `export_chart_png` how a chart picture does.
"""
from __future__ import annotations

import pandas as pd

from lib.access.auth import EXPORT, User, require
from lib.access.export import names_in_full, xlsx_bytes
from lib.access.masking import mask_frame
from lib.store.logs import log_export


def export_table(store, user: User, frames: dict[str, pd.DataFrame], what: str, detail: str,
                 meeting: bool, full_names_wanted: bool) -> bytes:
    """The workbook of `frames` for `user`, names masked unless allowed; logged in export_log.

    Raises PermissionDenied when the role may not export. The log row is written before the
    bytes are handed over, so no download goes unrecorded.
    """
    require(user, EXPORT)
    full = names_in_full(user, meeting, full_names_wanted)
    shown = frames if full else {name: mask_frame(frame) for name, frame in frames.items()}
    data = xlsx_bytes(shown)
    rows = sum(len(frame) for frame in frames.values())
    note = "含完整姓名和工号" if full else "姓名和工号已打码"
    log_export(store, user, what, "；".join(x for x in (detail, f"{rows} 行", note) if x))
    return data


def export_chart_png(store, user: User, fig, name: str, detail: str, wide: bool = False) -> bytes:
    """One chart as a 2× PNG rendered on the server (the deck's look); logged like every export."""
    from lib.present import render  # starts a browser on first use: only when a picture is asked for

    require(user, EXPORT)
    data = render.png(fig, render.WIDE if wide else render.HALF)
    log_export(store, user, f"图表图片：{name}", detail)
    return data
