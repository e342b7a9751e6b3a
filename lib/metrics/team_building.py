"""11–13. 班组建设: 管理委员会, 理念口号 and 荣誉 — the three systems inside each team."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from lib.ingest.sheets import SLOGAN_CATEGORIES
from lib.metrics.query import Filter, Ratio, Source, frame, ratio, scope_sql
from lib.metrics.reporting import not_reported


@dataclass(frozen=True)
class Committee:
    roster_month: dt.date | None
    teams_with_committee: Ratio   # teams with a committee ÷ teams in the roster
    member_share: Ratio           # committee members ÷ headcount, over teams with a committee
    per_team: pd.DataFrame        # unit, team, headcount, committee_members, share
    teams_without: pd.DataFrame
    not_reported: tuple[str, ...] = ()   # sheets with no data for the scope and range (lib.metrics.reporting)


def committee(source: Source, f: Filter) -> Committee:
    month = source.get("roster_month", f)
    per_team = frame(source.store, f"""
        WITH teams AS (SELECT unit, team, count(*) AS headcount FROM roster
                       WHERE month = $month AND {scope_sql('unit', 'team')} GROUP BY ALL),
        c AS (SELECT unit, team, count(DISTINCT staff_id) AS committee_members FROM committee GROUP BY ALL)
        SELECT t.unit, t.team, t.headcount, coalesce(c.committee_members, 0) AS committee_members
        FROM teams t LEFT JOIN c USING (unit, team) ORDER BY t.unit, t.team""", f.params(month=month))
    per_team["share"] = per_team["committee_members"] / per_team["headcount"]
    with_c = per_team[per_team["committee_members"] > 0]
    return Committee(month, ratio(len(with_c), len(per_team)),
                     ratio(with_c["committee_members"].sum(), with_c["headcount"].sum()), per_team,
                     per_team[per_team["committee_members"] == 0][["unit", "team"]].reset_index(drop=True),
                     not_reported(source, f, "roster", "committee"))


@dataclass(frozen=True)
class Slogans:
    total: int
    by_category: pd.DataFrame     # category, entries
    per_team: pd.DataFrame        # unit, team, one column per category
    teams_missing: pd.DataFrame   # unit, team, missing (categories joined by 、)
    entries: pd.DataFrame
    not_reported: tuple[str, ...] = ()   # sheets with no data for the scope and range (lib.metrics.reporting)


def slogans(source: Source, f: Filter) -> Slogans:
    month = source.get("roster_month", f)
    p = f.params(month=month)
    entries = frame(source.store, f"SELECT unit, team, category, content FROM slogans WHERE {scope_sql('unit', 'team')} "
                       f"ORDER BY unit, team, category", p)
    cats = ", ".join(f"count(*) FILTER (WHERE s.category = '{c}') AS \"{c}\"" for c in SLOGAN_CATEGORIES)
    per_team = frame(source.store, f"""
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
                   entries, not_reported(source, f, "slogans"))


@dataclass(frozen=True)
class Honours:
    by_year_body: pd.DataFrame    # year, awarded_by, honours
    honoured_teams: pd.DataFrame  # year, teams (distinct 队/班组 given a team honour that year)
    entries: pd.DataFrame
    not_reported: tuple[str, ...] = ()   # sheets with no data for the scope and range (lib.metrics.reporting)


def honours(source: Source, f: Filter) -> Honours:
    p = f.params(first_year=f.start.year, last_year=f.end.year)
    base = (f"FROM honours WHERE year BETWEEN $first_year AND $last_year "
            f"AND {scope_sql('unit')} AND (len($teams) = 0 OR list_contains($teams, unit || '/' || team))")
    entries = frame(source.store, f"SELECT year, title, awarded_by, unit, team, recipient {base} ORDER BY year, title, unit, team",
                p)
    by_year_body = frame(source.store, f"SELECT year, awarded_by, count(*) AS honours {base} GROUP BY ALL ORDER BY 1, 2", p)
    # A team honour names a 班组 and no person (获得者 empty); individual honours don't make a team honoured.
    teams = frame(source.store, f"SELECT year, count(DISTINCT unit || '/' || team) AS teams {base} "
                     f"AND team <> '' AND recipient = '' GROUP BY 1 ORDER BY 1", p)
    return Honours(by_year_body, teams, entries, not_reported(source, f, "honours"))
