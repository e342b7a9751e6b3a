"""8. 党员责任区 (划一块地): zones and their 承包人 per 队, and whether every team sits inside a zone."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from lib.metrics.query import PARTY_SQL, Filter, Ratio, Source, frame, ratio, row, scope_sql
from lib.metrics.reporting import not_reported


@dataclass(frozen=True)
class Zones:
    roster_month: dt.date | None
    zones: int
    owners: int
    per_unit: pd.DataFrame         # unit, zones, owners
    team_coverage: Ratio           # teams inside some zone ÷ teams in the roster
    teams_outside: pd.DataFrame    # unit, team
    owners_not_members: pd.DataFrame  # 承包人 who are not party members in the roster (data warning)
    not_reported: tuple[str, ...] = ()   # sheets with no data for the scope and range (lib.metrics.reporting)


def zones(source: Source, f: Filter) -> Zones:
    month = source.get("roster_month", f)
    p = f.params(month=month)
    unit_scope = scope_sql("unit")
    n_zones, n_owners = row(source.store, f"SELECT count(DISTINCT zone_id), count(DISTINCT owner_id) FROM zones "
                                  f"WHERE {unit_scope}", p)
    per_unit = frame(source.store, f"SELECT unit, count(DISTINCT zone_id) AS zones, count(DISTINCT owner_id) AS owners "
                        f"FROM zones WHERE {unit_scope} GROUP BY 1 ORDER BY unit", p)
    teams = frame(source.store, f"""
        WITH covered AS (
            SELECT DISTINCT unit, unnest(string_split(covered_teams, '、')) AS team FROM zones
            WHERE coalesce(covered_teams, '') <> ''),
        teams AS (SELECT DISTINCT unit, team FROM roster WHERE month = $month AND {scope_sql('unit', 'team')})
        SELECT t.unit, t.team, c.team IS NOT NULL AS covered
        FROM teams t LEFT JOIN covered c USING (unit, team) ORDER BY covered, t.unit, t.team""", p)
    not_members = frame(source.store, f"""
        SELECT DISTINCT z.unit, z.zone_id, z.zone_name, z.owner_id, z.owner_name,
               coalesce(r.political, '不在名册中') AS political
        FROM zones z LEFT JOIN roster r ON r.month = $month AND r.staff_id = z.owner_id
        WHERE {scope_sql('z.unit')} AND (r.political IS NULL OR r.political NOT IN {PARTY_SQL})
        ORDER BY z.unit, z.zone_id, z.owner_id""", p)
    return Zones(month, int(n_zones), int(n_owners), per_unit,
                 ratio(teams["covered"].sum(), len(teams)),
                 teams[~teams["covered"]][["unit", "team"]].reset_index(drop=True), not_members,
                 not_reported(source, f, "zones", "roster"))


@dataclass(frozen=True)
class TeamZones:
    zones: pd.DataFrame           # unit, team, zone_id, zone_name, owner_id, owner_name: each 承包人 of each zone
                                  # whose 覆盖班组 name a team in scope
    not_reported: tuple[str, ...] = ()


def team_zones(source: Source, f: Filter) -> TeamZones:
    """Which zones cover each team in scope (a zone lists its teams in 覆盖班组, joined by 、)."""
    p = f.params()
    found = frame(source.store, f"""
        WITH covered AS (
            SELECT unit, zone_id, zone_name, owner_id, owner_name, unnest(string_split(covered_teams, '、')) AS team
            FROM zones WHERE coalesce(covered_teams, '') <> '')
        SELECT DISTINCT unit, team, zone_id, zone_name, owner_id, owner_name
        FROM covered WHERE {scope_sql('unit', 'team')} ORDER BY unit, team, zone_id, owner_id""", p)
    return TeamZones(found, not_reported(source, f, "zones"))
