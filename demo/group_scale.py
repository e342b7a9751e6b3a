"""Group-scale data for the metrics benchmark, written straight into a fresh `Store` (no workbooks).

    from demo.group_scale import build_group_database
    summary = build_group_database(Path("group.duckdb"))

12 mines × 8 units (一矿综采队 … 十二矿机关), 996 teams, about 15,000 workers, monthly rosters
2021-01 … 2023-12 (≈540,000 rows, ≈15 % party members, some blank teams that develop or lose
members over time), and every other sheet in the proportions of the demo mine (demo/mine.py) at
that size: 班组信息 monthly with 挂靠联系人 for the blank teams, about 3,000 people in 发展党员 with
their stage dates in order, about 5,000 包保对子 (some ended), about 150,000 谈心记录, about
10,000 问题台帐 rows raised in those talks, about 400 党员责任区, 党员示范岗 and 比学争优
quarterly, 管理委员会, 理念口号 and 荣誉. One `imports` row per file a unit would have sent
(unit × month, unit × quarter, one per list, one ledger per mine and year), each data row
pointing at its file, so 报送情况 joins real import times.

People, pairs and talks are drawn by demo/group.py, the small lists here, all in Python from
seeded `random.Random` streams (a few seconds); the big tables are expanded in DuckDB: the roster
is people × months, 班组信息 and 比学争优 are computed from the roster, and everything is inserted
from Arrow tables in bulk. The values follow lib/ingest/sheets.py: months as the first of the
month, quarters as '2023Q4', booleans, 六好 items as '是'/'否' or a score, '' (not NULL) for an
optional grain field.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from pathlib import Path

import pyarrow as pa

from demo.group import MINES, N_MONTHS, SEED, Group, Person, month_of, month_start, quarter_label
from demo.story import ZONE_OWNERS
from demo.vocabulary import COMMITTEE_ROLES, HQ, MODEL_POSTS_PER_UNIT, SCORE_ITEMS, SLOGANS, ZONE_DUTIES, draw_six_goods
from lib.ingest.sheets import SHEETS, SIX_GOODS
from lib.store.database import Store

GENERATOR_VERSION = "group-1"   # stored in meta, so a kept database built by another version is rebuilt
ZONES_PER_UNIT = {unit: len(owners) for unit, owners in ZONE_OWNERS.items()}     # as many as the demo mine's

def _table(columns: dict[str, list], types: dict[str, pa.DataType] | None = None) -> pa.Table:
    types = types or {}
    return pa.table({k: pa.array(v, type=types.get(k)) for k, v in columns.items()})


def _rows(records: list[dict], fields: list[str]) -> dict[str, list]:
    return {f: [r.get(f) for r in records] for f in fields}


def _insert(cur, key: str, table: pa.Table) -> None:
    """Insert an Arrow table into a data table by column name (columns it lacks stay NULL)."""
    cur.register("_bulk", table)
    cols = ", ".join(table.column_names)
    cur.execute(f"INSERT INTO {key} ({cols}) SELECT {cols} FROM _bulk")
    cur.unregister("_bulk")


class _Imports:
    """One `imports` row per file a unit would have sent; ids handed out by (kind, unit, period)."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.ids: dict[tuple, int] = {}

    def id(self, kind: str, unit: str, period, file_name: str, at: dt.datetime) -> int:
        key = (kind, unit, period)
        if key not in self.ids:
            self.ids[key] = len(self.rows) + 1
            digest = hashlib.sha256(repr(key).encode()).hexdigest()
            self.rows.append({"id": self.ids[key], "file_hash": digest, "content_key": digest[::-1],
                              "file_name": file_name, "file_format": "xlsx", "file_size": 20_000,
                              "sheets": "[]", "warnings": "[]", "rows_loaded": 0, "rows_dropped": 0,
                              "user_name": "基准测试", "imported_at": at, "app_version": "bench",
                              "status": "imported"})
        return self.ids[key]

    def monthly(self, unit: str, m: int) -> int:
        d = month_start(m)
        at = dt.datetime.combine(month_start(m + 1), dt.time(9)) + dt.timedelta(days=hash_int(unit, m) % 5,
                                                                                  minutes=hash_int(m, unit) % 480)
        return self.id("month", unit, m, f"{unit}_{d.year}年{d.month}月.xlsx", at)

    def quarterly(self, unit: str, q: int) -> int:
        at = dt.datetime.combine(month_start(3 * q + 3), dt.time(10)) + dt.timedelta(days=3 + hash_int(unit, q) % 7)
        return self.id("quarter", unit, q, f"{unit}_{quarter_label(q)}比学争优及示范岗评定.xlsx", at)

    def listed(self, kind: str, unit: str) -> int:
        at = dt.datetime(2024, 1, 5, 9) + dt.timedelta(hours=hash_int(kind, unit) % 72)
        return self.id(kind, unit, None, f"{unit}_{kind}.xlsx", at)

    def ledger(self, kind: str, mine: int, year: int) -> int:
        at = dt.datetime(year + 1, 1, 6, 9) + dt.timedelta(hours=mine)
        return self.id(kind, MINES[mine], year, f"{MINES[mine]}{year}年度{kind}.xlsx", at)


