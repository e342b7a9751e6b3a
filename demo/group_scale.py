"""Group-scale data for the metrics benchmark, written straight into a fresh `Store` (no workbooks).

    from demo.group_scale import build_group_database
    summary = build_group_database(Path("group.duckdb"))

12 mines × 8 units (一矿综采队 … 十二矿机关), 996 teams, about 15,000 workers, monthly rosters
2021-01 … 2023-12 (≈540,000 rows, ≈15 % party members, some blank teams that develop or lose
members over time), and every other sheet in the proportions of the demo (lib/demo.py) at that
size: 班组信息 monthly with 挂靠联系人 for the blank teams, about 3,000 people in 发展党员 with
their stage dates in order, about 5,000 包保对子 (some ended), about 150,000 谈心记录, about
10,000 问题台帐 rows raised in those talks, about 400 党员责任区, 党员示范岗 and 比学争优
quarterly, 管理委员会, 理念口号 and 荣誉. One `imports` row per file a unit would have sent
(unit × month, unit × quarter, one per list, one ledger per mine and year), each data row
pointing at its file, so 报送情况 joins real import times.

People, pairs, talks and the small lists are drawn in Python from `random.Random(SEED)` (a few
seconds); the big tables are expanded in DuckDB: the roster is people × months, 班组信息 and
比学争优 are computed from the roster, and everything is inserted from Arrow tables in bulk.
The values follow lib/sheets.py: months as the first of the month, quarters as '2023Q4',
booleans, 六好 items as '是'/'否' or a score, '' (not NULL) for an optional grain field.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from pathlib import Path

import pyarrow as pa

from demo.dataset import COMMITTEE_ROLES, FEMALE_CHARS, HQ_POSTS, MALE_CHARS, ORG, POSTS, PROBLEM_TEXTS, SLOGANS, \
    SURNAMES, TALK_METHODS, TALK_TOPICS, ZONE_DUTIES
from lib.ingest.sheets import SHEETS, SIX_GOODS
from lib.store.database import Store

GENERATOR_VERSION = "group-1"   # stored in meta, so a kept database built by another version is rebuilt
SEED = 2021
MINES = tuple(f"{n}矿" for n in ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"))
FIRST = dt.date(2021, 1, 1)
N_MONTHS = 36                       # 2021-01 … 2023-12
LAST_DAY = dt.date(2023, 12, 31)
PARTY = ("中共党员", "中共预备党员")
SIZE_FACTOR = 0.75                  # demo team sizes × this: about 15 people a team
# Teams a unit has beyond the demo mine's (83 teams a mine, 996 in the group).
EXTRA_TEAMS = {
    "综采队": (("采煤一班", "生产班组"), ("采煤二班", "生产班组"), ("支架班", "辅助班组"), ("维护班", "检修班组")),
    "掘锚队": (("掘进四班", "生产班组"), ("锚杆班", "辅助班组"), ("喷浆班", "辅助班组"), ("机电班", "检修班组")),
    "综掘队": (("掘进四班", "生产班组"), ("掘进五班", "生产班组"), ("机电班", "检修班组"), ("运输班", "辅助班组")),
    "开拓队": (("开拓三班", "生产班组"), ("支护班", "辅助班组"), ("机电班", "检修班组"), ("电修班", "检修班组")),
    "机运队": (("主提升班", "辅助班组"), ("副井班", "辅助班组"), ("压风班", "检修班组")),
    "通防部": (("探放水班", "生产班组"), ("防突班", "生产班组"), ("瓦斯抽采二班", "生产班组")),
    "准备队": (("安装二班", "生产班组"), ("回撤二班", "生产班组"), ("起重班", "辅助班组")),
    "机关": (),
}
ZONES_PER_UNIT = {"综采队": 5, "掘锚队": 4, "综掘队": 4, "开拓队": 4, "机运队": 5, "通防部": 4, "准备队": 3, "机关": 3}
POSTS_PER_UNIT = {"综采队": 5, "掘锚队": 4, "综掘队": 4, "开拓队": 3, "机运队": 5, "通防部": 4, "准备队": 3, "机关": 3}
SCORE_ITEMS = (("安全", 30), ("生产", 25), ("学习", 15), ("创新", 15), ("纪律", 15))
HQ = "机关"


def month_start(m: int) -> dt.date:
    """Month index (0 = 2021-01; negative before) → its first day."""
    index = FIRST.year * 12 + m
    return dt.date(index // 12, index % 12 + 1, 1)


def month_of(d: dt.date) -> int:
    return (d.year - FIRST.year) * 12 + d.month - 1


def quarter_label(q: int) -> str:
    return f"{FIRST.year + q // 4}Q{q % 4 + 1}"


class Person:
    __slots__ = ("pid", "staff_id", "name", "gender", "birth", "post", "frontline", "leader", "political",
                 "joined_on", "start", "end", "places", "dev", "probation_m", "full_m")

    def __init__(self, pid, staff_id, name, gender, birth, post, frontline, leader, political, joined_on, start,
                 unit, team):
        self.pid, self.staff_id, self.name, self.gender, self.birth = pid, staff_id, name, gender, birth
        self.post, self.frontline, self.leader = post, frontline, leader
        self.political, self.joined_on = political, joined_on     # before any development
        self.start, self.end = start, N_MONTHS                    # present in months start … end-1
        self.places = [(start, unit, team)]                       # at most one move
        self.dev: dict | None = None
        self.probation_m: int | None = None
        self.full_m: int | None = None

    def place(self, m: int) -> tuple[str, str]:
        current = self.places[0]
        for p in self.places:
            if p[0] <= m:
                current = p
        return current[1], current[2]

    def present(self, m: int) -> bool:
        return self.start <= m < self.end

    def member(self, m: int) -> bool:
        return self.political in PARTY or (self.probation_m is not None and self.probation_m <= m)


class Group:
    """The whole group over three years, drawn once from the seed."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.people: list[Person] = []
        self.units: list[tuple[int, str, str]] = []            # (mine index, kind, unit name)
        self.teams: list[tuple[str, str, str]] = []            # (unit, team, team type)
        self.teams_of: dict[str, list[str]] = {}
        self.blank_start: set[tuple[str, str]] = set()
        self._org()
        self._staff()
        self._churn()
        self._develop()
        self._pairs()
        self._talks()

    # -------------------------------------------------------------- organisation and people
    def _org(self) -> None:
        for mi, mine in enumerate(MINES):
            for kind, _, teams in ORG:
                unit = mine + kind
                self.units.append((mi, kind, unit))
                names = [(t, tt, size) for t, tt, size in teams] + [(t, tt, 15) for t, tt in EXTRA_TEAMS[kind]]
                self.teams_of[unit] = [t for t, _, _ in names]
                for t, tt, _ in names:
                    self.teams.append((unit, t, tt))
        self._sizes = {}
        for mi, kind, unit in self.units:
            teams = dict((t, s) for t, _, s in next(o for o in ORG if o[0] == kind)[2])
            for t in self.teams_of[unit]:
                base = teams.get(t, 15) * (SIZE_FACTOR if t in teams else 1)
                self._sizes[(unit, t)] = max(6, round(base + self.rng.randint(-3, 3)))

    def _name(self, gender: str) -> str:
        rng = self.rng
        chars = MALE_CHARS if gender == "男" else FEMALE_CHARS
        surname = SURNAMES[int(len(SURNAMES) * rng.random() ** 1.7)]
        return surname + rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.62 else "")

    def _post(self, unit: str, team: str) -> str:
        if unit.endswith(HQ):
            return self.rng.choice(HQ_POSTS)
        for suffix, posts in POSTS:
            if suffix.removesuffix("班") in team:
                return self.rng.choice(posts)
        return "操作工"

    def _person(self, unit: str, team: str, m: int, mine: int, *, leader=False, member=False) -> Person:
        rng = self.rng
        hq = unit.endswith(HQ)
        gender = "女" if rng.random() < (0.3 if hq else 0.03) else "男"
        birth = dt.date(rng.randint(1966, 2000) if m == 0 else rng.randint(1990, 2002), rng.randint(1, 12), 1)
        if member or leader:
            birth = dt.date(rng.randint(1966, 1993), birth.month, 1)
        political = "中共党员" if member else ("共青团员" if birth.year >= 1993 and rng.random() < 0.5 else "群众")
        joined = None
        if member:
            lo = dt.date(max(birth.year + 20, 1990), 1, 1)
            joined = lo + dt.timedelta(days=rng.randint(0, (dt.date(2020, 11, 30) - lo).days))
        pid = len(self.people)
        p = Person(pid, f"{mine + 1:02d}{pid:05d}", self._name(gender), gender, birth,
                   "班长" if leader else self._post(unit, team), not hq, leader, political, joined, m, unit, team)
        self.people.append(p)
        return p

    def _staff(self) -> None:
        rng = self.rng
        mine_of = {u: mi for mi, _, u in self.units}
        for unit, team, _ in self.teams:
            hq = unit.endswith(HQ)
            size = self._sizes[(unit, team)]
            if not hq and rng.random() < 0.06:
                self.blank_start.add((unit, team))
                n_members = 0
            elif hq:
                n_members = round(size * 0.5)
            else:
                n_members = max(1, round(size * rng.uniform(0.03, 0.14)))
            mine = mine_of[unit]
            if hq:
                head = self._person(unit, team, 0, mine, member=True)
                head.post = "科长"
                n_members -= 1
            else:
                lead_member = n_members > 0 and rng.random() < 0.5
                self._person(unit, team, 0, mine, leader=True, member=lead_member)
                n_members -= lead_member
            for _ in range(size - 1):
                self._person(unit, team, 0, mine, member=n_members > 0)
                n_members -= 1

    def _churn(self) -> None:
        """Leavers, hires and moves: about 0.25 % of the staff a month each, moves rarer."""
        rng = self.rng
        mine_of = {u: mi for mi, _, u in self.units}
        frontline = [(u, t) for u, t, _ in self.teams if not u.endswith(HQ)]
        initial = list(self.people)
        leavers = 0
        for p in initial:
            if not p.leader and rng.random() < (0.04 if p.political in PARTY else 0.09):
                p.end = rng.randint(1, N_MONTHS - 1)
                leavers += 1
        for _ in range(leavers):
            unit, team = rng.choice(frontline) if rng.random() < 0.92 else rng.choice(
                [(u, t) for u, t, _ in self.teams if u.endswith(HQ)])
            p = self._person(unit, team, rng.randint(1, N_MONTHS - 1), mine_of[unit])
            if rng.random() < 0.05:
                p.end = rng.randint(p.start + 1, N_MONTHS)
        for p in self.people:
            if p.leader or rng.random() >= 0.04 or p.end - p.start < 3:
                continue
            m = rng.randint(p.start + 1, p.end - 1)
            unit, team = p.places[0][1], p.places[0][2]
            if unit.endswith(HQ) or rng.random() < 0.75:
                choices = [t for t in self.teams_of[unit] if t != team]
                p.places.append((m, unit, rng.choice(choices)))
            else:
                mine = MINES[mine_of[unit]]
                other = rng.choice([u for _, _, u in self.units if u.startswith(mine) and u != unit
                                    and not u.endswith(HQ)])
                p.places.append((m, other, rng.choice(self.teams_of[other])))

    # -------------------------------------------------------------- 发展党员
    def _develop(self) -> None:
        """About 3,000 people: applied 2017 … 2023, each later stage reached with some chance."""
        rng = self.rng
        pool = [p for p in self.people if p.political not in PARTY and p.end == N_MONTHS]
        chosen = rng.sample(pool, 3000)
        day = dt.timedelta(days=1)
        for p in chosen:
            unit, team = p.place(N_MONTHS - 1)
            lo = month_start(p.start) if p.start > 0 else dt.date(2017, 1, 1)
            if (p.places[0][1], p.places[0][2]) in self.blank_start:
                lo = max(lo, dt.date(2020, 3, 1))       # a blank team has no member before 2021
            applied = lo + rng.randint(0, max(1, (dt.date(2023, 11, 30) - lo).days)) * day
            dates = {"applied_on": applied, "activist_on": None, "candidate_on": None, "probation_on": None,
                     "full_on": None}
            if rng.random() < 0.85:
                dates["activist_on"] = applied + rng.randint(30, 330) * day
                if rng.random() < 0.75:
                    fast = rng.random() < 0.05
                    dates["candidate_on"] = dates["activist_on"] + (rng.randint(220, 320) if fast else
                                                                    rng.randint(380, 620)) * day
                    if rng.random() < 0.9:
                        dates["probation_on"] = dates["candidate_on"] + rng.randint(60, 300) * day
                        dates["full_on"] = dates["probation_on"] + rng.randint(365, 378) * day
            cut = False
            for key in ("applied_on", "activist_on", "candidate_on", "probation_on", "full_on"):
                if cut or (dates[key] is not None and dates[key] > LAST_DAY):
                    dates[key], cut = None, True
            if dates["probation_on"] is not None:
                p.probation_m = month_of(dates["probation_on"])
                if dates["full_on"] is not None:
                    p.full_m = month_of(dates["full_on"])
            p.dev = {"unit": unit, "team": team, **dates}
        # 培养联系人: a member of the same unit.
        members_by_unit: dict[str, list[Person]] = {}
        for p in self.people:
            if p.political in PARTY and p.end == N_MONTHS:
                members_by_unit.setdefault(p.place(N_MONTHS - 1)[0], []).append(p)
        for p in chosen:
            p.dev["mentor"] = rng.choice(members_by_unit[p.dev["unit"]]).name
        self.dev = chosen

    # -------------------------------------------------------------- 包保对子
    def _pairs(self) -> None:
        rng = self.rng
        last = N_MONTHS - 1
        self.pairs: list[dict] = []
        # workers: initial staff who never join the party nor move, by unit and whether they stay
        workers: dict[tuple[str, bool], list[Person]] = {}
        for p in self.people:
            if p.start == 0 and p.dev is None and p.political not in PARTY and len(p.places) == 1:
                workers.setdefault((p.places[0][1], p.end == N_MONTHS), []).append(p)
        for pool in workers.values():
            rng.shuffle(pool)

        def take_worker(unit: str, paired: dt.date, stay: bool) -> Person | None:
            pool = workers.get((unit, stay), [])
            for i in range(len(pool) - 1, max(-1, len(pool) - 20), -1):
                if pool[i].end > max(month_of(paired), 0) + 1:
                    return pool.pop(i)
            return None

        def member_since(p: Person) -> int:
            return -60 if p.political in PARTY else p.probation_m

        hq_worker_unit = {u: u.replace(HQ, "综采队") for _, _, u in self.units}
        members = [p for p in self.people if p.present(last) and p.member(last) and p.start == 0
                   and len(p.places) == 1]
        rng.shuffle(members)
        for member in members[:int(len(members) * 0.9)]:
            unit = member.places[0][1]
            worker_unit = hq_worker_unit[unit] if unit.endswith(HQ) else unit
            first = max(member_since(member) + 1, -18)
            if first > 33:
                continue
            start_m = rng.randint(first, max(first, 12)) if rng.random() < 0.8 else rng.randint(first, max(first, 32))
            paired = month_start(start_m) + dt.timedelta(days=rng.randint(0, 27))
            n = 3 if rng.random() < 0.3 else 2
            for _ in range(n):
                worker = take_worker(worker_unit, paired, stay=True)
                if worker is None:
                    break
                self.pairs.append({"member": member, "worker": worker, "worker_unit": worker.places[0][1],
                                   "worker_team": worker.places[0][2], "paired_on": paired, "ended_on": None,
                                   "overdue": rng.random() < 0.03})
            # about one member in five had an earlier pair whose worker left the mine
            if rng.random() < 0.2:
                early = month_start(max(first, -18)) + dt.timedelta(days=rng.randint(0, 27))
                worker = take_worker(worker_unit, early, stay=False)
                if worker is not None and worker.end - 1 >= month_of(early):
                    ended = max(early + dt.timedelta(days=1),
                                month_start(worker.end - 1) + dt.timedelta(days=rng.randint(0, 27)))
                    self.pairs.append({"member": member, "worker": worker, "worker_unit": worker.places[0][1],
                                       "worker_team": worker.places[0][2], "paired_on": early, "ended_on": ended,
                                       "overdue": False})

    # -------------------------------------------------------------- 谈心记录 and 问题台帐
    def _talks(self) -> None:
        rng = self.rng
        self.talks: list[tuple] = []
        self.problems: list[dict] = []
        seq: dict[tuple[int, int], int] = {}
        mine_of = {u: mi for mi, _, u in self.units}
        for pair in self.pairs:
            member, worker = pair["member"], pair["worker"]
            paired, ended = pair["paired_on"], pair["ended_on"]
            first = max(month_of(paired), 0)
            last = month_of(ended) if ended else N_MONTHS - 1
            if pair["overdue"]:
                last = rng.randint(28, 33)
            unit = member.places[0][1]
            for m in range(first, last + 1):
                if rng.random() >= 0.92:
                    continue
                lo = paired.day + 1 if m == month_of(paired) else 1
                hi = min(ended.day if ended and m == month_of(ended) else 28, 28)
                if lo > hi:
                    continue
                days = {rng.randint(lo, hi)}
                if rng.random() < 0.15:
                    days.add(rng.randint(lo, hi))
                for d in sorted(days):
                    date = month_start(m).replace(day=d)
                    problem_id = None
                    if rng.random() < 0.067:
                        key = (mine_of[unit], date.year)
                        seq[key] = seq.get(key, 0) + 1
                        problem_id = f"WMS{date.year}-{key[0] + 1:02d}{seq[key]:04d}"
                        self._problem(problem_id, date, worker, member, key[0])
                    self.talks.append((date, member.staff_id, member.name, unit, worker.staff_id, worker.name,
                                       rng.choice(TALK_METHODS), rng.choice(TALK_TOPICS), problem_id is not None,
                                       problem_id))

    def _problem(self, problem_id: str, found: dt.date, worker: Person, member: Person, mine: int) -> None:
        rng = self.rng
        category, texts = rng.choice(PROBLEM_TEXTS)
        feedback = found + dt.timedelta(days=rng.choice((0, 1, 2, 3, 3, 5, 7, 10, 15)))
        resolved = feedback + dt.timedelta(days=rng.randint(1, 45))
        if found >= dt.date(2023, 7, 1) and rng.random() < 0.08:
            resolved = None
            if rng.random() < 0.3:
                feedback = None
        feedback = feedback if feedback and feedback <= LAST_DAY else None
        resolved = resolved if resolved and resolved <= LAST_DAY else None
        status = "已解决" if resolved else ("办理中" if feedback else "待办理")
        unit, team = worker.place(month_of(found))
        self.problems.append({
            "problem_id": problem_id, "found_on": found, "unit": unit, "team": team, "reporter": worker.name,
            "category": category, "description": rng.choice(texts), "owner": member.name, "feedback_on": feedback,
            "resolved_on": resolved, "status": status,
            "satisfaction": rng.choice(("满意", "满意", "满意", "满意", "基本满意", "基本满意", "不满意")) if resolved else None,
            "mine": mine, "year": (resolved or LAST_DAY).year})


