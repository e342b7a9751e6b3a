"""What each indicator page shows — KPI cards and charts — built once, for the dashboard and the deck.

A view is computed from indicators fetched through a `get(name, filter)` getter
(lib.metrics.registry): the dashboard passes `ui.metric` (shared memo; masked in 会议模式), the
汇报 deck its own masked getter. Sections are named so that pages pick them by name. Pages add
their own detail tables and widgets around a view; the deck turns every section into slides.
No Streamlit here.
"""
from __future__ import annotations

from typing import Callable

import pandas as pd

from lib.metrics import thresholds
from lib.metrics.query import Filter, Ratio
from lib.metrics.registry import Getter
from lib.present import charts
from lib.present.formatting import date_text, month_text, not_reported_text, quarter_text, sheet_names
from lib.present.view_parts import Chart, Kpi, PageView, Section, team_label


# ---------------------------------------------------------------- never sent is not zero

def card(label: str, now, before, read: Callable, **extra) -> Kpi:
    """A card from an indicator's result now and in the previous period (`read` picks the figure):
    未报送 when the result's sheets were not sent; no change shown against a period whose were not."""
    return Kpi(label, read(now), None if before.not_reported else read(before), not_reported=now.not_reported,
               **extra)


def chart(name: str, make: Callable[[], object], not_reported: tuple[str, ...] = (), **extra) -> Chart:
    """A chart, or — when its sheets were not sent — its title over 未报送，请上传《…》 (nothing to download)."""
    figure = charts.empty_figure(not_reported_text(not_reported), name) if not_reported else make()
    return Chart(name, figure, **extra)

# ---------------------------------------------------------------- 总览

def overview_view(get: Getter, f: Filter) -> PageView:
    coverage = get("team_coverage", f)
    if coverage.roster_month is None:
        return PageView("班组党建总览", empty=(
            "所选范围内还没有人员名册", "请在“数据上传”页上传各队的月度人员名册，或调整左侧的队和月份。"))
    heads, sent = get("overview", f), get("reported_sheets", f)

    def headline(key: str, label: str, **extra) -> Kpi:
        """A headline figure beside the previous period's (None there when not sent); 未报送 when not sent now."""
        figure = heads[key]
        return Kpi(label, figure.current, figure.previous, not_reported=figure.not_reported, **extra)

    committee, slogans = get("committee", f), get("slogans", f)
    trend, pairs = get("blank_team_trend", f), get("pair_coverage", f)
    score_means = get("score_means", f)  # the per-队 means only; ranking everyone is not needed here
    ledger = get("problem_ledger", f)
    return PageView("班组党建总览", coverage.roster_month, sections=(
        Section("三个加力 · 消除党员空白班组", (
            headline("blank_teams", "空白班组", lower_is_better=True, unit=" 个",
                     help="没有中共党员、中共预备党员的班组数，目标为 0"),
            headline("team_coverage", "班组党员覆盖率", help="有党员的班组数 ÷ 班组数"),
            headline("members", "党员人数", unit=" 人"),
            headline("dev_frontline_share", "发展对象中一线职工", none_text="本期无发展对象",
                     help="区间内确定的发展对象中一线职工所占比例")),
            name="three_efforts"),
        Section("三个动作 · 示范岗、责任区、亲情谈心", (
            headline("worker_coverage", "包保职工覆盖率", none_text="无非党员职工",
                     help="处于有效包保对子中的职工 ÷ 名册中的非党员职工"),
            headline("talks", "谈心次数", unit=" 次"),
            headline("overdue_pairs", f"超过{thresholds.OVERDUE_TALK_DAYS}天未谈心的对子", lower_is_better=True,
                     unit=" 对"),
            headline("problem_resolution", "问题解决率", none_text="本期无新问题",
                     help="区间内发现的问题中，截至区间末已解决的比例")),
            name="three_actions"),
        Section("三个体系 · 自主管理、理念价值、比学争优", (
            headline("mean_score", "比学争优平均分（最近季度）",
                     help="每人取支部审核分（未审核取自评分），按人数加权"),
            Kpi("有管理委员会的班组", committee.teams_with_committee, not_reported=committee.not_reported),
            Kpi("理念口号", slogans.total, unit=" 条", not_reported=slogans.not_reported),
            headline("problems_raised", "新发现问题", unit=" 个")),
            name="three_systems"),
        Section(charts=(
            Chart("空白班组数变化", charts.trend_line(trend.months, "month", "blank_teams", "空白班组数变化",
                                                "空白班组（个）", goal=0)),
            chart("各队包保职工覆盖率", lambda: charts.ratio_bars(pairs.per_unit, "unit", "paired_workers", "workers",
                                                          "各队包保职工覆盖率", "职工覆盖率"),
                  pairs.not_reported),
            chart("比学争优平均分", lambda: charts.lines_by_group(score_means, "quarter", "mean_score", "unit",
                                                           "各队比学争优平均分", "平均分", hover_n="people",
                                                           mean_name=_mean_name(f)),
                  sent.missing("scores")),
            chart("未办结问题", lambda: charts.aging_bars(ledger.open_ages["age_days"], "未办结问题的已过天数",
                                                     thresholds.OPEN_PROBLEM_DAYS), ledger.not_reported),
        ), name="charts"),
    ))


