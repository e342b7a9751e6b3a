"""7. 问题台帐: the 微民生 problems found in talks — raised, resolved, answered in time, overdue."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.metrics import thresholds
from lib.metrics.query import Filter, Ratio, Source, frame, ratio, row, scope_sql
from lib.metrics.reporting import not_reported

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
    not_reported: tuple[str, ...] = ()   # sheets with no data for the scope and range (lib.metrics.reporting)


def problem_ledger(source: Source, f: Filter) -> ProblemLedger:
    p = f.params(feedback=thresholds.TIMELY_FEEDBACK_DAYS, open_days=thresholds.OPEN_PROBLEM_DAYS)
    scope = scope_sql("unit", "team")
    in_range = f"found_on BETWEEN $start AND $as_of AND {scope}"
    raised, resolved, timely, median_days = row(source.store, f"""
        SELECT count(*), count(*) FILTER (WHERE {RESOLVED_BY}),
               count(*) FILTER (WHERE feedback_on <= found_on + to_days(CAST($feedback AS INTEGER))
                                  AND feedback_on <= $as_of),
               median(date_diff('day', found_on, resolved_on)) FILTER (WHERE {RESOLVED_BY})
        FROM problems WHERE {in_range}""", p)
    by_category = frame(source.store, f"""
        SELECT category, count(*) AS raised, count(*) FILTER (WHERE {RESOLVED_BY}) AS resolved
        FROM problems WHERE {in_range} GROUP BY 1 ORDER BY raised DESC, category""", p)
    by_unit = frame(source.store, f"""
        SELECT unit, count(*) AS raised, count(*) FILTER (WHERE {RESOLVED_BY}) AS resolved,
               count(*) FILTER (WHERE NOT {RESOLVED_BY}) AS open
        FROM problems WHERE {in_range} GROUP BY 1 ORDER BY unit""", p)
    open_ages = frame(source.store, f"""
        SELECT problem_id, found_on, unit, team, category, description, owner, status,
               date_diff('day', found_on, $as_of) AS age_days
        FROM problems WHERE found_on <= $as_of AND NOT {RESOLVED_BY} AND {scope}
        ORDER BY age_days DESC, problem_id""", p)
    overdue = open_ages[open_ages["age_days"] > thresholds.OPEN_PROBLEM_DAYS].reset_index(drop=True)
    return ProblemLedger(int(raised), int(resolved), ratio(resolved, raised), ratio(timely, raised),
                         None if median_days is None else float(median_days), overdue, by_category, by_unit,
                         open_ages, not_reported(source, f, "problems"))
