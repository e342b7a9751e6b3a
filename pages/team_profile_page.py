"""班组画像: one team on one 1920×1080 screen (lib.present.team_profile_view), or with only a 队 chosen
its teams side by side. The team is the sidebar filter's (one 队, one 班组; so it is in the URL as
?unit=…&team=…); the chooser here, and a click on a team in a chart (ui.frame.chart team_click), set it.

Names are masked as on every page (ui.metric: 会议模式, roles without full names); the PNG and the
one-slide PPTX go through the logged export (lib.present.profile_deck.export_profile), and are
not offered in 会议模式.
"""
import pandas as pd
import streamlit as st

import ui
from lib.present import profile_deck, render
from lib.present.literal import markdown_literal
from lib.present.team_profile_view import (
    NO_TEAM,
    TITLE,
    TeamProfile,
    team_profile,
    unit_profile,
)
from ui.data import indicators, units_and_teams
from ui.filters import pick_team
from ui.signin import full_names_shown

# One screen: less room above the title and between the parts than the other pages.
COMPACT_CSS = """<style>
[data-testid="stMainBlockContainer"] {padding-top: 1.6rem; padding-bottom: 0.5rem;}
[data-testid="stMainBlockContainer"] h1 {padding: 0 !important;}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {gap: 0.5rem;}
[data-testid="stMetric"] {padding: 0.35rem 0.7rem !important;}
[data-testid="stMetricValue"] {font-size: 1.6rem;}
</style>"""
TABLE_HEIGHT = 248  # six rows and the header at most; more rows scroll inside the table


def chosen(f, units: list[str]) -> tuple[str | None, str | None]:
    """The 队 and 班组 the filter names: one 班组 (with its 队), or one 队; else nothing yet."""
    if len(f.teams) == 1:
        return f.teams[0]
    if len(f.units) == 1:
        return f.units[0], None
    return None, None


def chooser(units: list[str], teams: list[tuple[str, str]], unit: str | None, team: str | None) -> None:
    """队, then 班组 (or the whole 队): a choice becomes the filter (and the URL) on the next run."""
    left, right = st.columns(2)
    unit_key, team_key = f"profile-unit-{unit}", f"profile-team-{unit}-{team}"
    left.selectbox("队", units, index=units.index(unit) if unit in units else None, key=unit_key,
                   placeholder="选择队", on_change=lambda: pick_team(st.session_state[unit_key]))
    if unit is None:
        return
    names = [NO_TEAM] + [t for u, t in teams if u == unit]
    right.selectbox("班组", names, index=names.index(team) if team in names else 0, key=team_key,
                    on_change=lambda: pick_team(unit, None if st.session_state[team_key] == NO_TEAM
                                                else st.session_state[team_key]))


def downloads(f, unit: str, team: str | None) -> None:
    """PNG and PPTX of the screen, built (and logged) only when clicked; none in 会议模式."""
    if ui.meeting_mode():
        return
    user = ui.signed_in_user()
    if not user.can_export:
        return
    hint = render.problem()
    if hint:
        st.caption(markdown_literal(hint))
        return
    full, ind = full_names_shown(), indicators()
    left, right = st.columns(2)
    for col, kind, label, mime, icon in ((left, "png", "图片（PNG）", profile_deck.PNG_MIME, ":material/image:"),
                                         (right, "pptx", "幻灯片（PPTX）", profile_deck.PPTX_MIME,
                                          ":material/slideshow:")):
        col.download_button(label, lambda kind=kind: profile_deck.export_profile(ind, user, f, unit, team, kind,
                                                                                 False, full),
                            file_name=profile_deck.file_name(f, unit, team, kind), mime=mime, key=f"profile-{kind}",
                            icon=icon, on_click="ignore", width="stretch")


def table(frame: pd.DataFrame, empty: str) -> None:
    if frame.empty:
        st.caption(markdown_literal(empty))
    else:
        st.dataframe(frame, hide_index=True, width="stretch", height=min(TABLE_HEIGHT, 35 * (len(frame) + 1) + 3),
                     placeholder="")


def block(item, count: bool = True) -> None:
    heading = item.heading + (f"（{len(item.table)}）" if count and len(item.table) else "")
    st.markdown(f"###### {markdown_literal(heading)}")
    table(item.table, item.empty)


st.markdown(COMPACT_CSS, unsafe_allow_html=True)
selection = ui.current_filter()
units, teams, _ = units_and_teams()
unit, team = chosen(selection, units)

if unit is None:
    ui.page_header(TITLE, selection)
    chooser(units, teams, unit, team)
    st.info("请选择一个队查看其各班组，或再选择班组查看该班组的画像；也可以在“党员覆盖”页的班组图表中点击班组。",
            icon=":material/info:")
    st.stop()

shown = team_profile(ui.metric, selection, unit, team) if team else unit_profile(ui.metric, selection, unit)
head, choose, files = st.columns([5, 4, 3], vertical_alignment="bottom")
with head:
    st.title(markdown_literal(shown.title))
    st.caption(markdown_literal(shown.subtitle))
with choose:
    chooser(units, teams, unit, team)
with files:
    downloads(selection, unit, team)
ui.kpi_row(list(shown.cards()))

if isinstance(shown, TeamProfile):
    blocks = shown.blocks()
    facts, pairs, scores = st.columns([4, 3, 3])
    with facts:
        st.markdown("###### 基本情况")
        st.markdown("  \n".join(f"**{label}**：{markdown_literal(text)}" for label, text in shown.facts()))
    with pairs:
        block(blocks[0])
    with scores:
        block(blocks[2])
    for col, item in zip(st.columns([2, 2, 3, 3]), (blocks[1], blocks[3], blocks[4], blocks[5])):
        with col:
            block(item)
else:
    st.markdown("###### 各班组")
    st.caption(f"逾期未谈：{shown.overdue_days}天以上未谈心的有效对子；最近季度均分：比学争优最近一个有得分的季度。"
               "在“班组”中选择一个班组查看其画像。")
    st.dataframe(shown.teams, hide_index=True, width="stretch", placeholder="",
                 height=min(36 * len(shown.teams) + 40, 640))