# ---------------------------------------------------------------- 三个加力

def development_view(get: Getter, f: Filter) -> PageView:
    shares, shares_before = get("dev_shares", f), get("dev_shares", f.previous())
    pipeline, pipeline_before = get("dev_pipeline", f), get("dev_pipeline", f.previous())
    as_of = date_text(pipeline.as_of)
    note = f"阶段人数截至{as_of}"
    if pipeline.not_reported:
        return PageView("发展党员", note=note, empty=(
            f"所选队还没有报送{sheet_names(pipeline.not_reported)}",
            "请在“数据上传”页上传各队的《发展党员》名单，或调整左侧的队和班组。"))
    if not pipeline.stage_counts[["people", "entered"]].to_numpy().any():
        return PageView("发展党员", note=note, empty=(
            "所选范围内没有发展党员记录", "请在“数据上传”页上传各队的《发展党员》名单，或调整左侧的队、班组和月份。"))
    counts = pipeline.stage_counts
    steps = pipeline.stage_days.assign(
        step=[f"{a}→{b}" for a, b in zip(pipeline.stage_days["from_stage"], pipeline.stage_days["to_stage"])])
    return PageView("发展党员", note=note, sections=(Section(
        kpis=(
            card("发展对象中一线职工", shares, shares_before, lambda r: r.frontline, none_text="本期无发展对象",
                 help="区间内确定为发展对象的人员中，一线职工所占比例。"),
            card("发展对象中班组长", shares, shares_before, lambda r: r.leader, none_text="本期无发展对象",
                 help="区间内确定为发展对象的人员中，班组长所占比例。"),
            Kpi("待转正", len(pipeline.awaiting_full), len(pipeline_before.awaiting_full), unit=" 人",
                lower_is_better=True,
                help=f"接收预备党员满 {thresholds.PROBATION_DAYS} 天仍未转为正式党员的人数（截至{as_of}）。"),
            Kpi("培养期不足一年", len(pipeline.fast_promotions), len(pipeline_before.fast_promotions), unit=" 人",
                lower_is_better=True,
                help=f"区间内确定的发展对象中，距确定积极分子不足 {thresholds.FAST_PROMOTION_DAYS} 天的人数"
                     "（违反培养一年以上的规定）。"),
        ),
        charts=(
            Chart("发展党员各阶段人数", charts.funnel(list(counts["stage"]), [int(v) for v in counts["people"]],
                                                f"各阶段人数（截至{as_of}）")),
            Chart("发展党员各阶段用时", charts.ordered_bars(steps, "step", "median_days", "各阶段用时（中位数）",
                                                  "天数", n="people")),
        )),))


TOP_TEAMS = 20  # above this many teams the team chart starts with the lowest shares only


