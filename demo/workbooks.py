"""The demo mine as the workbooks its units send, in the order they should be imported.

`demo_specs()` computes every file (a `FileSpec`: name and sheets of rows) from a fresh `World`;
`write_demo_workbooks(folder)` writes them (.xlsx through openpyxl, a few .csv in GB18030). What only
the files tell (filling dates, scores, zones, committees, slogans, honours) is drawn from a second
random stream; who is where and when comes from the World.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from pathlib import Path

from demo.mine import World
from demo.sheet_layout import (
    CN_QUARTERS,
    CSV_STYLE,
    LEDGER_STYLE,
    UNIT_STYLES,
    FileSpec,
    Style,
    cell_value,
    sheet_rows,
    write_file,
)
from demo.story import (
    BRANCH,
    FIRST_YEAR,
    LIAISON_FROM,
    N_MONTHS,
    RELAPSES,
    SEED,
    TEAM_TYPE,
    UNITS,
    ZONE_OWNERS,
    month_of,
    month_start,
    quarter_label,
)
from demo.timeline import add_days
from demo.vocabulary import COMMITTEE_ROLES, HQ, PARTY, SCORE_ITEMS, SLOGANS, ZONE_DUTIES, draw_six_goods
from lib.ingest.sheets import SHEETS_BY_KEY


class Files:
    """Turns the World into the workbooks, in the order they should be imported."""

    def __init__(self, world: World) -> None:
        self.w = world
        self.rng = random.Random(SEED + 1)   # what only the files tell; the facts come from World

    # -------------------------------------------------------------- field lists
    @staticmethod
    def _fields(key: str, style: Style, *, unit_fields=("unit",), period=None) -> list[str]:
        fields = list(SHEETS_BY_KEY[key].fields)
        if not style.unit_col:
            fields = [f for f in fields if f not in unit_fields]
        if period == "month" and style.months == "none":
            fields = [f for f in fields if f != "month"]
        if period == "quarter" and style.quarters == "none":
            fields = [f for f in fields if f != "quarter"]
        return fields

    @staticmethod
    def _monthly_name(unit: str, style: Style, m: int) -> str:
        d = month_start(m)
        return style.names.format(unit=unit, y=d.year, m=d.month, mm=f"{d.month:02d}") + ".xlsx"

    # -------------------------------------------------------------- monthly
    def monthly(self, unit: str, m: int) -> FileSpec:
        w, style = self.w, UNIT_STYLES[unit]
        d = month_start(m)
        filled = add_days(month_start(m + 1), self.rng.randint(0, 4))
        period = f"{d.year}年{d.month}月份"
        people = w.roster[m][unit]
        # 人员名册
        fields = self._fields("roster", style, period="month")
        left_out = {"掘锚队": ("birth_month",), "机运队": ("birth_month", "gender")}.get(unit, ())
        fields = [f for f in fields if f not in left_out]     # optional columns some units never fill
        if unit == "开拓队":   # name before 工号, as that unit's sheet has it
            i = fields.index("staff_id")
            fields[i], fields[i + 1] = fields[i + 1], fields[i]
        records = []
        for p in people:
            team = p.place(m)[1]
            status = p.status(m)
            joined = p.probation if p.probation and month_of(p.probation) <= m else p.joined_on
            records.append({"month": d, "unit": unit, "team": team, "staff_id": p.staff_id, "name": p.roster_name(),
                            "gender": p.gender, "birth_month": p.birth, "post": p.post, "frontline": p.frontline,
                            "team_leader": p.leader, "political": status,
                            "joined_on": joined if status in PARTY else None})
        sheets = [("人员名册", sheet_rows("roster", fields, records, style, unit=unit, period_text=period,
                                          filled_on=filled))]
        # 班组信息
        blank = set(w.blank_teams(m))
        fields = self._fields("team_info", style, period="month")
        if unit == "综掘队":
            fields = [f for f in fields if f != "branch"]
        records = []
        for u, team in w.teams:
            if u != unit:
                continue
            record = {"month": d, "unit": unit, "team": team, "team_type": TEAM_TYPE[(u, team)],
                      "branch": BRANCH[unit]}
            liaison = w.liaisons.get((u, team))
            relapse_start = next((r[2] for r in RELAPSES if (r[0], r[1]) == (u, team)), None)
            if (u, team) in blank and liaison is not None and m >= LIAISON_FROM.get((u, team), 0) \
                    and m != relapse_start:
                record.update(liaison_id=liaison.staff_id, liaison_name=liaison.name)
            records.append(record)
        team_style = replace(style, total=False, notes=False)
        sheets.append(("班组信息", sheet_rows("team_info", fields, records, team_style, unit=unit, period_text=period,
                                              filled_on=filled)))
        # 谈心记录
        talks = w.talks_by_month.get((m, unit), [])
        if talks:
            fields = list(SHEETS_BY_KEY["talks"].fields)
            if not style.talk_unit_col:
                fields.remove("member_unit")
            records = [{"talk_date": t.date, "member_id": t.member.staff_id, "member_name": t.member.name,
                        "member_unit": t.unit, "worker_id": t.worker.staff_id, "worker_name": t.worker.name,
                        "method": t.method, "content": t.content, "found_problem": t.problem_id is not None,
                        "problem_id": t.problem_id} for t in talks]
            talk_style = replace(style, title=style.title or not style.talk_unit_col, total=False)
            sheets.append(("谈心记录", sheet_rows("talks", fields, records, talk_style, unit=unit, period_text=period,
                                                  filled_on=filled)))
        return FileSpec(self._monthly_name(unit, style, m), sheets)

    # -------------------------------------------------------------- quarterly
    def quarterly(self, unit: str, q: int) -> FileSpec:
        w, style, rng = self.w, UNIT_STYLES[unit], self.rng
        label = quarter_label(q)
        year, n = FIRST_YEAR + q // 4, q % 4 + 1
        period = f"{year}年第{CN_QUARTERS[n - 1]}季度"
        m = 3 * q + 2
        filled = add_days(month_start(m + 1), rng.randint(3, 9))
        people = w.roster[m][unit]
        # 比学争优: every member, and the 班组长 and activists among the others.
        dev_ids = {id(d["person"]) for d in w.dev if d["activist_on"] and month_of(d["activist_on"]) <= m}
        fields = self._fields("scores", style, period="quarter")
        i = fields.index("self_score")
        fields[i:i] = [f"item:{name}" for name, _ in SCORE_ITEMS]
        records = []
        for p in people:
            if not (p.member(m) or p.leader or id(p) in dev_ids):
                continue
            items = {}
            for name, top in SCORE_ITEMS:
                items[f"item:{name}"] = max(0, top - rng.choice((0, 0, 1, 1, 2, 2, 3, 4, 5, 6)))
            total = sum(items.values())
            review = max(0, total - rng.choice((0, 0, 1, 1, 2, 2, 3, 5)))
            status = "已审核"
            if q == 15 and rng.random() < 0.2:
                status, review = "待审核", None
            elif rng.random() < 0.01:
                status, review = "退回", None
            records.append({"quarter": label, "unit": unit, "team": p.place(m)[1], "staff_id": p.staff_id,
                            "name": p.name, **items, "self_score": total, "review_score": review,
                            "review_status": status})
        sheets = [("比学争优", sheet_rows("scores", fields, records, style, unit=unit, period_text=period,
                                          filled_on=filled))]
        # 党员示范岗
        records = []
        for post_name, holder in w.model_posts(unit, q):
            goods, result = draw_six_goods(rng, scored=style.goods == "score")
            if style.goods != "score":
                goods = {f: cell_value("bool", v, style) for f, v in goods.items()}
            records.append({"quarter": label, "post_name": post_name, "unit": unit, "team": holder.place(m)[1],
                            "member_id": holder.staff_id, "member_name": holder.name, **goods, "result": result})
        fields = self._fields("model_posts", style, period="quarter")
        post_style = replace(style, total=False)
        sheets.append(("党员示范岗", sheet_rows("model_posts", fields, records, post_style, unit=unit,
                                                period_text=period, filled_on=filled)))
        name = f"{unit}_{year}年第{CN_QUARTERS[n - 1]}季度比学争优及示范岗评定.xlsx"
        if unit in ("掘锚队", "准备队"):
            name = f"{unit}{year}Q{n}考评.xlsx"
        return FileSpec(name, sheets)

    # -------------------------------------------------------------- one-off lists
    def development(self, unit: str, as_of: dt.date | None = None) -> FileSpec | None:
        style = UNIT_STYLES[unit]
        records = []
        for d in self.w.dev:
            if d["unit"] != unit:
                continue
            p = d["person"]
            record = {"unit": unit, "team": d["team"], "staff_id": p.staff_id, "name": p.name,
                      "frontline": p.frontline, "team_leader": p.leader, "mentor": d["mentor"]}
            for f in ("applied_on", "activist_on", "candidate_on", "probation_on", "full_on"):
                value = d[f]
                record[f] = value if value is not None and (as_of is None or value <= as_of) else None
            if record["applied_on"] is None:
                continue
            records.append(record)
        if not records:
            return None
        records.sort(key=lambda r: (r["applied_on"], r["staff_id"]))
        fields = self._fields("development", style)
        filled = as_of or dt.date(2024, 1, 8)
        suffix = f"（{as_of.year}年底）" if as_of else ""
        return FileSpec(f"{unit}_发展党员名单{suffix}.xlsx",
                        [("发展党员", sheet_rows("development", fields, records, replace(style, total=False),
                                                 unit=unit, period_text="", filled_on=filled))])

    def pairs(self, unit: str) -> FileSpec | None:
        style = UNIT_STYLES[unit]
        records = []
        for pair in self.w.pairs:
            member_unit = pair.member.place(month_of(pair.ended_on) if pair.ended_on else N_MONTHS - 1)[0]
            if member_unit != unit:
                continue
            records.append({"member_id": pair.member.staff_id, "member_name": pair.member.name,
                            "member_unit": unit, "worker_id": pair.worker.staff_id, "worker_name": pair.worker.name,
                            "worker_unit": pair.worker_unit, "worker_team": pair.worker_team,
                            "paired_on": pair.paired_on, "ended_on": pair.ended_on})
        if not records:
            return None
        records.sort(key=lambda r: (r["member_id"], r["paired_on"], r["worker_id"]))
        fields = self._fields("pairs", style, unit_fields=("member_unit",))
        return FileSpec(f"{unit}_党员包保对子名单.xlsx",
                        [("包保对子", sheet_rows("pairs", fields, records, replace(style, total=False),
                                                 unit=unit, period_text="", filled_on=dt.date(2024, 1, 5)))])

    def zones(self, unit: str, start_no: int) -> tuple[FileSpec, int]:
        w, rng, style = self.w, self.rng, UNIT_STYLES[unit]
        last = N_MONTHS - 1
        owners_per_zone = ZONE_OWNERS[unit]
        teams = [t for u, t in w.teams if u == unit]
        shuffled = teams[:]
        rng.shuffle(shuffled)
        groups = [shuffled[i::len(owners_per_zone)] for i in range(len(owners_per_zone))]
        members = [p for p in w.roster[last][unit] if p.member(last)]
        owners = rng.sample(members, sum(owners_per_zone))
        records = []
        k = 0
        for z, (n_owners, group) in enumerate(zip(owners_per_zone, groups)):
            zone_no = start_no + z
            group = sorted(group, key=teams.index)
            set_up = dt.date(2020, rng.randint(6, 9), rng.randint(1, 28))
            for owner in owners[k:k + n_owners]:
                records.append({"zone_id": f"ZRQ{zone_no:02d}", "zone_name": f"{group[0].removesuffix('班')}片区党员责任区",
                                "unit": unit, "covered_teams": "、".join(group), "owner_id": owner.staff_id,
                                "owner_name": owner.name, "duty": rng.choice(ZONE_DUTIES), "set_up_on": set_up})
            k += n_owners
        fields = self._fields("zones", style)
        spec = FileSpec(f"{unit}_党员责任区.xlsx",
                        [("党员责任区", sheet_rows("zones", fields, records, replace(style, total=False),
                                                   unit=unit, period_text="", filled_on=dt.date(2024, 1, 6)))])
        return spec, start_no + len(owners_per_zone)

    def committee(self, unit: str) -> FileSpec:
        w, rng, style = self.w, self.rng, UNIT_STYLES[unit]
        last = N_MONTHS - 1
        teams = [t for u, t in w.teams if u == unit]
        without = set(rng.sample(teams, 1 if unit != HQ else 2))
        records = []
        for team in teams:
            if team in without:
                continue
            people = [p for p in w.roster[last][unit] if p.place(last)[1] == team]
            size = rng.randint(3, 5)
            chosen = [p for p in people if p.leader or p.member(last)][:2]
            rest = [p for p in people if p not in chosen]
            chosen += rng.sample(rest, size - len(chosen))
            roles = rng.sample(COMMITTEE_ROLES[:5], min(size, 5)) + list(COMMITTEE_ROLES[5:])[:max(0, size - 5)]
            appointed = dt.date(rng.randint(2020, 2023), rng.randint(1, 12), rng.randint(1, 28))
            for p, role in zip(chosen, roles):
                records.append({"unit": unit, "team": team, "staff_id": p.staff_id, "name": p.name, "role": role,
                                "appointed_on": appointed})
        fields = self._fields("committee", style)
        return FileSpec(f"{unit}_班组管理委员会.xlsx",
                        [("管理委员会", sheet_rows("committee", fields, records, replace(style, total=False),
                                                   unit=unit, period_text="", filled_on=dt.date(2024, 1, 6)))])

    def slogans(self, unit: str) -> FileSpec:
        w, rng = self.w, self.rng
        style = UNIT_STYLES[unit]
        csv_file = unit in ("通防部", "准备队")
        if csv_file:
            style = CSV_STYLE
        teams = [t for u, t in w.teams if u == unit]
        chosen = sorted(rng.sample(teams, 3), key=teams.index)
        records = []
        for team in chosen:
            for category, texts in SLOGANS.items():
                records.append({"unit": unit, "team": team, "category": category, "content": rng.choice(texts)})
        fields = self._fields("slogans", style)
        ext = ".csv" if csv_file else ".xlsx"
        return FileSpec(f"{unit}_班组理念口号{ext}",
                        [("理念口号", sheet_rows("slogans", fields, records, replace(style, total=False),
                                                 unit=unit, period_text="", filled_on=dt.date(2024, 1, 6)))])

    # -------------------------------------------------------------- yearly
    def honours(self, year: int) -> FileSpec:
        w, rng = self.w, self.rng
        m = (year - FIRST_YEAR) * 12 + 11
        non_blank = [k for k in w.teams if k not in w.blank_teams(m) and k[0] != HQ]
        members = [p for u in UNITS for p in w.roster[m][u] if p.member(m)]
        records = []

        def teams_award(title, by, teams):
            for unit, team in teams:
                records.append({"year": year, "title": title, "awarded_by": by, "unit": unit, "team": team})

        def people_award(title, by, people):
            for p in people:
                unit, team = p.place(m)
                records.append({"year": year, "title": title, "awarded_by": by, "unit": unit, "team": team,
                                "recipient": p.name, "staff_id": p.staff_id})

        if year == 2020:
            people_award("优秀共产党员", "矿党委", rng.sample(members, 3))
            teams_award("先进班组", "矿工会", rng.sample(non_blank, 2))
        elif year == 2021:
            teams_award("党员先锋岗", "矿党委", rng.sample(non_blank, 3))
            people_award("优秀共产党员", "集团公司党委", rng.sample(members, 2))
            people_award("优秀党务工作者", "矿党委", rng.sample([p for p in members if p.place(m)[0] == HQ], 1))
        elif year == 2022:
            pioneers = rng.sample(non_blank, 5)
            teams_award("党员先锋岗", "矿党委", pioneers)
            teams_award("党员先锋岗", "集团公司党委", pioneers[2:3])
            people_award("优秀共产党员", "矿党委", rng.sample(members, 4))
            # Also a 党员先锋岗 team: 2022's honoured teams are exactly the report's five.
            teams_award("工人先锋号", "集团公司工会", pioneers[4:5])
        else:
            pioneers = rng.sample(non_blank, 4)
            teams_award("党员先锋岗", "矿党委", pioneers)
            teams_award("党员先锋岗", "集团公司党委", pioneers[:2])
            people_award("优秀共产党员", "矿党委", rng.sample(members, 3))
            teams_award("先进班组", "矿工会", rng.sample(non_blank, 3))
        csv_file = year == 2021
        style = CSV_STYLE if csv_file else LEDGER_STYLE
        fields = list(SHEETS_BY_KEY["honours"].fields)
        name = f"{year}年度荣誉表彰汇总{'.csv' if csv_file else '.xlsx'}"
        return FileSpec(name, [("荣誉", sheet_rows("honours", fields, records, style, unit=None,
                                                   period_text=f"{year}年度", filled_on=dt.date(year + 1, 1, 10)))])

    def problems(self, year: int) -> FileSpec:
        end = dt.date(year, 12, 31)
        records = []
        for pr in self.w.problems:
            found = pr.talk.date
            if found > end:
                continue
            resolved = pr.resolved_on if pr.resolved_on and pr.resolved_on <= end else None
            if found.year < year and pr.resolved_on is not None and pr.resolved_on.year < year:
                continue    # settled in an earlier year's ledger
            feedback = pr.feedback_on if pr.feedback_on and pr.feedback_on <= end else None
            status = "已解决" if resolved else ("办理中" if feedback else "待办理")
            records.append({"problem_id": pr.problem_id, "found_on": found, "unit": pr.unit, "team": pr.team,
                            "reporter": pr.talk.worker.name, "category": pr.category,
                            "description": pr.description, "owner": pr.talk.member.name, "feedback_on": feedback,
                            "resolved_on": resolved, "status": status,
                            "satisfaction": pr.satisfaction if resolved else None})
        csv_file = year == 2020
        style = CSV_STYLE if csv_file else replace(LEDGER_STYLE, dates="cn" if year == 2022 else "date")
        fields = list(SHEETS_BY_KEY["problems"].fields)
        name = f"{year}年微民生问题解决台帐{'.csv' if csv_file else '.xlsx'}"
        return FileSpec(name, [("问题台帐", sheet_rows("problems", fields, records, style, unit=None,
                                                       period_text=f"{year}年", filled_on=dt.date(year + 1, 1, 6)))])

    # -------------------------------------------------------------- everything, in import order
    def all(self) -> list[FileSpec]:
        specs = []
        for m in range(N_MONTHS):
            for unit in UNITS:
                specs.append(self.monthly(unit, m))
            if m % 3 == 2:
                for unit in UNITS:
                    specs.append(self.quarterly(unit, m // 3))
            if m % 12 == 11:
                year = FIRST_YEAR + m // 12
                specs.append(self.honours(year))
                specs.append(self.problems(year))
                if year == 2021:
                    for unit in UNITS:
                        spec = self.development(unit, as_of=dt.date(2021, 12, 31))
                        if spec:
                            specs.append(spec)
        for unit in UNITS:
            for spec in (self.development(unit), self.pairs(unit)):
                if spec:
                    specs.append(spec)
        zone_no = 1
        for unit in UNITS:
            spec, zone_no = self.zones(unit, zone_no)
            specs.append(spec)
        for unit in UNITS:
            specs.append(self.committee(unit))
        for unit in UNITS:
            specs.append(self.slogans(unit))
        return specs


def demo_specs() -> list[FileSpec]:
    """Every file of the demo data set, in import order (computed, not yet written)."""
    return Files(World()).all()


def write_demo_workbooks(folder: Path) -> list[Path]:
    """Write every demo workbook into `folder`; return them in the order they should be imported."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [write_file(spec, folder) for spec in demo_specs()]
