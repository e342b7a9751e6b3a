"""Never sent is not zero (#11 part 5) and 报送情况 from a 队's first report on (#11 part 6).

The first real month: into an empty database only a 人员名册 is imported (综采队, 2024年6月, 9 people in
two teams, party members in both). Every indicator whose sheet was not sent says so — on the
indicator, in the metrics JSON (ratios null, not 0), on the cards, charts, 本月要点 and the deck — and
报送情况 counts no month before the 队's first report as missing, unless a 管理员 sets a start month.
"""
import datetime as dt
import json
import re

import pandas as pd
import pytest

from lib.access.auth import PermissionDenied
from lib.metrics.json_contract import all_metrics
from lib.metrics.query import Filter, Ratio
from lib.metrics.registry import Indicators
from lib.metrics.scope import default_filter
from lib.present.highlights import highlights
from lib.present.page_views import VIEWS, overview_view
from lib.present.view_parts import Kpi
from lib.store.database import Store
from lib.store.expectations import clear_expected_start, expected_starts, set_expected_start
from lib.store.importer import IMPORTED, import_file
from lib.store.logs import operations_history
from tests.users import ADMIN_USER, VIEWER_USER, uploader
from tests.workbooks import ROSTER_HEADER, canonical_header, person, roster, xlsx_bytes

JUNE = dt.date(2024, 6, 1)
ONLY_JUNE = Filter(start=JUNE, end=JUNE)


def load(store, sheets: dict, name: str = "f.xlsx"):
    result = import_file(store, xlsx_bytes(sheets), name, ADMIN_USER)
    assert result.status == IMPORTED, [e.message for e in result.errors]


@pytest.fixture
def first_month(tmp_path):
    """An empty database into which only 综采队's 人员名册 for 2024年6月 was imported."""
    store = Store(tmp_path / "first.duckdb")
    load(store, {"人员名册": roster("2024-06", n=9)}, "综采队_2024年6月.xlsx")
    yield store
    store.close()


def get(store, name, f=ONLY_JUNE):
    return Indicators(store).get(name, f)


# ---------------------------------------------------------------- the indicators

def test_each_indicator_names_the_sheets_not_sent(first_month):
    assert get(first_month, "team_coverage").not_reported == ()
    assert get(first_month, "pair_coverage").not_reported == ("包保对子",)
    assert get(first_month, "talk_activity").not_reported == ("谈心记录", "包保对子")
    assert get(first_month, "committee").not_reported == ("管理委员会",)
    assert get(first_month, "slogans").not_reported == ("理念口号",)
    assert get(first_month, "problem_ledger").not_reported == ("问题台帐",)
    assert get(first_month, "dev_shares").not_reported == ("发展党员",)
    assert get(first_month, "score_trend").not_reported == ("比学争优",)
    assert get(first_month, "zones").not_reported == ("党员责任区",)
    # The ratio still holds what was counted (0 of 6 workers): the flag is what says it means nothing.
    assert get(first_month, "pair_coverage").worker_coverage == Ratio(0, 6)


def test_the_metrics_json_names_the_sheets_and_gives_null_ratios(first_month):
    out = json.loads(json.dumps(all_metrics(Indicators(first_month).get, ONLY_JUNE), default=str))
    assert out["pair_coverage"]["not_reported"] == ["包保对子"]
    assert out["pair_coverage"]["worker_coverage"] is None
    assert out["pair_coverage"]["member_participation"] is None
    assert out["talk_activity"]["talk_coverage"] is None
    assert out["committee"]["teams_with_committee"] is None and out["committee"]["not_reported"] == ["管理委员会"]
    assert out["problem_ledger"]["resolution_rate"] is None
    assert out["dev_frontline_share"] is None and out["dev_leader_share"] is None
    assert out["dev_pipeline"]["not_reported"] == ["发展党员"]
    # What was sent keeps its figures.
    assert out["team_coverage"]["not_reported"] == []
    assert out["team_coverage"]["coverage"] == {"n": 2, "N": 2, "value": 1.0}
    # 总览: a figure not sent is null, with the sheets to send; the previous period had no roster at all.
    heads = out["overview"]
    assert heads["worker_coverage"] == {"current": None, "previous": None, "not_reported": ["包保对子"]}
    assert heads["talks"] == {"current": None, "previous": None, "not_reported": ["谈心记录"]}
    assert heads["members"]["current"] == 3 and heads["members"]["not_reported"] == []


