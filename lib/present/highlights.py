"""本月要点: a few plain Chinese sentences built from the indicators for the current filter.

Each sentence comes from one template and cites only numbers the indicators computed
(this module chooses and phrases, it does no counting of its own beyond picking the largest
group). The same filter always gives the same sentences in the same order:

1. 空白班组 against the previous period, naming teams eliminated / newly blank;
2. 包保职工覆盖率 with n/N, against the previous period;
3. 逾期未谈 pairs and where they gather;
4. 问题台帐: raised, resolved, 解决率, 超期未办结;
5. 发展对象中一线职工（班组长）占比 with n/N;
6. 比学争优: the latest quarter's mean score against the quarter before;
7. the sheets 总览 reads that were not sent for the range (未报送, never counted as zero).

A candidate appears only when its data exists (never a 0 % for a sheet not sent, never a change
against a period whose sheet was not sent); a filter with no roster gives an empty list.
Shown on 总览 and as the second slide of the 汇报 deck.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from lib.metrics import thresholds
from lib.metrics.coverage import TeamCoverage
from lib.metrics.query import Filter, Ratio
from lib.metrics.registry import Getter
from lib.natural_order import natural_key
from lib.present.formatting import percent, quarter_text, ratio_text, sheet_names

TONES = ("good", "bad", "neutral")
MAX_HIGHLIGHTS = 6
MAX_NAMES = 3          # teams named in a sentence before "等N个"


@dataclass(frozen=True)
class Highlight:
    key: str                                   # which candidate: blank_teams, worker_coverage, …
    text: str                                  # the sentence, in Chinese
    tone: str                                  # good / bad / neutral
    numbers: dict = field(default_factory=dict, hash=False)  # exactly the numbers the sentence prints


# ---------------------------------------------------------------- sentence parts

def point_change(now: Ratio, before: Ratio | None) -> float | None:
    """Change in percentage points, rounded as the KPI cards round it; None without a base."""
    if before is None or now.value is None or before.value is None:
        return None
    return round((now.value - before.value) * 100, 1) + 0.0   # + 0.0: no -0.0


def change_text(diff: float | None, unit: str) -> str:
    """'，比上期提高0.3个百分点' / '，比上期降低…' / '，与上期持平' / '' when there is nothing to compare."""
    if diff is None:
        return ""
    if diff == 0:
        return "，与上期持平"
    return f"，比上期{'提高' if diff > 0 else '降低'}{abs(diff):.1f}{unit}"


def tone_of(diff: float | None, higher_is_better: bool = True) -> str:
    if not diff:
        return "neutral"
    return "good" if (diff > 0) == higher_is_better else "bad"


def team_name(unit: str, team: str) -> str:
    return f"{unit}{team}"


def name_list(names: list[str], noun: str = "") -> str:
    """At most MAX_NAMES names joined by 、, then 等N个 (noun) for the whole count."""
    shown = "、".join(names[:MAX_NAMES])
    return shown + (f"等{len(names)}个{noun}" if len(names) > MAX_NAMES else "")


def _names(names: list[str], key: str, numbers: dict, noun: str = "班组") -> str:
    """name_list(), recording the whole count in `numbers` when the sentence cites it (等N个)."""
    if len(names) > MAX_NAMES:
        numbers[key] = len(names)
    return name_list(names, noun)


def _sorted_teams(pairs) -> list[tuple[str, str]]:
    return sorted(set(pairs), key=lambda p: (natural_key(p[0]), natural_key(p[1])))


# ---------------------------------------------------------------- 1. 空白班组

def _blank_set(coverage: TeamCoverage) -> set[tuple[str, str]]:
    table = coverage.per_team
    return {(u, t) for u, t, b in zip(table["unit"], table["team"], table["blank"]) if b}


def _net_changes(get: Getter, f: Filter, now: TeamCoverage) -> tuple[list[str], list[str]]:
    """Teams eliminated / newly blank over the range: each team's last change, if it still holds."""
    changes = get("blank_team_trend", f).changes
    last: dict[tuple[str, str], str] = {}
    for row in changes.sort_values("month", kind="stable").itertuples():
        last[(row.unit, row.team)] = row.change
    blank_now = _blank_set(now)
    present = set(zip(now.per_team["unit"], now.per_team["team"]))
    covered = [p for p, c in last.items() if c == "newly_covered" and p in present and p not in blank_now]
    blank = [p for p, c in last.items() if c == "newly_blank" and p in blank_now]
    return ([team_name(*p) for p in _sorted_teams(covered)], [team_name(*p) for p in _sorted_teams(blank)])


