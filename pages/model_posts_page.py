"""党员示范岗 (点一盏灯): the posts of one quarter, judged against the 六好 standard."""
import pandas as pd
import streamlit as st

from lib import charts, settings, ui
from lib.metrics import Ratio

UPLOAD_HINT = "请在“数据上传”页上传各队的《党员示范岗》季度评定表，或调整左侧的队、班组和月份。"
SHOWN_QUARTERS = 4  # the item chart compares the chosen quarter with up to three before it

f = ui.current_filter()
posts, posts_before = ui.metric("model_posts", f), ui.metric("model_posts", f.previous())
quarters = list(posts.per_quarter["quarter"])
ui.page_header("党员示范岗", f, note="按季度评定")

if not quarters:
    ui.empty_state("所选月份涉及的季度没有党员示范岗评定", UPLOAD_HINT)
    st.stop()

quarter = st.segmented_control("评定季度", quarters, default=quarters[-1], required=True,
                               format_func=charts.quarter_label, key="model_posts_quarter")
if quarter not in quarters:  # the filter changed under a remembered choice
    quarter = quarters[-1]


def quarter_rows(frame: pd.DataFrame, before: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, str | None]:
    """Rows of the chosen quarter, rows of the latest quarter before it (this range or the previous one)."""
    both = pd.concat([before, frame], ignore_index=True)
    earlier = sorted(q for q in both["quarter"].unique() if q < quarter)
    prev = earlier[-1] if earlier else None
    return (frame[frame["quarter"] == quarter],
            both[both["quarter"] == prev].drop_duplicates() if prev else both.head(0), prev)


now, before, prev_quarter = quarter_rows(posts.per_quarter, posts_before.per_quarter)
items_now, items_before, _ = quarter_rows(posts.item_rates, posts_before.item_rates)
compared = f"与{charts.quarter_label(prev_quarter)}比较。" if prev_quarter else "没有更早季度的评定可比较。"


def first(frame: pd.DataFrame, column: str):
    return None if frame.empty else int(frame[column].iloc[0])


def ratio(frame: pd.DataFrame, n: str, N: str) -> Ratio | None:
    return None if frame.empty else Ratio(int(frame[n].iloc[0]), int(frame[N].iloc[0]))


weakest = items_now.sort_values(["rate"], kind="stable").head(1)
weakest_item = weakest["item"].iloc[0] if len(weakest) else "无"
ui.kpi_row([
    {"label": "示范岗", "value": first(now, "posts"), "previous": first(before, "posts"), "unit": " 个",
     "help": "本季度参加评定的党员示范岗个数。" + compared},
    {"label": "六好达标率", "value": ratio(now, "all_met", "posts"), "previous": ratio(before, "all_met", "posts"),
     "help": f"“六好”六项全部达标（每项不低于 {settings.MODEL_POST_PASS_SCORE} 分或填“是”）的示范岗 ÷ 示范岗。"
             + compared},
    {"label": f"达标率最低的一项：{weakest_item}", "value": ratio(weakest, "met", "posts"),
     "previous": ratio(items_before[items_before["item"] == weakest_item], "met", "posts"),
     "help": "本季度“六好”中达标率最低的一项。" + compared},
])


def render_charts() -> None:
    shown = [q for q in quarters if q <= quarter][-SHOWN_QUARTERS:]
    items = posts.item_rates[posts.item_rates["quarter"].isin(shown)]
    items = items.assign(quarter=items["quarter"].map(charts.quarter_label))
    ui.chart(charts.grouped_rates(items, "item", "rate", "quarter", "“六好”各项达标率", "met", "posts"),
             "六好各项达标率")
    units = posts.per_unit[posts.per_unit["quarter"] == quarter]
    ui.chart(charts.ratio_bars(units, "unit", "all_met", "posts", f"各队六好达标率（{charts.quarter_label(quarter)}）",
                               "六好达标率"), "各队六好达标率")


def render_table() -> None:
    st.markdown(f"##### {charts.quarter_label(quarter)}党员示范岗")
    chosen = posts.posts[posts.posts["quarter"] == quarter]
    columns = {"post_name": "示范岗名称", "unit": "队", "team": "班组", "member_id": "党员工号",
               "member_name": "党员姓名", **dict(settings.SIX_GOOD_ITEMS), "all_met": "六好全部达标",
               "result": "评定结果"}
    ui.table(chosen, f"党员示范岗{charts.quarter_label(quarter)}", columns=columns)
    st.caption(f"“六好”每项填分数（不低于 {settings.MODEL_POST_PASS_SCORE} 分为达标）或“是/否”。")


render_charts()
render_table()
