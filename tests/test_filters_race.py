"""The sidebar filters never raise, whatever the widgets, the session or the URL hold (issue #12):
a month a browser still offered after the options changed (a fast change of 起始月份 then
结束月份), start after end, values of the wrong type, and nonsense in the URL."""
import datetime as dt

import pytest

from lib.metrics.query import add_months
from tests.test_app import open_page


@pytest.fixture(autouse=True)
def app_env(demo_copy, monkeypatch):
    """The app sees an empty real database beside the demo one, so it shows the demo data."""
    monkeypatch.setenv("DANGJIAN_DB", str(demo_copy.parent / "dangjian.duckdb"))


def month(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%Y-%m").date()


def settled(at) -> tuple[dt.date, dt.date]:
    """No traceback, no error message; the filter's months, start ≤ end, both dates."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    f = at.session_state["filter"]
    assert isinstance(f.start, dt.date) and isinstance(f.end, dt.date)
    assert f.start <= f.end
    return f.start, f.end


def test_an_end_month_the_browser_still_offered_is_read_as_that_month():
    at = open_page("overview_page")
    first, last = settled(at)
    late, early = add_months(last, -2), add_months(last, -8)
    at.sidebar.selectbox(key="filter_start").set_value(late).run()
    assert settled(at) == (late, last)
    # The browser has not drawn that run yet: its 结束月份 still lists the earlier months, and the
    # user picks one. The server gets the text of an option its own list no longer has.
    end = at.sidebar.selectbox(key="filter_end")
    assert "2000年1月" not in end.options and end.options[0] == f"{late.year}年{late.month}月"
    end.options.insert(0, f"{early.year}年{early.month}月")
    end.set_value(early).run()
    assert settled(at) == (early, late), "both months chosen stay the ends of the range"
    assert at.query_params["from"] == early.strftime("%Y-%m") and at.query_params["to"] == late.strftime("%Y-%m")


def test_a_start_month_no_longer_offered_does_not_raise():
    at = open_page("overview_page", {"from": "2010-01", "to": "2010-03"})
    assert settled(at) == (month("2010-01"), month("2010-03"))
    start = at.sidebar.selectbox(key="filter_start")
    start.options.insert(0, "2009年7月")  # offered before the URL's months were dropped from the list
    start.set_value(month("2009-07")).run()
    assert settled(at) == (month("2009-07"), month("2010-03"))


def test_start_after_end_in_the_session_is_put_in_order():
    at = open_page("overview_page")
    _, last = settled(at)
    at.session_state["filter_start"] = last
    at.session_state["filter_end"] = add_months(last, -5)
    at.run()
    assert settled(at) == (add_months(last, -5), last)


def test_a_month_as_text_in_the_session_is_read_as_that_month():
    at = open_page("overview_page")
    default = settled(at)
    at.session_state["filter_start"] = "2023-05"   # text as the URL writes it: that month
    at.session_state["filter_teams"] = ["不存在的队·某班", 3]
    at.run()
    assert settled(at) == (month("2023-05"), default[1])
    assert at.session_state["filter"].teams == ()


def test_values_of_the_wrong_type_are_read_as_what_they_name_or_nothing():
    """AppTest replays a widget's state from its last drawn options, so values no browser could
    send are checked on the readers the filters run every value through."""
    from ui.filters import _as_month, _texts

    assert _as_month(dt.datetime(2023, 7, 15, 8, 30)) == month("2023-07")
    assert _as_month("2023年7月") == _as_month(" 2023-07 ") == _as_month("2023-07-31") == month("2023-07")
    assert [_as_month(v) for v in (None, 12345, "abc", "2023-13", ["2023-07"])] == [None] * 5
    assert _texts("综采队", ["综采队", "掘进队"]) == ["综采队"]
    assert _texts(["不存在的队", "综采队", 7, "综采队"], ["综采队"]) == ["综采队"]
    assert _texts(None, ["综采队"]) == _texts(3, ["综采队"]) == []


def test_nonsense_in_the_url_gives_the_default_view():
    default = settled(open_page("overview_page"))
    for query in ({"from": "abc", "to": "2023-13"}, {"from": "9999-12"}, {"to": "0001-01"},
                  {"unit": "不存在的队", "team": "没有/这个班组", "from": "", "to": "   "}):
        at = open_page("overview_page", query)
        assert settled(at) == default, query
        assert at.session_state["filter"].units == () and at.session_state["filter"].teams == ()


def test_a_url_with_from_after_to_shows_the_range_between():
    at = open_page("overview_page", {"from": "2023-09", "to": "2023-02", "unit": "综采队"})
    assert settled(at) == (month("2023-02"), month("2023-09"))
    assert at.session_state["filter"].units == ("综采队",)
