"""比学争优: quarterly scores — self-assessed, reviewed by the branch, ranked within each team."""
import pandas as pd
import streamlit as st

from lib import charts, ui
from lib.metrics import Ratio

f = ui.current_filter()
trend = ui.metric("score_trend", f)
ui.page_header("比学争优", f)

if trend.review.empty:
    ui.empty_state("所选范围内没有比学争优得分",
                   "请在“数据上传”页上传各队每季度的《比学争优》得分表，或调整左侧的队和月份。")
    st.stop()

quarters = list(trend.review["quarter"])
quarter = st.selectbox("季度", quarters, index=len(quarters) - 1, format_func=charts.quarter_label,
                       key="scores_quarter", width=260,
                       help="卡片、名次进退和下方表格按所选季度统计，并与上一季度比较")
quarter_name = charts.quarter_label(quarter)
fq = ui.quarter_filter(f, quarter)  # the chosen quarter, same 队/班组; fq.previous() is the quarter before
chosen = ui.metric("score_trend", fq)
before = ui.metric("score_trend", fq.previous())
heads = {h.key: h for h in ui.metric("overview", fq)}

now = chosen.review.iloc[0]
prev = before.review.iloc[0] if len(before.review) else None


def gap(row) -> float | None:
    """自评与审核差 as shown: none when nobody in the quarter has been reviewed yet."""
    return None if row is None or pd.isna(row["mean_self_minus_review"]) else float(row["mean_self_minus_review"])


ui.kpi_row([
    {"label": f"平均分（{quarter_name}）", "value": heads["mean_score"].current,
     "previous": heads["mean_score"].previous, "unit": " 分",
     "help": "每人取支部审核分（未审核取自评分），按人数加权的平均分"},
    {"label": "参评人数", "value": int(now["people"]), "previous": None if prev is None else int(prev["people"]),
     "unit": " 人"},
    {"label": "审核完成率", "value": Ratio(int(now["reviewed"]), int(now["people"])),
     "previous": None if prev is None else Ratio(int(prev["reviewed"]), int(prev["people"])),
     "help": "已有支部审核分的人数 ÷ 参评人数"},
    {"label": "自评与审核差", "value": gap(now), "previous": gap(prev), "unit": " 分", "lower_is_better": True,
     "help": "自评总分 − 支部审核分的平均值；越大说明自评越偏高"},
])

one_unit = len(f.units) == 1
left, right = st.columns(2)
with left:
    if one_unit:
        ui.chart(charts.lines_by_group(trend.per_team, "quarter", "mean_score", "team",
                                       f"{f.units[0]}各班组平均分", "平均分", hover_n="people"), "各班组平均分")
    else:
        ui.chart(charts.lines_by_group(trend.per_unit, "quarter", "mean_score", "unit", "各队平均分", "平均分",
                                       hover_n="people"), "各队平均分")
with right:
    movers = chosen.movers.assign(label=charts.joined_labels(chosen.movers, ["unit", "team", "name"]))
    ui.chart(charts.diverging_bars(movers, "label", "rank_change", f"{quarter_name}班组内名次进退最大", "名次变化"),
             "名次进退")

st.subheader(f"{quarter_name}班组内排名")
ui.table(chosen.ranks, f"比学争优排名_{quarter}",
         columns={"unit": "队", "team": "班组", "rank": "班组内名次", "staff_id": "工号", "name": "姓名",
                  "self_score": "自评总分", "review_score": "支部审核分", "score": "得分", "reviewed": "已审核",
                  "prev_rank": "上季度名次", "rank_change": "名次变化"})

st.subheader(f"{quarter_name}各班组平均分")
ui.table(chosen.per_team.round({"mean_score": 1}), f"比学争优班组平均分_{quarter}",
         columns={"unit": "队", "team": "班组", "people": "人数", "mean_score": "平均分", "unreviewed": "未审核"})
