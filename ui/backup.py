"""备份 on 数据上传 (管理员 only): a download of a consistent copy of the real database, taken with the
app's own connection while it keeps serving, and logged in the 操作记录 as 下载备份."""
from __future__ import annotations

import datetime as dt
import logging

import streamlit as st

from lib.access.auth import User
from lib.store.backup import backup_bytes
from lib.store.database import Store

log = logging.getLogger("dangjian")


def backup_file_name(now: dt.datetime | None = None) -> str:
    return f"班组党建看板备份_{(now or dt.datetime.now()):%Y%m%d_%H%M}.duckdb"


def backup_download(real: Store, user: User) -> None:
    """The 备份 button: shown to a signed-in 管理员 only (not in 演示模式, where nobody signed in);
    the copy is made when it is clicked, not on every run."""
    if not user.can_admin or user.demo:
        return
    st.markdown("**备份数据库**")
    st.caption("下载正式数据库的完整副本（导入、导出和操作记录都在其中），看板照常使用。每次下载都记入操作记录。"
               "恢复备份由运维人员在服务器上用命令行工具完成（见部署说明中的“备份与恢复”），"
               "只接受本看板、本版本的备份。")
    name = backup_file_name()

    def data(store=real, who=user, file_name=name) -> bytes:
        # Runs on click in the server, outside the page script: no st.* here.
        try:
            return backup_bytes(store, who, file_name)
        except Exception:
            log.exception("backup download failed")
            raise

    st.download_button("下载备份", data, file_name=name, mime="application/octet-stream", key="backup-download",
                       icon=":material/backup:", on_click="ignore",
                       help="生成并下载数据库备份（.duckdb 文件），请保存在看板服务器以外的地方")
