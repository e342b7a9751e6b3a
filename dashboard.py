"""班组党建看板 — `streamlit run dashboard.py`.

Page config, who is signed in (nothing else until someone is), the shared filters, then the page.
"""
import streamlit as st

import ui
from ui import chinese

st.set_page_config(page_title="班组党建看板", page_icon="🚩", layout="wide")
chinese.style()  # the framework's own texts in Chinese (uploader, empty dropdown, toolbars)
ui.page_style()  # nothing cut on a narrow screen

PAGES = {
    # 总览 lives at "/"; /overview (its own name, kept by old links) opens it too, without a popup.
    # The default page's url_path only names it inside Streamlit (two pages may not share one).
    "": [st.Page("pages/overview_page.py", title="总览", icon=":material/dashboard:", url_path="home", default=True),
         st.Page("pages/overview_page.py", title="总览", icon=":material/dashboard:", url_path="overview",
                 visibility="hidden")],
    "三个加力": [
        st.Page("pages/development_page.py", title="发展党员", icon=":material/person_add:", url_path="development"),
        st.Page("pages/coverage_page.py", title="党员覆盖", icon=":material/groups:", url_path="coverage"),
    ],
    "三个动作": [
        st.Page("pages/model_posts_page.py", title="党员示范岗", icon=":material/lightbulb:", url_path="model-posts"),
        st.Page("pages/zones_page.py", title="党员责任区", icon=":material/map:", url_path="zones"),
        st.Page("pages/pairs_talks_page.py", title="包保谈心", icon=":material/forum:", url_path="pairs"),
        st.Page("pages/problems_page.py", title="问题台帐", icon=":material/assignment:", url_path="problems"),
    ],
    "三个体系": [
        st.Page("pages/scores_page.py", title="比学争优", icon=":material/trending_up:", url_path="scores"),
        st.Page("pages/team_building_page.py", title="班组建设", icon=":material/diversity_3:", url_path="team-building"),
    ],
    "数据": [
        st.Page("pages/upload_page.py", title="数据上传", icon=":material/upload_file:", url_path="upload"),
        st.Page("pages/submissions_page.py", title="报送情况", icon=":material/fact_check:", url_path="submissions"),
        st.Page("pages/todo_page.py", title="待办督办", icon=":material/checklist:", url_path="todo"),
        st.Page("pages/team_profile_page.py", title="班组画像", icon=":material/badge:", url_path="team-profile"),
        st.Page("pages/definitions_page.py", title="指标口径", icon=":material/menu_book:", url_path="definitions"),
    ],
}

# File names deliberately differ from the URL paths: Streamlit's legacy pages/ discovery would
# otherwise run a page script on its own, without this entry script, on the first run of a
# process (and on every AppTest rerun) when the URL names that page.
# Nobody signed in: the navigation stays hidden (but still owns the URL, so Streamlit never falls
# back to running a pages/ script on its own) and sign_in() stops the run at the sign-in form.
# A store that cannot be used (damaged, read-only, disk full, busy) stops the run with its Chinese
# message from the first read on (in 演示模式 even knowing who is signed in reads it); the next run
# tries again, so the app recovers by itself.
with ui.stop_on_store_fault():
    # expanded: every page listed, no "View 3 more" button (Streamlit has no Chinese for it).
    page = st.navigation(PAGES, position="sidebar" if ui.is_signed_in() else "hidden", expanded=True)
    ui.sign_in()
    store, is_demo = ui.get_store()
    if is_demo:
        st.sidebar.warning("演示数据：人员和班组均为虚构。导入真实报表后自动切换。", icon=":material/science:")
    st.session_state["filter"] = ui.sidebar_filters()
ui.meeting_controls()
ui.report_controls()
ui.run_page(page)
