"""Every 3+3+3 indicator: one named function each, computed in DuckDB SQL.

Each function takes the store and a `Filter` (队, 班组, month range) and returns plain data:
`Ratio` for a share (always with its counts), small frozen dataclasses, and DataFrames whose
columns are the English field names (the UI labels them). The definitions (口径) are written
out for users in docs/指标口径.md.

Scoping rules, applied the same way everywhere:
- event metrics count events dated inside the range [start, as_of];
- snapshot metrics use the 人员名册 of the last month of the range, or the latest month loaded
  before it (`roster_month` says which);
- 队/班组 come from the sheet itself when it carries them, else from that roster month.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass, replace

import pandas as pd

from lib.metrics import thresholds
from lib.ingest.sheets import PARTY_STATUSES, SLOGAN_CATEGORIES
from lib.store.database import Store

STAGES = ("入党申请人", "入党积极分子", "发展对象", "预备党员", "正式党员")
STAGE_FIELDS = ("applied_on", "activist_on", "candidate_on", "probation_on", "full_on")
PARTY_SQL = "(" + ", ".join(f"'{s}'" for s in PARTY_STATUSES) + ")"


# ---------------------------------------------------------------- filter and ratio

def month_end(month: dt.date) -> dt.date:
    nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def quarter_of(month: dt.date) -> str:
    """'2024Q2': quarter labels sort as text, so ranges are plain BETWEENs."""
    return f"{month.year}Q{(month.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class Filter:
    """What the user picked: 队 (none = all), 班组 as (队, 班组) pairs (none = all), months."""
    units: tuple[str, ...] = ()
    teams: tuple[tuple[str, str], ...] = ()
    start: dt.date | None = None     # first day of the first month
    end: dt.date | None = None       # first day of the last month

    @property
    def as_of(self) -> dt.date:
        return month_end(self.end)

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def previous(self) -> "Filter":
        """The same-length range just before this one (for deltas)."""
        return replace(self, start=add_months(self.start, -self.months), end=add_months(self.start, -1))

    def in_quarter(self, quarter: str) -> "Filter":
        """The same 队/班组, months narrowed to one quarter ('2024Q2'); previous() is then the quarter before."""
        year, number = (int(x) for x in str(quarter).split("Q"))
        start = dt.date(year, 3 * number - 2, 1)
        return replace(self, start=start, end=add_months(start, 2))

    def params(self, **extra) -> dict:
        return {"units": list(self.units), "teams": [f"{u}/{t}" for u, t in self.teams],
                "start": self.start, "as_of": self.as_of,
                "first_q": quarter_of(self.start), "last_q": quarter_of(self.end), **extra}


@dataclass(frozen=True)
class Ratio:
    n: int
    N: int

    @property
    def value(self) -> float | None:
        return None if not self.N else self.n / self.N

    def as_json(self) -> dict:
        return {"n": self.n, "N": self.N, "value": self.value}


def _ratio(n, N) -> Ratio:
    return Ratio(int(n or 0), int(N or 0))


def scope_sql(unit_col: str, team_col: str | None = None) -> str:
    """The 队/班组 part of a WHERE clause; `$units`/`$teams` come from Filter.params()."""
    sql = f"(len($units) = 0 OR list_contains($units, {unit_col}))"
    if team_col:
        sql += f" AND (len($teams) = 0 OR list_contains($teams, {unit_col} || '/' || {team_col}))"
    return sql


def _execute(store: Store, sql: str, params: dict):
    # Lists need a type even when empty, and DuckDB refuses parameters a query does not use.
    sql = sql.replace("$units", "CAST($units AS VARCHAR[])").replace("$teams", "CAST($teams AS VARCHAR[])")
    used = {k: v for k, v in params.items() if f"${k}" in sql}
    return store.cursor().execute(sql, used)


def q(store: Store, sql: str, params: dict) -> pd.DataFrame:
    result = _execute(store, sql, params)
    dates = [d[0] for d in result.description if str(d[1]) == "DATE"]
    frame = result.df()
    for col in dates:  # DATE stays a calendar date, not a midnight timestamp
        frame[col] = [None if pd.isna(v) else v.date() for v in frame[col]]
    return frame


def q1(store: Store, sql: str, params: dict) -> tuple:
    return _execute(store, sql, params).fetchone()


# ---------------------------------------------------------------- periods available

def loaded_months(store: Store) -> list[dt.date]:
    """Months that have a 人员名册, oldest first."""
    return [r[0] for r in store.cursor().execute("SELECT DISTINCT month FROM roster ORDER BY 1").fetchall()]


def default_filter(store: Store, units=(), teams=()) -> Filter:
    """All units, the latest DEFAULT_MONTHS months loaded (or the current year when empty)."""
    months = loaded_months(store)
    end = months[-1] if months else dt.date.today().replace(day=1)
    return Filter(tuple(units), tuple(teams), add_months(end, -(thresholds.DEFAULT_MONTHS - 1)), end)


def roster_month(store: Store, f: Filter) -> dt.date | None:
    """The roster snapshot metrics use: the last month of the range, or the latest one before it."""
    found = q1(store, f"SELECT max(month) FROM roster WHERE month <= $end AND {scope_sql('unit', 'team')}",
               f.params(end=f.end))
    return found[0] if found else None


def _team_scope_via_roster(col_unit: str, col_id: str) -> str:
    """班组 filter for a sheet without a 班组 column: the person's team in the roster month."""
    return (f"(len($teams) = 0 OR EXISTS (SELECT 1 FROM roster r WHERE r.month = $month AND r.staff_id = {col_id} "
            f"AND list_contains($teams, r.unit || '/' || r.team)))")


# ---------------------------------------------------------------- 1. 发展党员

