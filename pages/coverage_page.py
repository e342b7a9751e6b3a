"""党员覆盖 (覆盖上加力、方法上加力): blank teams, member share per team, liaisons for blank teams."""
import streamlit as st

from lib import charts, ui
from lib.labels import CHANGE_LABELS

UPLOAD_HINT = "请在“数据上传”页上传各队的月度人员名册（挂靠联系人在《班组信息》中），或调整左侧的队、班组和月份。"
TOP_TEAMS = 20  # above this many teams the bar chart starts with the lowest shares only

f = ui.current_filter()
coverage, coverage_before = ui.metric("team_coverage", f), ui.metric("team_coverage", f.previous())
liaison, liaison_before = ui.metric("liaison_rate", f), ui.metric("liaison_rate", f.previous())
trend = ui.metric("blank_team_trend", f)
ui.page_header("党员覆盖", f, coverage.roster_month)

if coverage.roster_month is None:
    ui.empty_state("所选范围内还没有人员名册", UPLOAD_HINT)
    st.stop()


def snapshot(value, result):
    """A roster-based count, or None when that period has no roster."""
    return value if result.roster_month is not None else None


ui.kpi_row([
    {"label": "空白班组", "value": coverage.blank_teams,
     "previous": snapshot(coverage_before.blank_teams, coverage_before), "unit": " 个", "lower_is_better": True,
     "help": "没有中共党员、中共预备党员的班组数。目标为 0。"},
    {"label": "班组党员覆盖率", "value": coverage.coverage, "previous": coverage_before.coverage,
     "help": "有党员的班组数 ÷ 班组数。"},
    {"label": "党员人数", "value": coverage.members, "previous": snapshot(coverage_before.members, coverage_before),
     "unit": " 人", "help": "名册中政治面貌为中共党员或中共预备党员的人数。"},
    {"label": "党员占比", "value": coverage.member_share, "previous": coverage_before.member_share,
     "help": "党员人数 ÷ 名册总人数。"},
    {"label": "空白班组挂靠率", "value": liaison.rate, "previous": liaison_before.rate,
     "help": "登记了挂靠联系人的空白班组 ÷ 空白班组。没有空白班组时无需挂靠。"},
])


def render_trend() -> None:
    ui.chart(charts.trend_line(trend.months, "month", "blank_teams", "空白班组数变化", "空白班组（个）", goal=0),
             "空白班组数变化")
    st.caption("未报送名册的月份不显示。")


def render_team_shares() -> None:
    teams = coverage.per_team.assign(label=[ui.team_label(p) for p in zip(coverage.per_team["unit"],
                                                                         coverage.per_team["team"])])
    title = "各班组党员占比"
    if len(teams) > TOP_TEAMS:
        lowest = f"占比最低的 {TOP_TEAMS} 个"
        shown = st.segmented_control("显示班组", [lowest, "全部班组"], default=lowest, required=True,
                                     key="coverage_team_scope")
        if shown == lowest:
            teams = teams.sort_values(["member_share", "unit", "team"], kind="stable").head(TOP_TEAMS)
            title = f"党员占比最低的 {TOP_TEAMS} 个班组"
    ui.chart(charts.ratio_bars(teams, "label", "members", "headcount", title, "党员占比"), title)


def render_tables() -> None:
    st.markdown("##### 空白班组及挂靠联系人")
    blank = liaison.blank_teams.assign(
        info_month=[charts.month_label(m) if m else "未报送" for m in liaison.blank_teams["info_month"]])
    ui.table(blank, "空白班组挂靠情况",
             columns={"unit": "队", "team": "班组", "has_liaison": "有挂靠联系人", "liaison_name": "挂靠联系人",
                      "liaison_id": "挂靠联系人工号", "info_month": "班组信息月份"},
             empty="当前没有空白班组")

    st.markdown("##### 新消除、新出现的空白班组")
    st.caption("与上一个已报送名册的月份相比。")
    changes = trend.changes.assign(month=[charts.month_label(m) for m in trend.changes["month"]],
                                   change=trend.changes["change"].map(CHANGE_LABELS))
    ui.table(changes, "空白班组变化", columns={"month": "月份", "unit": "队", "team": "班组", "change": "变化"},
             empty="区间内空白班组没有变化")

    st.markdown("##### 各班组党员人数")
    per_team = coverage.per_team.assign(member_share=coverage.per_team["member_share"].map(ui.pct))
    ui.table(per_team, "各班组党员人数",
             columns={"unit": "队", "team": "班组", "headcount": "人数", "members": "党员数",
                      "member_share": "党员占比", "blank": "空白班组"})


render_trend()
render_team_shares()
render_tables()
