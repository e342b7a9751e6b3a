"""班组画像: one team on one screen — people and members, blank/covered history, 挂靠联系人, pairs and
the days since each pair's last talk, the zones covering it, its committee, slogans, the latest two
quarters of scores with ranks, honours, open problems and its 待办 — and a 队's teams side by side.

Built from the caller's getter (masked on screen in 会议模式 and for roles without full names, as
every view) and a Filter; every figure is read from a registered indicator filtered to the team.
Also the profile as one 1920×1080 Plotly canvas (for the PNG and the one-slide PPTX,
lib.present.profile_deck). No Streamlit here.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pandas as pd
import plotly.graph_objects as go

from lib.labels import TODO_KIND_LABELS
from lib.metrics.query import Filter, Ratio, add_months
from lib.metrics.registry import Getter
from lib.natural_order import natural_key
from lib.present import charts
from lib.present.formatting import NOT_REPORTED, month_text, percent, period_text
from lib.present.literal import plotly_literal, plotly_literals
from lib.present.view_parts import TEAM_SEPARATOR, Kpi, scope_text, team_label

TITLE = "班组画像"
SCORE_QUARTERS = 2          # the latest two quarters with scores
SCORE_LOOKBACK_MONTHS = 24  # how far back the latest scored quarters are looked for
CANVAS = (1920, 1080)       # the PNG, CSS pixels
NO_TEAM = "（全队）"


def team_filter(f: Filter, unit: str, team: str | None = None) -> Filter:
    """The user's months, narrowed to one 队 (and one of its 班组)."""
    return replace(f, units=(unit,), teams=((unit, team),) if team else ())


def team_from_points(points, teams) -> tuple[str, str] | None:
    """The (队, 班组) of the first clicked point of a chart whose categories are team labels (队·班组,
    as Plotly was given them: escaped by plotly_literal), among the known `teams`; None when no point
    names a team. `points` are Streamlit's selection points (dicts with x, y, label …)."""
    by_label = {}
    for pair in teams:
        label = team_label(tuple(pair))
        by_label[label] = by_label[plotly_literal(label)] = (pair[0], pair[1])
    for point in points or ():
        for key in ("y", "x", "label"):
            value = point.get(key) if isinstance(point, dict) else None
            if not isinstance(value, str):
                continue
            if value in by_label:
                return by_label[value]
            # A person's bar, 队·班组·姓名: the team is all but the last part.
            head = value.rsplit(TEAM_SEPARATOR, 1)[0] if TEAM_SEPARATOR in value else None
            if head in by_label:
                return by_label[head]
    return None


@dataclass(frozen=True)
class Block:
    heading: str
    table: pd.DataFrame    # Chinese headers, cells as text
    empty: str             # said instead of an empty table