@dataclass(frozen=True)
class DevShares:
    frontline: Ratio
    leader: Ratio


def dev_shares(store: Store, f: Filter) -> DevShares:
    """发展对象中一线职工/班组长占比: people whose 确定发展对象时间 falls in the range."""
    n_front, n_lead, total = q1(store, f"""
        SELECT count(*) FILTER (WHERE frontline), count(*) FILTER (WHERE team_leader), count(*)
        FROM development
        WHERE candidate_on BETWEEN $start AND $as_of AND {scope_sql('unit', 'team')}""", f.params())
    return DevShares(_ratio(n_front, total), _ratio(n_lead, total))


def dev_frontline_share(store: Store, f: Filter) -> Ratio:
    return dev_shares(store, f).frontline


def dev_leader_share(store: Store, f: Filter) -> Ratio:
    return dev_shares(store, f).leader


@dataclass(frozen=True)
class DevPipeline:
    as_of: dt.date
    stage_counts: pd.DataFrame       # stage, people (as of the date), entered (stage date in range)
    awaiting_full: pd.DataFrame      # 待转正: 预备期 over with no 转正日期
    fast_promotions: pd.DataFrame    # 积极分子 → 发展对象 in under a year, 发展对象 in range
    stage_days: pd.DataFrame         # from_stage, to_stage, people, median_days


def dev_pipeline(store: Store, f: Filter) -> DevPipeline:
    p = f.params(fast=thresholds.FAST_PROMOTION_DAYS, probation=thresholds.PROBATION_DAYS)
    scope = scope_sql("unit", "team")
    stage_case = "CASE " + " ".join(
        f"WHEN {fld} <= $as_of THEN '{name}'" for fld, name in reversed(list(zip(STAGE_FIELDS, STAGES)))) + " END"
    entered = ", ".join(f"count(*) FILTER (WHERE {fld} BETWEEN $start AND $as_of) AS e{i}"
                        for i, fld in enumerate(STAGE_FIELDS))
    people = q(store, f"SELECT {stage_case} AS stage, count(*) AS people FROM development "
                      f"WHERE {scope} AND applied_on <= $as_of GROUP BY 1", p)
    entered_row = q1(store, f"SELECT {entered} FROM development WHERE {scope}", p)
    by_stage = dict(zip(people["stage"], people["people"]))
    stage_counts = pd.DataFrame({"stage": STAGES, "people": [int(by_stage.get(s, 0)) for s in STAGES],
                                 "entered": [int(v or 0) for v in entered_row]})
    awaiting = q(store, f"""
        SELECT unit, team, staff_id, name, probation_on,
               probation_on + to_days(CAST($probation AS INTEGER)) AS due_on,
               date_diff('day', probation_on, $as_of) - $probation AS days_overdue
        FROM development
        WHERE {scope} AND probation_on <= $as_of - to_days(CAST($probation AS INTEGER))
          AND (full_on IS NULL OR full_on > $as_of)
        ORDER BY days_overdue DESC, unit, team, staff_id""", p)
    fast = q(store, f"""
        SELECT unit, team, staff_id, name, activist_on, candidate_on,
               date_diff('day', activist_on, candidate_on) AS days
        FROM development
        WHERE {scope} AND candidate_on BETWEEN $start AND $as_of
          AND date_diff('day', activist_on, candidate_on) < $fast
        ORDER BY days, unit, team, staff_id""", p)
    pairs_sql = " UNION ALL ".join(
        f"SELECT {i} AS step, date_diff('day', {a}, {b}) AS days FROM development "
        f"WHERE {scope} AND {a} IS NOT NULL AND {b} IS NOT NULL AND {b} <= $as_of"
        for i, (a, b) in enumerate(zip(STAGE_FIELDS, STAGE_FIELDS[1:])))
    steps = q(store, f"SELECT step, count(*) AS people, median(days) AS median_days FROM ({pairs_sql}) "
                     f"GROUP BY step", p)
    by_step = {int(r.step): r for r in steps.itertuples()}
    stage_days = pd.DataFrame({
        "from_stage": STAGES[:-1], "to_stage": STAGES[1:],
        "people": [int(by_step[i].people) if i in by_step else 0 for i in range(4)],
        "median_days": [float(by_step[i].median_days) if i in by_step else None for i in range(4)]})
    return DevPipeline(f.as_of, stage_counts, awaiting, fast, stage_days)


# ---------------------------------------------------------------- 3. 党员覆盖

def _team_table_sql(scope: str) -> str:
    """Per team in the roster month: headcount, party members, blank or not."""
    return f"""
        SELECT unit, team, count(*) AS headcount,
               count(*) FILTER (WHERE political IN {PARTY_SQL}) AS members,
               count(*) FILTER (WHERE political IN {PARTY_SQL}) = 0 AS blank
        FROM roster WHERE month = $month AND {scope}
        GROUP BY unit, team"""


@dataclass(frozen=True)
class TeamCoverage:
    roster_month: dt.date | None
    teams: int
    covered_teams: int
    blank_teams: int
    coverage: Ratio          # teams with a member ÷ teams  (= 1 − 空白/班组数)
    members: int
    member_share: Ratio      # party members ÷ headcount
    per_team: pd.DataFrame   # unit, team, headcount, members, blank, member_share


def team_coverage(store: Store, f: Filter) -> TeamCoverage:
    month = roster_month(store, f)
    per_team = q(store, _team_table_sql(scope_sql("unit", "team")) + " ORDER BY blank DESC, unit, team",
                 f.params(month=month))
    per_team["member_share"] = per_team["members"] / per_team["headcount"].where(per_team["headcount"] > 0)
    teams = len(per_team)
    blank = int(per_team["blank"].sum()) if teams else 0
    members = int(per_team["members"].sum()) if teams else 0
    headcount = int(per_team["headcount"].sum()) if teams else 0
    return TeamCoverage(month, teams, teams - blank, blank, _ratio(teams - blank, teams), members,
                        _ratio(members, headcount), per_team)


