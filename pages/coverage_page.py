"""党员覆盖 (覆盖上加力、方法上加力): blank teams, member share per team, liaisons for blank teams."""
import streamlit as st

import ui
from lib.labels import CHANGE_LABELS
from lib.present.formatting import month_text, percent
from lib.present.page_views import TOP_TEAMS, coverage_view, team_share_chart

selection = ui.current_filter()
view = coverage_view(ui.metric, selection)
ui.show_view(view, selection)
screens = ui.Screens("coverage", ["覆盖概况", "各班组党员占比", "空白班组", "各班组党员人数"])
if screens.show("覆盖概况"):
    ui.show_section(view.section("summary"))  # the team chart comes below, with a choice above it

coverage = ui.metric("team_coverage", selection)
if screens.show("各班组党员占比"):
    all_teams = False
    if len(coverage.per_team) > TOP_TEAMS:
        lowest = f"占比最低的 {TOP_TEAMS} 个"
        all_teams = st.segmented_control("显示班组", [lowest, "全部班组"], default=lowest, required=True,
                                         key="coverage_team_scope") != lowest
    ui.show_chart(team_share_chart(coverage, all_teams), **({"height": 820} if screens.meeting else {}))
    st.caption("点击图中的班组，打开该班组的班组画像。")

if screens.show("空白班组"):
    liaison, trend = ui.metric("liaison_rate", selection), ui.metric("blank_team_trend", selection)
    st.markdown("##### 空白班组及挂靠联系人")
    blank = liaison.blank_teams.assign(
        info_month=[month_text(m) if m else "未报送" for m in liaison.blank_teams["info_month"]])
    ui.table(blank, "空白班组挂靠情况",
             columns={"unit": "队", "team": "班组", "has_liaison": "有挂靠联系人", "liaison_name": "挂靠联系人",
                      "liaison_id": "挂靠联系人工号", "info_month": "班组信息月份"},
             empty="当前没有空白班组", meeting_rows=8)

    st.markdown("##### 新消除、新出现的空白班组")
    st.caption("与上一个已报送名册的月份相比。")
    changes = trend.changes.assign(month=[month_text(m) for m in trend.changes["month"]],
                                   change=trend.changes["change"].map(CHANGE_LABELS))
    ui.table(changes, "空白班组变化", columns={"month": "月份", "unit": "队", "team": "班组", "change": "变化"},
             empty="区间内空白班组没有变化", meeting_rows=8)

if screens.show("各班组党员人数"):
    st.markdown("##### 各班组党员人数")
    per_team = coverage.per_team.assign(member_share=coverage.per_team["member_share"].map(percent))
    ui.table(per_team, "各班组党员人数",
             columns={"unit": "队", "team": "班组", "headcount": "人数", "members": "党员数",
                      "member_share": "党员占比", "blank": "空白班组"}, meeting_rows=18)
