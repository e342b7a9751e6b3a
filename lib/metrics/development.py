"""1. 发展党员 (发展上加力): who became a 发展对象 in the range, and where the pipeline stands."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from lib.metrics import thresholds
from lib.metrics.query import Filter, Ratio, Source, frame, ratio, row, scope_sql
from lib.metrics.reporting import not_reported

STAGES = ("入党申请人", "入党积极分子", "发展对象", "预备党员", "正式党员")
STAGE_FIELDS = ("applied_on", "activist_on", "candidate_on", "probation_on", "full_on")


@dataclass(frozen=True)
class DevShares:
    frontline: Ratio
    leader: Ratio
    not_reported: tuple[str, ...] = ()   # sheets with no data for the scope and range (lib.metrics.reporting)


def dev_shares(source: Source, f: Filter) -> DevShares:
    """发展对象中一线职工/班组长占比: people whose 确定发展对象时间 falls in the range."""
    n_front, n_lead, total = row(source.store, f"""
        SELECT count(*) FILTER (WHERE frontline), count(*) FILTER (WHERE team_leader), count(*)
        FROM development
        WHERE candidate_on BETWEEN $start AND $as_of AND {scope_sql('unit', 'team')}""", f.params())
    return DevShares(ratio(n_front, total), ratio(n_lead, total), not_reported(source, f, "development"))


@dataclass(frozen=True)
class DevPipeline:
    as_of: dt.date
    stage_counts: pd.DataFrame       # stage, people (as of the date), entered (stage date in range)
    awaiting_full: pd.DataFrame      # 待转正: 预备期 over with no 转正日期
    fast_promotions: pd.DataFrame    # 积极分子 → 发展对象 in under a year, 发展对象 in range
    stage_days: pd.DataFrame         # from_stage, to_stage, people, median_days
    not_reported: tuple[str, ...] = ()   # sheets with no data for the scope and range (lib.metrics.reporting)


def dev_pipeline(source: Source, f: Filter) -> DevPipeline:
    p = f.params(fast=thresholds.FAST_PROMOTION_DAYS, probation=thresholds.PROBATION_DAYS)
    scope = scope_sql("unit", "team")
    stage_case = "CASE " + " ".join(
        f"WHEN {fld} <= $as_of THEN '{name}'" for fld, name in reversed(list(zip(STAGE_FIELDS, STAGES)))) + " END"
    entered = ", ".join(f"count(*) FILTER (WHERE {fld} BETWEEN $start AND $as_of) AS e{i}"
                        for i, fld in enumerate(STAGE_FIELDS))
    people = frame(source.store, f"SELECT {stage_case} AS stage, count(*) AS people FROM development "
                      f"WHERE {scope} AND applied_on <= $as_of GROUP BY 1", p)
    entered_row = row(source.store, f"SELECT {entered} FROM development WHERE {scope}", p)
    by_stage = dict(zip(people["stage"], people["people"]))
    stage_counts = pd.DataFrame({"stage": STAGES, "people": [int(by_stage.get(s, 0)) for s in STAGES],
                                 "entered": [int(v or 0) for v in entered_row]})
    awaiting = frame(source.store, f"""
        SELECT unit, team, staff_id, name, probation_on,
               probation_on + to_days(CAST($probation AS INTEGER)) AS due_on,
               date_diff('day', probation_on, $as_of) - $probation AS days_overdue
        FROM development
        WHERE {scope} AND probation_on <= $as_of - to_days(CAST($probation AS INTEGER))
          AND (full_on IS NULL OR full_on > $as_of)
        ORDER BY days_overdue DESC, unit, team, staff_id""", p)
    fast = frame(source.store, f"""
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
    steps = frame(source.store, f"SELECT step, count(*) AS people, median(days) AS median_days FROM ({pairs_sql}) "
                     f"GROUP BY step", p)
    by_step = {int(r.step): r for r in steps.itertuples()}
    stage_days = pd.DataFrame({
        "from_stage": STAGES[:-1], "to_stage": STAGES[1:],
        "people": [int(by_step[i].people) if i in by_step else 0 for i in range(4)],
        "median_days": [float(by_step[i].median_days) if i in by_step else None for i in range(4)]})
    return DevPipeline(f.as_of, stage_counts, awaiting, fast, stage_days, not_reported(source, f, "development"))
