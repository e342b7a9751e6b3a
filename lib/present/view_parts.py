"""What a page view is made of — KPI cards (and how a card reads), charts, sections, the page —
and the texts around them (队·班组, the scope line; numbers and periods are worded by formatting.py). No Streamlit here."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from lib.metrics.query import Filter, Ratio
from lib.present.formatting import NO_DATA, NOT_REPORTED, month_text, percent, scope_period_text, upload_hint


@dataclass(frozen=True)
class Kpi:
    """One card: a number or Ratio, the previous period's for the delta, its definition as help.

    `not_reported` names the sheets this figure needs that were not sent: the card then says 未报送
    and what to upload, never 0 % or 0 次. `none_text` says in words what a figure with nothing to
    count means (无空白班组) instead of 无数据. A view passes no previous figure for a period whose
    sheets were not sent (no change against nothing).
    """
    label: str
    value: Any
    previous: Any = None
    help: str | None = None
    lower_is_better: bool = False
    unit: str = ""
    not_reported: tuple[str, ...] = ()
    none_text: str = ""

    def text(self) -> "KpiText":
        """The card as words: the value, n/N under a percentage, the change against the previous period."""
        value, previous, unit = self.value, self.previous, self.unit
        if self.not_reported:
            return KpiText(NOT_REPORTED, upload_hint(self.not_reported), None, False, None)
        if isinstance(value, Ratio):
            if value.value is None:
                shown, caption = self.none_text or NO_DATA, None if self.none_text else "分母为 0"
            else:
                shown, caption = percent(value.value), f"{value.n} / {value.N}"
            before = previous.value if isinstance(previous, Ratio) else None
            diff = None if value.value is None or before is None else round((value.value - before) * 100, 1)
            delta = None if diff is None else f"{diff:+.1f} 个百分点"
        else:
            if value is None:
                shown = self.none_text or NO_DATA
            else:
                shown = (f"{value:.1f}" if isinstance(value, float) else f"{value}") + unit
            caption = None
            diff = None if value is None or previous is None else value - previous
            if isinstance(diff, float):
                diff = round(diff, 1)
            delta = None if diff is None else (f"{diff:+.1f}" if isinstance(diff, float) else f"{diff:+d}") + unit
        flat = diff == 0
        if flat:
            delta = "与上期持平"
        better = None if diff is None or flat else (diff < 0) == self.lower_is_better
        return KpiText(shown, caption, delta, flat, better)


@dataclass(frozen=True)
class KpiText:
    shown: str
    caption: str | None       # n / N under a percentage
    delta: str | None         # "+1.2 个百分点", "-3 个", "与上期持平"; None without a previous figure
    flat: bool
    better: bool | None       # the change is an improvement (None: no change or nothing to compare)


@dataclass(frozen=True, eq=False)
class Chart:
    name: str                 # also the file name of its PNG
    figure: go.Figure
    wide: bool = False        # takes a whole row instead of half
    caption: str = ""
    teams: bool = False       # its categories start with 队·班组: a click opens that team's 班组画像

    @property
    def empty(self) -> bool:
        """Nothing drawn (no data, or 未报送): the figure only says so, and is offered for no download."""
        return not self.figure.data


@dataclass(frozen=True)
class Section:
    heading: str = ""
    kpis: tuple[Kpi, ...] = ()
    charts: tuple[Chart, ...] = ()
    caption: str = ""
    notice: str = ""                          # a data warning worth a second look
    empty: tuple[str, str] | None = None      # (what is missing, what to upload) instead of content
    name: str = ""                            # what a page that lays sections out itself asks for


@dataclass(frozen=True)
class PageView:
    title: str
    scope_month: Any = None                   # the roster month the snapshot figures use
    note: str = ""
    sections: tuple[Section, ...] = ()
    empty: tuple[str, str] | None = None      # the whole page has nothing to show

    def section(self, name: str) -> Section:
        return next(s for s in self.sections if s.name == name)

    @property
    def footnote(self) -> str:
        """口径 of every card on the page, for the deck."""
        seen, parts = set(), []
        for section in self.sections:
            for card in section.kpis:
                if card.help and card.label not in seen:
                    seen.add(card.label)
                    parts.append(f"{card.label}：{card.help.rstrip('。')}")
        return "口径：" + "；".join(parts) + "。" if parts else ""


TEAM_SEPARATOR = "·"  # 队·班组 (and 队·班组·姓名 for a person)


def team_label(pair: tuple[str, str]) -> str:
    return f"{pair[0]}{TEAM_SEPARATOR}{pair[1]}"


def scope_text(f: Filter, data_month=None) -> str:
    """Who and when a figure covers: 综采队 · 2024年1月–2024年6月 · 数据截至2024年6月."""
    who = "、".join(f.units) if f.units else "全矿"
    if f.teams:
        who += "（" + "、".join(team_label(t) for t in f.teams) + "）"
    parts = [who, scope_period_text(f.start, f.end)]
    if data_month is not None:
        parts.append(f"数据截至{month_text(data_month)}")
    return " · ".join(parts)