@dataclass(frozen=True)
class BlankTrend:
    months: pd.DataFrame     # month, teams, blank_teams (None where no roster that month)
    changes: pd.DataFrame    # month, unit, team, change ('newly_covered' / 'newly_blank')


def blank_team_trend(store: Store, f: Filter) -> BlankTrend:
    p = f.params(end=f.end)
    scope = scope_sql("unit", "team")
    per_month = q(store, f"""
        WITH t AS (
            SELECT month, unit, team, count(*) FILTER (WHERE political IN {PARTY_SQL}) = 0 AS blank
            FROM roster WHERE {scope} AND month <= $end GROUP BY ALL),
        months AS (SELECT DISTINCT month FROM t),
        lagged AS (SELECT month, lag(month) OVER (ORDER BY month) AS prev FROM months),
        changes AS (
            SELECT l.month, cur.unit, cur.team,
                   CASE WHEN cur.blank AND NOT prev.blank THEN 'newly_blank'
                        WHEN NOT cur.blank AND prev.blank THEN 'newly_covered' END AS change
            FROM lagged l JOIN t cur ON cur.month = l.month
            JOIN t prev ON prev.month = l.prev AND prev.unit = cur.unit AND prev.team = cur.team)
        SELECT month, unit, team, change FROM changes
        WHERE change IS NOT NULL AND month >= $start ORDER BY month, unit, team""", p)
    counts = q(store, f"""
        SELECT month, count(*) AS teams, count(*) FILTER (WHERE blank) AS blank_teams FROM (
            SELECT month, unit, team, count(*) FILTER (WHERE political IN {PARTY_SQL}) = 0 AS blank
            FROM roster WHERE {scope} AND month BETWEEN $start AND $end GROUP BY ALL)
        GROUP BY month""", p)
    all_months = pd.DataFrame({"month": [add_months(f.start, i) for i in range(f.months)]})
    months = all_months.merge(counts, on="month", how="left")
    months[["teams", "blank_teams"]] = months[["teams", "blank_teams"]].astype("Int64")
    return BlankTrend(months, per_month)


# ---------------------------------------------------------------- 4. 挂靠率

@dataclass(frozen=True)
class LiaisonRate:
    roster_month: dt.date | None
    rate: Ratio                   # blank teams with a 挂靠联系人 ÷ blank teams
    blank_teams: pd.DataFrame     # unit, team, liaison_name, liaison_id, info_month


def liaison_rate(store: Store, f: Filter) -> LiaisonRate:
    month = roster_month(store, f)
    blank = q(store, f"""
        WITH blank AS (SELECT unit, team FROM ({_team_table_sql(scope_sql('unit', 'team'))}) WHERE blank),
        info AS (
            SELECT i.* FROM team_info i
            JOIN (SELECT unit, max(month) AS month FROM team_info WHERE month <= $month GROUP BY unit) latest
              USING (unit, month))
        SELECT b.unit, b.team, i.liaison_name, i.liaison_id, i.month AS info_month,
               (coalesce(i.liaison_name, '') <> '' OR coalesce(i.liaison_id, '') <> '') AS has_liaison
        FROM blank b LEFT JOIN info i ON i.unit = b.unit AND i.team = b.team
        ORDER BY has_liaison, b.unit, b.team""", f.params(month=month))
    return LiaisonRate(month, _ratio(blank["has_liaison"].sum(), len(blank)), blank)


# ---------------------------------------------------------------- 5. 包保对子

ACTIVE_PAIR = "(paired_on <= $as_of AND (ended_on IS NULL OR ended_on > $as_of))"


@dataclass(frozen=True)
class PairCoverage:
    roster_month: dt.date | None
    active_pairs: int
    paired_workers: int
    paired_members: int
    worker_coverage: Ratio       # paired workers ÷ non-member workers in scope
    member_participation: Ratio  # members with an active pair ÷ party members in scope
    pairs_per_member: float | None
    per_unit: pd.DataFrame       # unit, workers, paired_workers, worker_coverage, members, paired_members, …


def pair_coverage(store: Store, f: Filter) -> PairCoverage:
    month = roster_month(store, f)
    p = f.params(month=month)
    worker_scope = scope_sql("worker_unit", "worker_team")
    member_scope = scope_sql("member_unit") + " AND " + _team_scope_via_roster("member_unit", "member_id")
    pairs, workers, members = q1(store, f"""
        SELECT (SELECT count(*) FROM pairs WHERE {ACTIVE_PAIR} AND {member_scope}),
               (SELECT count(DISTINCT worker_id) FROM pairs WHERE {ACTIVE_PAIR} AND {worker_scope}),
               (SELECT count(DISTINCT member_id) FROM pairs WHERE {ACTIVE_PAIR} AND {member_scope})""", p)
    per_unit = q(store, f"""
        WITH people AS (
            SELECT unit, count(*) FILTER (WHERE political NOT IN {PARTY_SQL}) AS workers,
                   count(*) FILTER (WHERE political IN {PARTY_SQL}) AS members
            FROM roster WHERE month = $month AND {scope_sql('unit', 'team')} GROUP BY unit),
        pw AS (SELECT worker_unit AS unit, count(DISTINCT worker_id) AS paired_workers
               FROM pairs WHERE {ACTIVE_PAIR} AND {worker_scope} GROUP BY 1),
        pm AS (SELECT member_unit AS unit, count(DISTINCT member_id) AS paired_members, count(*) AS pairs
               FROM pairs WHERE {ACTIVE_PAIR} AND {member_scope} GROUP BY 1)
        SELECT unit, coalesce(workers, 0) AS workers, coalesce(paired_workers, 0) AS paired_workers,
               coalesce(members, 0) AS members, coalesce(paired_members, 0) AS paired_members,
               coalesce(pairs, 0) AS pairs
        FROM people FULL JOIN pw USING (unit) FULL JOIN pm USING (unit) ORDER BY unit""", p)
    per_unit["worker_coverage"] = per_unit["paired_workers"] / per_unit["workers"].where(per_unit["workers"] > 0)
    per_unit["member_participation"] = per_unit["paired_members"] / per_unit["members"].where(per_unit["members"] > 0)
    return PairCoverage(month, int(pairs), int(workers), int(members),
                        _ratio(workers, per_unit["workers"].sum()), _ratio(members, per_unit["members"].sum()),
                        (pairs / members) if members else None, per_unit)


