"""队 and period of a sheet that has no such column: from the lines above its header, the sheet
name or the file name (填报单位：综采队 / 综采队_2024年6月.xlsx). Periods are found by lib/ingest/periods.
"""
from __future__ import annotations

import re
from pathlib import PurePath

from lib.ingest import clean
from lib.ingest.periods import period_in_title
from lib.ingest.sheets import SHEETS

CONTEXT_LABELS = {"unit": "队", "month": "月份", "quarter": "季度", "year": "年度"}

# 填报单位：综采队 / 填报单位（盖章）：综采队（公章）
_LABELLED_UNIT = re.compile(r"(?:填报单位|单位名称|所在单位|单位|队别|所在队|部门)\s*(?:[(（][^)）]*[)）])?\s*[:：]\s*"
                            r"([^\s,，;；:：()（）]+)")
_UNIT_SUFFIX = ("队", "机关", "部", "科", "室", "中心", "车间", "工区", "厂", "站", "所")
_DATE_LIKE = re.compile(r"\d{4}\s*[年\-_./]?\s*(?:第?[一二三四1-4]季度|[Qq][1-4]|\d{1,2}\s*月?份?|度)?|\d{1,2}\s*月份?")
_TYPE_WORDS = sorted({w for s in SHEETS for w in (s.label, *s.name_keywords)} |
                     {"统计表", "登记表", "汇总表", "情况表", "明细表", "一览表", "台账", "台帐", "统计", "汇总",
                      "情况", "明细", "登记", "报表", "表"}, key=len, reverse=True)


def _unit_from_text(text: str) -> str | None:
    labelled = _LABELLED_UNIT.search(text)
    if labelled:
        value = clean.clean_org(labelled.group(1)).value
        if value:
            return value
    stripped = _DATE_LIKE.sub(" ", text)
    for word in _TYPE_WORDS:
        stripped = stripped.replace(word, " ")
    for token in re.split(r"[\s_\-—·、,，.()（）]+", stripped):
        token = clean.clean_org(token).value
        if token and not token.isdigit() and token.endswith(_UNIT_SUFFIX) and token not in _UNIT_SUFFIX \
                and len(token) <= 12:
            return token
    return None


def infer_context(lines_above: list[str], sheet_name: str, filename: str) -> dict[str, str]:
    """队 and period from the title lines, then the sheet name, then the file name."""
    sources = ["\n".join(lines_above), sheet_name, PurePath(filename).stem]
    context: dict[str, str] = {}
    for kind in ("unit", "month", "quarter", "year"):
        for text in sources:
            value = _unit_from_text(text) if kind == "unit" else period_in_title(text, kind)
            if value:
                context[kind] = value
                break
    return context