def coverage_view(get: Getter, f: Filter) -> PageView:
    coverage, coverage_before = get("team_coverage", f), get("team_coverage", f.previous())
    if coverage.roster_month is None:
        return PageView("党员覆盖", empty=(
            "所选范围内还没有人员名册",
            "请在“数据上传”页上传各队的月度人员名册（挂靠联系人在《班组信息》中），或调整左侧的队、班组和月份。"))
    liaison, liaison_before = get("liaison_rate", f), get("liaison_rate", f.previous())
    trend = get("blank_team_trend", f)

    def snapshot(value, result):
        """A roster-based count, or None when that period has no roster."""
        return value if result.roster_month is not None else None

    return PageView("党员覆盖", coverage.roster_month, sections=(Section(
        kpis=(
            Kpi("空白班组", coverage.blank_teams, snapshot(coverage_before.blank_teams, coverage_before),
                unit=" 个", lower_is_better=True, help="没有中共党员、中共预备党员的班组数。目标为 0。"),
            Kpi("班组党员覆盖率", coverage.coverage, coverage_before.coverage, help="有党员的班组数 ÷ 班组数。"),
            Kpi("党员人数", coverage.members, snapshot(coverage_before.members, coverage_before), unit=" 人",
                help="名册中政治面貌为中共党员或中共预备党员的人数。"),
            Kpi("党员占比", coverage.member_share, coverage_before.member_share, help="党员人数 ÷ 名册总人数。"),
            card("空白班组挂靠率", liaison, liaison_before, lambda r: r.rate, none_text="无空白班组",
                 help="登记了挂靠联系人的空白班组 ÷ 空白班组。没有空白班组时无需挂靠。"),
        ),
        charts=(
            Chart("空白班组数变化", charts.trend_line(trend.months, "month", "blank_teams", "空白班组数变化",
                                                "空白班组（个）", goal=0), wide=True, caption="未报送名册的月份不显示。"),
        ), name="summary"),
        # The page puts a choice (lowest teams or all) above this chart, so it is a section of its own.
        Section(charts=(team_share_chart(coverage),), name="team_shares"),
    ))


def team_share_chart(coverage, all_teams: bool = False) -> Chart:
    """Member share per team; with many teams only the lowest TOP_TEAMS unless all are asked for."""
    teams = coverage.per_team.assign(label=[team_label(p) for p in zip(coverage.per_team["unit"],
                                                                         coverage.per_team["team"])])
    title = "各班组党员占比"
    if len(teams) > TOP_TEAMS and not all_teams:
        teams = teams.sort_values(["member_share", "unit", "team"], kind="stable").head(TOP_TEAMS)
        title = f"党员占比最低的 {TOP_TEAMS} 个班组"
    return Chart(title, charts.ratio_bars(teams, "label", "members", "headcount", title, "党员占比"), wide=True,
                 teams=True)


# ---------------------------------------------------------------- 三个动作

def quarter_rows(frame: pd.DataFrame, before: pd.DataFrame, quarter: str) -> tuple[pd.DataFrame, pd.DataFrame,
                                                                                    str | None]:
    """Rows of `quarter`, rows of the latest quarter before it (this range or the previous one)."""
    both = pd.concat([before, frame], ignore_index=True)
    earlier = sorted(q for q in both["quarter"].unique() if q < quarter)
    prev = earlier[-1] if earlier else None
    return (frame[frame["quarter"] == quarter],
            both[both["quarter"] == prev].drop_duplicates() if prev else both.head(0), prev)


MODEL_POST_QUARTERS_SHOWN = 4  # the item chart compares the chosen quarter with up to three before it