def hash_int(*parts) -> int:
    """A stable small hash (Python's hash() of str is salted per process)."""
    return int.from_bytes(hashlib.blake2b(repr(parts).encode(), digest_size=4).digest(), "little")


def build_group_database(db_path: Path | str, progress=print) -> dict[str, int]:
    """A fresh group-scale database at `db_path` (deleted first). Returns row counts per table."""
    db_path = Path(db_path)
    for stale in (db_path, db_path.with_name(db_path.name + ".wal")):
        if stale.exists():
            stale.unlink()
    t0 = time.perf_counter()
    g = Group()
    progress(f"  drew {len(g.people):,} people, {len(g.pairs):,} pairs, {len(g.talks):,} talks "
             f"in {time.perf_counter() - t0:.1f}s")
    store = Store(db_path)
    imports = _Imports()
    try:
        with store.transaction() as cur:
            _write_people_tables(cur, g, imports)
            _write_lists(cur, g, imports)
            _write_events(cur, g, imports)
            _write_quarterly(cur, g, imports)
            _write_imports(cur, imports)
            cur.execute("INSERT OR REPLACE INTO meta VALUES ('bench_generator', ?)", [GENERATOR_VERSION])
        with store.reading() as cur:
            cur.execute("CHECKPOINT")
            counts = {s.key: cur.execute(f"SELECT count(*) FROM {s.key}").fetchone()[0] for s in SHEETS}
            counts["imports"] = cur.execute("SELECT count(*) FROM imports").fetchone()[0]
    finally:
        store.close()
    progress(f"  wrote the group database in {time.perf_counter() - t0:.1f}s")
    return counts


