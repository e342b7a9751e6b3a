"""班组画像 (lib.present.team_profile_view) on the small mine of tests/small_mine.py, numbers checked by
hand; the two indicators it added (pair_talks, team_zones); the click → team mapping; the logged,
masked PNG and one-slide PPTX (lib.present.profile_deck)."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from pptx import Presentation

from lib.access.auth import ADMIN, VIEWER, User
from lib.metrics.query import Filter
from lib.metrics.registry import Indicators
from lib.present import profile_deck, render
from lib.present.literal import plotly_literal
from lib.present.team_profile_view import (
    CANVAS,
    team_figure,
    team_from_points,
    team_profile,
    unit_figure,
    unit_profile,
)

JAN_FEB = Filter((), (), dt.date(2024, 1, 1), dt.date(2024, 2, 1))   # as of 2024-02-29


@pytest.fixture(scope="module")
def get(mine):
    return Indicators(mine).get


def test_pair_talks_lists_every_active_pair_with_the_days_since_its_last_talk(get):
    pairs = get("pair_talks", JAN_FEB).pairs
    # 001–003 ended 2024-01-15: not active. 001–002 talked 2024-02-20 (9 days before 02-29);
    # 004–005 paired 2024-02-10, never talked (19 days); 001–007 last talked 2023-12-01 (90 days).
    got = {(r.member_id, r.worker_id): (r.last_talk, r.days_since) for r in pairs.itertuples()}
    assert got == {("001", "002"): (dt.date(2024, 2, 20), 9), ("004", "005"): (None, 19),
                   ("001", "007"): (dt.date(2023, 12, 1), 90)}
    assert list(pairs["days_since"]) == [90, 19, 9]   # longest quiet first


def test_team_zones_names_the_zones_covering_a_team(get):
    zones = get("team_zones", Filter(("甲队",), (("甲队", "B班"),), JAN_FEB.start, JAN_FEB.end)).zones
    assert list(zip(zones["zone_id"], zones["owner_name"])) == [("Z1", "人员001"), ("Z1", "人员004")]
    assert get("team_zones", Filter(("乙队",), (), JAN_FEB.start, JAN_FEB.end)).zones.empty  # Z2 lists no team


def test_a_team_profile_by_hand(get):
    p = team_profile(get, JAN_FEB, "甲队", "A班")
    assert (p.title, p.roster_month) == ("班组画像 · 甲队·A班", dt.date(2024, 2, 1))
    assert (p.headcount, p.members, p.blank) == (3, 1, False)
    assert (p.member_share.n, p.member_share.N) == (1, 3)
    assert p.liaison == "无需挂靠（班组有党员）"
    assert p.history_text() == "2024年1月–2024年2月 有党员"
    assert list(zip(p.pairs["worker_name"], p.pairs["days_since"])) == [("人员002", 9)]
    assert p.overdue_pairs == 0
    assert p.zones_text() == "Z1 综采面（承包人 人员001、人员004）"
    assert p.committee_text() == "委员 2 人，占班组人数 66.7%"
    assert set(p.slogans["category"]) == {"争一流口号", "学习愿景", "安全理念"}
    # The latest two quarters: 2023Q4 (88, 85, 80 → mean 84.3) and 2024Q1 (84, 88, 84 → 85.3), A班 the
    # only team of 甲队 with scores, so 1st of 1; within the team 2024Q1: 002 first, 001 and 003 tie 2nd.
    assert list(p.scores["quarter"]) == ["2023Q4", "2024Q1"]
    assert [round(s, 1) for s in p.scores["mean_score"]] == [84.3, 85.3]
    assert list(p.scores["team_rank"]) == [1, 1] and list(p.scores["teams"]) == [1, 1]
    first = p.ranks[p.ranks["quarter"] == "2024Q1"]
    assert list(zip(first["name"], first["rank"])) == [("人员002", 1), ("人员001", 2), ("人员003", 2)]
    assert sorted(p.honours["title"]) == ["优秀共产党员", "党员先锋岗"]
    assert p.problems.empty   # P1 and P4 solved
    assert list(p.todo["kind_label"]) == ["预备党员到期待转正"] and list(p.todo["who"]) == ["甲一"]
    cards = {c.label: c.text().shown for c in p.cards()}
    assert cards["班组人数"] == "3 人" and cards["党员占比"] == "33.3%" and cards["待办事项"] == "1 项"


def test_a_team_that_became_blank_shows_its_liaison_and_its_quiet_pair(get):
    p = team_profile(get, JAN_FEB, "乙队", "C班")
    assert (p.headcount, p.members, p.blank) == (1, 0, True)   # 006 left in February
    assert p.history_text() == "2024年1月 有党员 → 2024年2月 空白"
    assert p.liaison == "人员001"
    assert p.pairs["days_since"].tolist() == [90] and p.overdue_pairs == 1   # > 60 days
    assert p.zones_text() == "不在任何党员责任区内"
    assert list(p.problems["problem_id"]) == ["P2"] and list(p.problems["age_days"]) == [50]  # 01-10 → 02-29


def test_b_team_has_its_open_problem_and_its_todo_items(get):
    p = team_profile(get, JAN_FEB, "甲队", "B班")
    assert p.history_text() == "2024年1月 空白 → 2024年2月 有党员"
    assert list(p.problems["problem_id"]) == ["P3"]
    assert list(p.todo["kind_label"]) == ["示范岗六好未达标", "班组无管理委员会", "理念口号缺类别"]
    assert p.committee_text() == "没有管理委员会" and p.scores.empty


def test_quiet_pairs_are_counted_as_the_todo_list_counts_them(get):
    for unit, team in (("甲队", "A班"), ("甲队", "B班"), ("乙队", "C班")):
        p = team_profile(get, JAN_FEB, unit, team)
        assert p.overdue_pairs == int((p.todo["kind_label"] == "对子逾期未谈心").sum())
        assert p.overdue_pairs == int((p.pairs["days_since"] >= p.overdue_days).sum())


def test_a_unit_profile_puts_its_teams_side_by_side(get):
    u = unit_profile(get, JAN_FEB, "甲队")
    rows = u.teams.set_index("班组")
    assert list(rows.index) == ["A班", "B班"]
    assert rows.loc["A班", ["人数", "党员", "党员占比", "有效对子", "荣誉", "待办"]].tolist() == \
        ["3", "1", "33.3%", "1", "2", "1"]
    assert rows.loc["B班", ["人数", "未办结问题", "待办", "最近季度均分", "管理委员会"]].tolist() == \
        ["2", "1", "3", "无", "0 人"]
    assert rows.loc["A班", "最近季度均分"] == "85.3（2024年第1季度）"
    cards = {c.label: c.text().shown for c in u.cards()}
    assert cards["班组数"] == "2 个" and cards["党员占比"] == "40.0%" and cards["待办事项"] == "4 项"


def test_masked_getter_masks_the_profile(mine):
    p = team_profile(profile_deck.getter(Indicators(mine), full_names=False), JAN_FEB, "甲队", "A班")
    assert list(p.pairs["worker_name"]) == ["人***2"]
    assert "人员001" not in p.zones_text() and "人***1" in p.zones_text()


def test_a_click_on_a_team_bar_names_the_team():
    teams = [("甲队", "A班"), ("甲队", "B班"), ("乙<b>队", "C班")]
    assert team_from_points([{"x": 0.5, "y": "甲队·B班", "point_index": 1}], teams) == ("甲队", "B班")
    # Labels reach Plotly escaped (plotly_literal), and come back so.
    assert team_from_points([{"y": plotly_literal("乙<b>队·C班")}], teams) == ("乙<b>队", "C班")
    assert team_from_points([{"x": "甲队·A班", "y": 3}], teams) == ("甲队", "A班")
    assert team_from_points([{"y": "丙队·D班"}], teams) is None
    assert team_from_points([], teams) is None
    # A person's bar (比学争优's 名次进退: 队·班组·姓名, the name masked or not) names the person's team.
    assert team_from_points([{"x": -5, "y": "甲队·B班·王*"}], teams) == ("甲队", "B班")
    assert team_from_points([{"y": plotly_literal("乙<b>队·C班·张三")}], teams) == ("乙<b>队", "C班")
    assert team_from_points([{"y": "甲队·Z班·王*"}], teams) is None


def test_the_canvases_hold_every_part(get):
    fig = team_figure(team_profile(get, JAN_FEB, "甲队", "B班"))
    assert (fig.layout.width, fig.layout.height) == CANVAS
    texts = " ".join(a.text for a in fig.layout.annotations)
    for heading in ("基本情况", "包保对子与最近谈心", "理念口号", "比学争优", "荣誉", "未办结问题", "待办事项"):
        assert heading in texts
    assert len(fig.data) == 7   # the facts and six tables
    cells = [v for t in fig.data for column in t.cells.values for v in column]
    assert "更衣室漏水" in cells and "近两个季度没有得分" in cells
    unit = unit_figure(unit_profile(get, JAN_FEB, "甲队"))
    assert list(unit.data[0].cells.values[0]) == ["A班", "B班"]


@pytest.mark.skipif(render.problem() is not None, reason="no Chromium or Chinese font to render with")
def test_png_and_one_slide_pptx_are_exported_masked_and_logged(mine):
    ind = Indicators(mine)
    viewer = User("查看员", VIEWER)
    png = profile_deck.export_profile(ind, viewer, JAN_FEB, "甲队", "A班", "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == CANVAS
    data = profile_deck.export_profile(ind, User("管理员", ADMIN), JAN_FEB, "甲队", None, "pptx",
                                       full_names_wanted=True)
    slides = Presentation(io.BytesIO(data)).slides
    assert len(slides) == 1
    texts = " ".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)
    assert "班组画像 · 甲队（各班组）" in texts and "班组数" in texts
    assert any(s.shape_type == 13 for s in slides[0].shapes)   # the picture of the tables
    log = mine.fetchall("SELECT user_name, what, detail FROM export_log ORDER BY exported_at")
    assert ("查看员", "班组画像（图片）：甲队·A班") == log[-2][:2] and "姓名已打码" in log[-2][2]
    assert ("管理员", "班组画像（PPTX）：甲队（各班组）") == log[-1][:2]
