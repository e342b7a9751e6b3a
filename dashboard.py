"""班组党建看板 — entry point: `streamlit run dashboard.py`."""
import streamlit as st

from lib.config import default_db_path, demo_db_path
from lib.importer import history
from lib.status import table_overview
from lib.store import Store

st.set_page_config(page_title="班组党建看板", page_icon="🚩", layout="wide")


@st.cache_resource(max_entries=2)
def load_store(path: str) -> Store:
    return Store.shared(path)


def active_store() -> tuple[Store, bool]:
    """Real data once any is imported; until then the separate demo database."""
    real = load_store(str(default_db_path()))
    if real.has_data() or not demo_db_path().exists():
        return real, False
    return load_store(str(demo_db_path())), True


store, is_demo = active_store()
st.title("班组党建看板")
if is_demo:
    st.warning("当前显示的是**演示数据**（虚构的人员和班组）。导入真实报表后自动切换到真实数据。", icon="🧪")

st.subheader("已导入的报表")
overview = table_overview(store)
if overview["行数"].sum() == 0:
    st.info("还没有导入任何报表。可用命令 `python -m lib.cli template` 生成模板，"
            "填好后用 `python -m lib.cli import 文件.xlsx` 导入。")
else:
    st.dataframe(overview, hide_index=True, width="stretch")

st.subheader("导入记录")
log = history(store)
if log.empty:
    st.caption("暂无导入记录")
else:
    st.dataframe(log, hide_index=True, width="stretch")
