"""班组画像 page (pages/team_profile_page.py) run by Streamlit's AppTest on the demo data: the team
from the URL (?unit=…&team=…, the sidebar filter's own parameters), the 队 view with its teams side
by side, the chooser, masking in 会议模式 (downloads hidden there), and the click-through from the
team chart of 党员覆盖 (ui.frame.chart team_click)."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from lib.metrics.registry import Indicators
from lib.metrics.scope import default_filter
from lib.present.team_profile_view import team_profile
from lib.store.database import Store
from tests.test_app import open_page

NAMES = ("党员", "职工", "姓名", "相关人员", "获得者")


@pytest.fixture(autouse=True)
def app_env(demo_copy, monkeypatch):
    """The app sees an empty real database beside the demo one, so it shows the demo data."""
    monkeypatch.setenv("DANGJIAN_DB", str(demo_copy.parent / "dangjian.duckdb"))
    return demo_copy.parent


@pytest.fixture
def busy_team(demo_copy):
    """A demo team with pairs and scores (so there are names to mask), and its profile in full."""
    store = Store(demo_copy)
    try:
        get, f = Indicators(store).get, default_filter(store)
        pairs = get("pair_talks", f).pairs
        scored = get("score_trend", f).ranks
        for unit, team in pairs[["worker_unit", "worker_team"]].drop_duplicates().itertuples(index=False):
            if ((scored["unit"] == unit) & (scored["team"] == team)).any():
                return unit, team, team_profile(get, f, unit, team)
    finally:
        store.close()
    raise AssertionError("the demo has no team with pairs and scores")


def profile_page(query: dict):
    at = open_page("team_profile_page", query)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def people(at) -> list[str]:
    return [str(v) for t in at.dataframe for c in t.value.columns if c in NAMES for v in t.value[c].dropna()
            if str(v).strip()]


def test_the_team_in_the_url_gets_its_profile(busy_team):
    unit, team, full = busy_team
    at = profile_page({"unit": unit, "team": f"{unit}·{team}"})
    assert [t.value for t in at.title] == [f"班组画像 · {unit}·{team}"]
    cards = {m.label: m.value for m in at.metric}
    assert cards["班组人数"] == f"{full.headcount} 人"
    assert cards["有效包保对子"] == f"{len(full.pairs)} 对"
    assert cards["待办事项"] == f"{len(full.todo)} 项"
    headings = [m.value for m in at.markdown if m.value.startswith("###### ")]
    assert "###### 基本情况" in headings
    assert f"###### 包保对子与最近谈心（{len(full.pairs)}）" in headings
    pairs = next(t.value for t in at.dataframe if "距今天数" in t.value.columns)
    assert list(pairs["距今天数"]) == [str(d) for d in full.pairs["days_since"]]
    # The filter stays in the URL; 演示模式 shows names in full on screen, with downloads offered.
    assert at.query_params.get("unit") == unit and at.query_params.get("team") == f"{unit}·{team}"
    names = people(at)
    assert names and not any("*" in n for n in names)
    assert {b.proto.label for b in at.get("download_button")} == {"图片（PNG）", "幻灯片（PPTX）"}


def test_meeting_mode_masks_the_names_and_hides_the_downloads(busy_team):
    unit, team, full = busy_team
    at = profile_page({"unit": unit, "team": f"{unit}·{team}", "mode": "meeting"})
    names = people(at)
    assert names and all("*" in n for n in names), names[:5]
    shown = " ".join(names) + " ".join(m.value for m in at.markdown)
    for name in set(full.pairs["member_name"]) | set(full.pairs["worker_name"]) | set(full.ranks["name"]):
        assert name not in shown
    assert not at.get("download_button")


def test_a_unit_alone_shows_its_teams_side_by_side(busy_team):
    unit, _, _ = busy_team
    at = profile_page({"unit": unit})
    assert [t.value for t in at.title] == [f"班组画像 · {unit}（各班组）"]
    teams = next(t.value for t in at.dataframe if "班组" in t.value.columns)
    assert len(teams) > 1 and {"人数", "党员占比", "有效对子", "待办"} <= set(teams.columns)
    # Choosing a team in the page's chooser opens its profile (and puts it in the filter and URL).
    team = teams["班组"].iloc[0]
    at.selectbox(key=f"profile-team-{unit}-None").select(team).run()
    assert not at.exception
    assert [t.value for t in at.title] == [f"班组画像 · {unit}·{team}"]
    assert at.query_params.get("team") == f"{unit}·{team}"


def test_without_a_unit_the_page_asks_for_one():
    at = profile_page({})
    assert [t.value for t in at.title] == ["班组画像"]
    assert any("请选择一个队" in i.value for i in at.info)


@pytest.mark.parametrize(("page", "chart_key", "bar"), [
    ("coverage_page", "team-click-", -1),        # 党员覆盖's team chart: 队·班组, the top bar
    ("scores_page", "team-click-名次进退", 0),    # 比学争优's 名次进退: a person, 队·班组·姓名 (masked)
])
def test_a_click_on_a_team_in_a_chart_opens_its_profile(monkeypatch, page, chart_key, bar):
    """AppTest cannot click a Plotly bar: the selection Streamlit hands back is given to the chart
    (a point whose y is the clicked bar's label, as the browser sends it)."""
    import streamlit as st

    at = profile_page({})
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception
    chart = next(c for c in at.get("plotly_chart") if chart_key in c.proto.id)
    label = json.loads(chart.proto.spec)["data"][0]["y"][bar]
    unit, team = label.split("·")[:2]
    clicked = {"selection": {"points": [{"y": label, "x": 0.5, "point_index": 0, "curve_number": 0}],
                             "point_indices": [0], "box": [], "lasso": []}}
    real = st.plotly_chart

    def clicking(fig, *args, **kwargs):
        result = real(fig, *args, **kwargs)
        return clicked if str(kwargs.get("key", "")).startswith(chart_key) else result

    monkeypatch.setattr(st, "plotly_chart", clicking)
    at.run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == [f"班组画像 · {unit}·{team}"]
    assert at.query_params.get("unit") == unit and at.query_params.get("team") == f"{unit}·{team}"
    assert isinstance(next(t.value for t in at.dataframe), pd.DataFrame)
