"""本月要点: exact sentences on the small mine, numbers that match the metrics on the demo data.

The small mine (tests/small_mine.py) for February 2024, previous period January 2024, worked by hand:
- 空白班组: January B班 (甲队) blank, February C班 (乙队) blank (006 left) → still 1, B班 eliminated, C班 new.
- 包保职工覆盖率: February paired workers 002, 005, 007 of non-members 002, 003, 005, 007 → 3/4 = 75.0%;
  January 002, 007 of 002, 003, 004, 005, 007 → 2/5 = 40.0%; up 35.0 points.
- 逾期未谈: 001–007 last talked 2023-12-01 (90 days before 2024-02-29); 004–005 paired 2024-02-10 (under
  60 days, not counted); 001–002 talked 2024-02-20 → 1 pair, worker in 乙队C班.
- 问题: found in February only P3, open → 1 raised, 0 resolved (0.0%); P2 open since 2024-01-10 (50 days) → 1 超期.
- 发展对象: 103 (2024-02-20), not frontline, not a team leader → 0/1 and 0/1.
- 比学争优: 2024Q1 scores 84, 88, 84 (003 unreviewed: self score) → 85.3; 2023Q4 88, 85, 80 → 84.3; +1.0.
"""
import datetime as dt
import re
from collections import Counter

import pandas as pd
import pytest

from lib.metrics import thresholds
from lib.metrics.query import Filter, Ratio, add_months
from lib.metrics.registry import Indicators
from lib.present.highlights import MAX_HIGHLIGHTS, TONES, Highlight, highlights, name_list
from lib.store.database import Store

JAN, FEB = dt.date(2024, 1, 1), dt.date(2024, 2, 1)
YEAR_2023 = Filter(start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 1))


def highlights_of(store, f):
    return highlights(Indicators(store).get, f)


def indicator(store, name, f):
    """One indicator on its own, not through the memo 本月要点 used."""
    return Indicators(store).get(name, f)


def texts(store, f):
    return [h.text for h in highlights_of(store, f)]


# ---------------------------------------------------------------- (a) the small mine, by hand

def test_small_mine_february_sentences(mine):
    found = highlights_of(mine, Filter(start=FEB, end=FEB))
    assert [h.text for h in found] == [
        "空白班组仍为1个：甲队B班已消除，新出现空白班组：乙队C班。",
        "包保职工覆盖率75.0%（3/4），比上期提高35.0个百分点。",
        "乙队C班有1对包保对子超过60天未谈心。",
        "本期新发现问题1个，已解决0个（0.0%）；超期未办结1个。",
        "本期确定发展对象1人，一线职工占0.0%（0/1），班组长占0.0%（0/1）。",
        "2024年第1季度比学争优平均分85.3分（3人参评），比上季度提高1.0分。",
    ]
    assert [h.key for h in found] == ["blank_teams", "worker_coverage", "overdue_pairs", "problems",
                                      "dev_frontline_share", "scores"]
    assert [h.tone for h in found] == ["neutral", "good", "bad", "bad", "neutral", "good"]
    assert found[1].numbers == {"percent": 75.0, "n": 3, "N": 4, "change_points": 35.0}
    assert found[3].numbers == {"raised": 1, "resolved": 0, "percent": 0.0, "overdue_open": 1}
    assert found[5].numbers == {"year": 2024, "quarter": 1, "mean_score": 85.3, "people": 3, "change": 1.0}


def test_small_mine_blank_team_wordings(mine):
    # 甲队: B班 blank in January, has 004 in February.
    assert texts(mine, Filter(units=("甲队",), start=FEB, end=FEB))[0] == "空白班组由1个减至0个：甲队B班已消除。"
    # 乙队: C班 lost its only member (006) in February.
    yi = highlights_of(mine, Filter(units=("乙队",), start=FEB, end=FEB))
    assert yi[0].text == "空白班组由0个增至1个，新出现空白班组：乙队C班。" and yi[0].tone == "bad"
    # January has no earlier roster: the current state only.
    assert texts(mine, Filter(start=JAN, end=JAN))[0] == "现有空白班组1个：甲队B班。"


