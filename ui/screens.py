"""会议模式, screen by screen: a page declares its screens (whole sections, each fitting 1920×1080);
in 会议模式 one is shown at a time, with 上一屏 / 下一屏 (also the keyboard's ← and →) and
`screen=N` in the URL, so a prepared link opens a given screen. Outside 会议模式 every screen is
drawn, one under the other, as before.

    screens = ui.Screens("coverage", ["覆盖概况", "空白班组明细"])
    if screens.show("覆盖概况"):
        ...
"""
from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from lib.present.literal import markdown_literal
from ui.meeting import meeting_mode

URL_KEY = "screen"
STATE_KEY = "meeting_screens"  # page → the screen shown (1-based), for this session
LINK_TAKEN = "meeting_screen_link_taken"  # the URL's screen=N is read once, by the first page with screens


def _from_url(count: int) -> int | None:
    raw = st.query_params.get(URL_KEY)
    try:
        number = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return min(max(number, 1), count)


def _step(page: str, delta: int, count: int) -> None:
    """上一屏/下一屏 (a callback: runs before the page is drawn again)."""
    shown = st.session_state.setdefault(STATE_KEY, {})
    shown[page] = min(max(shown.get(page, 1) + delta, 1), count)


class Screens:
    """The screens of one page; `show(title)` says whether to draw that screen in this run."""

    def __init__(self, page: str, titles: Sequence[str]):
        self.page, self.titles = page, list(titles)
        self.meeting = meeting_mode()
        self.current = self._settle() if self.meeting else None
        if self.meeting:
            self._controls()
        elif URL_KEY in st.query_params:
            del st.query_params[URL_KEY]

    def _settle(self) -> int:
        """The screen to show: the link's on the session's first page with screens, then the one
        chosen with the buttons (kept per page), else the first; always within the page's count."""
        shown = st.session_state.setdefault(STATE_KEY, {})
        if not st.session_state.get(LINK_TAKEN):
            st.session_state[LINK_TAKEN] = True
            linked = _from_url(len(self.titles))
            if linked:
                shown[self.page] = linked
        number = min(max(int(shown.get(self.page, 1)), 1), len(self.titles))
        shown[self.page] = number
        if len(self.titles) > 1:
            st.query_params[URL_KEY] = str(number)
        elif URL_KEY in st.query_params:
            del st.query_params[URL_KEY]
        return number

    def _controls(self) -> None:
        if len(self.titles) < 2:
            return
        count, number = len(self.titles), self.current
        with st.container(key="meeting-screens", horizontal=True, vertical_alignment="center", width="content"):
            st.button("上一屏", key="screen-previous", on_click=_step, args=(self.page, -1, count),
                      disabled=number <= 1, shortcut="Left", icon=":material/chevron_left:",
                      help="上一屏（键盘 ←）")
            st.markdown(markdown_literal(f"第 {number} / {count} 屏 · {self.titles[number - 1]}"))  # a 队 is data
            st.button("下一屏", key="screen-next", on_click=_step, args=(self.page, 1, count),
                      disabled=number >= count, shortcut="Right", icon=":material/chevron_right:",
                      icon_position="right", help="下一屏（键盘 →）")

    def show(self, title: str) -> bool:
        if title not in self.titles:
            raise KeyError(f"screen {title!r} is not declared on {self.page}")
        return not self.meeting or self.titles.index(title) + 1 == self.current
