"""问题台帐: the 微民生 problems found in talks — 早发现、早反馈、早解决."""
import streamlit as st

from lib import charts, settings, ui

f = ui.current_filter()
ledger = ui.metric("problem_ledger", f)
ui.page_header("问题台帐", f)

if ledger.raised == 0 and ledger.open_ages.empty:
    ui.empty_state("所选范围内没有问题台帐记录",
                   "请在“数据上传”页上传各队的《问题台帐》，或调整左侧的队和月份。")
    st.stop()

before = ui.metric("problem_ledger", f.previous())
overdue_label = f"超期未办结（超过{settings.OPEN_PROBLEM_DAYS}天）"

ui.kpi_row([
    {"label": "新发现问题", "value": ledger.raised, "previous": before.raised, "unit": " 个"},
    {"label": "已解决", "value": ledger.resolved, "previous": before.resolved, "unit": " 个"},
    {"label": "解决率", "value": ledger.resolution_rate, "previous": before.resolution_rate,
     "help": "区间内发现的问题中，截至区间末已解决的比例"},
])
ui.kpi_row([
    {"label": "及时反馈率", "value": ledger.timely_feedback, "previous": before.timely_feedback,
     "help": f"发现后{settings.TIMELY_FEEDBACK_DAYS}天内（含）有反馈的问题 ÷ 新发现问题"},
    {"label": "解决用时中位数", "value": ledger.median_days_to_resolve, "previous": before.median_days_to_resolve,
     "unit": " 天", "lower_is_better": True, "help": "已解决问题从发现到解决的天数的中位数"},
    {"label": overdue_label, "value": len(ledger.overdue_open), "previous": len(before.overdue_open),
     "unit": " 个", "lower_is_better": True,
     "help": f"截至区间末仍未解决、且发现已超过{settings.OPEN_PROBLEM_DAYS}天的问题（不限于区间内发现的）"},
])

ui.chart(charts.aging_bars(ledger.open_ages["age_days"], "未办结问题的已过天数", settings.OPEN_PROBLEM_DAYS),
         "未办结问题")
left, right = st.columns(2)
with left:
    ui.chart(charts.count_bars(ledger.by_category, "category", "raised", "各类别新发现问题", "问题数"),
             "各类别问题")
with right:
    ui.chart(charts.ratio_bars(ledger.by_unit, "unit", "resolved", "raised", "各队问题解决率", "解决率"),
             "各队问题解决率")

st.subheader(overdue_label)
ui.table(ledger.overdue_open, "超期未办结问题", empty="没有超期未办结的问题。")

left, right = st.columns(2)
with left:
    st.subheader("按问题类别")
    ui.table(ledger.by_category, "问题按类别")
with right:
    st.subheader("按队")
    ui.table(ledger.by_unit, "问题按队")
