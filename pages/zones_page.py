"""党员责任区 (划一块地): zones and their 承包人 per 队, and whether every team sits inside a zone."""
import streamlit as st

from lib import charts, ui

f = ui.current_filter()
zones, zones_before = ui.metric("zones", f), ui.metric("zones", f.previous())
ui.page_header("党员责任区", f, zones.roster_month, note="责任区按队统计")

if not zones.zones:
    ui.empty_state("所选队还没有党员责任区名单",
                   "请在“数据上传”页上传各队的《党员责任区》（每个责任区的每名承包人一行），或调整左侧的队。")
    st.stop()
if zones.roster_month is None:
    ui.empty_state("所选月份及之前没有人员名册，无法核对班组覆盖和承包人的党员身份",
                   "请在“数据上传”页上传各队的月度人员名册，或调整左侧的月份。")
    st.stop()

ui.kpi_row([
    {"label": "责任区", "value": zones.zones, "previous": zones_before.zones, "unit": " 个",
     "help": "按责任区编号去重。"},
    {"label": "承包人", "value": zones.owners, "previous": zones_before.owners, "unit": " 人",
     "help": "按承包人工号去重。"},
    {"label": "班组覆盖率", "value": zones.team_coverage, "previous": zones_before.team_coverage,
     "help": "被至少一个本队责任区“覆盖班组”列出的班组 ÷ 名册中的班组。"},
])

if len(zones.owners_not_members):
    st.warning(f"数据提醒：{len(zones.owners_not_members)} 名承包人在 {charts.month_label(zones.roster_month)}"
               "的名册中不是党员或不在名册中，请核对《党员责任区》与人员名册。", icon=":material/warning:")


def render_charts() -> None:
    left, right = st.columns(2)
    with left:
        ui.chart(charts.count_bars(zones.per_unit, "unit", "zones", "各队责任区数", "责任区（个）", natural=True),
                 "各队责任区数")
    with right:
        ui.chart(charts.count_bars(zones.per_unit, "unit", "owners", "各队承包人数", "承包人（人）",
                                   color=charts.GREY, natural=True), "各队承包人数")


def render_tables() -> None:
    st.markdown("##### 未划入责任区的班组")
    ui.table(zones.teams_outside, "未划入责任区的班组", columns={"unit": "队", "team": "班组"},
             empty="所有班组都在某个党员责任区内")

    if len(zones.owners_not_members):
        st.markdown("##### 需核对的承包人")
        ui.table(zones.owners_not_members, "需核对的承包人",
                 columns={"unit": "队", "zone_id": "责任区编号", "zone_name": "责任区名称",
                          "owner_id": "承包人工号", "owner_name": "承包人姓名", "political": "名册中的政治面貌"})

    st.markdown("##### 各队责任区")
    ui.table(zones.per_unit, "各队责任区", columns={"unit": "队", "zones": "责任区数", "owners": "承包人数"})


render_charts()
render_tables()
