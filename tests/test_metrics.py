"""Every indicator on the small mine of tests/small_mine.py, with the expected numbers worked out by hand.

The mine: 甲队 (A班, B班) and 乙队 (C班), rosters for 2024-01 and 2024-02.
  2024-01  A班: 001 党员, 002, 003 | B班: 004, 005 (blank) | C班: 006 预备党员, 007
  2024-02  A班: 001 党员, 002, 003 | B班: 004 党员, 005    | C班: 007 (blank; 006 left)
"""
import datetime as dt
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from lib.metrics.json_contract import all_metrics
from lib.metrics.query import Filter, Ratio
from lib.metrics.registry import Indicators
from lib.present.formatting import value_text
from lib.store.database import Store
from tests.users import ADMIN_USER

JAN, FEB = dt.date(2024, 1, 1), dt.date(2024, 2, 1)
RANGE = Filter(start=JAN, end=FEB)


def indicator(store, name, f):
    return Indicators(store).get(name, f)


def test_dev_shares(mine):
    shares = indicator(mine, "dev_shares", RANGE)
    assert (shares.frontline.n, shares.frontline.N, shares.leader.n, shares.leader.N) == (1, 2, 0, 2)
    assert shares.frontline.value == 0.5


def test_dev_pipeline(mine):
    p = indicator(mine, "dev_pipeline", RANGE)
    assert p.stage_counts["people"].tolist() == [1, 0, 2, 1, 0]
    assert p.stage_counts["entered"].tolist() == [1, 0, 2, 0, 0]
    assert p.awaiting_full[["staff_id", "days_overdue"]].values.tolist() == [["101", 90]]
    assert p.fast_promotions[["staff_id", "days"]].values.tolist() == [["102", 228]]
    assert p.stage_days["people"].tolist() == [3, 3, 1, 0]
    assert p.stage_days["median_days"].tolist()[:3] == [151, 384, 61]
    assert p.stage_days["median_days"].isna().tolist()[3]


def test_team_coverage_and_unit_filter(mine):
    c = indicator(mine, "team_coverage", RANGE)
    assert (c.roster_month, c.teams, c.blank_teams, c.members) == (FEB, 3, 1, 2)
    assert (c.coverage.n, c.coverage.N, c.member_share.n, c.member_share.N) == (2, 3, 2, 6)
    assert c.per_team[c.per_team["blank"]]["team"].tolist() == ["C班"]
    one = indicator(mine, "team_coverage", Filter(units=("甲队",), start=JAN, end=FEB))
    assert (one.teams, one.blank_teams, one.member_share.N) == (2, 0, 5)
    team = indicator(mine, "team_coverage", Filter(teams=(("甲队", "B班"),), start=JAN, end=FEB))
    assert (team.teams, team.members, team.member_share.N) == (1, 1, 2)


def test_roster_month_falls_back_to_the_latest_before_the_range_end(mine):
    later = Filter(start=dt.date(2024, 3, 1), end=dt.date(2024, 5, 1))
    assert indicator(mine, "team_coverage", later).roster_month == FEB
    before = Filter(start=dt.date(2023, 1, 1), end=dt.date(2023, 6, 1))
    empty = indicator(mine, "team_coverage", before)
    assert empty.roster_month is None and empty.teams == 0 and empty.coverage.value is None


def test_blank_team_trend(mine):
    trend = indicator(mine, "blank_team_trend", Filter(start=dt.date(2023, 12, 1), end=FEB))
    assert trend.months["blank_teams"].tolist()[1:] == [1, 1]
    assert trend.months["blank_teams"].isna().tolist()[0]  # no roster in 2023-12
    assert trend.changes[["month", "team", "change"]].values.tolist() == [
        [FEB, "C班", "newly_blank"], [FEB, "B班", "newly_covered"]]


def test_liaison_rate(mine):
    feb = indicator(mine, "liaison_rate", RANGE)
    assert (feb.rate.n, feb.rate.N) == (1, 1)
    jan = indicator(mine, "liaison_rate", Filter(start=JAN, end=JAN))
    assert (jan.rate.n, jan.rate.N) == (0, 1)
    assert jan.blank_teams["team"].tolist() == ["B班"]


def test_pair_coverage_ignores_ended_pairs(mine):
    p = indicator(mine, "pair_coverage", RANGE)
    assert (p.active_pairs, p.paired_workers, p.paired_members) == (3, 3, 2)
    assert (p.worker_coverage.n, p.worker_coverage.N) == (3, 4)
    assert (p.member_participation.n, p.member_participation.N) == (2, 2)
    assert p.pairs_per_member == 1.5
    yi = indicator(mine, "pair_coverage", Filter(units=("乙队",), start=JAN, end=FEB))
    assert (yi.worker_coverage.n, yi.worker_coverage.N) == (1, 1)
    assert yi.member_participation.value is None
    # Before the 003 pair ended (2024-01-15) it was active; 005's pair starts in Feb.
    dec = indicator(mine, "pair_coverage", Filter(start=dt.date(2023, 12, 1), end=dt.date(2023, 12, 1)))
    assert (dec.active_pairs, dec.paired_workers, dec.paired_members) == (3, 3, 1)
    assert dec.worker_coverage.N == 0 and dec.worker_coverage.value is None  # no roster yet


