"""The simulated group for the benchmarks: 12 mines × the demo mine's 8 units, 2021-01 … 2023-12.

`Group()` draws the people (about 15,000, ≈15 % party members, some blank teams), their moves and
careers, 发展党员, 包保对子, 谈心记录 and 问题台帐 from `random.Random(SEED)` in a few seconds;
demo/group_scale.py writes it into DuckDB. It shares the demo mine's organisation and words
(demo/vocabulary.py) but not its plot: the proportions are the demo's, the figures are not fixed.
"""
from __future__ import annotations

import datetime as dt
import random

from demo.timeline import Months, Placed
from demo.vocabulary import (
    FEEDBACK_DELAYS,
    HQ,
    ORG,
    PARTY,
    PROBLEM_TEXTS,
    SATISFACTION,
    TALK_METHODS,
    TALK_TOPICS,
    draw_name,
    draw_post,
)

SEED = 2021
MINES = tuple(f"{n}矿" for n in ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"))
N_MONTHS = 36                       # 2021-01 … 2023-12
LAST_DAY = dt.date(2023, 12, 31)
MONTHS = Months(2021)
month_start, month_of, quarter_label = MONTHS.start, MONTHS.index, MONTHS.quarter_label
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
    HQ: (),
}


class Person(Placed):
    """One person of the group: unlike the demo mine's Person, at most one move, and the party dates as
    month indexes (all the roster needs)."""
    __slots__ = ("pid", "staff_id", "name", "gender", "birth", "post", "frontline", "leader", "political",
                 "joined_on", "start", "end", "moves", "dev", "probation_m", "full_m")

    def __init__(self, pid, staff_id, name, gender, birth, post, frontline, leader, political, joined_on, start,
                 unit, team):
        self.pid, self.staff_id, self.name, self.gender, self.birth = pid, staff_id, name, gender, birth
        self.post, self.frontline, self.leader = post, frontline, leader
        self.political, self.joined_on = political, joined_on     # before any development
        self.start, self.end = start, N_MONTHS                    # present in months start … end-1
        self.moves = [(start, unit, team)]                        # at most one move
        self.dev: dict | None = None
        self.probation_m: int | None = None
        self.full_m: int | None = None

    def member(self, m: int) -> bool:
        return self.political in PARTY or (self.probation_m is not None and self.probation_m <= m)


class Group:
    """The whole group over three years, drawn once from the seed."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
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
        p = Person(pid, f"{mine + 1:02d}{pid:05d}", draw_name(rng, gender), gender, birth,
                   "班长" if leader else draw_post(rng, unit, team), not hq, leader, political, joined, m, unit, team)
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
            unit, team = p.moves[0][1], p.moves[0][2]
            if unit.endswith(HQ) or rng.random() < 0.75:
                choices = [t for t in self.teams_of[unit] if t != team]
                p.moves.append((m, unit, rng.choice(choices)))
            else:
                mine = MINES[mine_of[unit]]
                other = rng.choice([u for _, _, u in self.units if u.startswith(mine) and u != unit
                                    and not u.endswith(HQ)])
                p.moves.append((m, other, rng.choice(self.teams_of[other])))

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
            if (p.moves[0][1], p.moves[0][2]) in self.blank_start:
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
            if p.start == 0 and p.dev is None and p.political not in PARTY and len(p.moves) == 1:
                workers.setdefault((p.moves[0][1], p.end == N_MONTHS), []).append(p)
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
                   and len(p.moves) == 1]
        rng.shuffle(members)
        for member in members[:int(len(members) * 0.9)]:
            unit = member.moves[0][1]
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
                self.pairs.append({"member": member, "worker": worker, "worker_unit": worker.moves[0][1],
                                   "worker_team": worker.moves[0][2], "paired_on": paired, "ended_on": None,
                                   "overdue": rng.random() < 0.03})
            # about one member in five had an earlier pair whose worker left the mine
            if rng.random() < 0.2:
                early = month_start(max(first, -18)) + dt.timedelta(days=rng.randint(0, 27))
                worker = take_worker(worker_unit, early, stay=False)
                if worker is not None and worker.end - 1 >= month_of(early):
                    ended = max(early + dt.timedelta(days=1),
                                month_start(worker.end - 1) + dt.timedelta(days=rng.randint(0, 27)))
                    self.pairs.append({"member": member, "worker": worker, "worker_unit": worker.moves[0][1],
                                       "worker_team": worker.moves[0][2], "paired_on": early, "ended_on": ended,
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
            unit = member.moves[0][1]
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
        feedback = found + dt.timedelta(days=rng.choice(FEEDBACK_DELAYS))
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
            "satisfaction": rng.choice(SATISFACTION) if resolved else None,
            "mine": mine, "year": (resolved or LAST_DAY).year})
