"""The demo mine: its people, teams and careers over 2020-01 … 2023-12, computed once from the seed.

`World()` draws everyone in a fixed order from `random.Random(SEED)` (no set iteration, no current
date), so two runs give the same mine. The plot it follows (blank teams covered, relapses, the
2020 development targets) is in demo/story.py; the pairs, talks and problems are drawn by
demo/pairs.py; demo/workbooks.py turns the World into the workbooks the units send.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from demo.pairs import LedgerItem, Pair, Talk, draw_pairs, draw_problems, draw_talks
from demo.story import COVERS, DONORS, LAST_DAY, N_MONTHS, RELAPSES, SEED, TARGETS_2020, UNITS, month_of, month_start
from demo.timeline import Placed, add_days
from demo.vocabulary import HQ, MODEL_POSTS_PER_UNIT, ORG, PARTY, draw_name, draw_post


@dataclass
class Person(Placed):
    """One person of the demo mine, with everything the sheets say about them."""
    staff_id: str
    name: str
    gender: str
    birth: dt.date
    post: str
    frontline: bool
    leader: bool
    political: str                  # status before any development: 中共党员 / 共青团员 / 群众
    joined_on: dt.date | None       # 入党时间 of members from before 2020
    start: int = 0                  # first roster month
    end: int = N_MONTHS             # first month no longer in the roster
    moves: list = field(default_factory=list)   # [(month, 队, 班组)], the first at `start`
    probation: dt.date | None = None
    full: dt.date | None = None
    protected: bool = False         # never leaves or moves at random
    developed: bool = False         # in the 发展党员 list
    spaced: bool = False            # name written with an inner space in the roster

    def status(self, m: int) -> str:
        if self.probation is not None and month_of(self.probation) <= m:
            if self.full is not None and month_of(self.full) <= m:
                return "中共党员"
            return "中共预备党员"
        return self.political

    def member(self, m: int) -> bool:
        return self.status(m) in PARTY

    def last_move(self) -> int:
        return self.moves[-1][0]

    def roster_name(self) -> str:
        return f"{self.name[0]}\u3000{self.name[1:]}" if self.spaced else self.name



class World:
    """The whole mine over four years, computed once from the seed."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.people: list[Person] = []
        self.names: set[str] = set()
        self.ids: set[int] = set()
        self.teams = [(u, t) for u, _, teams in ORG for t, _, _ in teams]
        self.liaisons: dict[tuple[str, str], Person] = {}
        self.dev: list[dict] = []
        self._posts: dict[str, dict[int, Person]] = {}      # 队 → post number → holder
        self._post_rng = random.Random(SEED + 2)
        self._staff()
        self._script()
        self._develop()
        self._churn()
        self._spaced_names()
        self._roster_index()
        self.pairs: list[Pair] = draw_pairs(self)
        self.talks: list[Talk] = draw_talks(self)
        self.talks_by_month: dict[tuple[int, str], list[Talk]] = {}
        for t in self.talks:
            self.talks_by_month.setdefault((month_of(t.date), t.unit), []).append(t)
        self.problems: list[LedgerItem] = draw_problems(self)

    # -------------------------------------------------------------- helpers
    def _name(self, gender: str, fixed: str | None = None) -> str:
        """A name no one in the mine has yet (some sheets name people without a 工号: 培养联系人,
        问题台帐), and no doubled given name such as 明明."""
        if fixed:
            return fixed
        while True:
            name = draw_name(self.rng, gender)
            given = name[1:]
            if name not in self.names and not (len(given) == 2 and given[0] == given[1]):
                self.names.add(name)
                return name

    def _staff_id(self, lo: int, hi: int) -> str:
        while True:
            n = self.rng.randint(lo, hi)
            if n not in self.ids:
                self.ids.add(n)
                return f"{n:06d}"

    def _person(self, unit: str, team: str, m: int, *, leader=False, member=False, name=None,
                id_range=(60000, 189999)) -> Person:
        rng = self.rng
        woman_share = 0.3 if unit == HQ else (0.35 if team == "监测监控班" else 0.02)
        gender = "女" if rng.random() < woman_share and not name else "男"
        born_lo = 1966 if m == 0 else 1990
        birth = dt.date(rng.randint(born_lo, 2001 if m else 1999), rng.randint(1, 12), 1)
        if member:
            birth = dt.date(rng.randint(1966, 1993), birth.month, 1)
        if leader:
            birth = dt.date(rng.randint(1975, 1992), birth.month, 1)
        political = "中共党员" if member else ("共青团员" if birth.year >= 1993 and rng.random() < 0.5 else "群众")
        joined = None
        if member:
            lo = dt.date(max(birth.year + 20, 1990), 1, 1)
            joined = add_days(lo, rng.randint(0, (dt.date(2019, 11, 30) - lo).days))
        post = "班长" if leader else draw_post(rng, unit, team)
        if m == 0 and birth.year < 1972:
            id_range = (3000, 39999)    # the old numbering: 工号 such as 008123
        p = Person(self._staff_id(*id_range), self._name(gender, name), gender, birth, post,
                   unit != HQ, leader, political, joined, start=m, moves=[(m, unit, team)])
        self.people.append(p)
        return p

    def members_in(self, unit: str, team: str, m: int) -> list[Person]:
        return [p for p in self.people if p.present(m) and p.place(m) == (unit, team) and p.member(m)]

    def in_team(self, unit: str, team: str, m: int) -> list[Person]:
        return [p for p in self.people if p.present(m) and p.place(m) == (unit, team)]

    # -------------------------------------------------------------- 2020-01
    def _staff(self) -> None:
        rng = self.rng
        blank = {(u, t) for u, t, _, _ in COVERS}
        single = {(u, t) for u, t, _, _, _ in RELAPSES}
        dev_leader_teams = {(u, t) for u, t, leader, *_ in TARGETS_2020 if leader}
        for unit, team in self.teams:    # teams named after their 班长
            if team.endswith(("生产班", "掘进班", "开拓班")):
                self.names.add(team[:-3])
        for unit, _, teams in ORG:
            for team, _, size in teams:
                key = (unit, team)
                if key in blank:
                    n_members = 0
                elif key in single:
                    n_members = 1
                elif unit == HQ:
                    n_members = round(size * 0.5)
                elif DONORS.get(unit) == team:
                    n_members = 6
                else:
                    n_members = rng.randint(2, 5)
                people = []
                if unit != HQ:
                    fixed = team[:-3] if team.endswith(("生产班", "掘进班", "开拓班")) else None
                    leader_member = (key not in blank and key not in single and key not in dev_leader_teams
                                     and n_members > 0 and rng.random() < 0.5)
                    leader = self._person(unit, team, 0, leader=True, member=leader_member, name=fixed)
                    leader.protected = True
                    people.append(leader)
                    n_members -= leader_member
                else:
                    head = self._person(unit, team, 0, member=True)
                    head.post = "部长" if team.endswith("部") else ("主任" if team.endswith("室") else "科长")
                    people.append(head)
                    n_members -= 1
                while len(people) < size:
                    people.append(self._person(unit, team, 0, member=n_members > 0))
                    n_members -= 1

    # -------------------------------------------------------------- covers and relapses
    def _pick_member(self, unit: str, team: str, m: int) -> Person:
        """A member who can be given a role (liaison, mover) and is then kept out of random churn."""
        candidates = [p for p in self.members_in(unit, team, m)
                      if not p.leader and not p.protected and p.post not in ("科长", "部长", "主任")]
        p = self.rng.choice(candidates)
        p.protected = True
        return p

    def _script(self) -> None:
        # Liaisons: a steady member of the same 队 (never the one who will move).
        for unit, team, _, _ in COVERS:
            others = [t for u, t in self.teams if u == unit and t != team and t != DONORS[unit]
                      and (u, t) not in {(a, b) for a, b, *_ in COVERS + RELAPSES}]
            self.liaisons[(unit, team)] = self._pick_member(unit, self.rng.choice(others), 0)
        for unit, team, *_ in RELAPSES:
            self.liaisons[(unit, team)] = self._pick_member(unit, DONORS[unit], 0)
        for unit, team, m, how in COVERS:
            if how == "transfer":
                mover = self._pick_member(unit, DONORS[unit], m - 1)
                mover.moves.append((m, unit, team))
        for unit, team, gone, back, how in RELAPSES:
            only = self.members_in(unit, team, 0)[0]
            only.protected = True
            if how == "transfer":
                only.moves.append((gone, unit, "检修班"))
            else:
                only.end = gone     # retires
            mover = self._pick_member(unit, DONORS[unit], back - 1)
            mover.moves.append((back, unit, team))

    # -------------------------------------------------------------- 发展党员
    def _dev_person(self, unit: str, team: str | None, leader: bool, frontline=True) -> Person:
        rng = self.rng
        blank = {(u, t) for u, t, _, _ in COVERS} | {(u, t) for u, t, *_ in RELAPSES}
        def pool(team):
            return [p for p in self.in_team(unit, team, 0)
                    if not p.member(0) and not p.developed and p.leader == leader and (leader or not p.protected)]

        if team is None:
            teams = [t for u, t in self.teams if u == unit and not (frontline and (u, t) in blank) and pool(t)]
            if not teams:   # every 班组长 here is a member already: take a worker instead
                return self._dev_person(unit, None, False, frontline)
            team = rng.choice(teams)
        p = rng.choice(pool(team))
        p.protected = p.developed = True
        if not leader:
            p.birth = dt.date(rng.randint(1986, 1998), p.birth.month, 1)
            p.political = "共青团员" if p.birth.year >= 1993 and rng.random() < 0.7 else "群众"
        return p

    def _add_dev(self, p: Person, candidate: dt.date | None, probation: dt.date | None, *, fast=False,
                 activist: dt.date | None = None, applied: dt.date | None = None) -> None:
        rng = self.rng
        if candidate is not None:
            activist = add_days(candidate, -(rng.randint(220, 320) if fast else rng.randint(380, 620)))
        if activist is not None and applied is None:
            applied = add_days(activist, -rng.randint(30, 330))
        full = None
        if probation is not None:
            full = add_days(probation, rng.randint(365, 378))
            if full > LAST_DAY:
                full = None
        p.probation, p.full = probation, full
        unit, team = p.place(0)
        mentors = [q for q in self.people if q.place(0)[0] == unit and q.member(0) and q.end == N_MONTHS
                   and q is not p]
        self.dev.append({"person": p, "unit": unit, "team": team, "applied_on": applied,
                         "activist_on": activist, "candidate_on": candidate, "probation_on": probation,
                         "full_on": full, "mentor": rng.choice(mentors).name})

    def date_in(self, m: int, lo: int = 1, hi: int = 28) -> dt.date:
        return month_start(m).replace(day=self.rng.randint(lo, hi))

    def _develop(self) -> None:
        rng = self.rng
        frontline_units = UNITS[:-1]
        # 2019's targets: one covers 机运队 排水班 in 2020-07.
        p = self._dev_person("机运队", "排水班", False)
        self._add_dev(p, self.date_in(-4), self.date_in(6))
        for unit, cand_m, prob_m in (("综采队", -7, 2), ("综掘队", -2, 10)):
            p = self._dev_person(unit, None, False)
            self._add_dev(p, self.date_in(cand_m), self.date_in(prob_m))
        # 2020: exactly eight, 7 frontline, 5 班组长.
        for unit, team, leader, cand_m, prob_m, fast in TARGETS_2020:
            p = self._dev_person(unit, team, leader, frontline=unit != HQ)
            self._add_dev(p, self.date_in(cand_m), self.date_in(prob_m), fast=fast)
        # 2021: nine; one covers 综采队 材料班 in 2022-08.
        p = self._dev_person("综采队", "材料班", False)
        self._add_dev(p, self.date_in(21), self.date_in(31))
        for i in range(8):
            unit = HQ if i == 3 else rng.choice(frontline_units)
            leader = unit != HQ and rng.random() < 0.3
            cand_m = rng.randint(12, 22)
            self._add_dev(self._dev_person(unit, None, leader, frontline=unit != HQ), self.date_in(cand_m),
                          self.date_in(min(cand_m + rng.randint(6, 11), 35), 1, 15))
        # 2022: ten; one covers 开拓队 材料班 in 2023-02 (still 预备 at the end), two not admitted yet.
        p = self._dev_person("开拓队", "材料班", False)
        self._add_dev(p, self.date_in(28), self.date_in(37), fast=True)
        for i in range(9):
            unit = rng.choice(frontline_units)
            leader = rng.random() < 0.3
            if i < 7:
                cand_m = rng.randint(24, 28)
                self._add_dev(self._dev_person(unit, None, leader), self.date_in(cand_m),
                              self.date_in(rng.randint(max(cand_m + 3, 31), 35), 1, 15))
            else:
                self._add_dev(self._dev_person(unit, None, leader), self.date_in(rng.randint(32, 35)), None)
        # 2023: eight; two admitted in the autumn (预备 at the end).
        for i in range(8):
            unit = HQ if i == 5 else rng.choice(frontline_units)
            leader = unit != HQ and rng.random() < 0.25
            if i < 2:
                cand_m = 36 + 2 * i
                self._add_dev(self._dev_person(unit, None, leader, frontline=unit != HQ), self.date_in(cand_m),
                              self.date_in(44 + 2 * i))
            else:
                self._add_dev(self._dev_person(unit, None, leader, frontline=unit != HQ),
                              self.date_in(rng.randint(39, 47)), None)
        # The pipeline: 积极分子 and 申请人.
        for i in range(18):
            unit = rng.choice(UNITS)
            p = self._dev_person(unit, None, False, frontline=unit != HQ)
            if i < 12:
                activist = self.date_in(rng.randint(12, 46))
                self._add_dev(p, None, None, activist=activist)
            else:
                self._add_dev(p, None, None, applied=self.date_in(rng.randint(36, 47)))

    # -------------------------------------------------------------- joins, leaves, transfers
    def _churn(self) -> None:
        rng = self.rng
        frontline = [k for k in self.teams if k[0] != HQ]
        for m in range(1, N_MONTHS):
            movable = [p for p in self.people
                       if p.present(m) and not p.protected and not p.member(N_MONTHS - 1) and p.last_move() < m]
            for p in rng.sample(movable, rng.randint(1, 4)):
                p.end = m
            movable = [p for p in movable if p.end > m]
            for p in rng.sample(movable, rng.randint(0, 2)):
                unit, team = p.place(m)
                if unit == HQ:
                    choices = [k for k in self.teams if k[0] == HQ and k[1] != team]
                elif rng.random() < 0.75:
                    choices = [k for k in frontline if k[0] == unit and k[1] != team]
                else:
                    choices = [k for k in frontline if k[0] != unit]
                new_unit, new_team = rng.choice(choices)
                p.moves.append((m, new_unit, new_team))
                p.post = draw_post(rng, new_unit, new_team)
            for _ in range(rng.randint(1, 4)):
                unit, team = rng.choice(frontline) if rng.random() < 0.9 else rng.choice(
                    [k for k in self.teams if k[0] == HQ])
                self._person(unit, team, m, id_range=(200000, 269999))

    def _spaced_names(self) -> None:
        two = [p for p in self.people if len(p.name) == 2 and not p.developed and not p.leader
               and not p.member(N_MONTHS - 1)]
        for p in self.rng.sample(two, 6):
            p.spaced = True

    def _roster_index(self) -> None:
        """Who is where each month: roster[m][unit] = people sorted by team order then 工号."""
        order = {k: i for i, k in enumerate(self.teams)}
        self.roster: list[dict[str, list[Person]]] = []
        for m in range(N_MONTHS):
            by_unit: dict[str, list[tuple]] = {u: [] for u in UNITS}
            for p in self.people:
                if p.present(m):
                    unit, team = p.place(m)
                    by_unit[unit].append((order[(unit, team)], not p.leader, p.staff_id, p))
            self.roster.append({u: [x[-1] for x in sorted(rows, key=lambda x: x[:3])] for u, rows in by_unit.items()})

    def blank_teams(self, m: int) -> list[tuple[str, str]]:
        """Teams in month m's roster without a 中共党员/中共预备党员."""
        covered = {p.place(m) for rows in self.roster[m].values() for p in rows if p.member(m)}
        return [k for k in self.teams if k not in covered]

    def model_posts(self, unit: str, q: int) -> list[tuple[str, Person]]:
        """The 党员示范岗 of a 队 in a quarter: holders keep their post while they are members there.
        Call in quarter order (the holders carry over)."""
        m = 3 * q + 2
        posts = self._posts.setdefault(unit, {})
        members = [p for p in self.roster[m][unit] if p.member(m)]
        result = []
        for i in range(MODEL_POSTS_PER_UNIT[unit]):
            holder = posts.get(i)
            if holder is None or holder not in members:
                taken = [h for h in posts.values() if h is not None]
                holder = self._post_rng.choice([p for p in members if p not in taken])
                posts[i] = holder
            team = holder.place(m)[1]
            result.append((f"{team.removesuffix('班')}党员示范岗（{i + 1}号）", holder))
        return result
