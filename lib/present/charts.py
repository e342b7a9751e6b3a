"""Every figure of the dashboard (and of the 汇报 deck), built one way: Plotly, no Streamlit.

One look: white background, a restrained party red for the figure that matters, greys for
context, a colour-blind-safe set (Okabe–Ito) for categories, a Chinese font stack, text sized
for a projector, hover text with the counts, units and teams in their natural order.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from lib.natural_order import natural_key, natural_sorted
from lib.present.formatting import NO_DATA, month_text, period_text
from lib.present.literal import plotly_literal, plotly_literals

RED = "#C00000"
RED_LIGHT = "#E8A0A0"
GREY = "#8C8C8C"
GREY_LIGHT = "#D9D9D9"
CATEGORY = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"

# Every label, hover, legend name, title and annotation that comes from data goes through
# plotly_literal (lib.present.literal): Plotly draws a subset of HTML (<a>, <span style>, <b>, <br>),
# and a 班组 or 问题类别 from a workbook must never become a link or restyle a chart.


def chart_config(file_name: str = "图表") -> dict:
    """The chart toolbar: no PNG button of its own (toImage) — a picture leaves the app only through
    its logged, masked 下载图片 (lib.present.exports.export_chart_png)."""
    return {"displaylogo": False, "locale": "zh-CN",
            "modeBarButtonsToRemove": ["toImage", "lasso2d", "select2d", "autoScale2d"]}


def _natural_order(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """Rows in reverse natural order of `label` (horizontal bars then read top-down)."""
    order = sorted(range(len(frame)), key=lambda i: natural_key(frame[label].iloc[i]), reverse=True)
    return frame.iloc[order]


# Value labels: always upright, outside the bar and never clipped by the plot area; the value axis
# leaves this much room beyond the longest bar (or the highest point) for them.
LABEL_ROOM = 0.15
OUTSIDE_LABELS = {"textposition": "outside", "textangle": 0, "cliponaxis": False}


def _value_range(values, room: float = LABEL_ROOM, floor: float = 1.0) -> list[float]:
    """An axis range from zero (or below, for negative values) to past the largest value, with room
    for the value labels outside the bars at both ends."""
    values = pd.Series(values, dtype=float).dropna()
    lo = min(0.0, float(values.min())) if len(values) else 0.0
    hi = max(0.0, float(values.max())) if len(values) else 0.0
    span = max(hi - lo, floor)
    return [lo - room * span if lo < 0 else 0.0, max(hi + room * span, floor)]


# The house look as a Plotly template: what every figure shares (fonts sized for a projector, white
# ground, legend and hover style). _layout adds the axes and what differs per figure.
# Built on Plotly's own default template, so whatever the house does not set stays as it was.
# Only the trace types the house draws keep Plotly's defaults: applying the whole template (every
# trace type's defaults) cost ~30 ms a figure, this one ~15 ms, with the same output for these.
HOUSE_TRACE_TYPES = ("bar", "funnel", "heatmap", "scatter", "table")  # table: the 班组画像 canvas
HOUSE_TEMPLATE = go.layout.Template(
    layout=pio.templates["plotly"].layout,
    data={kind: getattr(pio.templates["plotly"].data, kind) for kind in HOUSE_TRACE_TYPES})
HOUSE_TEMPLATE.layout.update(
    font={"family": FONT, "size": 15, "color": "#262626"},
    paper_bgcolor="white", plot_bgcolor="white",
    legend={"orientation": "h", "y": -0.18, "x": 0},
    hoverlabel={"font": {"family": FONT, "size": 14}},
    separators=".,",
)
# Axes are styled on the figure, not in the template: with these in the template the server-side
# PNGs lost the grid and axis lines (compared pixel for pixel with the figures before).
AXIS_X = {"showgrid": False, "linecolor": GREY_LIGHT, "tickfont": {"size": 14}, "automargin": True,
          "title_standoff": 12}
# automargin: long Chinese unit names and axis titles must never be clipped.
AXIS_Y = {"gridcolor": "#EEEEEE", "zerolinecolor": GREY_LIGHT, "tickfont": {"size": 14}, "automargin": True,
          "title_standoff": 12}


def _layout(fig: go.Figure, title: str = "", height: int = 380, legend: bool = False) -> go.Figure:
    fig.update_layout(
        template=HOUSE_TEMPLATE,
        title={"text": plotly_literal(title), "font": {"size": 18}, "x": 0, "xanchor": "left"} if title else None,
        height=height, margin={"l": 20, "r": 30, "t": 60 if title else 24, "b": 30}, showlegend=legend,
    )
    fig.update_xaxes(**AXIS_X)
    fig.update_yaxes(**AXIS_Y)
    return fig


def empty_figure(message: str = NO_DATA, title: str = "") -> go.Figure:
    """A figure with nothing to draw: its title, and in its middle why (无数据, 未报送，请上传《…》)."""
    fig = go.Figure()
    fig.add_annotation(text=plotly_literal(message), showarrow=False, font={"size": 18, "color": GREY})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title, height=240)


GOAL_MARGIN = 80  # px on the right for the goal's note ("目标 0")


def trend_line(frame: pd.DataFrame, x: str, y: str, title: str, y_title: str, goal: float | None = None,
               hover_extra: str | None = None) -> go.Figure:
    """One measure over months: line with markers, the goal as a dashed line."""
    data = frame.dropna(subset=[y])
    if data.empty:
        return empty_figure(title=title)
    labels = [month_text(m) for m in data[x]]
    custom = plotly_literals(data[hover_extra]) if hover_extra else None
    hover = f"%{{x}}<br>{y_title}：%{{y}}" + ("<br>%{customdata}" if hover_extra else "") + "<extra></extra>"
    fig = go.Figure(go.Scatter(x=labels, y=data[y], mode="lines+markers+text", text=data[y],
                               textposition="top center", cliponaxis=False, line={"color": RED, "width": 3},
                               marker={"size": 8, "color": RED}, customdata=custom, hovertemplate=hover))
    # Room above the highest point for its label (the top label was cut off).
    fig.update_yaxes(title=y_title, range=_value_range([*data[y], *([goal] if goal is not None else [])]))
    if (data[y].dropna() % 1 == 0).all():  # counts: whole-number ticks only
        fig.update_yaxes(dtick=max(1, int(data[y].max() // 8) + 1) if data[y].max() <= 80 else None)
    fig.update_xaxes(type="category")
    fig = _layout(fig, title)
    if goal is not None:
        # The goal's note sits in the right margin at the line's height, clear of the data labels.
        fig.add_hline(y=goal, line={"color": GREY, "dash": "dash", "width": 1.5})
        fig.add_annotation(text=f"目标 {goal:g}", xref="paper", x=1, xanchor="left", xshift=6, yref="y", y=goal,
                           yanchor="middle", showarrow=False, font={"color": GREY, "size": 14})
        fig.update_layout(margin_r=GOAL_MARGIN)
    return fig


def ratio_bars(frame: pd.DataFrame, label: str, n: str, N: str, title: str, value_title: str,
               sort: bool = True, highlight: str | None = None) -> go.Figure:
    """A share per unit (or team) as horizontal bars, sorted, with n/N on hover and as text."""
    data = frame[frame[N] > 0].copy()
    if data.empty:
        return empty_figure(title=title)
    data["share"] = data[n] / data[N]
    # Horizontal bars draw bottom-up: the first row shown on top goes last.
    data = data.sort_values("share", ascending=True, kind="stable") if sort else _natural_order(data, label)
    colors = [RED if (highlight is None or v == highlight) else GREY_LIGHT for v in data[label]]
    fig = go.Figure(go.Bar(
        y=plotly_literals(data[label]), x=data["share"], orientation="h", marker={"color": colors},
        # Text outside the bar: a 0% bar still shows its 0/N.
        text=[f"{s:.0%}（{a}/{b}）" for s, a, b in zip(data["share"], data[n], data[N])], textposition="outside",
        cliponaxis=False,
        customdata=data[[n, N]].values,
        hovertemplate="%{y}<br>" + value_title + "：%{x:.1%}<br>%{customdata[0]} / %{customdata[1]}<extra></extra>"))
    fig.update_xaxes(tickformat=".0%", range=[0, 1.3], tickvals=[0, 0.25, 0.5, 0.75, 1], title=value_title)
    fig.update_yaxes(type="category")
    return _layout(fig, title, height=max(260, 48 * len(data) + 80))


def count_bars(frame: pd.DataFrame, label: str, value: str, title: str, value_title: str,
               color: str = RED, natural: bool = False) -> go.Figure:
    """Counts per category, largest first (or in natural order for units/teams)."""
    if frame.empty:
        return empty_figure(title=title)
    data = _natural_order(frame, label) if natural else frame.sort_values(value, ascending=True, kind="stable")
    fig = go.Figure(go.Bar(y=plotly_literals(data[label]), x=data[value], orientation="h", marker={"color": color},
                           text=data[value], **OUTSIDE_LABELS,
                           hovertemplate="%{y}<br>" + value_title + "：%{x}<extra></extra>"))
    fig.update_xaxes(title=value_title, range=_value_range(data[value]))
    fig.update_yaxes(type="category")
    return _layout(fig, title, height=max(240, 40 * len(data) + 80))


def ordered_bars(frame: pd.DataFrame, label: str, value: str, title: str, value_title: str,
                 n: str | None = None, color: str = RED) -> go.Figure:
    """Values per step in the frame's own order, first row on top (e.g. median days between
    development stages); rows without a value are left out; `n` (people) on hover."""
    data = frame.dropna(subset=[value])
    if data.empty:
        return empty_figure(title=title)
    data = data.iloc[::-1]  # horizontal bars draw bottom-up
    hover = "%{y}<br>" + value_title + "：%{x:.1f}" + ("<br>人数：%{customdata}" if n else "") + "<extra></extra>"
    fig = go.Figure(go.Bar(y=plotly_literals(data[label]), x=data[value], orientation="h", marker={"color": color},
                           text=[f"{v:g}" for v in data[value]], **OUTSIDE_LABELS,
                           customdata=data[n] if n else None, hovertemplate=hover))
    fig.update_xaxes(title=value_title, range=_value_range(data[value]))
    fig.update_yaxes(type="category")
    return _layout(fig, title, height=max(240, 48 * len(data) + 80))


def funnel(stages: list[str], counts: list[int], title: str) -> go.Figure:
    if not any(counts):
        return empty_figure(title=title)
    fig = go.Figure(go.Funnel(y=plotly_literals(stages), x=counts, textinfo="value",
                              marker={"color": [GREY_LIGHT, GREY, RED_LIGHT, "#D04040", RED][:len(stages)]},
                              hovertemplate="%{y}：%{x} 人<extra></extra>"))
    return _layout(fig, title)


def heatmap(frame: pd.DataFrame, row: str, col: str, value: str, title: str, value_title: str,
            text: str | None = None, colors=((0, "#F2F2F2"), (1, RED)), zmax: float | None = None) -> go.Figure:
    """Rows (teams or units, natural order) × columns (months or quarters)."""
    if frame.empty:
        return empty_figure(title=title)
    grid = frame.pivot_table(index=row, columns=col, values=value, aggfunc="first")
    grid = grid.reindex(natural_sorted(grid.index)[::-1])
    labels = frame.pivot_table(index=row, columns=col, values=text, aggfunc="first").reindex(grid.index) \
        if text else grid
    columns = plotly_literals(month_text(c) if hasattr(c, "month") else str(c) for c in grid.columns)
    fig = go.Figure(go.Heatmap(
        z=grid.values.astype(float), x=columns, y=plotly_literals(grid.index), colorscale=[list(c) for c in colors],
        zmin=0, zmax=zmax, xgap=2, ygap=2, texttemplate="%{text}" if text else None,
        text=[plotly_literals(cells) for cells in labels.values] if text else labels.values,
        hovertemplate="%{y} · %{x}<br>" + value_title + "：%{text}<extra></extra>", showscale=False))
    fig.update_xaxes(type="category")
    fig.update_yaxes(type="category")
    return _layout(fig, title, height=max(260, 30 * len(grid.index) + 130))


MAX_LINES = 8  # more lines than this cannot be told apart (and 96 cost 0.12 s a figure)


def biggest_movers(frame: pd.DataFrame, x: str, y: str, group: str, count: int) -> list:
    """The `count` groups whose value changed most (absolute) between their first and last period,
    ties in natural order."""
    ordered = frame.dropna(subset=[y]).sort_values(x, kind="stable").groupby(group, sort=False)[y]
    change = (ordered.last() - ordered.first()).abs()
    names = natural_sorted(change.index)
    return sorted(names, key=lambda name: -change[name])[:count]


def group_mean(frame: pd.DataFrame, x: str, y: str, weight: str | None = None) -> pd.DataFrame:
    """The mean of all groups per period, weighted by `weight` (e.g. people) when given."""
    data = frame.dropna(subset=[y])
    w = data[weight].astype(float) if weight else pd.Series(1.0, index=data.index)
    sums = pd.DataFrame({x: data[x], "yw": data[y] * w, "w": w, "n": data[weight] if weight else 1}) \
        .groupby(x, sort=True).sum()
    sums = sums[sums["w"] > 0]
    return pd.DataFrame({x: sums.index, y: (sums["yw"] / sums["w"]).values, "n": sums["n"].values})


def lines_by_group(frame: pd.DataFrame, x: str, y: str, group: str, title: str, y_title: str,
                   hover_n: str | None = None, noun: str = "队", mean_name: str = "全矿平均") -> go.Figure:
    """Several series over periods (e.g. mean score per 队 per quarter), the periods as people read
    them (2024年第2季度, not 2024Q2).

    At most MAX_LINES lines: with more groups than that, the mean of all of them (`mean_name`,
    weighted by `hover_n`) and the groups that moved most, the subtitle saying so and where to
    find the rest (choose them in the sidebar: a filter naming up to MAX_LINES draws them all)."""
    if frame.empty:
        return empty_figure(title=title)
    periods = plotly_literals(period_text(p) for p in natural_sorted(frame[x].astype(str).unique()))
    names = natural_sorted(frame[group].unique())
    shown, note = names, ""
    if len(names) > MAX_LINES:
        shown = biggest_movers(frame, x, y, group, MAX_LINES - 1)
        rest = len(names) - len(shown)
        note = (f"红线为{mean_name}（共 {len(names)} 个{noun}），另 {len(shown)} 条为首末期变化最大的{noun}；"
                f"其余 {rest} 个{noun}可在左侧选择后查看")
    parts = dict(tuple(frame[frame[group].isin(shown)].sort_values(x).groupby(group, sort=False)))
    hover = (f"%{{fullData.name}} · %{{x}}<br>{y_title}：%{{y:.1f}}"
             + ("<br>人数：%{customdata}" if hover_n else "") + "<extra></extra>")
    traces = []  # built first and handed over at once: adding traces one by one re-validates the figure
    if note:
        mean = group_mean(frame, x, y, hover_n)
        traces.append(go.Scatter(
            x=plotly_literals(mean[x].astype(str).map(period_text)), y=mean[y], mode="lines+markers",
            name=plotly_literal(mean_name), line={"color": RED, "width": 4}, marker={"size": 8},
            customdata=mean["n"] if hover_n else None, hovertemplate=hover))
    for i, name in enumerate(n for n in names if n in parts):
        part = parts[name]
        traces.append(go.Scatter(
            x=plotly_literals(part[x].astype(str).map(period_text)), y=part[y], mode="lines+markers",
            name=plotly_literal(name),
            line={"color": CATEGORY[i % len(CATEGORY)], "width": 2.5}, marker={"size": 7},
            customdata=part[hover_n] if hover_n else None, hovertemplate=hover))
    fig = go.Figure(data=traces)
    fig.update_yaxes(title=y_title)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=periods)
    fig = _layout(fig, title, legend=True, height=440 if note else 420)
    if note:
        fig.update_layout(title_subtitle={"text": plotly_literal(note), "font": {"size": 13, "color": GREY}},
                          margin_t=84)
    return fig


def diverging_bars(frame: pd.DataFrame, label: str, value: str, title: str, value_title: str) -> go.Figure:
    """Rank movement: up in red, down in grey."""
    if frame.empty:
        return empty_figure(title=title)
    data = frame.sort_values(value, kind="stable")
    fig = go.Figure(go.Bar(y=plotly_literals(data[label]), x=data[value], orientation="h",
                           marker={"color": [RED if v > 0 else GREY for v in data[value]]},
                           text=[f"{v:+d}" for v in data[value].astype(int)], **OUTSIDE_LABELS,
                           hovertemplate="%{y}<br>" + value_title + "：%{x:+d}<extra></extra>"))
    # Room beyond both ends: a negative label left of its bar stays clear of the names on the axis.
    fig.update_xaxes(title=value_title, zeroline=True, range=_value_range(data[value], room=0.25))
    fig.update_yaxes(type="category")
    return _layout(fig, title, height=max(260, 34 * len(data) + 80))


def joined_labels(frame: pd.DataFrame, columns: list[str], sep: str = "·") -> pd.Series:
    """One label per row from several columns (e.g. 队·班组·姓名), for a chart's category axis."""
    if frame.empty:
        return pd.Series([], index=frame.index, dtype=object)
    return frame[columns].astype(str).agg(sep.join, axis=1)