def test_talk_activity(mine):
    t = indicator(mine, "talk_activity", RANGE)
    assert (t.talks, t.problems_found) == (2, 1)
    assert (t.talk_coverage.n, t.talk_coverage.N) == (1, 3)
    assert dict(zip(t.by_method["method"], t.by_method["talks"])) == {"面谈": 1, "电话": 1}
    assert t.overdue[["member_id", "worker_id", "days_since"]].values.tolist() == [["001", "007", 90]]


def test_problem_ledger(mine):
    p = indicator(mine, "problem_ledger", RANGE)
    assert (p.raised, p.resolved) == (3, 1)
    assert (p.resolution_rate.n, p.resolution_rate.N, p.timely_feedback.n) == (1, 3, 1)
    assert p.median_days_to_resolve == 15
    assert p.overdue_open[["problem_id", "age_days"]].values.tolist() == [["P2", 50]]
    assert p.by_unit.values.tolist() == [["乙队", 1, 0, 1], ["甲队", 2, 1, 1]]
    assert sorted(p.by_category["category"]) == ["工作环境", "生活困难", "设备安全"]


def test_zones(mine):
    z = indicator(mine, "zones", RANGE)
    assert (z.zones, z.owners, z.team_coverage.n, z.team_coverage.N) == (2, 3, 2, 3)
    assert z.teams_outside.values.tolist() == [["乙队", "C班"]]
    assert z.owners_not_members[["owner_id", "political"]].values.tolist() == [["007", "群众"]]


def test_model_posts(mine):
    mp = indicator(mine, "model_posts", RANGE)
    assert mp.per_quarter[["quarter", "posts", "all_met"]].values.tolist() == [["2024Q1", 2, 1]]
    assert mp.item_rates["met"].tolist() == [2, 1, 2, 2, 1, 2]


def test_score_trend_ranks_ties_and_changes(mine):
    s = indicator(mine, "score_trend", RANGE)
    ranks = s.ranks.set_index("staff_id")
    assert ranks["rank"].to_dict() == {"002": 1, "001": 2, "003": 2}
    assert ranks["rank_change"].to_dict() == {"002": 1, "001": -1, "003": 1}
    assert s.per_team["mean_score"].round(3).tolist() == [85.333]
    assert s.per_team["unreviewed"].tolist() == [1]
    assert s.review[["people", "reviewed", "mean_self_minus_review"]].values.tolist() == [[3, 2, 2.0]]


def test_committee_slogans_honours(mine):
    c = indicator(mine, "committee", RANGE)
    assert (c.teams_with_committee.n, c.teams_with_committee.N, c.member_share.n, c.member_share.N) == (1, 3, 2, 3)
    assert c.teams_without.values.tolist() == [["乙队", "C班"], ["甲队", "B班"]]
    s = indicator(mine, "slogans", RANGE)
    assert s.total == 4 and s.by_category["entries"].tolist() == [1, 1, 2]
    assert s.teams_missing.values.tolist() == [["乙队", "C班", "争一流口号、学习愿景、安全理念"],
                                               ["甲队", "B班", "争一流口号、学习愿景"]]
    h = indicator(mine, "honours", Filter(start=JAN, end=dt.date(2024, 12, 1)))
    assert h.by_year_body.values.tolist() == [[2024, "矿党委", 2]]
    assert h.honoured_teams.values.tolist() == [[2024, 1]]


def test_submission_status(mine):
    s = indicator(mine, "submission_status", RANGE)
    cell = s.matrix.set_index(["unit", "sheet", "period"])
    assert bool(cell.loc[("甲队", "班组信息", "2024-01"), "loaded"]) is True
    assert bool(cell.loc[("甲队", "班组信息", "2024-02"), "loaded"]) is False
    assert cell.loc[("乙队", "人员名册", "2024-02"), "rows"] == 1
    lists = s.lists.set_index(["unit", "sheet"])
    assert bool(lists.loc[("乙队", "发展党员"), "loaded"]) and not bool(lists.loc[("乙队", "包保对子"), "loaded"])


def test_overview_has_previous_period(mine):
    heads = indicator(mine, "overview", RANGE)
    assert (heads["blank_teams"].current, heads["blank_teams"].previous) == (1, None)
    assert (heads["talks"].current, heads["talks"].previous) == (2, 1)