def model_posts_view(get: Getter, f: Filter, quarter: str | None = None) -> PageView:
    posts, posts_before = get("model_posts", f), get("model_posts", f.previous())
    quarters = list(posts.per_quarter["quarter"])
    if not quarters:
        return PageView("党员示范岗", note="按季度评定", empty=(
            "所选月份涉及的季度未报送《党员示范岗》评定",
            "请在“数据上传”页上传各队的《党员示范岗》季度评定表，或调整左侧的队、班组和月份。"))
    quarter = quarter if quarter in quarters else quarters[-1]
    now, before, prev_quarter = quarter_rows(posts.per_quarter, posts_before.per_quarter, quarter)
    items_now, items_before, _ = quarter_rows(posts.item_rates, posts_before.item_rates, quarter)
    compared = f"与{quarter_text(prev_quarter)}比较。" if prev_quarter else "没有更早季度的评定可比较。"

    def first(frame: pd.DataFrame, column: str):
        return None if frame.empty else int(frame[column].iloc[0])

    def ratio(frame: pd.DataFrame, n: str, N: str) -> Ratio | None:
        return None if frame.empty else Ratio(int(frame[n].iloc[0]), int(frame[N].iloc[0]))

    weakest = items_now.sort_values(["rate"], kind="stable").head(1)
    weakest_item = weakest["item"].iloc[0] if len(weakest) else "无"
    shown = [q for q in quarters if q <= quarter][-MODEL_POST_QUARTERS_SHOWN:]
    items = posts.item_rates[posts.item_rates["quarter"].isin(shown)]
    items = items.assign(quarter=items["quarter"].map(quarter_text))
    units = posts.per_unit[posts.per_unit["quarter"] == quarter]
    return PageView("党员示范岗", note="按季度评定", sections=(Section(
        kpis=(
            Kpi("示范岗", first(now, "posts"), first(before, "posts"), unit=" 个",
                help="本季度参加评定的党员示范岗个数。" + compared),
            Kpi("六好达标率", ratio(now, "all_met", "posts"), ratio(before, "all_met", "posts"),
                help=f"“六好”六项全部达标（每项不低于 {thresholds.MODEL_POST_PASS_SCORE} 分或填“是”）的示范岗 ÷ 示范岗。"
                     + compared),
            Kpi(f"达标率最低的一项：{weakest_item}", ratio(weakest, "met", "posts"),
                ratio(items_before[items_before["item"] == weakest_item], "met", "posts"),
                help="本季度“六好”中达标率最低的一项。" + compared),
        ),
        charts=(
            Chart("六好各项达标率", charts.grouped_rates(items, "item", "rate", "quarter", "“六好”各项达标率",
                                                 "met", "posts"), wide=True),
            Chart("各队六好达标率", charts.ratio_bars(units, "unit", "all_met", "posts",
                                                f"各队六好达标率（{quarter_text(quarter)}）", "六好达标率"),
                  wide=True),
        )),))


def zones_view(get: Getter, f: Filter) -> PageView:
    zones, zones_before = get("zones", f), get("zones", f.previous())
    note = "责任区按队统计"
    if not zones.zones:
        return PageView("党员责任区", zones.roster_month, note, empty=(
            "所选队还没有报送《党员责任区》名单",
            "请在“数据上传”页上传各队的《党员责任区》（每个责任区的每名承包人一行），或调整左侧的队。"))
    if zones.roster_month is None:
        return PageView("党员责任区", None, note, empty=(
            "所选月份及之前没有人员名册，无法核对班组覆盖和承包人的党员身份",
            "请在“数据上传”页上传各队的月度人员名册，或调整左侧的月份。"))
    notice = ""
    if len(zones.owners_not_members):
        notice = (f"数据提醒：{len(zones.owners_not_members)} 名承包人在 {month_text(zones.roster_month)}"
                  "的名册中不是党员或不在名册中，请核对《党员责任区》与人员名册。")
    return PageView("党员责任区", zones.roster_month, note, sections=(Section(
        kpis=(
            Kpi("责任区", zones.zones, zones_before.zones, unit=" 个", help="按责任区编号去重。"),
            Kpi("承包人", zones.owners, zones_before.owners, unit=" 人", help="按承包人工号去重。"),
            Kpi("班组覆盖率", zones.team_coverage, zones_before.team_coverage,
                help="被至少一个本队责任区“覆盖班组”列出的班组 ÷ 名册中的班组。"),
        ),
        notice=notice,
        charts=(
            Chart("各队责任区数", charts.count_bars(zones.per_unit, "unit", "zones", "各队责任区数", "责任区（个）",
                                              natural=True)),
            Chart("各队承包人数", charts.count_bars(zones.per_unit, "unit", "owners", "各队承包人数", "承包人（人）",
                                              color=charts.GREY, natural=True)),
        )),))


