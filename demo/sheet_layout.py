"""How the units lay out their sheets, and writing one workbook.

Each 队 fills the same declared sheets (lib/ingest/sheets.py) its own way: a title row, a 填报 line,
序号, a 必填/选填 row, a 合计 row, 填表说明, √/× for 是/否, dates and months as text in one of four
shapes, header synonyms. `Style` names these habits and `sheet_rows` writes one sheet with them, so
the demo exercises what the importer must read.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from demo.vocabulary import HQ, SCORE_ITEMS
from lib.ingest.sheets import SHEETS_BY_KEY

CN_QUARTERS = "一二三四"


@dataclass(frozen=True)
class Style:
    """One unit's habits in filling a sheet."""
    title: bool = False         # a title row above the header
    filler: bool = False        # 填报单位：…　　填报日期：… line
    seq: bool = False           # 序号 column
    hint: bool = False          # 必填/选填 row under the header
    total: bool = False         # 合计 row at the bottom
    notes: bool = False         # 填表说明 line below the data
    checks: bool = False        # √/× instead of 是/否
    dates: str = "date"         # date | dot (2023.07.03) | cn (2023年7月3日) | slash (2023/7/3)
    months: str = "date"        # date | dot (2023.07) | cn (2023年7月) | dash (2023-07) | none (from the title)
    quarters: str = "q"         # q (2023Q2) | cn (2023年第二季度) | none (from the title)
    unit_col: bool = True       # False: 队 from the 填报单位 line
    talk_unit_col: bool = True  # the 谈心记录 sheet has a 党员所在队 column
    headers: str = "std"        # std | syn (first declared synonym) | hint (…（是/否）, trailing spaces)
    goods: str = "score"        # 六好 as score | yes (是/否)
    names: str = "{unit}_{y}年{m}月"     # the monthly file's name


UNIT_STYLES = {
    "综采队": Style(title=True, filler=True, seq=True, quarters="cn", goods="score"),
    "掘锚队": Style(hint=True, checks=True, dates="dot", months="dot", talk_unit_col=False, goods="yes",
                 names="{unit}{y}年{mm}月报表"),
    "综掘队": Style(title=True, total=True, dates="cn", months="none", quarters="none", talk_unit_col=False,
                 names="{y}年{m}月{unit}报表"),
    "开拓队": Style(seq=True, headers="syn", dates="slash", months="cn", quarters="cn", goods="yes",
                 names="{unit}-{y}-{mm}"),
    "机运队": Style(title=True, filler=True, unit_col=False, hint=True, total=True, talk_unit_col=False,
                 names="{unit}党建进班组月报（{y}.{mm}）"),
    "通防部": Style(names="{unit}_{y}.{mm}月"),
    "准备队": Style(headers="hint", months="dash", notes=True, checks=True, dates="dot", goods="yes",
                 names="{y}年{m}月{unit}"),
    HQ: Style(title=True, filler=True, seq=True, notes=True, names="机关{y}年{m}月党建报表"),
}
LEDGER_STYLE = Style(title=True, seq=True)     # 党群工作部's yearly 荣誉 and 问题台帐
CSV_STYLE = Style(dates="dash")                 # a CSV export: one header row, ISO dates

HEADER_HINTS = {"political": "（中共党员/中共预备党员/共青团员/群众）", "frontline": "（是/否）",
                "team_leader": "（是/否）", "found_problem": "（是/否）", "status": "（待办理/办理中/已解决）",
                "review_status": "（已审核/待审核/退回）", "covered_teams": "（多个用、分隔）"}
TITLES = {"roster": "人员名册", "team_info": "班组信息表", "talks": "党员亲情谈心记录",
          "development": "发展党员工作台账", "pairs": "党员包保对子名单", "zones": "党员责任区划分表",
          "model_posts": "党员示范岗评定表", "scores": "比学争优综合评分表", "committee": "班组管理委员会成员名单",
          "slogans": "班组理念口号汇总", "honours": "荣誉表彰汇总", "problems": "微民生问题解决台帐"}


