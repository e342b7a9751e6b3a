"""党员责任区 (划一块地): zones and their 承包人 per 队, and whether every team sits inside a zone."""
import streamlit as st

import ui
from lib.present.page_views import zones_view

screens = ui.Screens("zones", ["责任区概况", "责任区明细"])
selection = ui.show_page(zones_view, screens, "责任区概况")

if screens.show("责任区明细"):
    zones = ui.metric("zones", selection)
    st.markdown("##### 未划入责任区的班组")
    ui.table(zones.teams_outside, "未划入责任区的班组", columns={"unit": "队", "team": "班组"},
             empty="所有班组都在某个党员责任区内", meeting_rows=6)

    if len(zones.owners_not_members):
        st.markdown("##### 需核对的承包人")
        ui.table(zones.owners_not_members, "需核对的承包人",
                 columns={"unit": "队", "zone_id": "责任区编号", "zone_name": "责任区名称",
                          "owner_id": "承包人工号", "owner_name": "承包人姓名", "political": "名册中的政治面貌"}, meeting_rows=6)

    st.markdown("##### 各队责任区")
    ui.table(zones.per_unit, "各队责任区", columns={"unit": "队", "zones": "责任区数", "owners": "承包人数"})
