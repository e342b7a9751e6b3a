"""15. 总览: the headline figures of the 3+3+3, each beside the previous same-length period's."""
from __future__ import annotations

from dataclasses import dataclass

from lib.metrics.query import Filter, Ratio, Source


@dataclass(frozen=True)
class Headline:
    current: float | int | Ratio | None
    previous: float | int | Ratio | None


def headlines(source: Source, f: Filter) -> dict:
    """The headline figures for one filter, read off the indicators they summarise."""
    coverage = source.get("team_coverage", f)
    talks = source.get("talk_activity", f)
    ledger = source.get("problem_ledger", f)
    return {
        "blank_teams": coverage.blank_teams if coverage.roster_month else None,
        "team_coverage": coverage.coverage,
        "members": coverage.members if coverage.roster_month else None,
        "dev_frontline_share": source.get("dev_shares", f).frontline,
        "worker_coverage": source.get("pair_coverage", f).worker_coverage,
        "talks": talks.talks,
        "overdue_pairs": len(talks.overdue),
        "problems_raised": ledger.raised,
        "problem_resolution": ledger.resolution_rate,
        "mean_score": source.get("mean_score", f),
    }


def overview(source: Source, f: Filter) -> dict[str, Headline]:
    """The headline figures of 总览 by key (lib.labels.HEADLINES names them), with the previous period's."""
    now, before = source.get("headlines", f), source.get("headlines", f.previous())
    return {key: Headline(now[key], before[key]) for key in now}
