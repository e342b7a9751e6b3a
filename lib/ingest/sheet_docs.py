"""docs/报表说明.md, written from the sheet declarations (a test keeps the file in step)."""
from __future__ import annotations

from lib.config import ROOT
from lib.ingest.sheets import KIND_LABELS, SHEETS

DOC_PATH = ROOT / "docs" / "报表说明.md"


def render_sheet_docs() -> str:
    lines = ["# 报表说明", "",
             "本文件由 `python -m lib.ingest.sheet_docs` 根据 `lib/ingest/sheets.py` 中的报表定义生成，请勿手工修改。", "",
             "每张表可以单独成文件，也可以放在同一个工作簿的不同工作表中。表头可以使用下列“也可写作”中的任一名称，"
             "括号中的提示文字、空格和 * 号会被忽略。没有“队”或“月份/季度/年度”列时，可在表头上方写明"
             "（如“填报单位：综采队”“统计月份：2024年6月”），或写在文件名中（如 `综采队_2024年6月.xlsx`）。", ""]
    for sheet in SHEETS:
        grain = "＋".join(sheet.column(g).label for g in sheet.grain)
        lines += [f"## {sheet.label}", "", sheet.description, "",
                  f"- 唯一标识：{grain}", f"- 重新上传时替换：{sheet.scope_label}", "",
                  "| 列 | 必填 | 填写要求 | 也可写作 |", "|---|---|---|---|"]
        for col in sheet.columns:
            rule = col.hint or KIND_LABELS[col.kind]
            if col.allowed:
                rule += "：" + "、".join(col.allowed)
            if col.lo is not None:
                rule += f"（{col.lo:g}–{col.hi:g}）"
            lines.append(f"| {col.label} | {'是' if col.required else ''} | {rule} | {'、'.join(col.synonyms)} |")
        if sheet.score_items:
            lines.append("| （任意分项，如 安全、生产、学习） |  | 数字（0–100） |  |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    DOC_PATH.write_text(render_sheet_docs(), encoding="utf-8")
    print(f"已生成 {DOC_PATH}")
