"""包保谈心: 谈一次心 — who is paired with whom, how often they talk, which pairs have gone quiet."""
import streamlit as st

from lib import charts, settings, ui

f = ui.current_filter()
pairs = ui.metric("pair_coverage", f)
talks = ui.metric("talk_activity", f)
ui.page_header("包保谈心", f, pairs.roster_month)

if pairs.active_pairs == 0 and talks.talks == 0 and talks.overdue.empty:
    ui.empty_state("所选范围内没有包保对子和谈心记录",
                   "请在“数据上传”页上传各队的《包保对子》和《谈心记录》，或调整左侧的队和月份。")
    st.stop()

before_pairs = ui.metric("pair_coverage", f.previous())
before_talks = ui.metric("talk_activity", f.previous())
overdue_label = f"超过{settings.OVERDUE_TALK_DAYS}天未谈心的对子"

st.markdown("##### 包保对子")
ui.kpi_row([
    {"label": "职工覆盖率", "value": pairs.worker_coverage, "previous": before_pairs.worker_coverage,
     "help": "处于有效包保对子中的职工 ÷ 名册中的非党员职工"},
    {"label": "党员参与率", "value": pairs.member_participation, "previous": before_pairs.member_participation,
     "help": "有有效包保对子的党员 ÷ 名册中的党员"},
    {"label": "人均包保", "value": pairs.pairs_per_member, "previous": before_pairs.pairs_per_member,
     "unit": " 人", "help": "有效对子数 ÷ 有对子的党员人数"},
])
st.markdown("##### 亲情谈心")
ui.kpi_row([
    {"label": "谈心次数", "value": talks.talks, "previous": before_talks.talks, "unit": " 次"},
    {"label": "谈心覆盖率", "value": talks.talk_coverage, "previous": before_talks.talk_coverage,
     "help": "有效对子中、区间内与包保党员谈过心的职工 ÷ 有效对子中的职工"},
    {"label": overdue_label, "value": len(talks.overdue), "previous": len(before_talks.overdue),
     "lower_is_better": True, "unit": " 对",
     "help": f"截至区间末，{settings.OVERDUE_TALK_DAYS}天内没有谈心记录的有效对子（结对不足{settings.OVERDUE_TALK_DAYS}天的不算）"},
])

left, right = st.columns(2)
with left:
    ui.chart(charts.ratio_bars(pairs.per_unit, "unit", "paired_workers", "workers", "各队包保职工覆盖率",
                               "职工覆盖率"), "各队包保职工覆盖率")
with right:
    ui.chart(charts.count_bars(talks.by_method, "method", "talks", "谈心方式", "谈心次数"), "谈心方式")

st.subheader(overdue_label)
ui.table(talks.overdue, "逾期未谈对子", empty="没有逾期未谈的对子。")

st.subheader("各队包保情况")
ui.table(ui.percent_columns(pairs.per_unit, "worker_coverage", "member_participation"), "各队包保情况",
         columns={"unit": "队", "workers": "非党员职工", "paired_workers": "已结对职工", "worker_coverage": "职工覆盖率",
                  "members": "党员数", "paired_members": "结对党员", "member_participation": "党员参与率",
                  "pairs": "对子数"})
