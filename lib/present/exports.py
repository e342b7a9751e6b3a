"""Downloads as a person makes them: role check, names masked unless allowed, logged first.

`export_table` is how a table leaves the app, `export_chart_png` how a chart picture does. Text a
file cannot hold degrades to a Chinese message for that one table or chart, never to an error.
"""
from __future__ import annotations

import logging

import pandas as pd

from lib.access.auth import EXPORT, User, require
from lib.access.export import names_in_full, xlsx_bytes
from lib.access.masking import mask_frame
from lib.present.literal import xml_safe
from lib.present.people import people_masker
from lib.store.logs import log_export

log = logging.getLogger("dangjian")
TABLE_FAILED = "此表格无法导出：数据中含有无法写入 Excel 的字符，请联系管理员核对原始报表。"
CHART_FAILED = "此图表无法生成：数据中含有无法显示的字符"


def _xml_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells without the control characters an .xlsx cannot hold (the header too)."""
    out = frame.rename(columns=lambda c: xml_safe(c) if isinstance(c, str) else c)
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if col.dtype == object or isinstance(col.dtype, pd.StringDtype):
            out.isetitem(i, col.map(lambda v: xml_safe(v) if isinstance(v, str) else v))
    return out


def workbook_bytes(frames: dict[str, pd.DataFrame]) -> bytes:
    """xlsx_bytes of the frames; a table that still cannot be written becomes one Chinese line."""
    safe = {name: _xml_safe_frame(frame) for name, frame in frames.items()}
    try:
        return xlsx_bytes(safe)
    except Exception:  # noqa: BLE001 — find the table that fails, keep the others
        log.exception("table export failed")
        kept = {}
        for name, frame in safe.items():
            try:
                xlsx_bytes({name: frame})
                kept[name] = frame
            except Exception:  # noqa: BLE001
                kept[name] = pd.DataFrame({"说明": [TABLE_FAILED]})
        return xlsx_bytes(kept)


def export_table(store, user: User, frames: dict[str, pd.DataFrame], what: str, detail: str,
                 meeting: bool, full_names_wanted: bool) -> bytes:
    """The workbook of `frames` for `user`, names masked unless allowed; logged in export_log.

    Masked means the name and 工号 columns, and the roster's names and 工号 inside free text
    (问题描述, 内容 …). Raises PermissionDenied when the role may not export. The log row is written
    before the bytes are handed over, so no download goes unrecorded.
    """
    require(user, EXPORT)
    full = names_in_full(user, meeting, full_names_wanted)
    if full:
        shown = frames
    else:
        text = people_masker(store)
        shown = {name: mask_frame(frame, text=text) for name, frame in frames.items()}
    data = workbook_bytes(shown)
    rows = sum(len(frame) for frame in frames.values())
    note = "含完整姓名和工号" if full else "姓名和工号已打码"
    log_export(store, user, what, "；".join(x for x in (detail, f"{rows} 行", note) if x))
    return data


def chart_png_or_notice(fig, size) -> bytes:
    """The chart as PNG; a chart the renderer cannot draw becomes a picture saying so.

    A missing browser (render.RendererUnavailable) is not this: it is raised for the caller to explain."""
    from lib.present import charts, render

    try:
        return render.png(fig, size)
    except render.RendererUnavailable:
        raise
    except Exception:  # noqa: BLE001 — one chart must not break a download or a deck
        log.exception("chart render failed")
        return render.png(charts.empty_figure(CHART_FAILED), size)


def export_chart_png(store, user: User, fig, name: str, detail: str, wide: bool = False) -> bytes:
    """One chart as a 2× PNG rendered on the server (the deck's look); logged like every export."""
    from lib.present import render  # starts a browser on first use: only when a picture is asked for

    require(user, EXPORT)
    data = chart_png_or_notice(fig, render.WIDE if wide else render.HALF)
    log_export(store, user, f"图表图片：{name}", detail)
    return data