def test_small_mine_other_wordings(mine):
    jia = texts(mine, Filter(units=("甲队",), start=FEB, end=FEB))
    # 甲队's workers 002, 003, 005: February 002, 005 paired (2/3); January 002 of 002, 003, 004, 005 (1/4).
    assert jia[1] == "包保职工覆盖率66.7%（2/3），比上期提高41.7个百分点。"
    assert jia[2] == "包保对子近60天内均有谈心，无逾期未谈。"
    assert jia[3] == "本期新发现问题1个，已解决0个（0.0%）；无超期未办结问题。"
    yi = texts(mine, Filter(units=("乙队",), start=FEB, end=FEB))
    assert yi[1] == "包保职工覆盖率100.0%（1/1），与上期持平。"
    assert yi[3] == "本期未发现新问题；超期未办结1个。"
    # January–February: 102 (frontline) and 103 became 发展对象; P1 resolved of P1–P3.
    both = texts(mine, Filter(start=JAN, end=FEB))
    assert "本期确定发展对象2人，一线职工占50.0%（1/2），班组长占0.0%（0/2）。" in both
    assert "本期新发现问题3个，已解决1个（33.3%）；超期未办结1个。" in both


def test_sheets_not_sent_are_named_last_and_never_counted_as_zero(mine):
    # 乙队 in February: no talk by its members, no scores, committee or slogans sent; its workers' pairs
    # (with 甲队 members), its problems and its 发展党员 list were.
    yi = highlights_of(mine, Filter(units=("乙队",), start=FEB, end=FEB))
    assert yi[-1].key == "not_reported" and yi[-1].tone == "bad"
    assert yi[-1].text == ("本期未报送《谈心记录》《比学争优》《管理委员会》《理念口号》，"
                           "相关指标显示为“未报送”而非0，请在“数据上传”页上传。")
    assert "not_reported" not in [h.key for h in highlights_of(mine, Filter(start=FEB, end=FEB))]


def test_the_not_reported_sentence_keeps_its_place_when_there_are_many(mine, monkeypatch):
    from lib.present import highlights as module

    many = [lambda get, f, i=i: Highlight(f"extra{i}", f"第{i}条。", "neutral") for i in range(MAX_HIGHLIGHTS)]
    monkeypatch.setattr(module, "CANDIDATES", tuple(many))
    found = highlights_of(mine, Filter(units=("乙队",), start=FEB, end=FEB))
    assert [h.key for h in found] == [f"extra{i}" for i in range(MAX_HIGHLIGHTS - 1)] + ["not_reported"]


def test_coverage_is_not_cited_when_the_pairs_were_not_sent(tmp_path):
    """A roster without 包保对子: no “包保职工覆盖率0.0%（0/N）”."""
    from lib.access.auth import ADMIN, User
    from lib.store.importer import IMPORTED, import_file
    from tests.workbooks import roster, xlsx_bytes

    store = Store(tmp_path / "first.duckdb")
    result = import_file(store, xlsx_bytes({"人员名册": roster("2024-06", n=9)}), "综采队_2024年6月.xlsx",
                         User("测试", ADMIN))
    assert result.status == IMPORTED
    june = dt.date(2024, 6, 1)
    found = highlights_of(store, Filter(start=june, end=june))
    store.close()
    assert [h.key for h in found] == ["blank_teams", "not_reported"]
    assert not any("包保职工覆盖率" in h.text for h in found)


def test_names_are_capped_at_three():
    assert name_list(["甲队A班", "甲队B班"]) == "甲队A班、甲队B班"
    assert name_list(["1队", "2队", "3队", "4队", "5队"], "队") == "1队、2队、3队等5个队"


# ---------------------------------------------------------------- (c) nothing in scope

def test_empty_filter_gives_no_highlights(mine):
    assert highlights_of(mine, Filter(units=("不存在的队",), start=JAN, end=FEB)) == []
    assert highlights_of(mine, Filter(start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 1))) == []
    assert highlights_of(mine, Filter()) == []


# ---------------------------------------------------------------- (b) the demo data

NUMBER = re.compile(r"\d+(?:\.\d+)?")


def shown(value) -> str:
    """A number as the sentences print it: floats with one decimal, sign dropped (提高/降低 carry it)."""
    return f"{abs(value):.1f}" if isinstance(value, float) else str(abs(value))