@dataclass(frozen=True)
class TeamProfile:
    unit: str
    team: str
    f: Filter
    roster_month: dt.date | None
    headcount: int
    members: int
    member_share: Ratio
    blank: bool | None             # None: not in the roster month
    history: pd.DataFrame          # month, state (空白 / 有党员 / 未报送)
    liaison: str
    pairs: pd.DataFrame            # member_name, worker_name, last_talk, days_since
    overdue_days: int
    overdue_pairs: int             # talk_activity.overdue: the pairs 待办督办 chases
    zones: pd.DataFrame            # zone_id, zone_name, owners
    committee_members: int
    slogans: pd.DataFrame          # category, content
    scores: pd.DataFrame           # quarter, people, mean_score, team_rank, teams (in the 队)
    ranks: pd.DataFrame            # quarter, name, score, rank
    honours: pd.DataFrame          # year, title, awarded_by, recipient
    problems: pd.DataFrame         # problem_id, found_on, category, description, status, age_days
    todo: pd.DataFrame             # kind_label, who, days, action

    @property
    def title(self) -> str:
        return f"{TITLE} · {team_label((self.unit, self.team))}"

    @property
    def subtitle(self) -> str:
        return scope_text(self.f, self.roster_month)

    def history_text(self) -> str:
        """2024年1月–2024年3月 空白 → 2024年4月 有党员 (months in a row with the same state said once)."""
        runs: list[list] = []
        for r in self.history.itertuples():
            if runs and runs[-1][2] == r.state:
                runs[-1][1] = r.month
            else:
                runs.append([r.month, r.month, r.state])
        return " → ".join(f"{month_text(a)}{'' if a == b else '–' + month_text(b)} {state}"
                          for a, b, state in runs) if runs else NOT_REPORTED

    def zones_text(self) -> str:
        if self.zones.empty:
            return "不在任何党员责任区内"
        return "；".join(f"{r.zone_id} {r.zone_name}（承包人 {r.owners}）" for r in self.zones.itertuples())

    def committee_text(self) -> str:
        if not self.committee_members:
            return "没有管理委员会"
        share = percent(self.committee_members / self.headcount) if self.headcount else ""
        return f"委员 {self.committee_members} 人" + (f"，占班组人数 {share}" if share else "")

    def scores_text(self) -> str:
        if self.scores.empty:
            return "近两个季度没有比学争优得分"
        return "；".join(f"{period_text(r.quarter)} 平均 {r.mean_score:.1f} 分（{r.people} 人），队内第 {r.team_rank}/{r.teams}"
                         for r in self.scores.itertuples())

    def facts(self) -> list[tuple[str, str]]:
        """The one-line facts beside the tables."""
        return [("空白班组历史", self.history_text()), ("挂靠联系人", self.liaison),
                ("党员责任区", self.zones_text()), ("管理委员会", self.committee_text()),
                ("比学争优", self.scores_text())]

    def cards(self) -> tuple[Kpi, ...]:
        return (
            Kpi("班组人数", self.headcount, unit=" 人"),
            Kpi("党员占比", self.member_share, none_text="无人员"),
            Kpi("党员人数", self.members, unit=" 人"),
            Kpi("有效包保对子", len(self.pairs), unit=" 对"),
            Kpi(f"{self.overdue_days}天以上未谈心", self.overdue_pairs, unit=" 对", lower_is_better=True),
            Kpi("未办结问题", len(self.problems), unit=" 个", lower_is_better=True),
            Kpi("待办事项", len(self.todo), unit=" 项", lower_is_better=True),
        )

    def blocks(self) -> list[Block]:
        return [
            Block("包保对子与最近谈心", pd.DataFrame({
                "党员": self.pairs["member_name"], "职工": self.pairs["worker_name"],
                "最近谈心": [d.isoformat() if isinstance(d, dt.date) else "未谈心" for d in self.pairs["last_talk"]],
                "距今天数": [str(int(d)) for d in self.pairs["days_since"]]}), "没有有效的包保对子"),
            Block("理念口号", pd.DataFrame({"类别": self.slogans["category"], "内容": self.slogans["content"]}),
                  "没有报送理念口号"),
            Block("比学争优（近两季度名次）", pd.DataFrame({
                "季度": [period_text(q) for q in self.ranks["quarter"]], "姓名": self.ranks["name"],
                "得分": [f"{s:.1f}" for s in self.ranks["score"]], "名次": [str(int(r)) for r in self.ranks["rank"]]}),
                  "近两个季度没有得分"),
            Block("荣誉", pd.DataFrame({"年度": self.honours["year"].astype(str), "荣誉": self.honours["title"],
                                      "授予单位": self.honours["awarded_by"],
                                      "获得者": [r or "班组" for r in self.honours["recipient"]]}), "区间内没有荣誉"),
            Block("未办结问题", pd.DataFrame({
                "编号": self.problems["problem_id"], "类别": self.problems["category"],
                "问题": self.problems["description"], "状态": self.problems["status"],
                "已过天数": [str(int(d)) for d in self.problems["age_days"]]}), "没有未办结的问题"),
            Block("待办事项", pd.DataFrame({
                "事项": self.todo["kind_label"], "相关人员": self.todo["who"],
                "已过天数": ["" if pd.isna(d) else str(int(d)) for d in self.todo["days"]],
                "督办事项": self.todo["action"]}), "没有待办事项"),
        ]


