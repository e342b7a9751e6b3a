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

# The words that introduce a 队 on a title line: 填报单位：综采队 / 填报单位（盖章）：综采队（公章）.
_UNIT_LABELS = ("填报单位", "报送单位", "单位名称", "所在单位", "所属单位", "单位", "队别", "所在队", "所属队",
                "填报部门", "所在部门", "部门")
_CELL = r"[^\s,，;；:：()（）]"   # a character a value is made of (no space, no separator)
_GAP = r"[^\S\n]*"                # spaces within one line (a value never sits on the next line)
_LABELLED_UNIT = re.compile(r"(?:" + "|".join(_UNIT_LABELS) + r")" + _GAP + r"(?:[(（][^)）\n]*[)）])?" + _GAP
                            + r"[:：]" + _GAP + r"(" + _CELL + r"+)(?!" + _CELL + r")(?!" + _GAP + r"[:：])")
# Any word followed by a colon is a label (单位名称：, 统计月份：, 填报人：): never a value.
_ANY_LABEL = re.compile(_CELL + r"+" + _GAP + r"(?:[(（][^)）\n]*[)）])?" + _GAP + r"[:：]")
# Words that name a field rather than a 队, whatever follows them.
_LABEL_ENDINGS = ("名称", "日期", "时间", "月份", "季度", "年度", "盖章", "签字", "签章", "电话")
# A date or period (2024年6月, 2024-07-02, 第二季度) where a 队 was expected: the 队 was left blank.
_PERIOD_ONLY = re.compile(r"[\d\s年月日号度份第季Qq一二三四五六七八九十\-_./]+")
_UNIT_SUFFIX = ("队", "机关", "部", "科", "室", "中心", "车间", "工区", "厂", "站", "所")
_DATE_LIKE = re.compile(r"\d{4}\s*[年\-_./]?\s*(?:第?[一二三四1-4]季度|[Qq][1-4]|\d{1,2}\s*月?份?|度)?|\d{1,2}\s*月份?")
_TYPE_WORDS = sorted({w for s in SHEETS for w in (s.label, *s.name_keywords)} |
                     {"统计表", "登记表", "汇总表", "情况表", "明细表", "一览表", "台账", "台帐", "统计", "汇总",
                      "情况", "明细", "登记", "报表", "表"}, key=len, reverse=True)


def _is_label(value: str) -> bool:
    """A field's name or a date, not a 队."""
    return value in _UNIT_LABELS or value.endswith(_LABEL_ENDINGS) or bool(_PERIOD_ONLY.fullmatch(value))


def _unit_from_text(text: str) -> str | None:
    """The 队 a title line names: after a label (填报单位：综采队), else a word ending like a 队.

    A label with nothing after it on its line gives nothing: 单位名称： followed by another label,
    by the same label again (a merged cell filled across) or by the next line is not a value.
    """
    for labelled in _LABELLED_UNIT.finditer(text):
        value = clean.clean_org(labelled.group(1)).value
        if value and not _is_label(value):
            return value
    stripped = _ANY_LABEL.sub(" ", text)
    stripped = _DATE_LIKE.sub(" ", stripped)
    for word in _TYPE_WORDS:
        stripped = stripped.replace(word, " ")
    for token in re.split(r"[\s_\-—·、,，.()（）]+", stripped):
        token = clean.clean_org(token).value
        if token and not token.isdigit() and token.endswith(_UNIT_SUFFIX) and token not in _UNIT_SUFFIX \
                and len(token) <= 12 and not _is_label(token):
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
