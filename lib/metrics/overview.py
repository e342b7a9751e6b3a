"""15. 总览: the headline figures of the 3+3+3, each beside the previous same-length period's.

A figure whose sheets were not sent for a period is None there (never 0); the current period's
unsent sheets are named on the Headline (`not_reported`)."""
from __future__ import annotations

from dataclasses import dataclass

from lib.metrics.query import Filter, Ratio, Source

# The sheets each headline figure is computed from.
HEADLINE_SHEETS = {
    "blank_teams": ("roster",),
    "team_coverage": ("roster",),
    "members": ("roster",),
    "dev_frontline_share": ("development",),
    "worker_coverage": ("roster", "pairs"),
    "talks": ("talks",),
    "overdue_pairs": ("pairs",),
    "problems_raised": ("problems",),
    "problem_resolution": ("problems",),
    "mean_score": ("scores",),
}


@dataclass(frozen=True)
class Headline:
    current: float | int | Ratio | None
    previous: float | int | Ratio | None
    not_reported: tuple[str, ...] = ()   # sheets not sent for the current period (lib.metrics.reporting)


def headlines(source: Source, f: Filter) -> dict:
    """The headline figures for one filter, read off the indicators they summarise; None where
    their sheets have no data for the filter."""
    coverage = source.get("team_coverage", f)
    talks = source.get("talk_activity", f)
    ledger = source.get("problem_ledger", f)
    figures = {
        "blank_teams": coverage.blank_teams,
        "team_coverage": coverage.coverage,
        "members": coverage.members,
        "dev_frontline_share": source.get("dev_shares", f).frontline,
        "worker_coverage": source.get("pair_coverage", f).worker_coverage,
        "talks": talks.talks,
        "overdue_pairs": len(talks.overdue),
        "problems_raised": ledger.raised,
        "problem_resolution": ledger.resolution_rate,
        "mean_score": source.get("mean_score", f),
    }
    sent = source.get("reported_sheets", f)
    return {key: None if sent.missing(*HEADLINE_SHEETS[key]) else value for key, value in figures.items()}


def overview(source: Source, f: Filter) -> dict[str, Headline]:
    """The headline figures of 总览 by key (lib.labels.HEADLINES names them), with the previous period's."""
    now, before = source.get("headlines", f), source.get("headlines", f.previous())
    sent = source.get("reported_sheets", f)
    return {key: Headline(now[key], before[key], sent.missing(*HEADLINE_SHEETS[key])) for key in now}