def pairs_talks_view(get: Getter, f: Filter) -> PageView:
    pairs, talks = get("pair_coverage", f), get("talk_activity", f)
    sent, sent_before = get("reported_sheets", f), get("reported_sheets", f.previous())
    unsent = sent.missing("pairs", "talks")
    if len(unsent) == 2:
        return PageView("包保谈心", pairs.roster_month, empty=(
            f"所选范围内未报送{sheet_names(unsent)}", "请在“数据上传”页上传各队的《包保对子》和《谈心记录》，或调整左侧的队和月份。"))
    if pairs.active_pairs == 0 and talks.talks == 0 and talks.overdue.empty:
        return PageView("包保谈心", pairs.roster_month, empty=(
            "所选范围内没有有效的包保对子和谈心记录", "请在“数据上传”页上传各队的《包保对子》和《谈心记录》，或调整左侧的队和月份。"))
    before_pairs, before_talks = get("pair_coverage", f.previous()), get("talk_activity", f.previous())
    days = thresholds.OVERDUE_TALK_DAYS

    def by_sheets(label: str, now, before, *sheets: str, **extra) -> Kpi:
        """A card that needs only some of its indicator's sheets (谈心次数: the talks alone)."""
        return Kpi(label, now, None if sent_before.missing(*sheets) else before, not_reported=sent.missing(*sheets),
                   **extra)

    return PageView("包保谈心", pairs.roster_month, sections=(
        Section("包保对子", (
            card("职工覆盖率", pairs, before_pairs, lambda r: r.worker_coverage, none_text="无非党员职工",
                 help="处于有效包保对子中的职工 ÷ 名册中的非党员职工"),
            card("党员参与率", pairs, before_pairs, lambda r: r.member_participation, none_text="无党员",
                 help="有有效包保对子的党员 ÷ 名册中的党员"),
            card("人均包保", pairs, before_pairs, lambda r: r.pairs_per_member, unit=" 人", none_text="无有效对子",
                 help="有效对子数 ÷ 有对子的党员人数"),
        )),
        Section("亲情谈心", (
            by_sheets("谈心次数", talks.talks, before_talks.talks, "talks", unit=" 次"),
            card("谈心覆盖率", talks, before_talks, lambda r: r.talk_coverage, none_text="无有效对子",
                 help="有效对子中、区间内与包保党员谈过心的职工 ÷ 有效对子中的职工"),
            by_sheets(f"超过{days}天未谈心的对子", len(talks.overdue), len(before_talks.overdue), "pairs",
                      lower_is_better=True, unit=" 对",
                      help=f"截至区间末，{days}天内没有谈心记录的有效对子（结对不足{days}天的不算）"),
        )),
        Section(charts=(
            chart("各队包保职工覆盖率", lambda: charts.ratio_bars(pairs.per_unit, "unit", "paired_workers", "workers",
                                                          "各队包保职工覆盖率", "职工覆盖率"), pairs.not_reported),
            chart("谈心方式", lambda: charts.count_bars(talks.by_method, "method", "talks", "谈心方式", "谈心次数"),
                  sent.missing("talks")),
        )),
    ))


def problems_view(get: Getter, f: Filter) -> PageView:
    ledger = get("problem_ledger", f)
    if ledger.not_reported:
        return PageView("问题台帐", empty=(
            f"所选范围内未报送{sheet_names(ledger.not_reported)}",
            "请在“数据上传”页上传各队的《问题台帐》，或调整左侧的队和月份。"))
    if ledger.raised == 0 and ledger.open_ages.empty:
        return PageView("问题台帐", empty=(
            "所选范围内没有问题台帐记录", "请在“数据上传”页上传各队的《问题台帐》，或调整左侧的队和月份。"))
    before = get("problem_ledger", f.previous())
    return PageView("问题台帐", sections=(Section(
        kpis=(
            card("新发现问题", ledger, before, lambda r: r.raised, unit=" 个"),
            card("已解决", ledger, before, lambda r: r.resolved, unit=" 个"),
            card("解决率", ledger, before, lambda r: r.resolution_rate, none_text="本期无新问题",
                 help="区间内发现的问题中，截至区间末已解决的比例"),
            card("及时反馈率", ledger, before, lambda r: r.timely_feedback, none_text="本期无新问题",
                 help=f"发现后{thresholds.TIMELY_FEEDBACK_DAYS}天内（含）有反馈的问题 ÷ 新发现问题"),
            card("解决用时中位数", ledger, before, lambda r: r.median_days_to_resolve, unit=" 天",
                 lower_is_better=True, none_text="本期无已解决问题", help="已解决问题从发现到解决的天数的中位数"),
            card(overdue_problems_label(), ledger, before, lambda r: len(r.overdue_open), unit=" 个",
                 lower_is_better=True,
                 help=f"截至区间末仍未解决、且发现已超过{thresholds.OPEN_PROBLEM_DAYS}天的问题（不限于区间内发现的）"),
        ),
        charts=(
            Chart("未办结问题", charts.aging_bars(ledger.open_ages["age_days"], "未办结问题的已过天数",
                                             thresholds.OPEN_PROBLEM_DAYS), wide=True),
            Chart("各类别问题", charts.count_bars(ledger.by_category, "category", "raised", "各类别新发现问题",
                                             "问题数")),
            Chart("各队问题解决率", charts.ratio_bars(ledger.by_unit, "unit", "resolved", "raised", "各队问题解决率",
                                                "解决率")),
        )),))


