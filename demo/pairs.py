"""包保对子, 谈心记录 and 问题台帐 of the demo mine, drawn from the World's random stream after its people.

Called by `World()` in this order (pairs, talks, problems): each draw continues the same stream.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from demo.story import ACTIVE_MEMBERS, ACTIVE_WORKERS, N_MONTHS, RELAPSES, UNITS, month_of
from demo.timeline import add_days
from demo.vocabulary import FEEDBACK_DELAYS, HQ, PROBLEM_TEXTS, SATISFACTION, TALK_METHODS, TALK_TOPICS

if TYPE_CHECKING:
    from demo.mine import Person, World


@dataclass
class Pair:
    member: Person
    worker: Person
    worker_unit: str
    worker_team: str
    paired_on: dt.date
    ended_on: dt.date | None = None
    overdue: bool = False


@dataclass
class Talk:
    date: dt.date
    member: Person
    worker: Person
    unit: str
    method: str
    content: str
    problem_id: str | None = None


@dataclass
class LedgerItem:
    """A 问题台帐 entry: a problem found in a talk, and how it was handled."""
    talk: Talk
    problem_id: str
    unit: str
    team: str
    category: str
    description: str
    feedback_on: dt.date | None
    resolved_on: dt.date | None
    satisfaction: str | None


def draw_pairs(world: World) -> list[Pair]:
    """The 包保对子: ACTIVE_MEMBERS members with ACTIVE_WORKERS workers on the last day, then pairs
    that ended before, for five reasons, involving people not otherwise counted."""
    rng = world.rng
    pairs: list[Pair] = []
    last = N_MONTHS - 1
    dev_people = {id(d["person"]) for d in world.dev}
    used_workers: set[int] = set()

    def stable_worker(p: Person, unit: str, m: int) -> bool:
        return (p.start <= m and p.end == N_MONTHS and p.last_move() <= m and p.place(m)[0] == unit
                and id(p) not in dev_people and not p.member(last) and id(p) not in used_workers)

    def member_since(p: Person) -> int:
        return 0 if p.joined_on else month_of(p.probation)

    members_now = [p for p in world.people if p.present(last) and p.member(last)]
    hq = [p for p in members_now if p.place(last)[0] == HQ]
    frontline = [p for p in members_now if p.place(last)[0] != HQ and member_since(p) <= 40 and p.start == 0]
    chosen_front = rng.sample(frontline, ACTIVE_MEMBERS - len(hq))
    chosen = hq + sorted(chosen_front, key=lambda p: (UNITS.index(p.place(last)[0]), p.staff_id))
    extra = set(id(p) for p in rng.sample(chosen, ACTIVE_WORKERS - 2 * ACTIVE_MEMBERS))
    for member in chosen:
        unit = member.place(last)[0]
        worker_unit = "综采队" if unit == HQ else unit
        first = max(member_since(member) + 1, 5)
        start_m = rng.randint(first, max(first, 11 if unit == HQ else 30))
        paired_on = world.date_in(start_m)
        if member.probation and paired_on <= member.probation:
            paired_on = add_days(member.probation, rng.randint(20, 60))
        start_m = month_of(paired_on)
        pool = [p for p in world.roster[start_m][worker_unit] if stable_worker(p, worker_unit, start_m)]
        for worker in rng.sample(pool, 3 if id(member) in extra else 2):
            used_workers.add(id(worker))
            pairs.append(Pair(member, worker, *worker.place(last), paired_on))
    # Some active pairs have not talked in the last 60 days.
    for pair in rng.sample(pairs, 14):
        pair.overdue = True
    # Pairs that ended before 2023-12: people who are not otherwise counted.
    chosen_ids = {id(p) for p in chosen}
    spare = [p for p in frontline if id(p) not in chosen_ids and p.joined_on is not None]
    spare_members = rng.sample(spare, 11)
    ended: list[Pair] = []

    def left_worker(unit: str, lo: int, hi: int) -> Person:
        pool = [p for p in world.people if p.start == 0 and lo < p.end < hi and p.moves[-1][0] == 0
                and p.place(0)[0] == unit and id(p) not in used_workers and id(p) not in dev_people
                and not p.member(0)]
        worker = rng.choice(pool)
        used_workers.add(id(worker))
        return worker

    # (a) the worker left the mine: the pair ends in the worker's last month
    for member in spare_members[:5]:
        worker = left_worker(member.place(last)[0], 12, N_MONTHS)
        paired_on = world.date_in(rng.randint(5, min(worker.end - 4, 20)))
        ended.append(Pair(member, worker, *worker.place(worker.end - 1), paired_on,
                          world.date_in(worker.end - 1)))
    # (b) the worker joined the party: the pair ends on the day of admission
    joined = [d["person"] for d in world.dev if d["probation_on"] and month_of(d["probation_on"]) >= 14
              and d["unit"] != HQ and id(d["person"]) not in chosen_ids]
    for worker in rng.sample(joined, 3):
        unit = worker.place(0)[0]
        candidates = [p for p in spare if p.place(last)[0] == unit and p not in spare_members[:5]
                      and p not in spare_members[8:]]
        member = rng.choice(candidates)
        paired_on = world.date_in(rng.randint(5, 9))
        ended.append(Pair(member, worker, *worker.place(0), paired_on, worker.probation))
    # (c) the member retired (准备队 电修班's only member): his pairs end in his last month
    retiree = next(p for p in world.people if p.end == RELAPSES[1][2] and p.political == "中共党员")
    pool = [p for p in world.roster[6]["准备队"] if stable_worker(p, "准备队", 6)]
    for worker in rng.sample(pool, 2):
        used_workers.add(id(worker))
        ended.append(Pair(retiree, worker, *worker.place(last), world.date_in(6),
                          world.date_in(RELAPSES[1][2] - 1)))
    # (d) pairs re-arranged in 2022: both people still here
    for member in spare_members[8:11]:
        unit = member.place(last)[0]
        pool = [p for p in world.roster[6][unit] if stable_worker(p, unit, 6)]
        worker = rng.choice(pool)
        used_workers.add(id(worker))
        ended.append(Pair(member, worker, *worker.place(last), world.date_in(rng.randint(5, 8)),
                          world.date_in(rng.randint(26, 33))))
    # (e) two 机关 members whose earlier 综采队 worker left
    for member in rng.sample([p for p in hq if p.joined_on is not None], 2):
        worker = left_worker("综采队", 14, 40)
        ended.append(Pair(member, worker, *worker.place(worker.end - 1), world.date_in(5),
                          world.date_in(worker.end - 1)))
    pairs.extend(ended)
    return pairs


def draw_talks(world: World) -> list[Talk]:
    """谈心记录 of every pair while it lasts, every one to three months, in date order."""
    rng = world.rng
    talks: list[Talk] = []
    for pair in world.pairs:
        unit = pair.member.place(N_MONTHS - 1 if pair.ended_on is None else month_of(pair.ended_on))[0]
        first = month_of(pair.paired_on)
        last = month_of(pair.ended_on) if pair.ended_on else N_MONTHS - 1
        if pair.overdue:
            last = rng.randint(40, 44)
        step = rng.choice((1, 1, 2, 2, 2, 3))
        m = first
        dates = []
        while m <= last:
            lo = pair.paired_on.day + 1 if m == first else 1
            hi = pair.ended_on.day if pair.ended_on and m == month_of(pair.ended_on) else 28
            if lo <= min(hi, 28):
                dates.append(world.date_in(m, lo, min(hi, 28)))
            m += step if rng.random() < 0.85 else step + 1
        if pair.ended_on is None and not pair.overdue and (not dates or dates[-1] < dt.date(2023, 11, 1)):
            dates.append(world.date_in(rng.choice((46, 47))))
        for d in dates:
            talks.append(Talk(d, pair.member, pair.worker, unit, rng.choice(TALK_METHODS), rng.choice(TALK_TOPICS)))
    talks.sort(key=lambda t: (t.date, t.member.staff_id, t.worker.staff_id))
    return talks


def draw_problems(world: World) -> list[LedgerItem]:
    """问题台帐: a problem found in about one talk in 13 (the talk gets its 问题编号), most resolved."""
    rng = world.rng
    problems: list[LedgerItem] = []
    seq: dict[int, int] = {}
    long_open = 0
    for talk in world.talks:
        if rng.random() >= 0.075:
            continue
        year = talk.date.year
        seq[year] = seq.get(year, 0) + 1
        talk.problem_id = f"WMS{year}-{seq[year]:03d}"
        category, texts = rng.choice(PROBLEM_TEXTS)
        found = talk.date
        feedback = add_days(found, rng.choice(FEEDBACK_DELAYS))
        resolved = add_days(feedback, rng.randint(1, 45))
        if found >= dt.date(2023, 7, 1) and found < dt.date(2023, 11, 20) and long_open < 9 and rng.random() < 0.35:
            long_open += 1
            resolved = None
            if long_open % 3 == 0:
                feedback = None
        satisfaction = rng.choice(SATISFACTION)
        unit, team = talk.worker.place(month_of(found))
        problems.append(LedgerItem(talk, talk.problem_id, unit, team, category, rng.choice(texts),
                                   feedback, resolved, satisfaction))
    return problems