def blank_teams_highlight(get: Getter, f: Filter) -> Highlight | None:
    now = get("team_coverage", f)
    if now.roster_month is None or now.teams == 0:
        return None
    before = get("team_coverage", f.previous())
    n = now.blank_teams
    if before.roster_month is None or before.roster_month == now.roster_month or before.teams == 0:
        # Nothing earlier to compare with: the current state only.
        if n == 0:
            return Highlight("blank_teams", f"全部{now.teams}个班组均有党员，空白班组为0。", "good",
                             {"blank_teams": 0, "teams": now.teams})
        numbers = {"blank_teams": n}
        names = [team_name(*p) for p in _sorted_teams(_blank_set(now))]
        return Highlight("blank_teams", f"现有空白班组{n}个：{_names(names, 'named', numbers)}。", "bad", numbers)
    p = before.blank_teams
    eliminated, new_blank = _net_changes(get, f, now)
    numbers = {"previous_blank_teams": p, "blank_teams": n}
    gone = f"{_names(eliminated, 'eliminated', numbers)}已消除" if eliminated else ""
    new = f"新出现空白班组：{_names(new_blank, 'newly_blank', numbers)}" if new_blank else ""
    if n == 0 and p == 0:
        return Highlight("blank_teams", f"空白班组保持为0，全部{now.teams}个班组均有党员。", "good",
                         {"blank_teams": 0, "teams": now.teams})
    if n < p:
        text = f"空白班组由{p}个减至{n}个" + (f"：{gone}" if gone else "") + (f"；{new}" if new else "")
        tone = "good"
    elif n > p:
        text = f"空白班组由{p}个增至{n}个" + (f"，{new}" if new else "") + (f"；{gone}" if gone else "")
        tone = "bad"
    elif gone or new:
        text = f"空白班组仍为{n}个：" + "，".join(x for x in (gone, new) if x)
        tone = "neutral"
    else:
        numbers = {"blank_teams": n}
        names = [team_name(*q) for q in _sorted_teams(_blank_set(now))]
        text = f"空白班组仍为{n}个：{_names(names, 'named', numbers)}"
        tone = "neutral"
    return Highlight("blank_teams", text + "。", tone, numbers)


# ---------------------------------------------------------------- 2. 包保职工覆盖率

def worker_coverage_highlight(get: Getter, f: Filter) -> Highlight | None:
    pairs = get("pair_coverage", f)
    now = pairs.worker_coverage
    if pairs.not_reported or not now.N:
        return None
    before = get("pair_coverage", f.previous())
    diff = point_change(now, None if before.not_reported else before.worker_coverage)
    numbers = {"percent": round(now.value * 100, 1), "n": now.n, "N": now.N}
    if diff:
        numbers["change_points"] = diff
    return Highlight("worker_coverage", f"包保职工覆盖率{ratio_text(now)}{change_text(diff, '个百分点')}。",
                     tone_of(diff), numbers)


# ---------------------------------------------------------------- 3. 逾期未谈

def _largest_groups(labels: list[str]) -> tuple[list[str], int]:
    """The label(s) with the most entries (natural order on ties) and that count."""
    counts = pd.Series(labels).value_counts()
    top = int(counts.max())
    return sorted((str(k) for k, v in counts.items() if v == top), key=natural_key), top


def overdue_talks_highlight(get: Getter, f: Filter) -> Highlight | None:
    talks = get("talk_activity", f)
    days = thresholds.OVERDUE_TALK_DAYS   # the same threshold talk_activity used
    if not talks.talk_coverage.N:      # no active pairs in scope
        return None
    overdue = talks.overdue
    total = len(overdue)
    if total == 0:
        return Highlight("overdue_pairs", f"包保对子近{days}天内均有谈心，无逾期未谈。", "good", {"days": days})
    units = [str(u) for u in overdue["worker_unit"]]
    # Several 队: name the 队; all in one 队: name its 班组.
    by_unit = len(set(units)) > 1
    labels = units if by_unit else [team_name(u, t) for u, t in zip(units, overdue["worker_team"])]
    numbers = {"overdue_pairs": total, "days": days}
    if len(set(labels)) == 1:
        text = f"{labels[0]}有{total}对包保对子超过{days}天未谈心。"
    else:
        top, count = _largest_groups(labels)
        numbers["largest_group"] = count
        lead = f"{total}对包保对子超过{days}天未谈心"
        if len(top) > 1:
            names = _names(top, "tied_groups", numbers, "队" if by_unit else "班组")
            text = f"{lead}，其中{names}最多（各{count}对）。"
        elif count * 2 >= total:
            text = f"{lead}，集中在{top[0]}（{count}对）。"
        else:
            text = f"{lead}，其中{top[0]}最多（{count}对）。"
    return Highlight("overdue_pairs", text, "bad", numbers)


# ---------------------------------------------------------------- 4. 问题台帐

def problems_highlight(get: Getter, f: Filter) -> Highlight | None:
    ledger = get("problem_ledger", f)
    late = len(ledger.overdue_open)
    if ledger.raised == 0 and late == 0:
        return None
    numbers = {}
    if ledger.raised:
        numbers.update(raised=ledger.raised, resolved=ledger.resolved,
                       percent=round(ledger.resolution_rate.value * 100, 1))
        head = f"本期新发现问题{ledger.raised}个，已解决{ledger.resolved}个（{percent(ledger.resolution_rate.value)}）"
    else:
        head = "本期未发现新问题"
    tail = f"超期未办结{late}个" if late else "无超期未办结问题"
    if late:
        numbers["overdue_open"] = late
    return Highlight("problems", f"{head}；{tail}。", "bad" if late else "good", numbers)