def test_a_sheet_is_sent_per_unit(first_month):
    """机关 members pair with 综采队 workers: 综采队's workers are covered by a list 综采队 did not send."""
    load(first_month, {"人员名册": roster("2024-06", unit="机关", n=3, start=50)})
    load(first_month, {"包保对子": [canonical_header("pairs"),
                                ["000050", "职工50", "机关", "000002", "职工2", "综采队", "检修班", "2024-01-01", None]]})
    zongcai = Filter(units=("综采队",), start=JUNE, end=JUNE)
    pairs = get(first_month, "pair_coverage", zongcai)
    assert pairs.not_reported == () and pairs.worker_coverage == Ratio(1, 6)
    # A 班组 of a 队 that sent the sheet counts zero, not 未报送.
    team = Filter(units=("综采队",), teams=(("综采队", "赵林生产班"),), start=JUNE, end=JUNE)
    assert get(first_month, "pair_coverage", team).not_reported == ()
    # Talks belong to the member's 队: 机关 sent none for June.
    assert get(first_month, "talk_activity", zongcai).not_reported == ("谈心记录",)


def test_no_blank_team_is_said_in_words_not_as_no_data(first_month):
    liaison = get(first_month, "liaison_rate")
    assert liaison.rate == Ratio(0, 0) and liaison.not_reported == ()  # 班组信息 not needed: nothing to look up
    card = next(k for k in VIEWS["coverage"](Indicators(first_month).get, ONLY_JUNE).sections[0].kpis
                if k.label == "空白班组挂靠率")
    assert card.text().shown == "无空白班组" and card.text().caption is None


def test_a_blank_team_without_team_information_is_not_reported(tmp_path):
    store = Store(tmp_path / "blank.duckdb")
    load(store, {"人员名册": [ROSTER_HEADER, person(1, team="赵林生产班", political="中共党员"),
                            person(2, team="检修班"), person(3, team="检修班")]})
    assert get(store, "team_coverage").blank_teams == 1
    liaison = get(store, "liaison_rate")
    assert liaison.not_reported == ("班组信息",)
    card = next(k for k in VIEWS["coverage"](Indicators(store).get, ONLY_JUNE).sections[0].kpis
                if k.label == "空白班组挂靠率")
    assert (card.text().shown, card.text().caption) == ("未报送", "请上传《班组信息》")
    store.close()


def test_kpi_text_says_not_reported_and_what_to_upload():
    text = Kpi("包保职工覆盖率", Ratio(0, 9), Ratio(3, 9), not_reported=("包保对子",)).text()
    assert (text.shown, text.caption, text.delta) == ("未报送", "请上传《包保对子》", None)
    assert Kpi("谈心次数", 0, unit=" 次", not_reported=("谈心记录",)).text().shown == "未报送"
    plain = Kpi("解决率", Ratio(0, 0)).text()
    assert (plain.shown, plain.caption) == ("无数据", "分母为 0")
    worded = Kpi("解决率", Ratio(0, 0), none_text="本期无新问题").text()
    assert (worded.shown, worded.caption) == ("本期无新问题", None)


# ---------------------------------------------------------------- cards, charts, 本月要点

def test_overview_cards_and_charts_say_not_reported(first_month):
    view = overview_view(Indicators(first_month).get, ONLY_JUNE)
    cards = {k.label: k.text() for s in view.sections for k in s.kpis}
    for label in ("包保职工覆盖率", "谈心次数", "有管理委员会的班组", "理念口号", "问题解决率", "新发现问题",
                  "发展对象中一线职工", "比学争优平均分（最近季度）", "超过60天未谈心的对子"):
        assert cards[label].shown == "未报送", (label, cards[label])
        assert cards[label].caption.startswith("请上传《"), label
    assert cards["包保职工覆盖率"].caption == "请上传《包保对子》"
    assert cards["班组党员覆盖率"].shown == "100.0%" and cards["党员人数"].shown == "3 人"
    shown = {c.name: c for c in view.section("charts").charts}
    for name, sheet in (("各队包保职工覆盖率", "包保对子"), ("比学争优平均分", "比学争优"), ("未办结问题", "问题台帐")):
        figure = shown[name].figure
        assert shown[name].empty, name
        assert figure.layout.title.text == name
        assert figure.layout.annotations[0].text == f"未报送，请上传《{sheet}》"
    assert not shown["空白班组数变化"].empty


