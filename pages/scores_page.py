"""比学争优: quarterly scores — self-assessed, reviewed by the branch, ranked within each team."""
import streamlit as st

import ui
from lib.present.formatting import quarter_text
from lib.present.page_views import scores_view

selection = ui.current_filter()
screens = ui.Screens("scores", ["比学争优概况", "班组内排名", "各班组平均分"])
view = scores_view(ui.metric, selection)  # the latest quarter, until another is chosen below
ui.show_view(view, selection)

quarters = list(ui.metric("score_trend", selection).review["quarter"])
quarter = st.selectbox("季度", quarters, index=len(quarters) - 1, format_func=quarter_text,
                       key="scores_quarter", width=260,
                       help="卡片、名次进退和下方表格按所选季度统计，并与上一季度比较")
if quarter != quarters[-1]:
    view = scores_view(ui.metric, selection, quarter)
if screens.show("比学争优概况"):
    for section in view.sections:
        ui.show_section(section)

quarter_name = quarter_text(quarter)
chosen = ui.metric("score_trend", selection.in_quarter(quarter))
if screens.show("班组内排名"):
    st.subheader(f"{quarter_name}班组内排名")
    ui.table(chosen.ranks, f"比学争优排名_{quarter}",
             columns={"unit": "队", "team": "班组", "rank": "班组内名次", "staff_id": "工号", "name": "姓名",
                      "self_score": "自评总分", "review_score": "支部审核分", "score": "得分", "reviewed": "已审核",
                      "prev_rank": "上季度名次", "rank_change": "名次变化"},
             meeting_rows=16)

if screens.show("各班组平均分"):
    st.subheader(f"{quarter_name}各班组平均分")
    ui.table(chosen.per_team.round({"mean_score": 1}), f"比学争优班组平均分_{quarter}",
             columns={"unit": "队", "team": "班组", "people": "人数", "mean_score": "平均分", "unreviewed": "未审核"},
             meeting_rows=16)