# ---------------------------------------------------------------- 6. 谈心

@dataclass(frozen=True)
class TalkActivity:
    talks: int
    talk_coverage: Ratio          # workers in active pairs with a talk in the range ÷ workers in active pairs
    overdue: pd.DataFrame         # active pairs with no talk in the last OVERDUE_TALK_DAYS days
    by_method: pd.DataFrame       # method, talks
    problems_found: int
    overdue_days: int


def talk_activity(store: Store, f: Filter) -> TalkActivity:
    month = roster_month(store, f)
    p = f.params(month=month, days=thresholds.OVERDUE_TALK_DAYS)
    talk_scope = scope_sql("member_unit") + " AND " + _team_scope_via_roster("member_unit", "member_id")
    talks, found = q1(store, f"""
        SELECT count(*), count(*) FILTER (WHERE found_problem) FROM talks
        WHERE talk_date BETWEEN $start AND $as_of AND {talk_scope}""", p)
    by_method = q(store, f"""
        SELECT coalesce(nullif(method, ''), '未填写') AS method, count(*) AS talks FROM talks
        WHERE talk_date BETWEEN $start AND $as_of AND {talk_scope} GROUP BY 1 ORDER BY talks DESC, method""", p)
    pair_scope = scope_sql("worker_unit", "worker_team")
    covered, paired = q1(store, f"""
        WITH active AS (SELECT DISTINCT member_id, worker_id FROM pairs WHERE {ACTIVE_PAIR} AND {pair_scope})
        SELECT count(DISTINCT a.worker_id) FILTER (WHERE EXISTS (
                   SELECT 1 FROM talks t WHERE t.member_id = a.member_id AND t.worker_id = a.worker_id
                   AND t.talk_date BETWEEN $start AND $as_of)),
               count(DISTINCT a.worker_id)
        FROM active a""", p)
    # Each pair's latest talk first, then the active pairs without one in the last `days` days.
    overdue = q(store, f"""
        WITH last_talk AS (SELECT member_id, worker_id, max(talk_date) AS last_talk FROM talks
                           WHERE talk_date <= $as_of GROUP BY ALL)
        SELECT pr.member_unit, pr.member_id, pr.member_name, pr.worker_unit, pr.worker_team, pr.worker_id,
               pr.worker_name, pr.paired_on, lt.last_talk,
               date_diff('day', coalesce(lt.last_talk, pr.paired_on), $as_of) AS days_since
        FROM pairs pr LEFT JOIN last_talk lt USING (member_id, worker_id)
        WHERE {ACTIVE_PAIR.replace('paired_on', 'pr.paired_on').replace('ended_on', 'pr.ended_on')}
          AND {pair_scope.replace('worker_', 'pr.worker_')}
          AND pr.paired_on <= $as_of - to_days(CAST($days AS INTEGER))
          AND (lt.last_talk IS NULL OR lt.last_talk <= $as_of - to_days(CAST($days AS INTEGER)))
        ORDER BY days_since DESC, pr.member_unit, pr.member_id, pr.worker_id""", p)
    return TalkActivity(int(talks), _ratio(covered, paired), overdue, by_method, int(found),
                        thresholds.OVERDUE_TALK_DAYS)


# ---------------------------------------------------------------- 7. 问题台帐

RESOLVED_BY = "(status = '已解决' AND (resolved_on IS NULL OR resolved_on <= $as_of))"


@dataclass(frozen=True)
class ProblemLedger:
    raised: int
    resolved: int
    resolution_rate: Ratio        # resolved ÷ raised (raised in the range)
    timely_feedback: Ratio        # answered within TIMELY_FEEDBACK_DAYS ÷ raised
    median_days_to_resolve: float | None
    overdue_open: pd.DataFrame    # unresolved at the as-of date and older than OPEN_PROBLEM_DAYS
    by_category: pd.DataFrame     # category, raised, resolved
    by_unit: pd.DataFrame         # unit, raised, resolved, open
    open_ages: pd.DataFrame       # problem_id, unit, age_days — every open problem at the as-of date