def overdue_problems_label() -> str:
    return f"超期未办结（超过{thresholds.OPEN_PROBLEM_DAYS}天）"


# ---------------------------------------------------------------- 三个体系

def _mean_name(f: Filter) -> str:
    """The mean line of a per-队 chart: of the whole mine, or of the 队 chosen."""
    return "所选各队平均" if f.units or f.teams else "全矿平均"


def scores_view(get: Getter, f: Filter, quarter: str | None = None) -> PageView:
    trend = get("score_trend", f)
    if trend.review.empty:
        return PageView("比学争优", empty=(
            "所选范围内未报送《比学争优》得分", "请在“数据上传”页上传各队每季度的《比学争优》得分表，或调整左侧的队和月份。"))
    quarters = list(trend.review["quarter"])
    quarter = quarter if quarter in quarters else quarters[-1]
    quarter_name = quarter_text(quarter)
    fq = f.in_quarter(quarter)
    chosen, before = get("score_trend", fq), get("score_trend", fq.previous())
    mean, mean_before = get("mean_score", fq), get("mean_score", fq.previous())
    now = chosen.review.iloc[0]
    prev = before.review.iloc[0] if len(before.review) else None

    def gap(row) -> float | None:
        """自评与审核差 as shown: none when nobody in the quarter has been reviewed yet."""
        return None if row is None or pd.isna(row["mean_self_minus_review"]) else float(row["mean_self_minus_review"])

    if len(f.units) == 1:
        lines = Chart("各班组平均分", charts.lines_by_group(trend.per_team, "quarter", "mean_score", "team",
                                                      f"{f.units[0]}各班组平均分", "平均分", hover_n="people",
                                                      noun="班组", mean_name=f"{f.units[0]}平均"))
    else:
        lines = Chart("各队平均分", charts.lines_by_group(trend.per_unit, "quarter", "mean_score", "unit", "各队平均分",
                                                     "平均分", hover_n="people", mean_name=_mean_name(f)))
    movers = chosen.movers.assign(label=charts.joined_labels(chosen.movers, ["unit", "team", "name"]))
    return PageView("比学争优", sections=(Section(
        kpis=(
            Kpi(f"平均分（{quarter_name}）", mean, mean_before, unit=" 分",
                help="每人取支部审核分（未审核取自评分），按人数加权的平均分"),
            Kpi("参评人数", int(now["people"]), None if prev is None else int(prev["people"]), unit=" 人"),
            Kpi("审核完成率", Ratio(int(now["reviewed"]), int(now["people"])),
                None if prev is None else Ratio(int(prev["reviewed"]), int(prev["people"])),
                help="已有支部审核分的人数 ÷ 参评人数"),
            Kpi("自评与审核差", gap(now), gap(prev), unit=" 分", lower_is_better=True, none_text="尚无审核分",
                help="自评总分 − 支部审核分的平均值；越大说明自评越偏高"),
        ),
        charts=(lines, Chart("名次进退", charts.diverging_bars(movers, "label", "rank_change",
                                                           f"{quarter_name}班组内名次进退最大", "名次变化"),
                             teams=True, caption="点击某人的条形，打开其所在班组的班组画像。")),
    ),))


def team_building_view(get: Getter, f: Filter) -> PageView:
    committee, slogans, honours = get("committee", f), get("slogans", f), get("honours", f)
    return PageView("班组建设", committee.roster_month, sections=(
        _committee_section(get, f, committee), _slogan_section(get, f, slogans), _honour_section(get, f, honours)))


