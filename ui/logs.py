"""The lower half of 数据上传: the import log with undo, the operations log (backup, restore, undo,
removal of raw uploads) and the export log (管理员 only). Who imported or operated is shown to a
管理员 only."""
from __future__ import annotations

import logging
from collections.abc import Callable

import pandas as pd
import streamlit as st

from lib.access.auth import PermissionDenied, User
from lib.present.formatting import timestamp_text
from lib.store.database import Store
from lib.store.faults import fault_text
from lib.store.logs import LOG_ROWS_SHOWN, export_history, history, operations_history, without_names
from lib.store.undo import UndoRefused, undo
from ui.data import clear_caches, get_store

log = logging.getLogger("dangjian")



def import_log(real: Store, user: User, after_undo: Callable[[int], None]) -> None:
    """The import log of the real database (a 管理员 can undo an import from it), then its operations log.

    `after_undo(import_id)` lets the page forget what it kept about that import before the rerun.
    """
    _imports(real, user, after_undo)
    _operations(real, user)


def _read(read_log: Callable[[], pd.DataFrame], what: str) -> pd.DataFrame | None:
    """A log as a frame, or None with a Chinese message when the database cannot be read now."""
    try:
        return read_log()
    except Exception:  # noqa: BLE001
        log.exception("reading the %s failed", what)
        st.error(f"暂时无法读取{what}，请稍后刷新页面。")
        return None


def _imports(real: Store, user: User, after_undo: Callable[[int], None]) -> None:
    st.subheader("导入记录")
    log_frame = _read(lambda: history(real), "导入记录")
    if log_frame is None:
        return
    if log_frame.empty:
        st.caption("正式数据库中还没有导入记录。")
        return
    shown = log_frame.assign(导入时间=[timestamp_text(t) for t in log_frame["导入时间"]])
    st.dataframe(without_names(shown, user), hide_index=True, width="stretch")
    if not user.can_undo:
        st.caption("撤销导入只能由管理员操作。")
        return
    active = shown[shown["状态"] == "有效"]
    labels = {int(r["编号"]): f"第 {int(r['编号'])} 次 · {r['文件']} · {r['导入时间']}" for _, r in active.iterrows()}
    st.markdown("**撤销导入**")
    st.caption("撤销后，该次导入的数据被删除，被它替换的数据恢复原状。若之后的导入又替换了同一范围，需先撤销较新的那次。")
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    chosen = left.selectbox("选择要撤销的导入", list(labels), index=None, format_func=labels.get,
                            key="undo-choice", placeholder="选择一次有效的导入" if labels else "没有可撤销的导入")
    if not right.button("撤销所选导入", disabled=chosen is None, key="undo-button", icon=":material/undo:"):
        return
    try:
        undo(real, int(chosen), user)
    except (UndoRefused, PermissionDenied) as refused:
        st.error(refused.message, icon=":material/block:")
    except Exception as exc:  # noqa: BLE001
        log.exception("undo of import %s failed", chosen)
        st.error(fault_text(exc) or "撤销时出现意外问题，数据库未做改动（已记录）",
                 icon=":material/error:")
    else:
        clear_caches()
        after_undo(int(chosen))
        st.session_state.pop("undo-choice", None)
        st.rerun()


def _operations(real: Store, user: User) -> None:
    """Backups, restores, undos and removals of raw uploads: kept for good, like the import log."""
    st.markdown("**操作记录**")
    ops = _read(lambda: operations_history(real), "操作记录")
    if ops is None:
        return
    if ops.empty:
        st.caption("还没有备份、恢复、撤销或清理原始文件的操作。")
        return
    st.caption(f"备份、恢复备份、撤销导入和清理原始上传文件都记录在这里（最近 {LOG_ROWS_SHOWN} 次），"
               "恢复备份不会删除任何导入、导出或操作记录。")
    st.dataframe(without_names(ops.assign(时间=[timestamp_text(t) for t in ops["时间"]]), user),
                 hide_index=True, width="stretch")


def export_log(user: User) -> None:
    """Who downloaded which tables, pictures and decks — for a 管理员 only."""
    st.subheader("导出记录")
    if not user.can_admin:
        st.caption("导出记录（谁在何时下载了哪些表格、图片和汇报材料）只有管理员可以查看。")
        return
    exports = export_history(get_store()[0], user)
    if exports.empty:
        st.caption("还没有人下载过表格、图片或汇报材料。")
        return
    st.caption(f"每次下载表格、图表图片或汇报材料都记录在这里（最近 {LOG_ROWS_SHOWN} 次）。")
    st.dataframe(exports.assign(导出时间=[timestamp_text(t) for t in exports["导出时间"]]), hide_index=True,
                 width="stretch")