def problem_ledger(store: Store, f: Filter) -> ProblemLedger:
    p = f.params(feedback=thresholds.TIMELY_FEEDBACK_DAYS, open_days=thresholds.OPEN_PROBLEM_DAYS)
    scope = scope_sql("unit", "team")
    in_range = f"found_on BETWEEN $start AND $as_of AND {scope}"
    raised, resolved, timely, median_days = q1(store, f"""
        SELECT count(*), count(*) FILTER (WHERE {RESOLVED_BY}),
               count(*) FILTER (WHERE feedback_on <= found_on + to_days(CAST($feedback AS INTEGER))
                                  AND feedback_on <= $as_of),
               median(date_diff('day', found_on, resolved_on)) FILTER (WHERE {RESOLVED_BY})
        FROM problems WHERE {in_range}""", p)
    by_category = q(store, f"""
        SELECT category, count(*) AS raised, count(*) FILTER (WHERE {RESOLVED_BY}) AS resolved
        FROM problems WHERE {in_range} GROUP BY 1 ORDER BY raised DESC, category""", p)
    by_unit = q(store, f"""
        SELECT unit, count(*) AS raised, count(*) FILTER (WHERE {RESOLVED_BY}) AS resolved,
               count(*) FILTER (WHERE NOT {RESOLVED_BY}) AS open
        FROM problems WHERE {in_range} GROUP BY 1 ORDER BY unit""", p)
    open_ages = q(store, f"""
        SELECT problem_id, found_on, unit, team, category, description, owner, status,
               date_diff('day', found_on, $as_of) AS age_days
        FROM problems WHERE found_on <= $as_of AND NOT {RESOLVED_BY} AND {scope}
        ORDER BY age_days DESC, problem_id""", p)
    overdue = open_ages[open_ages["age_days"] > thresholds.OPEN_PROBLEM_DAYS].reset_index(drop=True)
    return ProblemLedger(int(raised), int(resolved), _ratio(resolved, raised), _ratio(timely, raised),
                         None if median_days is None else float(median_days), overdue, by_category, by_unit,
                         open_ages)


# ---------------------------------------------------------------- 8. 党员责任区

@dataclass(frozen=True)
class Zones:
    roster_month: dt.date | None
    zones: int
    owners: int
    per_unit: pd.DataFrame         # unit, zones, owners
    team_coverage: Ratio           # teams inside some zone ÷ teams in the roster
    teams_outside: pd.DataFrame    # unit, team
    owners_not_members: pd.DataFrame  # 承包人 who are not party members in the roster (data warning)


def zones(store: Store, f: Filter) -> Zones:
    month = roster_month(store, f)
    p = f.params(month=month)
    unit_scope = scope_sql("unit")
    n_zones, n_owners = q1(store, f"SELECT count(DISTINCT zone_id), count(DISTINCT owner_id) FROM zones "
                                  f"WHERE {unit_scope}", p)
    per_unit = q(store, f"SELECT unit, count(DISTINCT zone_id) AS zones, count(DISTINCT owner_id) AS owners "
                        f"FROM zones WHERE {unit_scope} GROUP BY 1 ORDER BY unit", p)
    teams = q(store, f"""
        WITH covered AS (
            SELECT DISTINCT unit, unnest(string_split(covered_teams, '、')) AS team FROM zones
            WHERE coalesce(covered_teams, '') <> ''),
        teams AS (SELECT DISTINCT unit, team FROM roster WHERE month = $month AND {scope_sql('unit', 'team')})
        SELECT t.unit, t.team, c.team IS NOT NULL AS covered
        FROM teams t LEFT JOIN covered c USING (unit, team) ORDER BY covered, t.unit, t.team""", p)
    not_members = q(store, f"""
        SELECT DISTINCT z.unit, z.zone_id, z.zone_name, z.owner_id, z.owner_name,
               coalesce(r.political, '不在名册中') AS political
        FROM zones z LEFT JOIN roster r ON r.month = $month AND r.staff_id = z.owner_id
        WHERE {scope_sql('z.unit')} AND (r.political IS NULL OR r.political NOT IN {PARTY_SQL})
        ORDER BY z.unit, z.zone_id, z.owner_id""", p)
    return Zones(month, int(n_zones), int(n_owners), per_unit,
                 _ratio(teams["covered"].sum(), len(teams)),
                 teams[~teams["covered"]][["unit", "team"]].reset_index(drop=True), not_members)


# ---------------------------------------------------------------- 9. 党员示范岗

IN_QUARTERS = "quarter BETWEEN $first_q AND $last_q"  # the quarters overlapping the month range


def _good_met(field: str) -> str:
    return (f"CASE WHEN {field} = '是' THEN true WHEN {field} = '否' THEN false "
            f"ELSE TRY_CAST({field} AS DOUBLE) >= $pass END")


@dataclass(frozen=True)
class ModelPosts:
    per_quarter: pd.DataFrame    # quarter, posts, all_met, pass_rate (六好达标率)
    item_rates: pd.DataFrame     # quarter, item, met, posts, rate
    per_unit: pd.DataFrame       # quarter, unit, posts, all_met, pass_rate
    posts: pd.DataFrame          # the posts themselves, with all_met


def model_posts(store: Store, f: Filter) -> ModelPosts:
    p = f.params(**{"pass": thresholds.MODEL_POST_PASS_SCORE})
    items = thresholds.SIX_GOOD_ITEMS
    met_cols = ", ".join(f"coalesce({_good_met(fld)}, false) AS met_{fld}" for fld, _ in items)
    all_met = " AND ".join(f"met_{fld}" for fld, _ in items)
    base = (f"SELECT *, {all_met} AS all_met FROM (SELECT *, {met_cols} FROM model_posts "
            f"WHERE {IN_QUARTERS} AND {scope_sql('unit', 'team')})")
    posts = q(store, base + " ORDER BY quarter, unit, team, member_id", p)
    per_quarter = q(store, f"SELECT quarter, count(*) AS posts, count(*) FILTER (WHERE all_met) AS all_met "
                           f"FROM ({base}) GROUP BY 1 ORDER BY 1", p)
    per_unit = q(store, f"SELECT quarter, unit, count(*) AS posts, count(*) FILTER (WHERE all_met) AS all_met "
                        f"FROM ({base}) GROUP BY 1, 2 ORDER BY 1, 2", p)
    item_rates = q(store, " UNION ALL ".join(
        f"SELECT quarter, '{label}' AS item, {i} AS item_order, count(*) FILTER (WHERE met_{fld}) AS met, "
        f"count(*) AS posts FROM ({base}) GROUP BY quarter" for i, (fld, label) in enumerate(items))
        + " ORDER BY quarter, item_order", p).drop(columns="item_order")
    for table in (per_quarter, per_unit):
        table["pass_rate"] = table["all_met"] / table["posts"].where(table["posts"] > 0)
    item_rates["rate"] = item_rates["met"] / item_rates["posts"].where(item_rates["posts"] > 0)
    return ModelPosts(per_quarter, item_rates, per_unit, posts)