def _committee_section(get: Getter, f: Filter, committee) -> Section:
    if committee.roster_month is None:
        return Section("管理委员会", name="committee", empty=(
            "所选范围内还没有人员名册，无法统计班组", "请在“数据上传”页上传各队的月度人员名册，或调整左侧的队和月份。"))
    if committee.not_reported:
        return Section("管理委员会", name="committee", empty=(
            f"所选队还没有报送{sheet_names(committee.not_reported)}",
            "请在“数据上传”页上传各队的《管理委员会》名单，或调整左侧的队和班组。"))
    if committee.teams_with_committee.n == 0:
        return Section("管理委员会", name="committee", empty=(
            "所选范围内的班组都还没有登记管理委员会", "请在“数据上传”页上传各队的《管理委员会》名单，或调整左侧的队和班组。"))
    before = get("committee", f.previous())
    return Section("管理委员会", caption="管理委员会按各队最新报送的名单统计，班组以名册月份为准。", kpis=(
        card("有管理委员会的班组", committee, before, lambda r: r.teams_with_committee,
             help="有管理委员会的班组数 ÷ 名册中的班组数"),
        card("委员占班组人数", committee, before, lambda r: r.member_share,
             help="委员人数 ÷ 有管理委员会的班组的总人数"),
        card("没有管理委员会的班组", committee, before, lambda r: len(r.teams_without), unit=" 个",
             lower_is_better=True),
    ), name="committee")


def _slogan_section(get: Getter, f: Filter, slogans) -> Section:
    if slogans.not_reported:
        return Section("理念口号", name="slogans", empty=(
            f"所选队还没有报送{sheet_names(slogans.not_reported)}",
            "请在“数据上传”页上传各队的《理念口号》（争一流口号、学习愿景、安全理念），或调整左侧的队和班组。"))
    if slogans.total == 0:
        return Section("理念口号", name="slogans", empty=(
            "所选范围内还没有理念口号",
            "请在“数据上传”页上传各队的《理念口号》（争一流口号、学习愿景、安全理念），或调整左侧的队和班组。"))
    before = get("slogans", f.previous())
    return Section("理念口号", caption="理念口号按各队最新报送的名单统计，不随月份变化；班组以名册月份为准。", kpis=(
        card("理念口号", slogans, before, lambda r: r.total, unit=" 条"),
        card("缺少某一类的班组", slogans, before, lambda r: len(r.teams_missing), unit=" 个",
             lower_is_better=True, help="争一流口号、学习愿景、安全理念三类中至少缺一类的班组"),
    ), charts=(Chart("各类理念口号", charts.count_bars(slogans.by_category, "category", "entries", "各类理念口号",
                                                  "条数")),), name="slogans")


def _honour_section(get: Getter, f: Filter, honours) -> Section:
    if honours.entries.empty:
        return Section("荣誉", name="honours", empty=("所选年度内没有荣誉记录",
                                    "请在“数据上传”页上传《荣誉》登记表，或调整左侧的队和月份（荣誉按年度统计）。"))
    before = get("honours", f.previous())
    teams_now = dict(zip(honours.honoured_teams["year"], honours.honoured_teams["teams"]))
    teams_before = dict(zip(before.honoured_teams["year"], before.honoured_teams["teams"]))
    return Section("荣誉", kpis=(
        card("荣誉", honours, before, lambda r: len(r.entries), unit=" 项",
             help="所选月份涉及的年度内获得的荣誉（集体和个人），与上一同长区间涉及的年度比较"),
        Kpi(f"获得集体荣誉的班组（{f.end.year}年）", int(teams_now.get(f.end.year, 0)),
            int(teams_before.get(f.previous().end.year, 0)) if len(before.entries) else None, unit=" 个",
            help="写明班组、未写获得者个人的荣誉记为集体荣誉"),
    ), charts=(
        Chart("各年度荣誉", charts.stacked_counts(honours.by_year_body, "year", "honours", "awarded_by",
                                             "各年度荣誉（按授予单位）", "荣誉数", x_title="年度")),
        Chart("获得集体荣誉的班组", charts.count_bars(honours.honoured_teams, "year", "teams", "获得集体荣誉的班组数",
                                              "班组数", natural=True)),
    ), name="honours")


# The indicator pages in the dashboard's order (the deck follows it).
VIEWS: dict[str, Callable[[Getter, Filter], PageView]] = {
    "overview": overview_view,
    "development": development_view,
    "coverage": coverage_view,
    "model_posts": model_posts_view,
    "zones": zones_view,
    "pairs_talks": pairs_talks_view,
    "problems": problems_view,
    "scores": scores_view,
    "team_building": team_building_view,
}
