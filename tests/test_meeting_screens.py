"""会议模式 screen by screen (ui/screens.py), run by AppTest on the demo data: one screen at a time,
上一屏/下一屏, `screen=N` in the URL both ways, out-of-range and garbage links, every screen of
every page masks names, large-print tables with their row count; outside 会议模式 nothing changes."""
from __future__ import annotations

import pytest

from tests.test_app import ANALYSIS_PAGES, PAGES, open_page

NAME_HEADERS = ("姓名", "党员姓名", "职工姓名", "承包人姓名", "获得者", "相关人员姓名", "挂靠联系人")
ID_HEADERS = ("工号", "党员工号", "职工工号", "承包人工号", "挂靠联系人工号")
COVERAGE_SCREENS = ["覆盖概况", "各班组党员占比", "空白班组", "各班组党员人数"]


@pytest.fixture(autouse=True)
def app_env(demo_copy, monkeypatch):
    monkeypatch.setenv("DANGJIAN_DB", str(demo_copy.parent / "dangjian.duckdb"))
    return demo_copy.parent


def headings(at) -> list[str]:
    return [m.value.lstrip("# ") for m in at.markdown if m.value.startswith("#####")] + [s.value for s in at.subheader]


def where(at) -> str:
    """The navigation's own words: 第 2 / 4 屏 · 各班组党员占比."""
    return next(m.value for m in at.markdown if m.value.startswith("第 ") and " 屏 · " in m.value)


def every_screen(at):
    """The app at each screen of its page, from the first, by clicking 下一屏 until it is disabled
    (a page of one screen has no 下一屏: just that screen)."""
    yield at
    if not [b for b in at.button if b.key == "screen-next"]:
        return
    while not at.button(key="screen-next").disabled:
        at.button(key="screen-next").click().run()
        assert not at.exception, at.exception
        yield at


def test_one_screen_at_a_time_with_the_buttons_and_the_url():
    at = open_page("coverage_page", {"mode": "meeting"})
    assert not at.exception and not at.error
    assert where(at) == "第 1 / 4 屏 · 覆盖概况" and at.query_params.get("screen") == "1"
    assert at.metric and "各班组党员人数" not in headings(at)
    assert at.button(key="screen-previous").disabled
    seen = []
    for n, screen in enumerate(every_screen(at), start=1):
        assert where(screen) == f"第 {n} / 4 屏 · {COVERAGE_SCREENS[n - 1]}"
        assert screen.query_params.get("screen") == str(n)
        assert screen.title[0].value == "党员覆盖", "every screen keeps the page's title and scope"
        seen.append(headings(screen))
    assert len(seen) == 4
    assert "空白班组及挂靠联系人" in seen[2] and "各班组党员人数" not in seen[2]
    assert seen[3] == ["各班组党员人数"] and not at.metric, "the last screen has its table only"
    at.button(key="screen-previous").click().run()
    assert where(at).startswith("第 3 / 4 屏") and at.query_params.get("screen") == "3"


@pytest.mark.parametrize(("asked", "shown"), [("3", 3), ("99", 4), ("0", 1), ("abc", 1), ("", 1)])
def test_a_link_opens_its_screen_and_a_bad_one_the_nearest(asked, shown):
    at = open_page("overview_page", {"mode": "meeting", "screen": asked})
    at.switch_page("pages/coverage_page.py").run()
    assert not at.exception and not at.error
    assert where(at).startswith(f"第 {shown} / 4 屏")
    assert at.query_params.get("screen") == str(shown)


def test_the_link_is_read_once_then_each_page_starts_at_its_first_screen():
    at = open_page("coverage_page", {"mode": "meeting", "screen": "2"})
    assert where(at).startswith("第 2 / 4 屏")
    at.switch_page("pages/problems_page.py").run()
    assert where(at).startswith("第 1 / 3 屏") and at.query_params.get("screen") == "1"
    at.button(key="screen-next").click().run()
    at.switch_page("pages/coverage_page.py").run()
    assert where(at).startswith("第 2 / 4 屏"), "a page comes back at the screen it was left on"


def test_outside_meeting_mode_every_screen_is_drawn_and_the_url_has_none():
    at = open_page("coverage_page", {"screen": "3"})
    assert not at.exception and not at.error
    assert {"空白班组及挂靠联系人", "各班组党员人数"} <= set(headings(at)) and at.metric
    assert "screen" not in at.query_params
    assert not [b for b in at.button if b.key in ("screen-next", "screen-previous")]
    assert at.dataframe and not at.table, "interactive tables with downloads, as before"


def test_meeting_tables_are_large_print_with_their_row_count():
    at = open_page("coverage_page", {"mode": "meeting", "screen": "4"})
    assert where(at).startswith("第 4 / 4 屏")
    assert not at.dataframe and len(at.table) == 1
    shown = at.table[0].value
    total = next(int(c.value.split()[1]) for c in at.caption if c.value.startswith("共 "))
    assert len(shown) == 18 < total, "18 rows of the teams, and how many there are"
    assert list(shown.columns)[:2] == ["队", "班组"]


@pytest.mark.parametrize("page", ANALYSIS_PAGES)
def test_every_screen_of_every_page_masks_every_name_and_id(page):
    at = open_page(page, {"mode": "meeting"})
    assert not at.exception
    assert any("stSidebar" in m.value for m in at.markdown), "会议模式 hides the sidebar"
    checked = screens = 0
    for screen in every_screen(at):
        screens += 1
        assert not screen.error, [e.value for e in screen.error]
        for table in [*screen.dataframe, *screen.table]:
            frame = table.value
            for col in frame.columns:
                if col in NAME_HEADERS + ID_HEADERS:
                    values = [v for v in frame[col].dropna() if str(v).strip()]
                    assert all("*" in str(v) for v in values), (page, col, values[:3])
                    checked += len(values)
    if page in ("model_posts_page", "pairs_talks_page", "scores_page", "team_building_page", "todo_page"):
        assert checked > 0, "the page shows people and they were checked"
    assert screens >= (1 if page == "overview_page" else 2)


@pytest.mark.parametrize("page", [p for p in PAGES if p not in ANALYSIS_PAGES])
def test_the_other_pages_have_screens_too(page):
    at = open_page(page, {"mode": "meeting"})
    assert not at.exception and not at.error
    count = int(where(at).split("/")[1].split()[0])
    assert count >= 2 and len(list(every_screen(at))) == count