def test_highlights_name_what_was_not_sent_and_cite_no_zero(first_month):
    points = highlights(Indicators(first_month).get, ONLY_JUNE)
    assert [p.key for p in points] == ["blank_teams", "not_reported"]
    assert points[-1].text == ("本期未报送《发展党员》《包保对子》《谈心记录》《问题台帐》《比学争优》《管理委员会》"
                               "《理念口号》，相关指标显示为“未报送”而非0，请在“数据上传”页上传。")
    assert not any(re.search(r"(?<![\d.])0\.0%", p.text) for p in points)


def test_no_change_is_shown_against_a_period_whose_sheet_was_not_sent(first_month):
    """July's talks beside June, when no talk was sent for June: no “+2 次”."""
    load(first_month, {"人员名册": roster("2024-07", n=9)})
    load(first_month, {"谈心记录": [canonical_header("talks"),
                                ["2024-07-03", "000001", "职工1", "综采队", "000002", "职工2", "面谈", None, "否", None],
                                ["2024-07-09", "000001", "职工1", "综采队", "000003", "职工3", "面谈", None, "否", None]]})
    july = Filter(start=dt.date(2024, 7, 1), end=dt.date(2024, 7, 1))
    heads = get(first_month, "overview", july)
    assert (heads["talks"].current, heads["talks"].previous, heads["talks"].not_reported) == (2, None, ())
    cards = {k.label: k.text() for s in overview_view(Indicators(first_month).get, july).sections for k in s.kpis}
    assert cards["谈心次数"].shown == "2 次" and cards["谈心次数"].delta is None


# ---------------------------------------------------------------- 报送情况

def cell(status, unit, sheet, period):
    return status.matrix.set_index(["unit", "sheet", "period"]).loc[(unit, sheet, period)]


def test_months_before_the_first_report_are_not_missing(first_month):
    f = default_filter(first_month)   # the twelve months up to 2024-06
    status = get(first_month, "submission_status", f)
    roster_cells = status.matrix[status.matrix["sheet"] == "人员名册"]
    assert list(roster_cells[roster_cells["expected"]]["period"]) == ["2024-06"]
    assert not (status.matrix["expected"] & ~status.matrix["loaded"]).any(), "no 缺 anywhere"
    assert cell(status, "综采队", "人员名册", "2024-05")["expected_from"] == "2024-06"
    assert pd.isna(cell(status, "综采队", "谈心记录", "2024-06")["expected_from"])  # never sent: not expected
    assert not status.lists["expected"].any()
    # In the JSON the months before carry "expected": false.
    out = all_metrics(Indicators(first_month).get, f)["submission_status"]
    may = next(r for r in out["matrix"] if r["sheet"] == "人员名册" and r["period"] == "2024-05")
    assert may["expected"] is False and may["loaded"] is False


def test_a_month_skipped_after_the_first_report_is_missing(first_month):
    load(first_month, {"人员名册": roster("2024-08", n=9)})
    status = get(first_month, "submission_status", Filter(start=JUNE, end=dt.date(2024, 8, 1)))
    july = cell(status, "综采队", "人员名册", "2024-07")
    assert bool(july["expected"]) and not bool(july["loaded"])


