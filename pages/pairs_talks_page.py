"""包保谈心: 谈一次心 — who is paired with whom, how often they talk, which pairs have gone quiet."""
import streamlit as st

import ui
from lib.metrics import thresholds
from lib.present.page_views import pairs_talks_view

screens = ui.Screens("pairs", ["包保谈心概况", "逾期未谈对子", "各队包保情况"])
selection = ui.show_page(pairs_talks_view, screens, "包保谈心概况")

pairs, talks = ui.metric("pair_coverage", selection), ui.metric("talk_activity", selection)
if screens.show("逾期未谈对子"):
    st.subheader(f"超过{thresholds.OVERDUE_TALK_DAYS}天未谈心的对子")
    ui.table(talks.overdue, "逾期未谈对子", empty="没有逾期未谈的对子。", meeting_rows=18)

if screens.show("各队包保情况"):
    st.subheader("各队包保情况")
    ui.table(ui.percent_columns(pairs.per_unit, "worker_coverage", "member_participation"), "各队包保情况",
             columns={"unit": "队", "workers": "非党员职工", "paired_workers": "已结对职工", "worker_coverage": "职工覆盖率",
                      "members": "党员数", "paired_members": "结对党员", "member_participation": "党员参与率",
                      "pairs": "对子数"})