# ---------------------------------------------------------------- 10. 比学争优

@dataclass(frozen=True)
class ScoreTrend:
    per_team: pd.DataFrame       # quarter, unit, team, people, mean_score, unreviewed
    per_unit: pd.DataFrame       # quarter, unit, people, mean_score, unreviewed
    ranks: pd.DataFrame          # quarter, unit, team, staff_id, name, score, reviewed, rank, prev_rank, rank_change
    review: pd.DataFrame         # quarter, people, reviewed, review_rate, mean_self_minus_review
    movers: pd.DataFrame         # the biggest rank changes in the last quarter of the range


def _scored_sql() -> str:
    """Each member's score: 支部审核分, else 自评总分 (flagged as not reviewed)."""
    return f"""
        SELECT quarter, unit, team, staff_id, name, self_score, review_score,
               coalesce(review_score, self_score) AS score, review_score IS NOT NULL AS reviewed
        FROM scores WHERE {scope_sql('unit', 'team')}"""


def score_means(store: Store, f: Filter) -> pd.DataFrame:
    """Per quarter and 队: people, mean score, how many not yet reviewed."""
    return q(store, f"""SELECT quarter, unit, count(*) AS people, avg(score) AS mean_score,
                           count(*) FILTER (WHERE NOT reviewed) AS unreviewed
                        FROM ({_scored_sql()}) WHERE {IN_QUARTERS} GROUP BY ALL ORDER BY 1, 2""", f.params())


def score_trend(store: Store, f: Filter, movers: int = 10) -> ScoreTrend:
    p = f.params()
    scored = _scored_sql()
    # Rank only the quarters in range and the one before them (for the rank change).
    ranked = f"""
        WITH s AS (SELECT * FROM ({scored}) WHERE quarter <= $last_q AND quarter >= coalesce(
                       (SELECT max(quarter) FROM scores WHERE quarter < $first_q), $first_q)),
        r AS (SELECT *, rank() OVER (PARTITION BY quarter, unit, team ORDER BY score DESC) AS rank FROM s),
        q AS (SELECT quarter, lag(quarter) OVER (ORDER BY quarter) AS prev_quarter
              FROM (SELECT DISTINCT quarter FROM s))
        SELECT r.*, prev.rank AS prev_rank, prev.rank - r.rank AS rank_change
        FROM r JOIN q USING (quarter)
        LEFT JOIN r prev ON prev.quarter = q.prev_quarter AND prev.staff_id = r.staff_id
             AND prev.unit = r.unit AND prev.team = r.team
        WHERE r.{IN_QUARTERS}"""
    ranks = q(store, ranked + " ORDER BY quarter, unit, team, rank, staff_id", p)
    per_team = q(store, f"""SELECT quarter, unit, team, count(*) AS people, avg(score) AS mean_score,
                               count(*) FILTER (WHERE NOT reviewed) AS unreviewed
                            FROM ({scored}) WHERE {IN_QUARTERS} GROUP BY ALL ORDER BY 1, 2, 3""", p)
    review = q(store, f"""SELECT quarter, count(*) AS people, count(*) FILTER (WHERE reviewed) AS reviewed,
                             avg(self_score - review_score) AS mean_self_minus_review
                          FROM ({scored}) WHERE {IN_QUARTERS} GROUP BY 1 ORDER BY 1""", p)
    review["review_rate"] = review["reviewed"] / review["people"].where(review["people"] > 0)
    last = ranks["quarter"].max() if len(ranks) else None
    moved = ranks[(ranks["quarter"] == last) & ranks["rank_change"].notna()] if last else ranks.head(0)
    moved = moved.reindex(moved["rank_change"].abs().sort_values(ascending=False, kind="stable").index)
    return ScoreTrend(per_team, score_means(store, f), ranks, review, moved.head(movers).reset_index(drop=True))


# ---------------------------------------------------------------- 11–13. 班组建设

@dataclass(frozen=True)
class Committee:
    roster_month: dt.date | None
    teams_with_committee: Ratio   # teams with a committee ÷ teams in the roster
    member_share: Ratio           # committee members ÷ headcount, over teams with a committee
    per_team: pd.DataFrame        # unit, team, headcount, committee_members, share
    teams_without: pd.DataFrame


def committee(store: Store, f: Filter) -> Committee:
    month = roster_month(store, f)
    per_team = q(store, f"""
        WITH teams AS (SELECT unit, team, count(*) AS headcount FROM roster
                       WHERE month = $month AND {scope_sql('unit', 'team')} GROUP BY ALL),
        c AS (SELECT unit, team, count(DISTINCT staff_id) AS committee_members FROM committee GROUP BY ALL)
        SELECT t.unit, t.team, t.headcount, coalesce(c.committee_members, 0) AS committee_members
        FROM teams t LEFT JOIN c USING (unit, team) ORDER BY t.unit, t.team""", f.params(month=month))
    per_team["share"] = per_team["committee_members"] / per_team["headcount"]
    with_c = per_team[per_team["committee_members"] > 0]
    return Committee(month, _ratio(len(with_c), len(per_team)),
                     _ratio(with_c["committee_members"].sum(), with_c["headcount"].sum()), per_team,
                     per_team[per_team["committee_members"] == 0][["unit", "team"]].reset_index(drop=True))


