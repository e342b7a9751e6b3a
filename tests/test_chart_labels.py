"""Issue #13 item 5: data labels are never clipped, rotated or on the axis labels; the goal's note is
clear of the data; a per-队 line chart draws at most MAX_LINES lines at any scale."""
import numpy as np
import pandas as pd
import pytest

from lib.present import charts


def _months(values):
    return pd.DataFrame({"month": pd.period_range("2023-01", periods=len(values), freq="M").to_timestamp(),
                         "blank_teams": values})


def _scores(units: int, quarters=("2023Q1", "2023Q2", "2023Q3", "2023Q4"), seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = [{"unit": f"{u + 1}队", "quarter": q, "mean_score": 80 + rng.normal() * 3, "people": int(rng.integers(5, 40))}
            for u in range(units) for q in quarters]
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- 空白班组数变化: headroom, the goal's note

def test_trend_line_leaves_room_above_the_top_label_and_draws_it_unclipped():
    fig = charts.trend_line(_months([12, 9, 7, 4, 0]), "month", "blank_teams", "空白班组数变化", "空白班组（个）", goal=0)
    low, high = fig.layout.yaxis.range
    assert low == 0 and high >= 12 * 1.15
    assert fig.data[0].cliponaxis is False and fig.data[0].textposition == "top center"


def test_goal_note_sits_in_the_right_margin_not_among_the_data_labels():
    fig = charts.trend_line(_months([12, 9, 7, 4, 0]), "month", "blank_teams", "空白班组数变化", "空白班组（个）", goal=0)
    notes = [a for a in fig.layout.annotations if a.text == "目标 0"]
    assert len(notes) == 1
    note = notes[0]
    # Outside the plot area (x ≥ 1 of the paper, anchored at its left), with a margin wide enough for it.
    assert note.xref == "paper" and note.x >= 1 and note.xanchor == "left" and note.y == 0
    assert fig.layout.margin.r >= 70
    # The goal line itself has no note of its own inside the plot.
    assert all(a.xref == "paper" and a.x >= 1 for a in fig.layout.annotations)


def test_trend_line_without_goal_keeps_the_narrow_margin():
    fig = charts.trend_line(_months([3, 5]), "month", "blank_teams", "空白班组数变化", "空白班组（个）")
    assert not fig.layout.annotations and fig.layout.margin.r == 30
    assert fig.layout.yaxis.range[1] >= 5 * 1.15


def test_trend_line_of_zeros_still_has_a_range():
    fig = charts.trend_line(_months([0, 0, 0]), "month", "blank_teams", "空白班组数变化", "空白班组（个）", goal=0)
    assert fig.layout.yaxis.range[0] == 0 and fig.layout.yaxis.range[1] > 0


# ---------------------------------------------------------------- bars: upright labels outside, room for them

@pytest.mark.parametrize("make", [
    lambda f: charts.count_bars(f, "label", "value", "各队责任区数", "责任区（个）"),
    lambda f: charts.ordered_bars(f, "label", "value", "各阶段用时（中位数）", "天数"),
])
def test_short_bars_keep_their_labels_upright_outside_with_room(make):
    frame = pd.DataFrame({"label": ["甲队", "乙队", "丙队"], "value": [1, 2, 60]})  # two bars far too short for text
    fig = make(frame)
    bar = fig.data[0]
    assert bar.textposition == "outside" and bar.textangle == 0 and bar.cliponaxis is False
    assert fig.layout.xaxis.range[0] == 0 and fig.layout.xaxis.range[1] >= 60 * 1.15


def test_aging_bars_labels_upright_outside_with_headroom():
    fig = charts.aging_bars(pd.Series([1, 3, 40, 45, 100, 200, 201]), "未办结问题的已过天数", 30)
    bar = fig.data[0]
    assert bar.textposition == "outside" and bar.textangle == 0 and bar.cliponaxis is False
    assert fig.layout.yaxis.range[1] >= max(bar.y) * 1.15


def test_negative_rank_labels_have_room_before_the_axis_names():
    frame = pd.DataFrame({"label": ["甲队·一班·张*", "乙队·二班·李*", "丙队·三班·王*"], "rank_change": [4, -1, -5]})
    fig = charts.diverging_bars(frame, "label", "rank_change", "名次进退最大", "名次变化")
    bar = fig.data[0]
    assert bar.textposition == "outside" and bar.textangle == 0 and bar.cliponaxis is False
    low, high = fig.layout.xaxis.range
    assert low <= -5 - 0.2 * 9 and high >= 4 + 0.2 * 9  # a fifth of the span beyond either end
    only_up = charts.diverging_bars(frame.assign(rank_change=[1, 2, 3]), "label", "rank_change", "t", "名次变化")
    assert only_up.layout.xaxis.range[0] == 0


# ---------------------------------------------------------------- per-队 lines: at most MAX_LINES

def test_96_units_draw_the_mean_and_the_biggest_movers_only():
    frame = _scores(96)
    # 5队 climbs 20 points, 9队 drops 15: the biggest movers.
    frame.loc[(frame["unit"] == "5队") & (frame["quarter"] == "2023Q4"), "mean_score"] += 20
    frame.loc[(frame["unit"] == "9队") & (frame["quarter"] == "2023Q4"), "mean_score"] -= 15
    fig = charts.lines_by_group(frame, "quarter", "mean_score", "unit", "各队平均分", "平均分", hover_n="people")
    names = [t.name for t in fig.data]
    assert len(fig.data) <= charts.MAX_LINES and names[0] == "全矿平均"
    assert {"5队", "9队"} <= set(names[1:]) and len(names) == charts.MAX_LINES
    # The mean is weighted by people, per quarter.
    last = frame[frame["quarter"] == "2023Q4"]
    expected = (last["mean_score"] * last["people"]).sum() / last["people"].sum()
    assert fig.data[0].y[-1] == pytest.approx(expected)
    assert fig.data[0].customdata[-1] == last["people"].sum()
    # The chart says what it shows and where the rest are.
    note = fig.layout.title.subtitle.text
    assert "全矿平均" in note and "96" in note and "其余 89 个队" in note
    assert list(fig.layout.xaxis.categoryarray) == ["2023年第1季度", "2023年第2季度", "2023年第3季度", "2023年第4季度"]


def test_filtered_units_draw_those_lines_and_no_mean():
    frame = _scores(3)
    fig = charts.lines_by_group(frame, "quarter", "mean_score", "unit", "各队平均分", "平均分", hover_n="people")
    assert [t.name for t in fig.data] == ["1队", "2队", "3队"]
    assert not fig.layout.title.subtitle.text


def test_eight_units_are_all_drawn_nine_are_not():
    assert len(charts.lines_by_group(_scores(8), "quarter", "mean_score", "unit", "t", "平均分").data) == 8
    nine = charts.lines_by_group(_scores(9), "quarter", "mean_score", "unit", "t", "平均分", noun="班组",
                                 mean_name="综采队平均")
    assert len(nine.data) == 8 and nine.data[0].name == "综采队平均"
    assert "其余 2 个班组" in nine.layout.title.subtitle.text


def test_biggest_movers_rank_by_absolute_change_then_natural_order():
    frame = pd.DataFrame({"unit": ["10队", "10队", "2队", "2队", "3队", "3队", "4队"],
                          "quarter": ["2023Q2", "2023Q1", "2023Q1", "2023Q2", "2023Q1", "2023Q2", "2023Q1"],
                          "mean_score": [90, 80, 80, 70, 80, 81, 99]})
    # 10队 +10 (rows out of order), 2队 −10: a tie, natural order first; 3队 +1; 4队 one quarter: no change.
    assert charts.biggest_movers(frame, "quarter", "mean_score", "unit", 2) == ["2队", "10队"]
    assert charts.biggest_movers(frame, "quarter", "mean_score", "unit", 4) == ["2队", "10队", "3队", "4队"]
