"""5–6. 包保对子 and 亲情谈心 (谈一次心): who is paired with whom, how often they talk, which pairs went quiet."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from lib.metrics import thresholds
from lib.metrics.query import PARTY_SQL, Filter, Ratio, Source, frame, ratio, row, scope_sql, team_scope_via_roster
from lib.metrics.reporting import not_reported

ACTIVE_PAIR = "(paired_on <= $as_of AND (ended_on IS NULL OR ended_on > $as_of))"
# Every active pair with its latest talk and the days since it (or since the pairing, without one);
# callers add their scope and order. talk_activity keeps the quiet ones, pair_talks lists them all.
PAIRS_SINCE_LAST_TALK = f"""
        WITH last_talk AS (SELECT member_id, worker_id, max(talk_date) AS last_talk FROM talks
                           WHERE talk_date <= $as_of GROUP BY ALL)
        SELECT pr.member_unit, pr.member_id, pr.member_name, pr.worker_unit, pr.worker_team, pr.worker_id,
               pr.worker_name, pr.paired_on, lt.last_talk,
               date_diff('day', coalesce(lt.last_talk, pr.paired_on), $as_of) AS days_since
        FROM pairs pr LEFT JOIN last_talk lt USING (member_id, worker_id)
        WHERE {ACTIVE_PAIR.replace('paired_on', 'pr.paired_on').replace('ended_on', 'pr.ended_on')}"""


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
    not_reported: tuple[str, ...] = ()   # sheets with no data for the scope and range (lib.metrics.reporting)


def pair_coverage(source: Source, f: Filter) -> PairCoverage:
    month = source.get("roster_month", f)
    p = f.params(month=month)
    worker_scope = scope_sql("worker_unit", "worker_team")
    member_scope = scope_sql("member_unit") + " AND " + team_scope_via_roster("member_id")
    pairs, workers, members = row(source.store, f"""
        SELECT (SELECT count(*) FROM pairs WHERE {ACTIVE_PAIR} AND {member_scope}),
               (SELECT count(DISTINCT worker_id) FROM pairs WHERE {ACTIVE_PAIR} AND {worker_scope}),
               (SELECT count(DISTINCT member_id) FROM pairs WHERE {ACTIVE_PAIR} AND {member_scope})""", p)
    per_unit = frame(source.store, f"""
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
                        ratio(workers, per_unit["workers"].sum()), ratio(members, per_unit["members"].sum()),
                        (pairs / members) if members else None, per_unit, not_reported(source, f, "roster", "pairs"))


# ---------------------------------------------------------------- 6. 谈心

@dataclass(frozen=True)
class TalkActivity:
    talks: int
    talk_coverage: Ratio          # workers in active pairs with a talk in the range ÷ workers in active pairs
    overdue: pd.DataFrame         # active pairs with no talk in the last OVERDUE_TALK_DAYS days
    by_method: pd.DataFrame       # method, talks
    problems_found: int
    overdue_days: int
    not_reported: tuple[str, ...] = ()   # sheets with no data for the scope and range (lib.metrics.reporting)


def talk_activity(source: Source, f: Filter) -> TalkActivity:
    month = source.get("roster_month", f)
    p = f.params(month=month, days=thresholds.OVERDUE_TALK_DAYS)
    talk_scope = scope_sql("member_unit") + " AND " + team_scope_via_roster("member_id")
    talks, found = row(source.store, f"""
        SELECT count(*), count(*) FILTER (WHERE found_problem) FROM talks
        WHERE talk_date BETWEEN $start AND $as_of AND {talk_scope}""", p)
    by_method = frame(source.store, f"""
        SELECT coalesce(nullif(method, ''), '未填写') AS method, count(*) AS talks FROM talks
        WHERE talk_date BETWEEN $start AND $as_of AND {talk_scope} GROUP BY 1 ORDER BY talks DESC, method""", p)
    pair_scope = scope_sql("worker_unit", "worker_team")
    covered, paired = row(source.store, f"""
        WITH active AS (SELECT DISTINCT member_id, worker_id FROM pairs WHERE {ACTIVE_PAIR} AND {pair_scope})
        SELECT count(DISTINCT a.worker_id) FILTER (WHERE EXISTS (
                   SELECT 1 FROM talks t WHERE t.member_id = a.member_id AND t.worker_id = a.worker_id
                   AND t.talk_date BETWEEN $start AND $as_of)),
               count(DISTINCT a.worker_id)
        FROM active a""", p)
    # Each pair's latest talk first, then the active pairs without one in the last `days` days.
    overdue = frame(source.store, f"""{PAIRS_SINCE_LAST_TALK}
          AND {pair_scope.replace('worker_', 'pr.worker_')}
          AND pr.paired_on <= $as_of - to_days(CAST($days AS INTEGER))
          AND (lt.last_talk IS NULL OR lt.last_talk <= $as_of - to_days(CAST($days AS INTEGER)))
        ORDER BY days_since DESC, pr.member_unit, pr.member_id, pr.worker_id""", p)
    return TalkActivity(int(talks), ratio(covered, paired), overdue, by_method, int(found),
                        thresholds.OVERDUE_TALK_DAYS, not_reported(source, f, "talks", "pairs"))


# ---------------------------------------------------------------- each pair's latest talk (班组画像)

@dataclass(frozen=True)
class PairTalks:
    pairs: pd.DataFrame           # every active pair of the workers in scope: member_unit, member_id, member_name,
                                  # worker_unit, worker_team, worker_id, worker_name, paired_on, last_talk,
                                  # days_since (from the last talk, or the pairing without one, to the as-of date)
    overdue_days: int
    not_reported: tuple[str, ...] = ()


def pair_talks(source: Source, f: Filter) -> PairTalks:
    """Every active pair (the worker's 队/班组 in scope) with the days since its last talk — the
    quiet ones are talk_activity.overdue; this lists them all, longest quiet first."""
    p = f.params()
    pair_scope = scope_sql("pr.worker_unit", "pr.worker_team")
    pairs = frame(source.store, f"""{PAIRS_SINCE_LAST_TALK} AND {pair_scope}
        ORDER BY days_since DESC, pr.worker_unit, pr.worker_team, pr.member_id, pr.worker_id""", p)
    return PairTalks(pairs, thresholds.OVERDUE_TALK_DAYS, not_reported(source, f, "pairs", "talks"))
