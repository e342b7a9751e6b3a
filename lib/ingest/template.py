"""The blank template workbook, written from the sheet declarations."""
from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from lib.ingest.sheets import KIND_LABELS, SHEETS, Column, SheetType

HEADER_FILL = PatternFill("solid", fgColor="C00000")
REQUIRED_FONT = Font(bold=True, color="FFFFFF")
OPTIONAL_FONT = Font(bold=False, color="FFFFFF")
NUMBER_FORMATS = {"date": "yyyy-mm-dd", "month": "@", "id": "@", "quarter": "@"}
YES_NO_CHOICES = ("是", "否")
DATA_ROWS = 2000  # rows prepared with dropdowns and formats


def _choices(col: Column) -> tuple[str, ...]:
    if col.kind == "enum":
        return col.allowed
    if col.kind in ("bool", "good"):
        return YES_NO_CHOICES
    return ()


def _write_sheet(wb: Workbook, sheet: SheetType) -> None:
    ws = wb.create_sheet(sheet.label)
    for i, col in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=i, value=col.label)
        cell.fill = HEADER_FILL
        cell.font = REQUIRED_FONT if col.required else OPTIONAL_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center")
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(10, len(col.label) * 2 + 4)
        fmt = NUMBER_FORMATS.get(col.kind)
        if fmt:
            for r in range(2, DATA_ROWS + 2):
                ws.cell(row=r, column=i).number_format = fmt
        choices = _choices(col)
        if choices and col.kind != "good":
            rule = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=not col.required,
                                  showErrorMessage=True, errorTitle="取值不对",
                                  error="请从下拉列表中选择：" + "、".join(choices))
            rule.add(f"{letter}2:{letter}{DATA_ROWS + 1}")
            ws.add_data_validation(rule)
    ws.freeze_panes = "A2"


def _write_instructions(wb: Workbook) -> None:
    ws = wb.create_sheet("填表说明", 0)
    ws.append(["班组党建看板 · 报表模板填表说明"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["每张表的第一行是表头，请勿修改表头文字；加粗的是必填列。一个文件可以包含多张表，也可以每张表单独一个文件。"])
    ws.append(["工号请按文本填写（保留开头的0）；月份写成 2024-06 或 2024年6月；季度写成 2024Q2 或 2024年第二季度。"])
    ws.append([])
    ws.append(["报表", "列", "是否必填", "填写要求", "可选值", "重新上传时替换的范围"])
    for cell in ws[5]:
        cell.font = Font(bold=True)
    for sheet in SHEETS:
        for j, col in enumerate(sheet.columns):
            ws.append([sheet.label if j == 0 else "", col.label, "必填" if col.required else "选填",
                       col.hint or KIND_LABELS[col.kind], "、".join(_choices(col)),
                       sheet.scope_label if j == 0 else ""])
        if sheet.score_items:
            ws.append(["", "（各分项得分）", "选填", "在「自评总分」前可增加任意分项列，如 安全、生产、学习、创新、纪律",
                       "", ""])
    for letter, width in zip("ABCDEF", (14, 18, 10, 40, 30, 36)):
        ws.column_dimensions[letter].width = width


def template_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    _write_instructions(wb)
    for sheet in SHEETS:
        _write_sheet(wb, sheet)
    return wb


def template_bytes() -> bytes:
    buffer = io.BytesIO()
    template_workbook().save(buffer)
    return buffer.getvalue()


def write_template(path: Path | str) -> Path:
    path = Path(path)
    path.write_bytes(template_bytes())
    return path