def _texts(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.map(lambda v: "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v))


def _latest_scores(get: Getter, f: Filter, unit: str, team: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The latest SCORE_QUARTERS quarters with scores up to the range's end: the team's mean and its
    rank among the 队's teams, and each member's rank within the team."""
    wide = replace(f, start=add_months(f.end, -(SCORE_LOOKBACK_MONTHS - 1)))
    trend = get("score_trend", team_filter(wide, unit))
    per_team = trend.per_team
    quarters = sorted(per_team.loc[per_team["team"] == team, "quarter"].unique())[-SCORE_QUARTERS:]
    rows = []
    for quarter in quarters:
        same = per_team[per_team["quarter"] == quarter].sort_values("mean_score", ascending=False, kind="stable")
        ranked = same.assign(team_rank=same["mean_score"].rank(method="min", ascending=False).astype(int))
        mine = ranked[ranked["team"] == team].iloc[0]
        rows.append((quarter, int(mine["people"]), float(mine["mean_score"]), int(mine["team_rank"]), len(same)))
    scores = pd.DataFrame(rows, columns=["quarter", "people", "mean_score", "team_rank", "teams"])
    ranks = trend.ranks[(trend.ranks["team"] == team) & trend.ranks["quarter"].isin(quarters)]
    ranks = ranks.sort_values(["quarter", "rank", "staff_id"], ascending=[False, True, True], kind="stable")
    return scores, ranks[["quarter", "name", "score", "rank"]].reset_index(drop=True)


def team_profile(get: Getter, f: Filter, unit: str, team: str) -> TeamProfile:
    """One team's profile for the user's months (the roster of the range's last month, or the latest before)."""
    tf = team_filter(f, unit, team)
    coverage = get("team_coverage", tf)
    row = coverage.per_team[(coverage.per_team["unit"] == unit) & (coverage.per_team["team"] == team)]
    headcount = int(row["headcount"].iloc[0]) if len(row) else 0
    members = int(row["members"].iloc[0]) if len(row) else 0
    blank = bool(row["blank"].iloc[0]) if len(row) else None

    trend = get("blank_team_trend", tf).months
    history = pd.DataFrame({"month": trend["month"],
                            "state": [NOT_REPORTED if pd.isna(t) or not t else ("空白" if b else "有党员")
                                      for t, b in zip(trend["teams"], trend["blank_teams"])]})

    if blank:
        found = get("liaison_rate", tf).blank_teams
        found = found[(found["unit"] == unit) & (found["team"] == team)]
        has = len(found) and bool(found["has_liaison"].iloc[0])
        liaison = (str(found["liaison_name"].iloc[0] or found["liaison_id"].iloc[0]) if has
                   else "空白班组，没有挂靠联系人")
    elif blank is None:
        liaison = "所选月份的人员名册中没有该班组"
    else:
        liaison = "无需挂靠（班组有党员）"

    talks = get("pair_talks", tf)
    pairs = talks.pairs[["member_name", "worker_name", "last_talk", "days_since"]]
    overdue = get("talk_activity", tf).overdue

    zones = get("team_zones", tf).zones
    zones = (zones.groupby(["zone_id", "zone_name"], sort=False)["owner_name"]
             .agg(lambda names: "、".join(str(n) for n in names if n)).rename("owners").reset_index())

    committee = get("committee", tf).per_team
    committee_members = int(committee.loc[committee["team"] == team, "committee_members"].sum())

    slogans = get("slogans", tf).entries[["category", "content"]].reset_index(drop=True)
    scores, ranks = _latest_scores(get, f, unit, team)
    honours = get("honours", tf).entries[["year", "title", "awarded_by", "recipient"]].reset_index(drop=True)
    problems = get("problem_ledger", tf).open_ages[["problem_id", "found_on", "category", "description", "status",
                                                    "age_days"]].reset_index(drop=True)
    items = get("todo", tf).items
    items = items[(items["unit"] == unit) & (items["team"] == team)]
    todo = items.assign(kind_label=items["kind"].map(TODO_KIND_LABELS))[["kind_label", "who", "days", "action"]]

    return TeamProfile(unit, team, tf, coverage.roster_month, headcount, members,
                       Ratio(members, headcount), blank, history, liaison, pairs.reset_index(drop=True),
                       talks.overdue_days, len(overdue), zones, committee_members, slogans, scores, ranks, honours,
                       problems, todo.reset_index(drop=True))


# ---------------------------------------------------------------- a 队's teams side by side

UNIT_COLUMNS = ("班组", "人数", "党员", "党员占比", "空白", "挂靠联系人", "有效对子", "逾期未谈", "责任区",
                "管理委员会", "理念口号", "最近季度均分", "荣誉", "未办结问题", "待办")


@dataclass(frozen=True)
class UnitProfile:
    unit: str
    f: Filter
    roster_month: dt.date | None
    teams: pd.DataFrame          # UNIT_COLUMNS, one row per team in natural order, cells as text
    overdue_days: int

    @property
    def title(self) -> str:
        return f"{TITLE} · {self.unit}（各班组）"

    @property
    def subtitle(self) -> str:
        return scope_text(self.f, self.roster_month)

    def cards(self) -> tuple[Kpi, ...]:
        t = self.teams
        headcount, members = sum(int(x) for x in t["人数"]), sum(int(x) for x in t["党员"])
        return (
            Kpi("班组数", len(t), unit=" 个"),
            Kpi("人数", headcount, unit=" 人"),
            Kpi("党员占比", Ratio(members, headcount), none_text="无人员"),
            Kpi("空白班组", int((t["空白"] == "是").sum()), unit=" 个", lower_is_better=True),
            Kpi("有效包保对子", sum(int(x) for x in t["有效对子"]), unit=" 对"),
            Kpi("未办结问题", sum(int(x) for x in t["未办结问题"]), unit=" 个", lower_is_better=True),
            Kpi("待办事项", sum(int(x) for x in t["待办"]), unit=" 项", lower_is_better=True),
        )


def unit_profile(get: Getter, f: Filter, unit: str) -> UnitProfile:
    """A 队's teams side by side: one row per team with the profile's key numbers."""
    uf = team_filter(f, unit)
    coverage = get("team_coverage", uf)
    liaisons = get("liaison_rate", uf).blank_teams
    talks = get("pair_talks", uf)
    overdue = get("talk_activity", uf).overdue
    zones = get("team_zones", uf).zones
    committee = get("committee", uf).per_team
    slogans = get("slogans", uf).entries
    honours = get("honours", uf).entries
    problems = get("problem_ledger", uf).open_ages
    items = get("todo", uf).items
    wide = replace(uf, start=add_months(f.end, -(SCORE_LOOKBACK_MONTHS - 1)))
    scored = get("score_trend", wide).per_team

    def count(frame: pd.DataFrame, team: str, col: str = "team") -> int:
        return int((frame[col] == team).sum()) if len(frame) else 0

    rows = []
    teams = sorted(coverage.per_team.itertuples(), key=lambda r: natural_key(r.team))
    for r in teams:
        t = r.team
        liaison = liaisons[liaisons["team"] == t]
        mine = talks.pairs[talks.pairs["worker_team"] == t]
        latest = scored[scored["team"] == t].sort_values("quarter")
        score = (f"{latest['mean_score'].iloc[-1]:.1f}（{period_text(latest['quarter'].iloc[-1])}）"
                 if len(latest) else "无")
        rows.append((t, str(r.headcount), str(r.members), percent(r.member_share if r.headcount else None),
                     "是" if r.blank else "否",
                     ("有" if bool(liaison["has_liaison"].iloc[0]) else "无") if r.blank and len(liaison) else "—",
                     str(len(mine)), str(count(overdue, t, "worker_team")),
                     str(zones.loc[zones["team"] == t, "zone_id"].nunique()),
                     f"{int(committee.loc[committee['team'] == t, 'committee_members'].sum())} 人",
                     f"{count(slogans, t)} 条", score, str(count(honours, t)), str(count(problems, t)),
                     str(count(items, t))))
    return UnitProfile(unit, uf, coverage.roster_month, pd.DataFrame(rows, columns=list(UNIT_COLUMNS)),
                       talks.overdue_days)


# ---------------------------------------------------------------- the one-screen picture

HEADER_FILL, ODD_FILL, EVEN_FILL = charts.RED, "#FFFFFF", "#F5F5F5"
MAX_ROWS = 8   # rows of a block on the canvas; the rest counted under it


def _table(frame: pd.DataFrame, x: tuple[float, float], y: tuple[float, float], font: int = 15) -> go.Table:
    cells = _texts(frame)
    # Columns as wide as their longest text (within reason): a 督办事项 gets the room, a 名次 little.
    widths = [min(30, max([len(str(c)), *(len(v) for v in cells[c])]) + 2) for c in cells.columns]
    fills = [[ODD_FILL if i % 2 == 0 else EVEN_FILL for i in range(len(cells))]] * max(1, len(cells.columns))
    return go.Table(
        domain={"x": list(x), "y": list(y)}, columnwidth=widths,
        header={"values": [f"<b>{plotly_literal(c)}</b>" for c in cells.columns], "fill_color": HEADER_FILL,
                "font": {"color": "white", "size": font, "family": charts.FONT}, "align": "left", "height": 30},
        cells={"values": [plotly_literals(cells[c]) for c in cells.columns], "fill_color": fills,
               "font": {"size": font - 1, "family": charts.FONT, "color": "#262626"}, "align": "left", "height": 27})


def _card_texts(cards: tuple[Kpi, ...]) -> list[str]:
    out = []
    for card in cards:
        text = card.text()
        out.append(f"{plotly_literal(card.label)}<br><b>{plotly_literal(text.shown)}</b>"
                   + (f"<br><span style='font-size:13px'>{plotly_literal(text.caption)}</span>" if text.caption else ""))
    return out


def _frame_figure(title: str, subtitle: str, cards: tuple[Kpi, ...]) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(width=CANVAS[0], height=CANVAS[1], paper_bgcolor="white", plot_bgcolor="white",
                      margin={"l": 40, "r": 40, "t": 20, "b": 20}, font={"family": charts.FONT, "color": "#262626"},
                      showlegend=False)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(text=f"<b>{plotly_literal(title)}</b>", x=0, y=1.0, xref="paper", yref="paper",
                       xanchor="left", yanchor="top", showarrow=False, font={"size": 34})
    fig.add_annotation(text=plotly_literal(subtitle), x=0, y=0.95, xref="paper", yref="paper",
                       xanchor="left", yanchor="top", showarrow=False, font={"size": 17, "color": charts.GREY})
    n = len(cards)
    for i, text in enumerate(_card_texts(cards)):
        fig.add_annotation(text=text, x=(i + 0.5) / n, y=0.905, xref="paper", yref="paper", xanchor="center",
                           yanchor="top", showarrow=False, align="center", font={"size": 17},
                           bgcolor="#F5F5F5", bordercolor="#D9D9D9", borderpad=8, width=CANVAS[0] / n - 40)
    return fig


def _heading(fig: go.Figure, text: str, x: float, y: float) -> None:
    fig.add_annotation(text=f"<b>{plotly_literal(text)}</b>", x=x, y=y, xref="paper", yref="paper",
                       xanchor="left", yanchor="bottom", showarrow=False, font={"size": 18, "color": charts.RED})


def _shown_rows(block: Block) -> tuple[pd.DataFrame, str]:
    if block.table.empty:
        return pd.DataFrame([[block.empty] + [""] * (len(block.table.columns) - 1)], columns=block.table.columns), ""
    more = len(block.table) - MAX_ROWS
    return block.table.head(MAX_ROWS), (f"另有 {more} 条未列出" if more > 0 else "")


def team_figure(profile: TeamProfile) -> go.Figure:
    """The team's profile as one 1920×1080 canvas: title, cards, the facts, six tables in two rows."""
    fig = _frame_figure(profile.title, profile.subtitle, profile.cards())
    facts = pd.DataFrame(profile.facts(), columns=["项目", "情况"])
    _heading(fig, "基本情况", 0, 0.775)
    fig.add_trace(_table(facts, (0, 1), (0.60, 0.77)))
    fig.data[-1].columnwidth = [1, 9]
    blocks = profile.blocks()
    for i, block in enumerate(blocks):
        col, top = i % 3, (0.55 if i < 3 else 0.26)
        x = (col / 3 + 0.005, (col + 1) / 3 - 0.005)
        shown, more = _shown_rows(block)
        _heading(fig, block.heading + (f"（{len(block.table)}）" if len(block.table) else ""), x[0], top + 0.005)
        fig.add_trace(_table(shown, x, (max(0, top - 0.26), top), font=14))
        if more:
            fig.add_annotation(text=plotly_literal(more), x=x[1], y=top + 0.005, xref="paper", yref="paper",
                               xanchor="right", yanchor="bottom", showarrow=False,
                               font={"size": 13, "color": charts.GREY})
    return fig


def unit_figure(profile: UnitProfile) -> go.Figure:
    """A 队's teams side by side as one 1920×1080 canvas: title, cards, one row per team."""
    fig = _frame_figure(profile.title, profile.subtitle, profile.cards())
    _heading(fig, "各班组", 0, 0.775)
    fig.add_trace(_table(profile.teams, (0, 1), (0, 0.77), font=16))
    return fig
