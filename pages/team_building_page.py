"""班组建设: the three systems inside each team — 管理委员会, 理念口号, and the honours that result."""
import streamlit as st

from lib import charts, ui

f = ui.current_filter()
committee = ui.metric("committee", f)
slogans = ui.metric("slogans", f)
honours = ui.metric("honours", f)
ui.page_header("班组建设", f, committee.roster_month)

committee_tab, slogan_tab, honour_tab = st.tabs(["管理委员会", "理念口号", "荣誉"])

with committee_tab:
    if committee.roster_month is None:
        ui.empty_state("所选范围内还没有人员名册，无法统计班组",
                       "请在“数据上传”页上传各队的月度人员名册，或调整左侧的队和月份。")
    elif committee.teams_with_committee.n == 0:
        ui.empty_state("所选范围内的班组都还没有登记管理委员会",
                       "请在“数据上传”页上传各队的《管理委员会》名单，或调整左侧的队和班组。")
    else:
        st.caption("管理委员会按各队最新报送的名单统计，班组以名册月份为准。")
        before = ui.metric("committee", f.previous())
        ui.kpi_row([
            {"label": "有管理委员会的班组", "value": committee.teams_with_committee,
             "previous": before.teams_with_committee, "help": "有管理委员会的班组数 ÷ 名册中的班组数"},
            {"label": "委员占班组人数", "value": committee.member_share, "previous": before.member_share,
             "help": "委员人数 ÷ 有管理委员会的班组的总人数"},
            {"label": "没有管理委员会的班组", "value": len(committee.teams_without),
             "previous": len(before.teams_without), "unit": " 个", "lower_is_better": True},
        ])
        left, right = st.columns(2)
        with left:
            st.subheader("没有管理委员会的班组")
            ui.table(committee.teams_without, "没有管理委员会的班组", empty="每个班组都有管理委员会。")
        with right:
            st.subheader("各班组委员情况")
            ui.table(ui.percent_columns(committee.per_team, "share"), "各班组管理委员会",
                     columns={"unit": "队", "team": "班组", "headcount": "人数", "committee_members": "委员人数",
                              "share": "委员占比"})

with slogan_tab:
    if slogans.total == 0:
        ui.empty_state("所选范围内还没有理念口号",
                       "请在“数据上传”页上传各队的《理念口号》（争一流口号、学习愿景、安全理念），或调整左侧的队和班组。")
    else:
        st.caption("理念口号按各队最新报送的名单统计，不随月份变化；班组以名册月份为准。")
        before = ui.metric("slogans", f.previous())
        ui.kpi_row([
            {"label": "理念口号", "value": slogans.total, "previous": before.total, "unit": " 条"},
            {"label": "缺少某一类的班组", "value": len(slogans.teams_missing),
             "previous": len(before.teams_missing), "unit": " 个", "lower_is_better": True,
             "help": "争一流口号、学习愿景、安全理念三类中至少缺一类的班组"},
        ])
        left, right = st.columns(2)
        with left:
            ui.chart(charts.count_bars(slogans.by_category, "category", "entries", "各类理念口号", "条数"),
                     "各类理念口号")
        with right:
            st.subheader("缺少某一类的班组")
            ui.table(slogans.teams_missing, "缺少理念口号的班组", empty="每个班组三类理念口号都已齐全。")
        st.subheader("各班组理念口号条数")
        ui.table(slogans.per_team, "各班组理念口号",
                 columns={"unit": "队", "team": "班组", **{c: c for c in slogans.by_category["category"]}})
        st.subheader("理念口号内容")
        ui.table(slogans.entries, "理念口号内容",
                 columns={"unit": "队", "team": "班组", "category": "类别", "content": "内容"})

with honour_tab:
    if honours.entries.empty:
        ui.empty_state("所选年度内没有荣誉记录",
                       "请在“数据上传”页上传《荣誉》登记表，或调整左侧的队和月份（荣誉按年度统计）。")
    else:
        before = ui.metric("honours", f.previous())
        teams_now = dict(zip(honours.honoured_teams["year"], honours.honoured_teams["teams"]))
        teams_before = dict(zip(before.honoured_teams["year"], before.honoured_teams["teams"]))
        ui.kpi_row([
            {"label": "荣誉", "value": len(honours.entries), "previous": len(before.entries), "unit": " 项",
             "help": "所选月份涉及的年度内获得的荣誉（集体和个人），与上一同长区间涉及的年度比较"},
            {"label": f"获得集体荣誉的班组（{f.end.year}年）", "value": int(teams_now.get(f.end.year, 0)),
             "previous": int(teams_before.get(f.previous().end.year, 0)) if len(before.entries) else None,
             "unit": " 个", "help": "写明班组、未写获得者个人的荣誉记为集体荣誉"},
        ])
        left, right = st.columns(2)
        with left:
            ui.chart(charts.stacked_counts(honours.by_year_body, "year", "honours", "awarded_by",
                                           "各年度荣誉（按授予单位）", "荣誉数", x_title="年度"), "各年度荣誉")
        with right:
            ui.chart(charts.count_bars(honours.honoured_teams, "year", "teams", "获得集体荣誉的班组数", "班组数",
                                       natural=True), "获得集体荣誉的班组")
        st.subheader("荣誉明细")
        ui.table(honours.entries, "荣誉明细",
                 columns={"year": "年度", "title": "荣誉名称", "awarded_by": "授予单位", "unit": "队", "team": "班组",
                          "recipient": "获得者"})