def _header(key: str, field_name: str, style: Style) -> str:
    if field_name.startswith("item:"):
        label = field_name[5:]
        return f"{label}（{dict(SCORE_ITEMS)[label]}分）" if style.headers == "hint" else label
    col = SHEETS_BY_KEY[key].column(field_name)
    if style.headers == "syn" and col.synonyms:
        return col.synonyms[0]
    if style.headers == "hint":
        return col.label + HEADER_HINTS.get(field_name, " " if col.kind in ("text", "name", "id") else "")
    return col.label


def cell_value(kind: str, value, style: Style):
    """A python value as this unit writes it."""
    if value is None:
        return None
    if kind == "bool":
        return ("√" if value else "×") if style.checks else ("是" if value else "否")
    if kind == "date":
        d = value
        return {"date": d, "dot": f"{d.year}.{d.month:02d}.{d.day:02d}", "cn": f"{d.year}年{d.month}月{d.day}日",
                "slash": f"{d.year}/{d.month}/{d.day}", "dash": d.isoformat()}[style.dates]
    if kind == "month":
        d = value
        return {"date": d, "none": d, "dot": f"{d.year}.{d.month:02d}", "cn": f"{d.year}年{d.month}月",
                "dash": f"{d.year}-{d.month:02d}"}[style.months]
    if kind == "quarter":
        y, q = value.split("Q")
        return f"{y}年第{CN_QUARTERS[int(q) - 1]}季度" if style.quarters == "cn" else value
    return value


def _kind(key: str, field_name: str) -> str:
    if field_name.startswith("item:"):
        return "number"
    return SHEETS_BY_KEY[key].column(field_name).kind


def sheet_rows(key: str, fields: list[str], records: list[dict], style: Style, *, unit: str | None,
               period_text: str, filled_on: dt.date) -> list[list]:
    """The rows of one sheet: optional title and 填报 lines, header, hint row, data, total, notes."""
    rows: list[list] = []
    if style.title:
        rows.append([f"{unit or ''}{period_text}{TITLES[key]}"])
    if style.filler:
        rows.append([f"填报单位：{unit or '党群工作部'}　　填报日期：{filled_on.isoformat()}"])
    sheet = SHEETS_BY_KEY[key]
    header = [_header(key, f, style) for f in fields]
    rows.append((["序号"] if style.seq else []) + header)
    if style.hint:
        marks = ["必填" if (not f.startswith("item:") and sheet.column(f).required) else "选填" for f in fields]
        rows.append(([None] if style.seq else []) + marks)
    kinds = [_kind(key, f) for f in fields]
    for i, record in enumerate(records, 1):
        row = [cell_value(k, record.get(f), style) for f, k in zip(fields, kinds)]
        rows.append(([i] if style.seq else []) + row)
    if style.total:
        rows.append(["合计"] + [None] * (len(fields) - 2 + style.seq) + [f"共 {len(records)} 条"])
    if style.notes:
        rows.append(["填表说明：工号按文本填写；是/否列填写 是 或 否；本表由各队党支部每月5日前报党群工作部。"])
    return rows


@dataclass
class FileSpec:
    """One file as a unit sends it: its name and each sheet's rows (a .csv has one sheet)."""
    name: str
    sheets: list[tuple[str, list[list]]]    # (sheet name, rows)

    @property
    def is_csv(self) -> bool:
        return self.name.endswith(".csv")


def write_file(spec: FileSpec, folder: Path) -> Path:
    """Write `spec` into `folder`: .xlsx through openpyxl, .csv in GB18030 as Excel/WPS export it."""
    path = folder / spec.name
    if spec.is_csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        for row in spec.sheets[0][1]:
            writer.writerow(["" if v is None else (v.isoformat() if isinstance(v, dt.date) else v) for v in row])
        path.write_bytes(buffer.getvalue().encode("gb18030"))
        return path
    wb = Workbook(write_only=True)
    for sheet_name, rows in spec.sheets:
        ws = wb.create_sheet(sheet_name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path
