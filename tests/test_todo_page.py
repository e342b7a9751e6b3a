"""待办督办 page (pages/todo_page.py) run by Streamlit's AppTest on the demo data: rows grouped by 队
in urgency order with the page that explains each, the counts chart, masking by role and in 会议模式,
the 队 filter, a 督办单 per 队 (the logged, masked export), and the states with nothing to show."""
from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.runtime.media_file_manager import MediaFileManager

from lib.labels import TODO_KIND_LABELS
from lib.metrics.todo import KINDS
from tests.accounts import accounts_secrets, sign_in
from tests.test_app import open_page

WHO = "相关人员姓名"
URGENCY = {TODO_KIND_LABELS[k]: i for i, k in enumerate(KINDS)}
PAGE_OF = {"问题超期未办结": "problems?", "对子逾期未谈心": "pairs?", "预备党员到期待转正": "development?",
           "空白班组无挂靠联系人": "coverage?", "报表缺报": "submissions?", "示范岗六好未达标": "model-posts?",
           "班组无管理委员会": "team-building?", "理念口号缺类别": "team-building?"}


@pytest.fixture(autouse=True)
def app_env(demo_copy, monkeypatch):
    """The app sees an empty real database beside the demo one, so it shows the demo data."""
    monkeypatch.setenv("DANGJIAN_DB", str(demo_copy.parent / "dangjian.duckdb"))
    return demo_copy.parent


def todo_page(query: dict | None = None, login: str | None = None):
    if login is None:
        at = open_page("todo_page", query)
    else:
        at = sign_in(open_page("overview_page", query, secrets=accounts_secrets()), login)
        at.switch_page("pages/todo_page.py").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def tables(at) -> list[pd.DataFrame]:
    return [t.value for t in at.dataframe if WHO in t.value.columns]


def people(at) -> list[str]:
    return [str(v) for t in tables(at) for v in t[WHO].dropna() if str(v).strip()]


def test_page_lists_the_items_by_unit_in_urgency_order_with_the_chart(app_env):
    at = todo_page()
    assert [t.value for t in at.title] == ["待办督办"]
    cards = {m.label: m.value for m in at.metric}
    total = int(cards["待办事项"].split()[0])
    shown = tables(at)
    assert total > 0 and sum(len(t) for t in shown) == total
    assert int(cards["涉及的队"].split()[0]) == len(shown)
    units = [t["队"].iloc[0] for t in shown]
    assert len(set(units)) == len(units) and all(t["队"].nunique() == 1 for t in shown)
    headings = [m.value for m in at.markdown if m.value.startswith("###### ")]
    assert headings == [f"###### {u} · {len(t)} 项" for u, t in zip(units, shown)]
    for t in shown:
        assert list(t.columns) == ["事项", "队", "班组", WHO, "起算日期", "已过天数", "督办事项", "相关页面"]
        ranks = [URGENCY[k] for k in t["事项"]]
        assert ranks == sorted(ranks), "most urgent kind first"
        for _, same in t.groupby("事项", sort=False):  # within a kind the longest overdue first
            days = [d for d in same["已过天数"] if pd.notna(d)]
            assert days == sorted(days, reverse=True)
        for kind, link in zip(t["事项"], t["相关页面"]):
            assert link.startswith(PAGE_OF[kind]) and "from=" in link and "to=" in link
    everything = pd.concat(shown)
    assert {"问题超期未办结", "对子逾期未谈心", "报表缺报"} <= set(everything["事项"])
    assert (everything.loc[everything["事项"] == "报表缺报", "班组"] == "（全队）").all()
    # The counts per 队 and per kind, drawn.
    assert len(at.get("plotly_chart")) == 2
    # 演示模式 shows names in full on screen (downloads are masked).
    names = people(at)
    assert names and not any("*" in n for n in names)
    # A link to each page that explains the kinds listed.
    links = [e.proto.label for e in at.get("page_link")]
    assert {"问题台帐", "包保谈心", "报送情况"} <= set(links)


