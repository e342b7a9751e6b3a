"""总览: the whole 3+3+3 at a glance — a row of KPIs per part, then the four charts that matter."""
import streamlit as st

from lib import charts, settings, ui

f = ui.current_filter()
heads = {h.key: h for h in ui.metric("overview", f)}
coverage = ui.metric("team_coverage", f)
ui.page_header("班组党建总览", f, coverage.roster_month)

if coverage.roster_month is None:
    ui.empty_state("所选范围内还没有人员名册", "请在“数据上传”页上传各队的月度人员名册，或调整左侧的队和月份。")
    st.stop()


TONE_ICONS = {"good": ":green[▲]", "bad": ":red[▼]", "neutral": ":gray[●]"}
points = ui.highlights(f)
if points:
    with st.container(border=True):
        st.markdown("**本月要点**")
        st.markdown("\n".join(f"- {TONE_ICONS[p.tone]} {p.text}" for p in points))


def card(key: str, label: str, **extra) -> dict:
    return {"label": label, "value": heads[key].current, "previous": heads[key].previous, **extra}


st.markdown("##### 三个加力 · 消除党员空白班组")
ui.kpi_row([card("blank_teams", "空白班组", lower_is_better=True, unit=" 个"),
            card("team_coverage", "班组党员覆盖率"),
            card("members", "党员人数", unit=" 人"),
            card("dev_frontline_share", "发展对象中一线职工")])
st.markdown("##### 三个动作 · 示范岗、责任区、亲情谈心")
ui.kpi_row([card("worker_coverage", "包保职工覆盖率"),
            card("talks", "谈心次数", unit=" 次"),
            card("overdue_pairs", f"超过{settings.OVERDUE_TALK_DAYS}天未谈心的对子", lower_is_better=True, unit=" 对"),
            card("problem_resolution", "问题解决率")])
committee = ui.metric("committee", f)
slogans = ui.metric("slogans", f)
st.markdown("##### 三个体系 · 自主管理、理念价值、比学争优")
ui.kpi_row([card("mean_score", "比学争优平均分（最近季度）"),
            {"label": "有管理委员会的班组", "value": committee.teams_with_committee},
            {"label": "理念口号", "value": slogans.total, "unit": " 条"},
            card("problems_raised", "新发现问题", unit=" 个")])

trend = ui.metric("blank_team_trend", f)
pairs = ui.metric("pair_coverage", f)
left, right = st.columns(2)
with left:
    ui.chart(charts.trend_line(trend.months, "month", "blank_teams", "空白班组数变化", "空白班组（个）", goal=0),
             "空白班组数变化")
with right:
    ui.chart(charts.ratio_bars(pairs.per_unit, "unit", "paired_workers", "workers", "各队包保职工覆盖率",
                               "职工覆盖率"), "各队包保职工覆盖率")
score_means = ui.metric("score_means", f)  # the per-队 means only; ranking everyone is not needed here
ledger = ui.metric("problem_ledger", f)
left, right = st.columns(2)
with left:
    ui.chart(charts.lines_by_group(score_means, "quarter", "mean_score", "unit", "各队比学争优平均分", "平均分",
                                   hover_n="people"), "比学争优平均分")
with right:
    ui.chart(charts.aging_bars(ledger.open_ages["age_days"], "未办结问题的已过天数", settings.OPEN_PROBLEM_DAYS),
             "未办结问题")