def _write_people_tables(cur, g: Group, imports: _Imports) -> None:
    """人员名册 = people × months present; 班组信息 from it; 发展党员."""
    people = {k: [] for k in ("staff_id", "name", "gender", "birth_month", "post", "frontline", "team_leader",
                              "political", "joined_on", "start_m", "end_m", "unit1", "team1", "move_m", "unit2",
                              "team2", "probation_m", "full_m", "probation_on")}
    for p in g.people:
        moved = len(p.moves) > 1
        for k, v in (("staff_id", p.staff_id), ("name", p.name), ("gender", p.gender), ("birth_month", p.birth),
                     ("post", p.post), ("frontline", p.frontline), ("team_leader", p.leader),
                     ("political", p.political), ("joined_on", p.joined_on), ("start_m", p.start), ("end_m", p.end),
                     ("unit1", p.moves[0][1]), ("team1", p.moves[0][2]),
                     ("move_m", p.moves[1][0] if moved else None), ("unit2", p.moves[1][1] if moved else None),
                     ("team2", p.moves[1][2] if moved else None), ("probation_m", p.probation_m),
                     ("full_m", p.full_m), ("probation_on", p.dev["probation_on"] if p.dev else None)):
            people[k].append(v)
    cur.register("people", _table(people, {"move_m": pa.int32(), "probation_m": pa.int32(), "full_m": pa.int32(),
                                           "probation_on": pa.date32(), "joined_on": pa.date32()}))
    # import ids of the monthly files, as a (unit, month) → id table
    monthly = [(u, m, imports.monthly(u, m)) for _, _, u in g.units for m in range(N_MONTHS)]
    cur.register("monthly_ids", _table({"unit": [r[0] for r in monthly], "m": [r[1] for r in monthly],
                                        "import_id": [r[2] for r in monthly]}))
    first = month_start(0).isoformat()
    cur.execute(f"""
        CREATE TEMP TABLE placed AS
        SELECT (DATE '{first}' + to_months(m.m))::DATE AS month, m.m,
               CASE WHEN p.move_m IS NOT NULL AND m.m >= p.move_m THEN p.unit2 ELSE p.unit1 END AS unit,
               CASE WHEN p.move_m IS NOT NULL AND m.m >= p.move_m THEN p.team2 ELSE p.team1 END AS team,
               p.staff_id, p.name, p.gender, p.birth_month, p.post, p.frontline, p.team_leader,
               CASE WHEN p.full_m <= m.m THEN '中共党员' WHEN p.probation_m <= m.m THEN '中共预备党员'
                    ELSE p.political END AS political,
               CASE WHEN p.probation_m <= m.m THEN p.probation_on ELSE p.joined_on END AS joined_on
        FROM people p JOIN range({N_MONTHS}) m(m) ON m.m >= p.start_m AND m.m < p.end_m""")
    cur.execute("""
        INSERT INTO roster (month, unit, team, staff_id, name, gender, birth_month, post, frontline, team_leader,
                            political, joined_on, import_id)
        SELECT month, unit, team, staff_id, name, gender, birth_month, post, frontline, team_leader, political,
               CASE WHEN political IN ('中共党员', '中共预备党员') THEN joined_on END, i.import_id
        FROM placed JOIN monthly_ids i USING (unit, m)
        ORDER BY month, unit, team, staff_id""")
    # 班组信息: every team every month; a blank team names a member of its unit as 挂靠联系人 (mostly).
    teams = _table({"unit": [t[0] for t in g.teams], "team": [t[1] for t in g.teams],
                    "team_type": [t[2] for t in g.teams],
                    "branch": [t[0] + "党支部" for t in g.teams]})
    cur.register("teams", teams)
    cur.execute(f"""
        INSERT INTO team_info (month, unit, team, team_type, branch, liaison_id, liaison_name, import_id)
        WITH blank AS (
            SELECT month, unit, team FROM roster GROUP BY ALL
            HAVING count(*) FILTER (WHERE political IN ('中共党员', '中共预备党员')) = 0),
        members AS (
            SELECT month, unit, staff_id, name,
                   row_number() OVER (PARTITION BY month, unit ORDER BY staff_id) - 1 AS k,
                   count(*) OVER (PARTITION BY month, unit) AS n
            FROM roster WHERE political IN ('中共党员', '中共预备党员')),
        liaison AS (
            SELECT b.month, b.unit, b.team, mb.staff_id, mb.name
            FROM blank b JOIN members mb ON mb.month = b.month AND mb.unit = b.unit
             AND mb.k = hash(b.unit, b.team) % mb.n
            WHERE hash(b.unit, b.team, b.month) % 100 < 85)
        SELECT (DATE '{first}' + to_months(i.m))::DATE AS month, t.unit, t.team, t.team_type, t.branch,
               l.staff_id, l.name, i.import_id
        FROM teams t JOIN monthly_ids i USING (unit)
        LEFT JOIN liaison l ON l.month = (DATE '{first}' + to_months(i.m))::DATE AND l.unit = t.unit
             AND l.team = t.team
        ORDER BY 1, 2, 3""")
    # 发展党员
    records = [{**p.dev, "staff_id": p.staff_id, "name": p.name, "frontline": p.frontline,
                "team_leader": p.leader, "import_id": imports.listed("发展党员", p.dev["unit"])} for p in g.dev]
    fields = ["unit", "team", "staff_id", "name", "frontline", "team_leader", "applied_on", "activist_on",
              "candidate_on", "probation_on", "full_on", "mentor", "import_id"]
    _insert(cur, "development", _table(_rows(records, fields), {f: pa.date32() for f in fields if f.endswith("_on")}))


