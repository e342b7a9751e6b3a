"""10. 比学争优: quarterly scores — self-assessed, reviewed by the branch, ranked within each team."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.metrics.query import IN_QUARTERS, Filter, Source, frame, scope_sql
from lib.metrics.reporting import not_reported

MOVERS = 10  # the biggest rank changes shown (名次进退)


@dataclass(frozen=True)
class ScoreTrend:
    per_team: pd.DataFrame       # quarter, unit, team, people, mean_score, unreviewed
    per_unit: pd.DataFrame       # quarter, unit, people, mean_score, unreviewed
    ranks: pd.DataFrame          # quarter, unit, team, staff_id, name, score, reviewed, rank, prev_rank, rank_change
    review: pd.DataFrame         # quarter, people, reviewed, review_rate, mean_self_minus_review
    movers: pd.DataFrame         # the biggest rank changes in the last quarter of the range
    not_reported: tuple[str, ...] = ()   # sheets with no data for the scope and range (lib.metrics.reporting)


def _scored_sql() -> str:
    """Each member's score: 支部审核分, else 自评总分 (flagged as not reviewed)."""
    return f"""
        SELECT quarter, unit, team, staff_id, name, self_score, review_score,
               coalesce(review_score, self_score) AS score, review_score IS NOT NULL AS reviewed
        FROM scores WHERE {scope_sql('unit', 'team')}"""


def score_means(source: Source, f: Filter) -> pd.DataFrame:
    """Per quarter and 队: people, mean score, how many not yet reviewed."""
    return frame(source.store, f"""SELECT quarter, unit, count(*) AS people, avg(score) AS mean_score,
                           count(*) FILTER (WHERE NOT reviewed) AS unreviewed
                        FROM ({_scored_sql()}) WHERE {IN_QUARTERS} GROUP BY ALL ORDER BY 1, 2""", f.params())


def mean_score(source: Source, f: Filter) -> float | None:
    """比学争优平均分 of the latest quarter in range: every member's score, weighted by people per 队."""
    means = source.get("score_means", f)
    if means.empty:
        return None
    last_q = means[means["quarter"] == means["quarter"].max()]
    return float((last_q["mean_score"] * last_q["people"]).sum() / last_q["people"].sum())


def score_trend(source: Source, f: Filter) -> ScoreTrend:
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
    ranks = frame(source.store, ranked + " ORDER BY quarter, unit, team, rank, staff_id", p)
    per_team = frame(source.store, f"""SELECT quarter, unit, team, count(*) AS people, avg(score) AS mean_score,
                               count(*) FILTER (WHERE NOT reviewed) AS unreviewed
                            FROM ({scored}) WHERE {IN_QUARTERS} GROUP BY ALL ORDER BY 1, 2, 3""", p)
    review = frame(source.store, f"""SELECT quarter, count(*) AS people, count(*) FILTER (WHERE reviewed) AS reviewed,
                             avg(self_score - review_score) AS mean_self_minus_review
                          FROM ({scored}) WHERE {IN_QUARTERS} GROUP BY 1 ORDER BY 1""", p)
    review["review_rate"] = review["reviewed"] / review["people"].where(review["people"] > 0)
    last = ranks["quarter"].max() if len(ranks) else None
    moved = ranks[(ranks["quarter"] == last) & ranks["rank_change"].notna()] if last else ranks.head(0)
    moved = moved.reindex(moved["rank_change"].abs().sort_values(ascending=False, kind="stable").index)
    return ScoreTrend(per_team, source.get("score_means", f), ranks, review,
                      moved.head(MOVERS).reset_index(drop=True), not_reported(source, f, "scores"))