def stacked_counts(frame: pd.DataFrame, x: str, value: str, group: str, title: str, value_title: str,
                   x_title: str = "") -> go.Figure:
    """Counts per period (x, e.g. 年度) stacked by a category (e.g. 授予单位), each part's count on hover."""
    if frame.empty:
        return empty_figure(title=title)
    fig = go.Figure()
    for i, name in enumerate(natural_sorted(frame[group].astype(str).unique())):
        part = frame[frame[group].astype(str) == name]
        fig.add_trace(go.Bar(x=plotly_literals(part[x]), y=part[value], name=plotly_literal(name),
                             marker={"color": CATEGORY[i % len(CATEGORY)]}, text=part[value], textposition="inside",
                             textangle=0,
                             hovertemplate="%{fullData.name} · %{x}<br>" + value_title + "：%{y}<extra></extra>"))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category", title=x_title or None,
                     categoryorder="array", categoryarray=plotly_literals(natural_sorted(frame[x].astype(str).unique())))
    fig.update_yaxes(title=value_title, rangemode="tozero")
    fig = _layout(fig, title, legend=True)
    if x_title:  # the legend goes below the axis title, not on it
        fig.update_layout(legend_y=-0.3)
    return fig


AGE_BINS = ((0, 7, "7天内"), (8, 30, "8–30天"), (31, 60, "31–60天"), (61, 90, "61–90天"), (91, 10**6, "90天以上"))