def _write_lists(cur, g: Group, imports: _Imports) -> None:
    """包保对子, 党员责任区, 管理委员会, 理念口号 (lists sent once per unit) and 荣誉 (per mine and year)."""
    rng = random.Random(SEED + 1)
    last = N_MONTHS - 1
    # 包保对子
    records = []
    for pr in g.pairs:
        m = pr["member"]
        unit = m.moves[0][1]
        records.append({"member_id": m.staff_id, "member_name": m.name, "member_unit": unit,
                        "worker_id": pr["worker"].staff_id, "worker_name": pr["worker"].name,
                        "worker_unit": pr["worker_unit"], "worker_team": pr["worker_team"],
                        "paired_on": pr["paired_on"], "ended_on": pr["ended_on"],
                        "import_id": imports.listed("包保对子", unit)})
    fields = ["member_id", "member_name", "member_unit", "worker_id", "worker_name", "worker_unit", "worker_team",
              "paired_on", "ended_on", "import_id"]
    _insert(cur, "pairs", _table(_rows(records, fields), {"paired_on": pa.date32(), "ended_on": pa.date32()}))
    # who is where in the last month
    members_now: dict[str, list[Person]] = {}
    people_now: dict[tuple[str, str], list[Person]] = {}
    for p in g.people:
        if p.present(last):
            u, t = p.place(last)
            people_now.setdefault((u, t), []).append(p)
            if p.member(last):
                members_now.setdefault(u, []).append(p)
    # 党员责任区: about 400 zones, 2–3 承包人 each, covering the unit's teams (a few teams left out)
    records, zone_no = [], 0
    for _, kind, unit in g.units:
        teams = list(g.teams_of[unit])
        rng.shuffle(teams)
        if rng.random() < 0.2:
            teams = teams[1:]
        n = ZONES_PER_UNIT[kind]
        owners = rng.sample(members_now[unit], min(len(members_now[unit]), 3 * n))
        k = 0
        for z in range(n):
            zone_no += 1
            group = sorted(teams[z::n], key=g.teams_of[unit].index)
            set_up = dt.date(2020, rng.randint(6, 9), rng.randint(1, 28))
            for owner in owners[k:k + rng.choice((2, 2, 3))]:
                records.append({"zone_id": f"ZRQ{zone_no:03d}", "zone_name": f"{group[0]}片区党员责任区",
                                "unit": unit, "covered_teams": "、".join(group), "owner_id": owner.staff_id,
                                "owner_name": owner.name, "duty": rng.choice(ZONE_DUTIES), "set_up_on": set_up,
                                "import_id": imports.listed("党员责任区", unit)})
            k += 2
    fields = ["zone_id", "zone_name", "unit", "covered_teams", "owner_id", "owner_name", "duty", "set_up_on",
              "import_id"]
    _insert(cur, "zones", _table(_rows(records, fields), {"set_up_on": pa.date32()}))
    # 管理委员会: 3–5 people in most teams, 班组长 and members first
    records = []
    for unit, team, _ in g.teams:
        people = people_now.get((unit, team), [])
        if len(people) < 3 or rng.random() < 0.08:
            continue
        size = min(len(people), rng.randint(3, 5))
        chosen = [p for p in people if p.leader or p.member(last)][:2]
        chosen += rng.sample([p for p in people if p not in chosen], size - len(chosen))
        roles = rng.sample(COMMITTEE_ROLES, size)
        appointed = dt.date(rng.randint(2020, 2023), rng.randint(1, 12), rng.randint(1, 28))
        for p, role in zip(chosen, roles):
            records.append({"unit": unit, "team": team, "staff_id": p.staff_id, "name": p.name, "role": role,
                            "appointed_on": appointed, "import_id": imports.listed("管理委员会", unit)})
    fields = ["unit", "team", "staff_id", "name", "role", "appointed_on", "import_id"]
    _insert(cur, "committee", _table(_rows(records, fields), {"appointed_on": pa.date32()}))
    # 理念口号: about 40 % of the teams, one entry per category
    records = []
    for unit, team, _ in g.teams:
        if rng.random() < 0.4:
            for category, texts in SLOGANS.items():
                records.append({"unit": unit, "team": team, "category": category, "content": rng.choice(texts),
                                "import_id": imports.listed("理念口号", unit)})
    _insert(cur, "slogans", _table(_rows(records, ["unit", "team", "category", "content", "import_id"])))
    # 荣誉: per mine and year (team honours have no 获得者: '' as the grain wants), plus group-level ones
    records = []
    for year in (2021, 2022, 2023):
        m = month_of(dt.date(year, 12, 1))
        mine_of = {u: mi for mi, _, u in g.units}
        by_mine: dict[int, list[tuple[str, str, Person]]] = {}
        for p in g.people:
            if p.present(m) and p.member(m):
                unit, team = p.place(m)
                by_mine.setdefault(mine_of[unit], []).append((unit, team, p))
        for mi, mine in enumerate(MINES):
            covered = sorted({(u, t) for u, t, _ in by_mine[mi] if not u.endswith(HQ)})
            members = [p for _, _, p in by_mine[mi]]
            ledger = imports.ledger("荣誉", mi, year)

            def teams_award(title, by, teams):
                for unit, team in teams:
                    records.append({"year": year, "title": title, "awarded_by": by, "unit": unit, "team": team,
                                    "recipient": "", "staff_id": None, "import_id": ledger})

            def people_award(title, by, chosen):
                for p in chosen:
                    unit, team = p.place(m)
                    records.append({"year": year, "title": title, "awarded_by": by, "unit": unit, "team": team,
                                    "recipient": p.name, "staff_id": p.staff_id, "import_id": ledger})

            pioneers = rng.sample(covered, 4)
            teams_award("党员先锋岗", "矿党委", pioneers)
            teams_award("党员先锋岗", "集团公司党委", pioneers[:1])
            teams_award("先进班组", "矿工会", rng.sample(covered, 3))
            people_award("优秀共产党员", "矿党委", rng.sample(members, 3))
            if mi % 3 == year % 3:
                people_award("优秀共产党员", "集团公司党委", rng.sample(members, 2))
                teams_award("工人先锋号", "集团公司工会", rng.sample(covered, 1))
    seen, unique = set(), []
    for r in records:   # two namesakes in one team would collide on the grain
        key = (r["year"], r["title"], r["awarded_by"], r["unit"], r["team"], r["recipient"])
        if key not in seen:
            seen.add(key)
            unique.append(r)
    fields = ["year", "title", "awarded_by", "unit", "team", "recipient", "staff_id", "import_id"]
    _insert(cur, "honours", _table(_rows(unique, fields), {"staff_id": pa.string(), "year": pa.int32()}))