@dataclass(frozen=True)
class Slogans:
    total: int
    by_category: pd.DataFrame     # category, entries
    per_team: pd.DataFrame        # unit, team, one column per category
    teams_missing: pd.DataFrame   # unit, team, missing (categories joined by 、)
    entries: pd.DataFrame


def slogans(store: Store, f: Filter) -> Slogans:
    month = roster_month(store, f)
    p = f.params(month=month)
    entries = q(store, f"SELECT unit, team, category, content FROM slogans WHERE {scope_sql('unit', 'team')} "
                       f"ORDER BY unit, team, category", p)
    cats = ", ".join(f"count(*) FILTER (WHERE s.category = '{c}') AS \"{c}\"" for c in SLOGAN_CATEGORIES)
    per_team = q(store, f"""
        WITH teams AS (SELECT DISTINCT unit, team FROM roster WHERE month = $month AND {scope_sql('unit', 'team')}
                       UNION SELECT DISTINCT unit, team FROM slogans WHERE {scope_sql('unit', 'team')})
        SELECT t.unit, t.team, {cats} FROM teams t LEFT JOIN slogans s USING (unit, team)
        GROUP BY ALL ORDER BY t.unit, t.team""", p)
    missing = per_team.copy()
    missing["missing"] = ["、".join(c for c in SLOGAN_CATEGORIES if row[c] == 0)
                          for _, row in per_team.iterrows()]
    by_category = entries.groupby("category").size().reindex(SLOGAN_CATEGORIES, fill_value=0)
    return Slogans(len(entries), by_category.rename("entries").rename_axis("category").reset_index(),
                   per_team, missing[missing["missing"] != ""][["unit", "team", "missing"]].reset_index(drop=True),
                   entries)


@dataclass(frozen=True)
class Honours:
    by_year_body: pd.DataFrame    # year, awarded_by, honours
    honoured_teams: pd.DataFrame  # year, teams (distinct 队/班组 given a team honour that year)
    entries: pd.DataFrame


def honours(store: Store, f: Filter) -> Honours:
    p = f.params(first_year=f.start.year, last_year=f.end.year)
    base = (f"FROM honours WHERE year BETWEEN $first_year AND $last_year "
            f"AND {scope_sql('unit')} AND (len($teams) = 0 OR list_contains($teams, unit || '/' || team))")
    entries = q(store, f"SELECT year, title, awarded_by, unit, team, recipient {base} ORDER BY year, title, unit, team",
                p)
    by_year_body = q(store, f"SELECT year, awarded_by, count(*) AS honours {base} GROUP BY ALL ORDER BY 1, 2", p)
    # A team honour names a 班组 and no person (获得者 empty); individual honours don't make a team honoured.
    teams = q(store, f"SELECT year, count(DISTINCT unit || '/' || team) AS teams {base} "
                     f"AND team <> '' AND recipient = '' GROUP BY 1 ORDER BY 1", p)
    return Honours(by_year_body, teams, entries)


# ---------------------------------------------------------------- 14. 报送情况

@dataclass(frozen=True)
class SubmissionStatus:
    matrix: pd.DataFrame   # unit, sheet, period, loaded, rows, imported_at — every 队 × period × periodic sheet
    lists: pd.DataFrame    # unit, sheet, loaded, rows, imported_at — the sheets sent as whole lists


def submission_status(store: Store, f: Filter) -> SubmissionStatus:
    """For every 队 × month (or quarter) × sheet type in the range: loaded or missing, and when."""
    from lib.ingest.sheets import SHEETS

    p = f.params()
    # The 队 and periods are computed once; each sheet's counts only over the range and scope.
    shared = f"""WITH u AS (SELECT DISTINCT unit FROM roster WHERE {scope_sql('unit')}
                           UNION SELECT DISTINCT unit FROM team_info WHERE {scope_sql('unit')}),
                 mo AS (SELECT unnest(generate_series($start, $as_of, INTERVAL 1 MONTH))::DATE AS m),
                 months AS (SELECT DISTINCT strftime(m, '%Y-%m') AS period FROM mo),
                 quarters AS (SELECT DISTINCT strftime(m, '%Y') || 'Q' || quarter(m) AS period FROM mo) """
    periodic, lists = [], []
    for sheet in SHEETS:
        unit = "unit" if "unit" in sheet.fields else "member_unit"
        if sheet.period in ("month", "quarter"):
            if sheet.period == "month":
                group = f"date_trunc('month', {sheet.period_field})"
                in_range, periods, shown = f"{sheet.period_field} BETWEEN $start AND $as_of", "months", \
                    "strftime(period, '%Y-%m')"
            else:
                group, in_range, periods, shown = sheet.period_field, IN_QUARTERS, "quarters", "period"
            periodic.append(f"""
                SELECT u.unit, '{sheet.label}' AS sheet, pe.period, d.rows, d.imported_at
                FROM u CROSS JOIN {periods} pe
                LEFT JOIN (SELECT unit, {shown} AS period, rows, imported_at FROM (
                               SELECT {unit} AS unit, {group} AS period, count(*) AS rows,
                                      max(i.imported_at) AS imported_at
                               FROM {sheet.key} JOIN imports i ON i.id = import_id
                               WHERE {in_range} AND {scope_sql(unit)} GROUP BY ALL)) d
                  ON d.unit = u.unit AND d.period = pe.period""")
        else:
            lists.append(f"""
                SELECT u.unit, '{sheet.label}' AS sheet, d.rows, d.imported_at
                FROM u LEFT JOIN (
                    SELECT {unit} AS unit, count(*) AS rows, max(i.imported_at) AS imported_at
                    FROM {sheet.key} JOIN imports i ON i.id = import_id WHERE {scope_sql(unit)}
                    GROUP BY ALL) d USING (unit)""")
    matrix = q(store, shared + " UNION ALL ".join(periodic) + " ORDER BY unit, sheet, period", p)
    whole = q(store, shared + " UNION ALL ".join(lists) + " ORDER BY unit, sheet", p)
    for table in (matrix, whole):
        table["rows"] = table["rows"].fillna(0).astype(int)
        table.insert(table.columns.get_loc("rows"), "loaded", table["rows"] > 0)
    return SubmissionStatus(matrix, whole)