def pct(r: Ratio) -> float:
    return round(r.value * 100, 1)


def points(now: Ratio, before: Ratio) -> float | None:
    return None if now.value is None or before.value is None else round((now.value - before.value) * 100, 1)


def names_in_text(store) -> list[str]:
    """Every 队 and 队+班组 name, longest first (removed before reading numbers, in case a name has digits)."""
    rows = store.cursor().execute("SELECT DISTINCT unit, team FROM roster").fetchall()
    return sorted({u + t for u, t in rows} | {u for u, _ in rows}, key=len, reverse=True)


def blank_set(coverage) -> set:
    table = coverage.per_team
    return {(u, t) for u, t, b in zip(table["unit"], table["team"], table["blank"]) if b}


def more_than_three(teams) -> list:
    """The 等N个 count a sentence adds when it names more than three teams."""
    return [len(teams)] if len(teams) > 3 else []


def largest_group(labels) -> int:
    return int(pd.Series(list(labels)).value_counts().max())


def expected_numbers(store, f, h: Highlight) -> list:
    """The numbers sentence `h` should cite, recomputed here from the metric functions."""
    if h.key == "blank_teams":
        now, before = indicator(store, "team_coverage", f), indicator(store, "team_coverage", f.previous())
        blank_now, blank_before = blank_set(now), blank_set(before)
        if before.roster_month in (None, now.roster_month):
            return [now.teams, 0] if not blank_now else [len(blank_now)] + more_than_three(blank_now)
        if not blank_now and not blank_before:
            return [0, now.teams]
        last = {}
        for row in indicator(store, "blank_team_trend", f).changes.itertuples():   # sorted by month
            last[(row.unit, row.team)] = row.change
        present = set(zip(now.per_team["unit"], now.per_team["team"]))
        gone = {t for t, c in last.items() if c == "newly_covered" and t in present - blank_now}
        new = {t for t, c in last.items() if c == "newly_blank" and t in blank_now}
        values = [len(blank_before), len(blank_now)] + more_than_three(gone) + more_than_three(new)
        if len(blank_now) == len(blank_before) and not gone and not new:
            values = [len(blank_now)] + more_than_three(blank_now)
        return values
    if h.key == "worker_coverage":
        now = indicator(store, "pair_coverage", f).worker_coverage
        diff = points(now, indicator(store, "pair_coverage", f.previous()).worker_coverage)
        return [pct(now), now.n, now.N] + ([] if diff in (None, 0) else [diff])
    if h.key == "overdue_pairs":
        overdue = indicator(store, "talk_activity", f).overdue
        values = [len(overdue), thresholds.OVERDUE_TALK_DAYS]
        if overdue["worker_unit"].nunique() > 1:
            values.append(largest_group(overdue["worker_unit"]))
        elif (overdue["worker_unit"] + overdue["worker_team"]).nunique() > 1:
            values.append(largest_group(overdue["worker_unit"] + overdue["worker_team"]))
        return values
    if h.key == "problems":
        ledger = indicator(store, "problem_ledger", f)
        late = len(ledger.overdue_open)
        head = [ledger.raised, ledger.resolved, pct(ledger.resolution_rate)] if ledger.raised else []
        return head + ([late] if late else [])
    if h.key == "dev_frontline_share":
        d = indicator(store, "dev_shares", f)
        return [d.frontline.N, pct(d.frontline), d.frontline.n, d.frontline.N, pct(d.leader), d.leader.n, d.leader.N]
    if h.key == "scores":
        means = indicator(store, "score_means", f)
        last = means[means["quarter"] == means["quarter"].max()]
        year, quarter = (int(x) for x in means["quarter"].max().split("Q"))
        mean = (last["mean_score"] * last["people"]).sum() / last["people"].sum()
        values = [year, quarter, round(float(mean), 1), int(last["people"].sum())]
        start = dt.date(year, 3 * quarter - 2, 1)
        before = indicator(store, "score_means", Filter(f.units, f.teams, add_months(start, -3), add_months(start, -1)))
        if len(before):
            prev_mean = (before["mean_score"] * before["people"]).sum() / before["people"].sum()
            diff = round(float(mean - prev_mean), 1)
            values += [] if diff == 0 else [diff]
            if last["unit"].nunique() > 1:
                rises = [round(float(a - b), 1) for u, a in zip(last["unit"], last["mean_score"])
                         for v, b in zip(before["unit"], before["mean_score"]) if u == v]
                if len(rises) > 1 and max(rises) > 0:
                    values.append(max(rises))
            else:
                now_t = indicator(store, "score_trend", Filter(f.units, f.teams, start, add_months(start, 2))).per_team
                before_t = indicator(store, "score_trend", Filter(f.units, f.teams, add_months(start, -3),
                                                         add_months(start, -1))).per_team
                both = now_t.merge(before_t, on=["unit", "team"], suffixes=("", "_before"))
                rises = [round(float(a - b), 1) for a, b in zip(both["mean_score"], both["mean_score_before"])]
                if len(rises) > 1 and max(rises) > 0:
                    values.append(max(rises))
        return values
    raise AssertionError(f"unknown highlight {h.key}")