def _write_events(cur, g: Group, imports: _Imports) -> None:
    """谈心记录 (in the member's unit's monthly file) and 问题台帐 (one ledger per mine and year)."""
    cols = list(zip(*g.talks))
    ids = [imports.monthly(unit, month_of(d)) for d, unit in zip(cols[0], cols[3])]
    fields = ["talk_date", "member_id", "member_name", "member_unit", "worker_id", "worker_name", "method",
              "content", "found_problem", "problem_id"]
    table = {f: list(c) for f, c in zip(fields, cols)}
    table["import_id"] = ids
    _insert(cur, "talks", _table(table, {"talk_date": pa.date32(), "problem_id": pa.string()}))
    fields = ["problem_id", "found_on", "unit", "team", "reporter", "category", "description", "owner",
              "feedback_on", "resolved_on", "status", "satisfaction", "import_id"]
    for pr in g.problems:
        pr["import_id"] = imports.ledger("问题台帐", pr["mine"], pr["year"])
    _insert(cur, "problems", _table(_rows(g.problems, fields),
                                    {"found_on": pa.date32(), "feedback_on": pa.date32(), "resolved_on": pa.date32(),
                                     "satisfaction": pa.string()}))


def _write_quarterly(cur, g: Group, imports: _Imports) -> None:
    """党员示范岗 (holders kept while they stay members in the unit) and 比学争优 (from the roster)."""
    rng = random.Random(SEED + 2)
    holders: dict[tuple[str, int], Person] = {}
    score_style = {u: hash_int("goods", u) % 2 == 0 for _, _, u in g.units}
    records = []
    qids = []
    for q in range(N_MONTHS // 3):
        m = 3 * q + 2
        members: dict[str, list[Person]] = {}
        for p in g.people:
            if p.present(m) and p.member(m):
                members.setdefault(p.place(m)[0], []).append(p)
        for _, kind, unit in g.units:
            qid = imports.quarterly(unit, q)
            qids.append((unit, quarter_label(q), qid))
            pool = members.get(unit, [])
            taken: set[int] = set()
            for i in range(MODEL_POSTS_PER_UNIT[kind]):
                holder = holders.get((unit, i))
                if holder is None or holder not in pool or holder.pid in taken:
                    holder = rng.choice([p for p in pool if p.pid not in taken])
                    holders[(unit, i)] = holder
                taken.add(holder.pid)
                team = holder.place(m)[1]
                drawn, result = draw_six_goods(rng, scored=score_style[unit])
                goods = {f: str(v) if score_style[unit] else ("是" if v else "否") for f, v in drawn.items()}
                records.append({"quarter": quarter_label(q), "post_name": f"{team}党员示范岗（{i + 1}号）",
                                "unit": unit, "team": team, "member_id": holder.staff_id,
                                "member_name": holder.name, **goods, "result": result, "import_id": qid})
    fields = ["quarter", "post_name", "unit", "team", "member_id", "member_name",
              *(f for f, _, _ in SIX_GOODS), "result", "import_id"]
    _insert(cur, "model_posts", _table(_rows(records, fields)))
    # 比学争优: every member, 班组长 and 积极分子 in the roster of the quarter's last month.
    cur.register("quarter_ids", _table({"unit": [r[0] for r in qids], "quarter": [r[1] for r in qids],
                                        "import_id": [r[2] for r in qids]}))
    items = ", ".join(
        f"greatest(0, {top} - (hash(r.staff_id, r.month, {i}) % 7)::INTEGER) AS i{i}"
        for i, (_, top) in enumerate(SCORE_ITEMS))
    json_items = " || ', ' || ".join(f"'\"{name}\": ' || i{i} || '.0'" for i, (name, _) in enumerate(SCORE_ITEMS))
    total = " + ".join(f"i{i}" for i in range(len(SCORE_ITEMS)))
    last_q = quarter_label(N_MONTHS // 3 - 1)
    cur.execute(f"""
        INSERT INTO scores (quarter, unit, team, staff_id, name, self_score, review_score, review_status, items,
                            import_id)
        WITH s AS (
            SELECT strftime(r.month, '%Y') || 'Q' || quarter(r.month) AS quarter, r.unit, r.team, r.staff_id,
                   r.name, {items}, hash(r.staff_id, r.month) % 100 AS h
            FROM roster r LEFT JOIN development d ON d.staff_id = r.staff_id
            WHERE month(r.month) IN (3, 6, 9, 12)
              AND (r.political IN ('中共党员', '中共预备党员') OR r.team_leader
                   OR d.activist_on <= last_day(r.month)))
        SELECT s.quarter, s.unit, s.team, s.staff_id, s.name, {total} AS self_score,
               CASE WHEN (s.quarter = '{last_q}' AND h < 20) OR h = 99 THEN NULL
                    ELSE greatest(0, {total} - h % 4) END AS review_score,
               CASE WHEN s.quarter = '{last_q}' AND h < 20 THEN '待审核' WHEN h = 99 THEN '退回' ELSE '已审核' END,
               '{{' || {json_items} || '}}' AS items, q.import_id
        FROM s JOIN quarter_ids q USING (unit, quarter)
        ORDER BY 1, 2, 3, 4""")


def _write_imports(cur, imports: _Imports) -> None:
    fields = ["id", "file_hash", "content_key", "file_name", "file_format", "file_size", "sheets", "warnings",
              "rows_loaded", "rows_dropped", "user_name", "imported_at", "app_version", "status"]
    table = _table(_rows(imports.rows, fields), {"id": pa.int64(), "file_size": pa.int64(),
                                                  "rows_loaded": pa.int64(), "rows_dropped": pa.int64(),
                                                  "imported_at": pa.timestamp("us")})
    _insert(cur, "imports", table)
    counts = " UNION ALL ".join(f"SELECT import_id, count(*) AS n FROM {s.key} GROUP BY 1" for s in SHEETS)
    cur.execute(f"""UPDATE imports SET rows_loaded = c.n
                    FROM (SELECT import_id, sum(n) AS n FROM ({counts}) GROUP BY 1) c WHERE c.import_id = imports.id""")
    # every data row points at a logged import
    for s in SHEETS:
        orphans = cur.execute(f"SELECT count(*) FROM {s.key} WHERE import_id NOT IN (SELECT id FROM imports)"
                              ).fetchone()[0]
        if orphans:
            raise RuntimeError(f"{s.key}: {orphans} rows without an import")


if __name__ == "__main__":
    import sys

    print(build_group_database(Path(sys.argv[1] if len(sys.argv) > 1 else "group.duckdb")))