def test_a_viewer_sees_the_names_masked(app_env):
    at = todo_page(login="chakan")
    names = people(at)
    assert names and all("*" in n for n in names), names[:5]


def test_meeting_mode_shows_a_unit_a_screen_masked_and_the_links_keep_it(app_env):
    at = todo_page({"mode": "meeting"})
    assert not tables(at), "the first screen has the counts only"
    at.button(key="screen-next").click().run()
    shown = [t.value for t in at.table]
    assert len(shown) == 1 and not {"队", "相关页面"} & set(shown[0].columns)
    names = [str(v) for v in shown[0][WHO].dropna() if str(v).strip()]
    assert names and all("*" in n for n in names), names[:5]
    links = [link for link in at.get("page_link")]
    assert links and all("mode=meeting" in link.proto.query_string for link in links), [l.proto for l in links]


def test_a_unit_filter_narrows_the_rows(app_env):
    at = todo_page()
    before = sum(len(t) for t in tables(at))
    at.sidebar.multiselect(key="filter_units").select("综采队").run()
    assert not at.exception and not at.error
    shown = tables(at)
    assert len(shown) == 1 and set(shown[0]["队"]) == {"综采队"}
    assert 0 < len(shown[0]) < before
    assert {m.label: m.value for m in at.metric}["待办事项"] == f"{len(shown[0])} 项"
    assert all("unit=%E7%BB%BC%E9%87%87%E9%98%9F" in link for link in shown[0]["相关页面"])  # 综采队
    assert at.query_params.get("unit") == "综采队"


def test_a_duban_workbook_per_unit_masked_and_logged(app_env, monkeypatch):
    """Each 队 has its 督办单 button; the workbook (built when clicked) holds that 队's rows, masked,
    and the download is logged."""
    made = {}
    add = MediaFileManager.add_deferred

    def remember(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        made[file_name] = data_callable
        return add(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", remember)
    at = todo_page()
    shown = tables(at)
    units = [t["队"].iloc[0] for t in shown]
    labels = [d.proto.label for d in at.get("download_button") if d.proto.label.startswith("下载督办单")]
    assert labels == [f"下载督办单（{u}）" for u in units]
    end = at.session_state["filter"].end
    table = shown[units.index("综采队")]
    data = made[f"督办单_综采队_{end:%Y%m}.xlsx"]()
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("事项", "队", "班组", WHO, "起算日期", "已过天数", "督办事项")
    assert len(rows) == 1 + len(table)
    assert [r[0] for r in rows[1:]] == list(table["事项"])
    named = [r[3] for r in rows[1:] if r[3]]
    assert named and all("*" in n for n in named), "downloads are masked in 演示模式"
    from lib.store.database import Store

    log = Store.shared(app_env / "demo.duckdb").query("SELECT what, detail FROM export_log")
    assert list(log["what"]) == ["督办单：综采队"] and "姓名和工号已打码" in log["detail"].iloc[0]


def test_a_range_without_reports_explains_instead_of_saying_nothing_to_do(app_env):
    at = todo_page({"from": "2010-01", "to": "2010-12"})
    assert any("没有任何队报送《人员名册》或《班组信息》" in i.value for i in at.info)
    assert not tables(at) and not at.success and not at.metric


def test_nothing_to_chase_says_so(app_env):
    """机关's 调度室 has nothing overdue or missing in the demo data's default year."""
    at = todo_page({"team": "机关·调度室"})
    assert at.session_state["filter"].teams == (("机关", "调度室"),)
    assert any(s.value.startswith("没有待办事项：截至") for s in at.success)
    assert not tables(at) and not [d for d in at.get("download_button") if d.proto.label.startswith("下载督办单")]
    assert {m.label: m.value for m in at.metric}["待办事项"] == "0 项"