def test_a_start_month_set_by_an_admin_replaces_the_first_report(first_month):
    f = Filter(start=dt.date(2024, 1, 1), end=JUNE)
    set_expected_start(first_month, ADMIN_USER, ["综采队"], ["roster", "talks", "scores", "pairs"], "2024年4月")
    status = get(first_month, "submission_status", f)
    assert [bool(cell(status, "综采队", "人员名册", f"2024-0{m}")["expected"]) for m in range(1, 7)] == \
        [False, False, False, True, True, True]
    assert bool(cell(status, "综采队", "人员名册", "2024-04")["start_set"])
    assert cell(status, "综采队", "谈心记录", "2024-05")["expected_from"] == "2024-04"
    # A quarterly sheet: from the quarter of the month set.
    assert [bool(cell(status, "综采队", "比学争优", q)["expected"]) for q in ("2024Q1", "2024Q2")] == [False, True]
    # A whole list is expected once its month has come.
    pairs = status.lists.set_index(["unit", "sheet"]).loc[("综采队", "包保对子")]
    assert bool(pairs["expected"]) and not bool(pairs["loaded"]) and pairs["expected_from"] == "2024-04"
    # Removed again: from the first report.
    clear_expected_start(first_month, ADMIN_USER, ["综采队"], ["roster"])
    again = get(first_month, "submission_status", f)
    assert not bool(cell(again, "综采队", "人员名册", "2024-04")["expected"])
    assert list(expected_starts(first_month)["sheet"]) == ["pairs", "scores", "talks"]


def test_setting_a_start_month_is_logged_and_for_admins_only(first_month):
    set_expected_start(first_month, ADMIN_USER, ["综采队"], ["talks"], "2024-03")
    log = operations_history(first_month)
    assert list(log["操作"]) == ["设置应报送起始月份"]
    assert list(log["操作人"]) == [ADMIN_USER.name]
    assert log["说明"].iloc[0] == "综采队 · 谈心记录：应报送起始月份设为2024年3月"
    assert expected_starts(first_month)["set_by"].tolist() == [ADMIN_USER.name]
    for someone in (VIEWER_USER, uploader("综采队")):
        with pytest.raises(PermissionDenied, match="只有管理员可以设置应报送起始月份"):
            set_expected_start(first_month, someone, ["综采队"], ["talks"], "2024-01")
        with pytest.raises(PermissionDenied):
            clear_expected_start(first_month, someone, ["综采队"], ["talks"])
    assert len(operations_history(first_month)) == 1


@pytest.mark.parametrize("units, sheets, month, message", [
    (["综采队"], ["talks"], "2024-13", "“2024-13”不是一个月份，请写成 2024-06 或 2024年6月"),
    (["综采队"], ["talks"], "六月", "“六月”不是一个月份"),
    (["综采队"], ["talks"], "", "请填写起始月份"),
    ([], ["talks"], "2024-06", "请至少选择一个队"),
    (["综采队"], [], "2024-06", "请至少选择一类报表"),
    (["综采队"], ["meetings"], "2024-06", "没有这类报表：meetings"),
])
def test_a_bad_start_month_gets_a_chinese_message_and_changes_nothing(first_month, units, sheets, month, message):
    with pytest.raises(ValueError, match=message):
        set_expected_start(first_month, ADMIN_USER, units, sheets, month)
    assert expected_starts(first_month).empty and operations_history(first_month).empty


# ---------------------------------------------------------------- the app, first real month

@pytest.fixture
def first_month_app(tmp_path, monkeypatch):
    """The app on a real database holding only 综采队's June roster (accounts configured)."""
    monkeypatch.setenv("DANGJIAN_DB", str(tmp_path / "dangjian.duckdb"))
    store = Store(tmp_path / "dangjian.duckdb")
    load(store, {"人员名册": roster("2024-06", n=9)}, "综采队_2024年6月.xlsx")
    store.close()
    return tmp_path


def signed_in(page: str, login: str = "admin"):
    from tests.accounts import accounts_secrets, sign_in
    from tests.test_app import open_page

    at = sign_in(open_page("overview_page", secrets=accounts_secrets()), login)
    assert not at.exception, at.exception
    if page != "overview_page":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def heatmap_texts(at) -> list[str]:
    texts = []
    for chart in at.get("plotly_chart"):
        for trace in json.loads(chart.proto.spec)["data"]:
            if trace.get("type") == "heatmap":
                texts += [t for row in trace["text"] for t in row]
    return texts


