"""党员示范岗 (点一盏灯): the posts of one quarter, judged against the 六好 standard."""
import streamlit as st

import ui
from lib.metrics import thresholds
from lib.present.formatting import quarter_text
from lib.present.page_views import model_posts_view

selection = ui.current_filter()
screens = ui.Screens("model-posts", ["示范岗概况", "示范岗明细"])
view = model_posts_view(ui.metric, selection)  # the latest quarter, until another is chosen below
ui.show_view(view, selection)

posts = ui.metric("model_posts", selection)
quarters = list(posts.per_quarter["quarter"])
quarter = st.segmented_control("评定季度", quarters, default=quarters[-1], required=True,
                               format_func=quarter_text, key="model_posts_quarter")
if quarter not in quarters:  # the filter changed under a remembered choice
    quarter = quarters[-1]
if quarter != quarters[-1]:
    view = model_posts_view(ui.metric, selection, quarter)
if screens.show("示范岗概况"):
    for section in view.sections:
        ui.show_section(section)

if screens.show("示范岗明细"):
    st.markdown(f"##### {quarter_text(quarter)}党员示范岗")
    columns = {"post_name": "示范岗名称", "unit": "队", "team": "班组", "member_id": "党员工号",
               "member_name": "党员姓名", **dict(thresholds.SIX_GOOD_ITEMS), "all_met": "六好全部达标",
               "result": "评定结果"}
    ui.table(posts.posts[posts.posts["quarter"] == quarter], f"党员示范岗{quarter_text(quarter)}", columns=columns,
             meeting_rows=14)
    st.caption(f"“六好”每项填分数（不低于 {thresholds.MODEL_POST_PASS_SCORE} 分为达标）或“是/否”。")
