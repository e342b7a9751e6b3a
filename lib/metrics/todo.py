"""待办督办: every overdue or missing item as of the end of the range, one row each.

Nothing is counted here: each kind of item is read from the indicator that already computes it
(through the getter), so the list and the indicator pages never disagree —
  overdue_talk                逾期未谈的有效对子          talk_activity.overdue (OVERDUE_TALK_DAYS)
  overdue_problem             超期未办结的问题            problem_ledger.overdue_open (OPEN_PROBLEM_DAYS)
  due_full_membership         预备期满未转正              dev_pipeline.awaiting_full (PROBATION_DAYS)
  missing_report              应报送而未报送的报表        submission_status (only cells with `expected`)
  blank_team_without_liaison  没有挂靠联系人的空白班组    liaison_rate.blank_teams
  failed_six_good             六好未全部达标的示范岗      model_posts.posts, the range's last quarter with posts
  team_without_committee      没有管理委员会的班组        committee.teams_without
  missing_slogan_category     缺少某类理念口号的班组      slogans.teams_missing
A team-level item of a whole list (管理委员会, 理念口号) is listed only for a 队 that sent that list:
a list never sent is not a team without a committee (it is a missing_report once expected).

`since` is the date the item's clock runs from (the last talk or the pairing, the day a problem was
found, the day 转正 fell due, the first missing period, the quarter judged) and `days` the days from
it to the as-of date; the team states (no liaison, committee or slogan) have neither.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from lib.ingest.periods import month_text, quarter_text
from lib.metrics import thresholds
from lib.metrics.query import Filter, Source
from lib.natural_order import natural_key

KINDS = ("overdue_problem", "overdue_talk", "due_full_membership", "blank_team_without_liaison", "missing_report",
         "failed_six_good", "team_without_committee", "missing_slogan_category")   # most urgent first
COLUMNS = ("kind", "unit", "team", "who", "since", "days", "action")


@dataclass(frozen=True)
class Todo:
    as_of: dt.date
    items: pd.DataFrame   # COLUMNS, most urgent first: by kind (KINDS), then the longest overdue, then 队·班组


def _period_start(period: str) -> dt.date:
    """'2024-06' → 2024-06-01, '2024Q2' → 2024-04-01."""
    if "Q" in period:
        year, number = period.split("Q")
        return dt.date(int(year), 3 * int(number) - 2, 1)
    year, month = period.split("-")
    return dt.date(int(year), int(month), 1)


def _period_text(period: str) -> str:
    return quarter_text(period) if "Q" in period else month_text(_period_start(period))


def _in_teams(f: Filter, unit: str) -> bool:
    """报送情况 is per 队: with 班组 chosen, only their 队."""
    return not f.teams or unit in {u for u, _ in f.teams}


def todo(source: Source, f: Filter) -> Todo:
    as_of = f.as_of
    rows: list[tuple] = []

    def add(kind, unit, team, who, since, action):
        if isinstance(since, (dt.datetime, pd.Timestamp)):  # date + to_days() comes back as a timestamp
            since = pd.Timestamp(since).date()
        days = None if since is None else (as_of - since).days
        who = None if who is None or pd.isna(who) or not str(who).strip() else who   # 责任人 may be left blank
        rows.append((kind, unit, team or "", who, since, days, action))

    talks = source.get("talk_activity", f)
    for r in talks.overdue.itertuples():
        since = r.last_talk or r.paired_on
        what = f"自{since:%Y-%m-%d}最近一次谈心后" if r.last_talk else f"自{since:%Y-%m-%d}结对以来"
        add("overdue_talk", r.worker_unit, r.worker_team, r.member_name, since,
            f"{what}已超过{thresholds.OVERDUE_TALK_DAYS}天未谈心：督促结对党员与职工谈心，并报送《谈心记录》。")

    ledger = source.get("problem_ledger", f)
    for r in ledger.overdue_open.itertuples():
        add("overdue_problem", r.unit, r.team, r.owner, r.found_on,
            f"问题{r.problem_id}发现已超过{thresholds.OPEN_PROBLEM_DAYS}天仍未解决（{r.status or '未填状态'}）："
            f"督促责任人办结并向职工反馈。")

    pipeline = source.get("dev_pipeline", f)
    for r in pipeline.awaiting_full.itertuples():
        add("due_full_membership", r.unit, r.team, r.name, r.due_on,
            f"{r.probation_on:%Y-%m-%d}接收为预备党员，预备期已满：支部讨论其转正，并在《发展党员》中填写转正日期。")

    liaisons = source.get("liaison_rate", f)
    for r in liaisons.blank_teams[~liaisons.blank_teams["has_liaison"].astype(bool)].itertuples():
        add("blank_team_without_liaison", r.unit, r.team, None, None,
            "空白班组没有党员挂靠联系人：指定一名党员挂靠联系，并在《班组信息》中填写。")

    status = source.get("submission_status", f)
    missing = status.matrix[status.matrix["expected"] & ~status.matrix["loaded"]]
    for (unit, sheet), cells in missing.groupby(["unit", "sheet"], sort=False):
        if _in_teams(f, unit):
            periods = sorted(cells["period"], key=_period_start)
            add("missing_report", unit, "", None, _period_start(periods[0]),
                f"《{sheet}》缺报{'、'.join(_period_text(p) for p in periods)}：督促该队补报。")
    lists = status.lists
    for r in lists[lists["expected"] & ~lists["loaded"]].itertuples():
        if _in_teams(f, r.unit):
            add("missing_report", r.unit, "", None, _period_start(r.expected_from) if r.expected_from else None,
                f"《{r.sheet}》应报送而未报送：督促该队报送名单。")
    sent_lists = lists[lists["loaded"]]

    def sent(sheet: str) -> set[str]:
        return set(sent_lists.loc[sent_lists["sheet"] == sheet, "unit"])

    posts = source.get("model_posts", f).posts
    if len(posts):
        last = posts[posts["quarter"] == posts["quarter"].max()]
        for r in last[~last["all_met"].astype(bool)].itertuples():
            failed = "、".join(label for fld, label in thresholds.SIX_GOOD_ITEMS if not getattr(r, f"met_{fld}"))
            add("failed_six_good", r.unit, r.team, r.member_name, _period_start(r.quarter),
                f"{quarter_text(r.quarter)}示范岗六好未全部达标（{failed}）：督促整改，下季度复评。")

    with_committee = sent("管理委员会")
    for r in source.get("committee", f).teams_without.itertuples():
        if r.unit in with_committee:
            add("team_without_committee", r.unit, r.team, None, None,
                "班组没有管理委员会：组建班组管理委员会，并在《管理委员会》中报送委员。")

    with_slogans = sent("理念口号")
    for r in source.get("slogans", f).teams_missing.itertuples():
        if r.unit in with_slogans:
            add("missing_slogan_category", r.unit, r.team, None, None,
                f"班组缺少理念口号：{r.missing}；组织班组讨论提炼，并在《理念口号》中报送。")

    items = pd.DataFrame(rows, columns=list(COLUMNS))
    items["days"] = items["days"].astype("Int64")
    for col in ("who", "since"):  # missing is None (JSON null), not NaN
        items[col] = pd.Series([None if v is None or pd.isna(v) else v for v in items[col]], dtype=object)
    rank = items["kind"].map({k: i for i, k in enumerate(KINDS)})
    order = sorted(range(len(items)), key=lambda i: (
        rank.iloc[i], -(items["days"].iloc[i] if pd.notna(items["days"].iloc[i]) else -1),
        natural_key(items["unit"].iloc[i]), natural_key(items["team"].iloc[i]), str(items["who"].iloc[i] or "")))
    return Todo(as_of, items.iloc[order].reset_index(drop=True))