# ---------------------------------------------------------------- 5. 发展对象

def development_highlight(get: Getter, f: Filter) -> Highlight | None:
    shares = get("dev_shares", f)
    front, lead = shares.frontline, shares.leader
    if not front.N:
        return None
    numbers = {"candidates": front.N, "frontline_percent": round(front.value * 100, 1), "frontline": front.n,
               "leader_percent": round(lead.value * 100, 1), "leader": lead.n}
    text = (f"本期确定发展对象{front.N}人，一线职工占{ratio_text(front)}，班组长占{ratio_text(lead)}。")
    return Highlight("dev_frontline_share", text, "neutral", numbers)


# ---------------------------------------------------------------- 6. 比学争优

def _weighted_mean(means: pd.DataFrame) -> float | None:
    people = means["people"].sum()
    return float((means["mean_score"] * means["people"]).sum() / people) if people else None


def _group_means(get: Getter, qf: Filter, level: str) -> dict[str, float]:
    """Mean score per 队 (level 'unit') or per 班组 ('team') in one quarter."""
    if level == "unit":
        means = get("score_means", qf)
        return {str(u): float(s) for u, s in zip(means["unit"], means["mean_score"])}
    per_team = get("score_trend", qf).per_team
    return {team_name(u, t): float(s) for u, t, s in zip(per_team["unit"], per_team["team"], per_team["mean_score"])}


def scores_highlight(get: Getter, f: Filter) -> Highlight | None:
    means = get("score_means", f)
    if means.empty:
        return None
    last_q = str(means["quarter"].max())
    qf = f.in_quarter(last_q)
    latest = get("score_means", qf)
    mean, people = _weighted_mean(latest), int(latest["people"].sum())
    if mean is None:
        return None
    year, number = (int(x) for x in last_q.split("Q"))
    numbers = {"year": year, "quarter": number, "mean_score": round(mean, 1), "people": people}
    text = f"{quarter_text(last_q)}比学争优平均分{mean:.1f}分（{people}人参评）"
    previous = get("score_means", qf.previous())
    before = _weighted_mean(previous) if len(previous) else None
    diff = None if before is None else round(mean - before, 1) + 0.0
    if diff is not None:
        if diff:
            numbers["change"] = diff
        text += "，与上季度持平" if diff == 0 else f"，比上季度{'提高' if diff > 0 else '降低'}{abs(diff):.1f}分"
        # The group that rose most: 队 when the quarter spans several, else 班组.
        level = "unit" if latest["unit"].nunique() > 1 else "team"
        now_g, before_g = _group_means(get, qf, level), _group_means(get, qf.previous(), level)
        rises = {k: round(v - before_g[k], 1) for k, v in now_g.items() if k in before_g}
        if len(rises) > 1 and max(rises.values()) > 0:
            best = max(rises.values())
            top = sorted((k for k, v in rises.items() if v == best), key=natural_key)
            numbers["largest_rise"] = best
            each = "各" if len(top) > 1 else ""
            names = _names(top, "tied_groups", numbers, "队" if level == "unit" else "班组")
            text += f"，{names}提高最多（{each}{best:.1f}分）"
    return Highlight("scores", text + "。", tone_of(diff), numbers)


# ---------------------------------------------------------------- 7. 未报送

# The sheets 总览's figures are computed from besides the roster, in the order 总览 shows them.
OVERVIEW_SHEETS = ("development", "pairs", "talks", "problems", "scores", "committee", "slogans")


def not_reported_highlight(get: Getter, f: Filter) -> Highlight | None:
    """The sheets 总览 needs that have no data for the range: 未报送, so their figures are not zero."""
    if get("team_coverage", f).roster_month is None:
        return None
    missing = get("reported_sheets", f).missing(*OVERVIEW_SHEETS)
    if not missing:
        return None
    return Highlight("not_reported", f"本期未报送{sheet_names(missing)}，相关指标显示为“未报送”而非0，"
                                     "请在“数据上传”页上传。", "bad")


# ---------------------------------------------------------------- all of them

CANDIDATES = (blank_teams_highlight, worker_coverage_highlight, overdue_talks_highlight, problems_highlight,
              development_highlight, scores_highlight)


def highlights(get: Getter, f: Filter) -> list[Highlight]:
    """The 本月要点 for a filter: up to MAX_HIGHLIGHTS sentences, most important first; what was not
    sent always keeps its place, last."""
    if f is None or f.start is None or f.end is None or f.start > f.end:
        return []
    found = [h for h in (candidate(get, f) for candidate in CANDIDATES) if h is not None]
    unsent = not_reported_highlight(get, f)
    if unsent is None:
        return found[:MAX_HIGHLIGHTS]
    return found[:MAX_HIGHLIGHTS - 1] + [unsent]