def test_overview_of_the_first_month_says_not_reported(first_month_app):
    from lib.present import render

    at = signed_in("overview_page")
    cards = {m.label: m.value for m in at.metric}
    for label in ("包保职工覆盖率", "谈心次数", "有管理委员会的班组", "理念口号"):
        assert cards[label] == "未报送", (label, cards[label])
    assert not any(v in ("0.0%", "0 次", "0 条") for v in cards.values()), cards
    assert cards["班组党员覆盖率"] == "100.0%"
    captions = [c.value for c in at.caption]
    assert "请上传《包保对子》" in captions and "请上传《理念口号》" in captions
    assert any("本期未报送《发展党员》《包保对子》" in m.value for m in at.markdown)
    if not render.problem():  # an empty chart (未报送) offers no picture: only 空白班组数变化 does
        labels = [d.proto.label for d in at.get("download_button")]
        assert labels.count("下载图片") == 1, labels


def test_submissions_of_the_first_month_show_no_missing_before_the_first_report(first_month_app):
    at = signed_in("submissions_page")
    texts = heatmap_texts(at)
    assert texts and "缺" not in texts
    assert texts.count("9") == 1 and set(texts) == {"9", "—"}   # June's 9 rows; before it, and every other sheet: —
    cards = {m.label: m.value for m in at.metric}
    assert cards["缺报"] == "0 份" and cards["人员名册 已报送 / 应报送"] == "100.0%"
    assert any("各队应报送的人员名册均已报送" in c.value for c in at.caption)


def test_an_admin_sets_a_start_month_on_the_page(first_month_app):
    at = signed_in("submissions_page")
    at.multiselect(key="start-units").select("综采队")
    at.multiselect(key="start-sheets").select("roster")
    at.text_input(key="start-month").input("2024年13月")
    at.button(key="FormSubmitter:expected-start-form-设置起始月份").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["“2024年13月”不是一个月份，请写成 2024-06 或 2024年6月"]
    at.text_input(key="start-month").input("2024-04")
    at.button(key="FormSubmitter:expected-start-form-设置起始月份").click().run()
    assert not at.exception and not at.error
    assert any(s.value == "已保存应报送起始月份。" for s in at.success)
    assert heatmap_texts(at).count("缺") == 2   # April and May
    cards = {m.label: m.value for m in at.metric}
    assert cards["缺报"] == "2 份"
    store = Store.shared(first_month_app / "dangjian.duckdb")
    assert list(operations_history(store)["操作"]) == ["设置应报送起始月份"]


def test_only_an_admin_is_offered_the_start_month(first_month_app):
    at = signed_in("submissions_page", "chakan")
    assert not [w for w in at.text_input if w.key == "start-month"]
    assert any("只有管理员可以设置应报送起始月份" in c.value for c in at.caption)


@pytest.mark.parametrize("page", ["development_page", "coverage_page", "model_posts_page", "zones_page",
                                  "pairs_talks_page", "problems_page", "scores_page", "team_building_page"])
def test_every_page_of_the_first_month_says_what_to_upload(first_month_app, page):
    at = signed_in(page)
    said = [i.value for i in at.info] + [c.value for c in at.caption]
    if page == "coverage_page":   # the roster is all it needs: figures, and no blank team to hang a liaison on
        cards = {m.label: m.value for m in at.metric}
        assert cards["空白班组挂靠率"] == "无空白班组" and cards["班组党员覆盖率"] == "100.0%"
    else:
        assert any("请在“数据上传”页上传" in s or s.startswith("请上传《") for s in said), said
    assert not any(m.value in ("0.0%", "0 次", "0 条") for m in at.metric), [(m.label, m.value) for m in at.metric]


def test_the_cli_metrics_text_says_not_reported(first_month, capsys):
    from lib.cli import main

    path = first_month.path
    first_month.close()
    assert main(["metrics", "--db", str(path), "--from", "2024-06", "--to", "2024-06"]) == 0
    out = capsys.readouterr().out
    assert "包保职工覆盖率：未报送，请上传《包保对子》" in out
    assert "0.0%" not in out.split("包保职工覆盖率")[1].splitlines()[0]