# ---------------------------------------------------------------- 15. 总览

@dataclass(frozen=True)
class Headline:
    key: str
    current: float | int | Ratio | None
    previous: float | int | Ratio | None


def _headline_values(store: Store, f: Filter) -> dict:
    coverage = team_coverage(store, f)
    pairs = pair_coverage(store, f)
    talks = talk_activity(store, f)
    ledger = problem_ledger(store, f)
    dev = dev_shares(store, f)
    means = score_means(store, f)
    mean = means["mean_score"].mean() if len(means) else None
    last_q = means[means["quarter"] == means["quarter"].max()] if len(means) else means
    return {
        "blank_teams": coverage.blank_teams if coverage.roster_month else None,
        "team_coverage": coverage.coverage,
        "members": coverage.members if coverage.roster_month else None,
        "dev_frontline_share": dev.frontline,
        "worker_coverage": pairs.worker_coverage,
        "talks": talks.talks,
        "overdue_pairs": len(talks.overdue),
        "problems_raised": ledger.raised,
        "problem_resolution": ledger.resolution_rate,
        "mean_score": None if mean is None or last_q.empty else float(
            (last_q["mean_score"] * last_q["people"]).sum() / last_q["people"].sum()),
    }


def overview(store: Store, f: Filter) -> list[Headline]:
    """The headline figures of 总览, each with the previous same-length period's value."""
    now, before = _headline_values(store, f), _headline_values(store, f.previous())
    return [Headline(k, now[k], before[k]) for k in now]


# ---------------------------------------------------------------- all of them, for the CLI and tests

def _plain(value):
    """Dataclasses, Ratios, DataFrames and dates as JSON-ready data."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, Ratio):
        return value.as_json()
    if isinstance(value, pd.DataFrame):
        return _records(value)
    if dataclasses.is_dataclass(value):
        return {fld.name: _plain(getattr(value, fld.name)) for fld in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()[:10] if not isinstance(value, dt.datetime) else value.isoformat()
    if value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    return value


def _records(frame: pd.DataFrame) -> list[dict]:
    """Column by column: numbers in bulk, only object columns value by value."""
    columns = {}
    for name in frame.columns:
        col = frame[name]
        if pd.api.types.is_datetime64_any_dtype(col):
            columns[name] = [None if pd.isna(v) else v.isoformat() for v in col]
        elif pd.api.types.is_bool_dtype(col) or pd.api.types.is_numeric_dtype(col):
            columns[name] = [_plain(v) for v in col.astype(object).where(col.notna(), None).tolist()]
        else:
            columns[name] = [_plain(v) for v in col.tolist()]
    return [dict(zip(columns, row)) for row in zip(*columns.values())]


def all_metrics(store: Store, f: Filter) -> dict:
    """Every indicator keyed by its JSON id (the contract of `python -m lib.cli metrics --json`)."""
    dev = dev_shares(store, f)
    result = {
        "filter": {"units": list(f.units), "teams": [list(t) for t in f.teams],
                   "from": f.start.strftime("%Y-%m"), "to": f.end.strftime("%Y-%m"), "as_of": f.as_of},
        "dev_frontline_share": dev.frontline,
        "dev_leader_share": dev.leader,
        "dev_pipeline": dev_pipeline(store, f),
        "team_coverage": team_coverage(store, f),
        "blank_team_trend": blank_team_trend(store, f),
        "liaison_rate": liaison_rate(store, f),
        "pair_coverage": pair_coverage(store, f),
        "talk_activity": talk_activity(store, f),
        "problem_ledger": problem_ledger(store, f),
        "zones": zones(store, f),
        "model_posts": model_posts(store, f),
        "score_trend": score_trend(store, f),
        "committee": committee(store, f),
        "slogans": slogans(store, f),
        "honours": honours(store, f),
        "submission_status": submission_status(store, f),
        "overview": {h.key: {"current": h.current, "previous": h.previous} for h in overview(store, f)},
    }
    return _plain(result)


def resolve_teams(store: Store, units, names) -> tuple[tuple[str, str], ...]:
    """班组 given as '队/班组' or a bare name (every 队 that has a 班组 of that name)."""
    pairs = []
    for name in names:
        if "/" in name:
            unit, team = name.split("/", 1)
            pairs.append((unit, team))
            continue
        found = store.cursor().execute(
            "SELECT DISTINCT unit FROM roster WHERE team = ? ORDER BY 1", [name]).fetchall()
        pairs += [(u, name) for (u,) in found if not units or u in units] or [("", name)]
    return tuple(pairs)


def format_value(value) -> str:
    """A headline value as people read it: 87.5%（7/8）, 无数据 when there is no base."""
    if value is None:
        return "无数据"
    if isinstance(value, Ratio):
        return "无数据" if value.value is None else f"{value.value:.1%}（{value.n}/{value.N}）"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)