def aging_bars(ages: pd.Series, title: str, overdue_after: int) -> go.Figure:
    """Open problems by age band; bands past the overdue threshold in red."""
    if ages.empty:
        return empty_figure("没有未办结的问题", title)
    counts = [int(((ages >= lo) & (ages <= hi)).sum()) for lo, hi, _ in AGE_BINS]
    labels = [name for _, _, name in AGE_BINS]  # the app's own words
    colors = [RED if lo > overdue_after else GREY for lo, _, _ in AGE_BINS]
    fig = go.Figure(go.Bar(x=labels, y=counts, marker={"color": colors}, text=counts, **OUTSIDE_LABELS,
                           hovertemplate="%{x}：%{y} 个<extra></extra>"))
    fig.update_yaxes(title="未办结问题数", range=_value_range(counts))
    return _layout(fig, title)


def grouped_rates(frame: pd.DataFrame, x: str, rate: str, group: str, title: str, n: str, N: str) -> go.Figure:
    """Pass rates per item (x) per period (group), with n/N on hover."""
    if frame.empty:
        return empty_figure(title=title)
    fig = go.Figure()
    groups = list(dict.fromkeys(frame[group]))
    for i, g in enumerate(groups):
        part = frame[frame[group] == g]
        color = RED if i == len(groups) - 1 else [GREY_LIGHT, GREY, RED_LIGHT][i % 3]
        fig.add_trace(go.Bar(x=plotly_literals(part[x]), y=part[rate], name=plotly_literal(g), marker={"color": color},
                             customdata=part[[n, N]].values,
                             hovertemplate="%{x} · %{fullData.name}<br>%{y:.0%}（%{customdata[0]}/%{customdata[1]}）"
                                           "<extra></extra>"))
    fig.update_yaxes(tickformat=".0%", range=[0, 1.05])
    fig.update_layout(barmode="group")
    return _layout(fig, title, legend=True)
