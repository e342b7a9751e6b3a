"""3–4. 党员覆盖 (覆盖上加力): teams with a party member, the blank-team trend, liaisons for blank teams."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from lib.metrics.query import PARTY_SQL, Filter, Ratio, Source, add_months, frame, ratio, scope_sql
from lib.metrics.reporting import not_reported


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
    not_reported: tuple[str, ...] = ()   # sheets with no data for the scope and range (lib.metrics.reporting)


def team_coverage(source: Source, f: Filter) -> TeamCoverage:
    month = source.get("roster_month", f)
    per_team = frame(source.store, _team_table_sql(scope_sql("unit", "team")) + " ORDER BY blank DESC, unit, team",
                 f.params(month=month))
    per_team["member_share"] = per_team["members"] / per_team["headcount"].where(per_team["headcount"] > 0)
    teams = len(per_team)
    blank = int(per_team["blank"].sum()) if teams else 0
    members = int(per_team["members"].sum()) if teams else 0
    headcount = int(per_team["headcount"].sum()) if teams else 0
    return TeamCoverage(month, teams, teams - blank, blank, ratio(teams - blank, teams), members,
                        ratio(members, headcount), per_team, not_reported(source, f, "roster"))


@dataclass(frozen=True)
class BlankTrend:
    months: pd.DataFrame     # month, teams, blank_teams (None where no roster that month)
    changes: pd.DataFrame    # month, unit, team, change ('newly_covered' / 'newly_blank')
    not_reported: tuple[str, ...] = ()   # sheets with no data for the scope and range (lib.metrics.reporting)


def blank_team_trend(source: Source, f: Filter) -> BlankTrend:
    p = f.params(end=f.end)
    scope = scope_sql("unit", "team")
    per_month = frame(source.store, f"""
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
    counts = frame(source.store, f"""
        SELECT month, count(*) AS teams, count(*) FILTER (WHERE blank) AS blank_teams FROM (
            SELECT month, unit, team, count(*) FILTER (WHERE political IN {PARTY_SQL}) = 0 AS blank
            FROM roster WHERE {scope} AND month BETWEEN $start AND $end GROUP BY ALL)
        GROUP BY month""", p)
    all_months = pd.DataFrame({"month": [add_months(f.start, i) for i in range(f.months)]})
    months = all_months.merge(counts, on="month", how="left")
    months[["teams", "blank_teams"]] = months[["teams", "blank_teams"]].astype("Int64")
    return BlankTrend(months, per_month, not_reported(source, f, "roster"))


# ---------------------------------------------------------------- 4. 挂靠率

@dataclass(frozen=True)
class LiaisonRate:
    roster_month: dt.date | None
    rate: Ratio                   # blank teams with a 挂靠联系人 ÷ blank teams
    blank_teams: pd.DataFrame     # unit, team, liaison_name, liaison_id, info_month
    # 人员名册 when it is missing; 班组信息 only when there are blank teams to look up (no blank team: nothing to count)
    not_reported: tuple[str, ...] = ()


def liaison_rate(source: Source, f: Filter) -> LiaisonRate:
    month = source.get("roster_month", f)
    blank = frame(source.store, f"""
        WITH blank AS (SELECT unit, team FROM ({_team_table_sql(scope_sql('unit', 'team'))}) WHERE blank),
        info AS (
            SELECT i.* FROM team_info i
            JOIN (SELECT unit, max(month) AS month FROM team_info WHERE month <= $month GROUP BY unit) latest
              USING (unit, month))
        SELECT b.unit, b.team, i.liaison_name, i.liaison_id, i.month AS info_month,
               (coalesce(i.liaison_name, '') <> '' OR coalesce(i.liaison_id, '') <> '') AS has_liaison
        FROM blank b LEFT JOIN info i ON i.unit = b.unit AND i.team = b.team
        ORDER BY has_liaison, b.unit, b.team""", f.params(month=month))
    sheets = ("roster", "team_info") if len(blank) else ("roster",)
    return LiaisonRate(month, ratio(blank["has_liaison"].sum(), len(blank)), blank, not_reported(source, f, *sheets))
