"""汇报材料: the sidebar button that builds the deck for the current filter and offers it for download."""
from __future__ import annotations

import streamlit as st

from lib.access.auth import PermissionDenied
from lib.present import render
from lib.present.deck import export_deck, file_name as deck_file_name
from ui.data import data_version, get_store, indicators
from ui.filters import current_filter
from ui.meeting import meeting_mode
from ui.signin import full_names_shown, signed_in_user

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DECK_KEY = "deck"  # session state: (what it was built for, bytes, file name, slide count)


def report_controls() -> None:
    """汇报材料 in the sidebar: build the deck for the current filter, with progress; then offer it."""
    if meeting_mode():
        return
    f, (store, _), user = current_filter(), get_store(), signed_in_user()
    with st.sidebar:
        st.markdown("#### 汇报材料")
        hint = render.problem()
        if hint:  # say what to install instead of failing on click
            st.button("生成汇报材料（PPTX）", disabled=True, key="deck-build", icon=":material/slideshow:")
            st.caption(hint)
            return
        full = full_names_shown()
        wanted = (str(store.path), data_version(store), f, full)
        if st.button("生成汇报材料（PPTX）", key="deck-build", icon=":material/slideshow:",
                     help="按当前选择的队、班组和月份生成 16:9 汇报幻灯片：封面、本月要点、各页指标卡片和图表（附口径）"):
            bar = st.progress(0.0, text="正在生成汇报材料…")
            try:
                result = export_deck(indicators(), user, f, full_names_wanted=full,
                                     progress=lambda done, total, text: bar.progress(done / total, text=text))
            except (PermissionDenied, render.RendererUnavailable) as exc:
                bar.empty()
                st.error(exc.message, icon=":material/error:")
                return
            bar.empty()
            st.session_state[DECK_KEY] = (wanted, result.data, deck_file_name(f), result.slides)
        ready = st.session_state.get(DECK_KEY)
        if ready and ready[0] == wanted:
            # Handed over on click (a callable), so the served file lives 60 s, not as long as the page.
            st.download_button(f"下载汇报材料（{ready[3]} 页）", lambda data=ready[1]: data, file_name=ready[2],
                               mime=PPTX_MIME,
                               key="deck-download", type="primary", icon=":material/download:")
