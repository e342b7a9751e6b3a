"""对应表头 on the upload page: for a sheet whose headers differ from the template's, choose which of
its columns holds each missing template column (best guesses preselected), or see and change the
mapping remembered from last time. The choices go into the preview like the 队/月份 inputs do;
the import that uses them remembers them (lib/store/column_maps.py).
"""
from __future__ import annotations

import streamlit as st

from lib.ingest.column_map import SAVED
from lib.ingest.sheets import SHEETS_BY_KEY
from lib.present.literal import markdown_literal
from lib.store.upload import FileResult

NOT_IN_FILE = "（文件中没有这一列）"


def _pairs(mapping: dict[str, str]) -> str:
    return "，".join(f"{markdown_literal(k)} → {markdown_literal(v)}" for k, v in mapping.items())


def mapping_inputs(file_hash: str, result: FileResult) -> dict[str, dict[str, str]]:
    """Ask for the 对应表头 of every sheet that has something to map; returns the mapping the user
    gave, by sheet name ({} when they gave none and any remembered one stays in force)."""
    given: dict[str, dict[str, str]] = {}
    for index, sheet in enumerate(result.sheets):
        offer = sheet.mapping_offer
        if offer is None or not offer.missing:
            continue
        label = SHEETS_BY_KEY[offer.sheet_key].label
        key = f"upload-map-{file_hash[:16]}-{index}"
        name = markdown_literal(sheet.name)
        if sheet.mapping_source == SAVED and sheet.mapping_used:
            st.info(f"工作表「{name}」按上次的对应关系读取：{_pairs(sheet.mapping_used)}", icon=":material/link:")
            if not st.toggle("更改对应关系", key=f"{key}-change"):
                continue
        else:
            st.markdown(f":orange[**工作表「{name}」像是「{label}」，但缺少下列列。请指出文件中对应的列**"
                        "（确认导入后按本队记住，下次同样的表头自动使用）：]")
        options = [NOT_IN_FILE, *offer.unused]
        picks = []
        columns = st.columns(min(len(offer.missing), 4))
        for i, missing in enumerate(offer.missing):
            guess = offer.guesses.get(missing)
            with columns[i % len(columns)]:
                picked = st.selectbox(f"「{missing}」对应文件中的", options, key=f"{key}-{missing}",
                                      index=options.index(guess) if guess in options else 0)
            if picked != NOT_IN_FILE:
                picks.append((picked, missing))
        chosen = dict(picks)
        if len(chosen) < len(picks):
            st.error("文件中的同一列不能对应两个表头，请重新选择")
            continue
        if chosen:
            given[sheet.name] = chosen
    return given