def test_each_indicator_and_filter_is_computed_once(mine):
    indicators = Indicators(mine)
    first = indicators.get("overview", RANGE)
    # overview: headline figures for two periods, each from six indicators and their roster month
    computed = indicators.computations
    assert indicators.get("overview", RANGE) is first
    indicators.get("team_coverage", RANGE)
    indicators.get("talk_activity", RANGE.previous())
    assert indicators.computations == computed


def test_threads_asking_at_once_share_one_computation(mine):
    indicators = Indicators(mine)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: indicators.get("team_coverage", RANGE), range(16)))
    assert all(r is results[0] for r in results)
    assert indicators.computations == 3  # team_coverage, the roster month it reads and the sheets sent


def test_the_memo_is_bounded(mine):
    indicators = Indicators(mine, max_results=3)
    months = [Filter(start=JAN, end=JAN), Filter(start=FEB, end=FEB), RANGE]
    for f in months:
        indicators.get("roster_month", f)
    indicators.get("roster_month", Filter(start=dt.date(2023, 12, 1), end=JAN))
    indicators.get("roster_month", months[0])  # the oldest was dropped: computed again
    assert indicators.computations == 5


def test_empty_scope_gives_no_data_not_errors(mine):
    nobody = Filter(units=("不存在的队",), start=JAN, end=FEB)
    everything = all_metrics(Indicators(mine).get, nobody)
    # Nothing sent for that 队: every indicator names its sheets, and its ratios are null, not 0.
    assert everything["team_coverage"]["coverage"] is None
    assert everything["team_coverage"]["not_reported"] == ["人员名册"]
    assert everything["pair_coverage"]["not_reported"] == ["人员名册", "包保对子"]
    assert everything["dev_frontline_share"] is None
    assert value_text(Ratio(0, 0)) == "无数据"


def test_cli_metrics_json(mine, tmp_path):
    from lib.store.backup import backup

    copy = backup(mine, tmp_path / "copy.duckdb", ADMIN_USER)
    run = subprocess.run([sys.executable, "-m", "lib.cli", "metrics", "--db", str(copy), "--from", "2024-01",
                          "--to", "2024-02", "--unit", "甲队", "--json"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["team_coverage"]["teams"] == 2
    assert out["pair_coverage"]["worker_coverage"] == {"n": 2, "N": 3, "value": 2 / 3}
    assert set(out) >= {"dev_frontline_share", "dev_leader_share", "dev_pipeline", "team_coverage",
                        "blank_team_trend", "liaison_rate", "pair_coverage", "talk_activity", "problem_ledger",
                        "zones", "model_posts", "score_trend", "committee", "slogans", "honours",
                        "submission_status", "overview"}


# ---------------------------------------------------------------- the demo data reproduces the report

def test_demo_figures(demo_copy):
    store = Store(demo_copy)
    year_2020 = Filter(start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 1))
    shares = indicator(store, "dev_shares", year_2020)
    assert (shares.frontline.n, shares.frontline.N, shares.leader.n, shares.leader.N) == (7, 8, 5, 8)
    end_2023 = Filter(start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 1))
    pairs = indicator(store, "pair_coverage", end_2023)
    assert (pairs.paired_members, pairs.paired_workers) == (104, 223)
    jiguan = indicator(store, "pair_coverage", Filter(units=("机关",), start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 1)))
    assert jiguan.member_participation.value == 1.0  # every 机关 member is paired
    zones = indicator(store, "zones", end_2023)
    assert (zones.zones, zones.owners) == (32, 73)
    assert indicator(store, "slogans", end_2023).total == 72
    honours = indicator(store, "honours", Filter(start=dt.date(2022, 1, 1), end=dt.date(2022, 12, 1)))
    assert honours.honoured_teams.values.tolist() == [[2022, 5]]
    trend = indicator(store, "blank_team_trend", Filter(start=dt.date(2020, 1, 1), end=dt.date(2023, 12, 1)))
    blanks = trend.months["blank_teams"].tolist()
    assert 8 <= blanks[0] <= 12 and blanks[-1] == 0
    store.close()


def test_cli_json_matches_the_demo_figures(demo_copy):
    def run(*args):
        out = subprocess.run([sys.executable, "-m", "lib.cli", "metrics", "--db", str(demo_copy), *args, "--json"],
                             capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    year_2020 = run("--from", "2020-01", "--to", "2020-12")
    assert year_2020["dev_frontline_share"] == {"n": 7, "N": 8, "value": 0.875}
    assert year_2020["dev_leader_share"] == {"n": 5, "N": 8, "value": 0.625}
    end_2023 = run("--from", "2023-01", "--to", "2023-12")
    assert (end_2023["pair_coverage"]["paired_members"], end_2023["pair_coverage"]["paired_workers"]) == (104, 223)
    assert (end_2023["zones"]["zones"], end_2023["zones"]["owners"]) == (32, 73)
    assert end_2023["slogans"]["total"] == 72
    assert run("--from", "2022-01", "--to", "2022-12")["honours"]["honoured_teams"] == [{"year": 2022, "teams": 5}]