@pytest.fixture
def demo(demo_copy):
    store = Store(demo_copy)
    yield store
    store.close()


@pytest.mark.parametrize("units", [(), ("综采队",)], ids=["all", "综采队"])
def test_demo_2023_numbers_match_the_metrics(demo, units):
    f = Filter(units=units, start=YEAR_2023.start, end=YEAR_2023.end)
    found = highlights_of(demo, f)
    assert 3 <= len(found) <= MAX_HIGHLIGHTS
    assert len({h.key for h in found}) == len(found)
    names = names_in_text(demo)
    for h in found:
        assert h.tone in TONES and h.text.endswith("。")
        text = h.text
        for name in names:
            text = text.replace(name, "")
        assert not re.search(r"[A-Za-z]", text), h.text
        cited = Counter(NUMBER.findall(text))
        expected = Counter(shown(v) for v in expected_numbers(demo, f, h))
        assert cited == expected, h.text
        # The numbers dict holds exactly what the sentence cites (a number printed twice, once).
        assert {shown(v) for v in h.numbers.values()} == set(expected), (h.text, h.numbers)
    # Deterministic: the same filter, the same sentences.
    assert highlights_of(demo, f) == found


def test_demo_2023_blank_teams_fall_to_zero(demo):
    found = highlights_of(demo, YEAR_2023)
    blank = found[0]
    assert blank.key == "blank_teams" and blank.tone == "good"
    assert blank.numbers["blank_teams"] == 0 and blank.numbers["previous_blank_teams"] > 0
    assert f"由{blank.numbers['previous_blank_teams']}个减至0个" in blank.text
    assert indicator(demo, "team_coverage", YEAR_2023).blank_teams == 0
    # The teams named as eliminated are the ones blank at the end of 2022, in natural order (at most 3).
    before = indicator(demo, "team_coverage", YEAR_2023.previous())
    assert blank.numbers["previous_blank_teams"] == before.blank_teams
    named = blank.text.split("：", 1)[1].removesuffix("已消除。").split("、")
    expected = [u + t for u, t in before.per_team[before.per_team["blank"]][["unit", "team"]].values.tolist()]
    assert sorted(named) == sorted(expected) and len(named) == before.blank_teams <= 3


def test_demo_empty_filter(demo):
    assert highlights_of(demo, Filter(units=("不存在的队",), start=YEAR_2023.start, end=YEAR_2023.end)) == []
    assert highlights_of(demo, Filter(start=dt.date(2015, 1, 1), end=dt.date(2015, 12, 1))) == []


def test_views_and_highlights_leave_the_shared_results_as_they_were(mine):
    """Indicators hands out shared results (lib.metrics.registry): what reads them must not change them."""
    from lib.metrics.json_contract import plain
    from lib.present.page_views import VIEWS, model_posts_view, scores_view

    indicators = Indicators(mine)
    f = Filter(start=JAN, end=FEB)
    for make in VIEWS.values():
        make(indicators.get, f)
    scores_view(indicators.get, f, "2024Q1")
    model_posts_view(indicators.get, f, "2024Q1")
    highlights(indicators.get, f)
    shared = dict(indicators._results)
    assert len(shared) > 20
    for (name, asked), result in shared.items():
        assert plain(result) == plain(Indicators(mine).get(name, asked)), (name, asked)