# ------------------------------------------------------------------------------------ writing

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
        cur = store.cursor()
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
        moved = len(p.places) > 1
        for k, v in (("staff_id", p.staff_id), ("name", p.name), ("gender", p.gender), ("birth_month", p.birth),
                     ("post", p.post), ("frontline", p.frontline), ("team_leader", p.leader),
                     ("political", p.political), ("joined_on", p.joined_on), ("start_m", p.start), ("end_m", p.end),
                     ("unit1", p.places[0][1]), ("team1", p.places[0][2]),
                     ("move_m", p.places[1][0] if moved else None), ("unit2", p.places[1][1] if moved else None),
                     ("team2", p.places[1][2] if moved else None), ("probation_m", p.probation_m),
                     ("full_m", p.full_m), ("probation_on", p.dev["probation_on"] if p.dev else None)):
            people[k].append(v)
    cur.register("people", _table(people, {"move_m": pa.int32(), "probation_m": pa.int32(), "full_m": pa.int32(),
                                           "probation_on": pa.date32(), "joined_on": pa.date32()}))
    # import ids of the monthly files, as a (unit, month) → id table
    monthly = [(u, m, imports.monthly(u, m)) for _, _, u in g.units for m in range(N_MONTHS)]
    cur.register("monthly_ids", _table({"unit": [r[0] for r in monthly], "m": [r[1] for r in monthly],
                                        "import_id": [r[2] for r in monthly]}))
    first = FIRST.isoformat()
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
        unit = m.places[0][1]
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
            for i in range(POSTS_PER_UNIT[kind]):
                holder = holders.get((unit, i))
                if holder is None or holder not in pool or holder.pid in taken:
                    holder = rng.choice([p for p in pool if p.pid not in taken])
                    holders[(unit, i)] = holder
                taken.add(holder.pid)
                team = holder.place(m)[1]
                goods = {}
                if score_style[unit]:
                    for f, _, _ in SIX_GOODS:
                        goods[f] = str(rng.randint(78, 100) if rng.random() < 0.9 else rng.randint(60, 80))
                    mean = sum(int(v) for v in goods.values()) / 6
                    result = "优秀" if mean >= 90 else ("良好" if mean >= 80 else "合格")
                else:
                    for f, _, _ in SIX_GOODS:
                        goods[f] = "是" if rng.random() < 0.95 else "否"
                    result = "优秀" if all(v == "是" for v in goods.values()) else "合格"
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
