"""数据上传: choose files → see what each would do (and what is wrong) → confirm → result.

Uploads always go to the real database, never the demo one. Each file is checked on its own and
imported on its own (all of it or nothing). Each file is read and cleaned once: its parse is kept in
the session with its preview, a change in the data only redoes the checks against the store, and
confirm imports that parse (the importer redoes those checks in its transaction). Reruns never
import anything twice. Below: the blank template, the sheet documentation and the import log with
undo.

What a user sees follows the role (查看: no upload; 填报: own 队; undo: 管理员), but the
importer enforces it: this page only explains.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path, PurePath

import pandas as pd
import streamlit as st

import ui
from lib.access.auth import UPLOADER, PermissionDenied, User
from lib.ingest.clean import clean_org
from lib.ingest.findings import Finding, findings_frame
from lib.ingest.parse import CONTEXT_LABELS, infer_context
from lib.ingest.periods import quarter_of
from lib.ingest.sheet_docs import DOC_PATH
from lib.ingest.template import template_bytes
from lib.metrics.query import add_months
from lib.present.formatting import month_text, quarter_text, year_text
from lib.present.literal import markdown_literal
from lib.store.column_maps import header_maps
from lib.store.faults import fault_text
from lib.store.importer import (
    IMPORTED,
    READY,
    REJECTED,
    UNCHANGED,
    FileResult,
    import_preview,
    parse_file,
    preview_parsed,
)
from lib.store.units import known_units
from lib.store.upload import file_hash as hash_of
from lib.store.upload import rejected_file, release_memory
from ui.backup import backup_download
from ui.column_mapping import mapping_inputs
from ui.signin import first_admin_form

log = logging.getLogger("dangjian")

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_TYPES = ["xlsx", "xlsm", "xls", "et", "csv"]
CONTEXT_ORDER = ("unit", "month", "quarter", "year")

state = st.session_state
state.setdefault("upload_previews", {})   # (hash, context json) → KeptPreview; only those the page shows
state.setdefault("upload_done", {})       # (hash, context json) → FileResult of the import
state.setdefault("upload_last", [])       # keys of upload_done from the last confirm, in order
state.setdefault("upload_round", 0)       # bumped to empty the file uploader
state.setdefault("upload_flash", None)    # (kind, message) shown once after a rerun
state.setdefault("upload_units", {})      # file hash → the 队 offered for it (fixed, so its input stays put)
state.setdefault("upload_hashes", {})     # the uploader's file id → the hash of its bytes (hashed once)
state.setdefault("upload_trim", False)    # give freed memory back at the start of the next run

real = ui.real_store()
_, showing_demo = ui.get_store()


# ---------------------------------------------------------------- helpers

@dataclass
class Upload:
    name: str
    data: bytes
    file_hash: str
    context: dict[str, str]
    needed: list[str]          # context the file itself does not give (队, 月份 …)
    result: FileResult
    mapping: dict[str, dict[str, str]] = field(default_factory=dict)   # 对应表头 chosen, by sheet name

    @property
    def key(self) -> tuple[str, str]:
        return self.file_hash, _context_json(self.context, self.mapping)


def _context_json(context: dict[str, str], mapping: dict | None = None) -> str:
    given = {"context": context, "mapping": mapping} if mapping else context
    return json.dumps(given, sort_keys=True, ensure_ascii=False)


@dataclass
class KeptPreview:
    parsed: FileResult | None   # the file read and cleaned (None if that failed unexpectedly)
    shown: FileResult           # its checks against the store for `version` and `user`
    version: tuple
    user: User


def _preview(data: bytes, name: str, file_hash: str, context: dict[str, str], version: tuple, user: User,
             used: set, mapping: dict | None = None) -> FileResult:
    """The file's preview: parsed once per file content, context and 对应表头; when the data or the
    user changes, only the checks against the store are redone. `used` collects the keys this run shows."""
    key = (file_hash, _context_json(context, mapping))
    used.add(key)
    kept = state.upload_previews.get(key)
    if kept is not None and (kept.version, kept.user) == (version, user):
        return kept.shown
    parsed = kept.parsed if kept is not None else None
    if parsed is not None and parsed.rows_released:
        if any(k[0] == file_hash for k in state.upload_done):
            return kept.shown  # imported: its outcome is shown; this preview only leads to it
        parsed = None  # the import was undone: read the file again
    try:
        if parsed is None:
            parsed = parse_file(data, name, context or None, known_hash=file_hash,
                                maps=header_maps(real, user, mapping))
        shown = preview_parsed(real, parsed, user)
    except Exception as exc:  # noqa: BLE001 — the page must never fail on a file
        log.exception("preview of %s failed", name)
        shown = rejected_file(name, fault_text(exc) or "检查这个文件时出现意外问题，已记录",
                              "请稍后重试；如仍出现，请联系管理员")
    state.upload_previews[key] = KeptPreview(parsed, shown, version, user)
    return shown


def _hash_once(file, data: bytes) -> str:
    """The hash of an uploaded file's bytes, computed once per upload (reruns look it up); the
    importer is given it rather than hashing again."""
    file_id = getattr(file, "file_id", None)
    if file_id is None:
        return hash_of(data)
    if file_id not in state.upload_hashes:
        state.upload_hashes[file_id] = hash_of(data)
    return state.upload_hashes[file_id]


def _keep_only(used: set, file_hashes: set, file_ids: set) -> None:
    """Bound what the session holds: a kept preview carries the file's parsed rows (a 20 MB workbook
    parses to some 150 MiB), so only the previews this run showed stay: at most two per file in the
    uploader (as uploaded, and with the 队/月份 typed in for it now)."""
    dropped = [k for k in state.upload_previews if k not in used]
    for key in dropped:
        del state.upload_previews[key]
    if dropped:
        release_memory()
    for key in [k for k in state.upload_units if k not in file_hashes]:
        del state.upload_units[key]
    for key in [k for k in state.upload_hashes if k not in file_ids]:
        del state.upload_hashes[key]


def _release_imported() -> None:
    """After a confirm the session keeps what is shown of each imported file — counts, findings,
    outcome — not its parsed rows; memory goes back to the system."""
    imported = {k[0] for k in state.upload_done}
    for key, result in list(state.upload_done.items()):
        state.upload_done[key] = result.without_rows()
    for key, kept in list(state.upload_previews.items()):
        if key[0] in imported:
            state.upload_previews[key] = KeptPreview(kept.parsed and kept.parsed.without_rows(),
                                                     kept.shown.without_rows(), kept.version, kept.user)
    state.upload_trim = True  # this run still holds the rows: trimmed at the start of the next


def _known_units() -> list[str]:
    try:
        return known_units(real)
    except Exception:  # noqa: BLE001 — offering no choices is fine; typing the 队 still works
        return []


def _period_options(kind: str) -> list[str]:
    """The latest 36 months, 12 quarters or 10 years, newest first, worded as everywhere else."""
    this_month = dt.date.today().replace(day=1)
    months = [add_months(this_month, -i) for i in range(36)]
    if kind == "month":
        return [month_text(m) for m in months]
    if kind == "quarter":
        return list(dict.fromkeys(quarter_text(quarter_of(m)) for m in months))[:12]
    return [year_text(this_month.year - i) for i in range(10)]


def _context_inputs(file_hash: str, needed: list[str], units: list[str]) -> dict[str, str]:
    """Ask for the 队 / period the file does not name; returns the values understood so far."""
    st.markdown(":orange[**文件中没有注明下列信息，请补充后再检查：**]")
    context = {}
    for col, kind in zip(st.columns(len(needed)), needed):
        key = f"upload-ctx-{file_hash[:16]}-{kind}"
        with col:
            if kind == "unit":
                if units:
                    value = st.selectbox("这份文件属于哪个队", units, index=None, key=key, accept_new_options=True,
                                         placeholder="选择或输入队名")
                else:
                    value = st.text_input("这份文件属于哪个队", key=key, placeholder="如 综采队")
                cleaned = clean_org(value).value if value else None
                if value and not cleaned:
                    st.error("队名不能为空")
                elif cleaned:
                    context["unit"] = cleaned
            else:
                what = CONTEXT_LABELS[kind]
                example = {"month": "2024年6月 或 2024-06", "quarter": "2024年第二季度 或 2024Q2",
                           "year": "2024年"}[kind]
                value = st.selectbox(f"数据所属{what}", _period_options(kind), index=None, key=key,
                                     accept_new_options=True, placeholder=f"选择或输入，如 {example}")
                understood = infer_context([str(value)], "", "").get(kind) if value else None
                if value and not understood:
                    st.error(f"无法识别“{_md(value)}”，请写成 {example}")
                elif understood:
                    context[kind] = understood
    return context


def _findings_table(problems: list[Finding]) -> pd.DataFrame:
    frame = findings_frame(problems)
    frame["行号"] = ["" if pd.isna(r) else str(int(r)) for r in frame["行号"]]  # blank, not "None", for the file
    return frame


def _sheets_frame(result: FileResult) -> pd.DataFrame:
    loaded = "将导入行数" if result.status == READY else "数据行数"
    rows = []
    for r in result.sheet_rows():
        scope = r["scope"] or []
        rows.append({
            "工作表": r["sheet"], "报表类型": r["type"] or "—",
            "范围": "、".join(scope[:6]) + (f" 等 {len(scope)} 项" if len(scope) > 6 else ""),
            "读取行数": r["rows_read"], loaded: r["rows_loaded"], "剔除行数": r["rows_dropped"],
            "剔除原因": "、".join(f"{k} {v} 行" for k, v in r["dropped"].items()),
            "说明": r["skipped"]})
    return pd.DataFrame(rows, columns=["工作表", "报表类型", "范围", "读取行数", loaded, "剔除行数", "剔除原因",
                                       "说明"])


def _md(text: str) -> str:
    """File names, 队 and sheet texts are the uploader's: shown literally, never as Markdown."""
    return markdown_literal(text)


def _problem_tables(result: FileResult, key: str, show_errors: bool = True) -> None:
    errors, warnings = (result.errors if show_errors else []), result.warnings
    if errors:
        st.markdown(f"**错误（{len(errors)} 处，须改正后重新上传）**")
        st.dataframe(_findings_table(errors), hide_index=True, width="stretch")
    if warnings:
        with st.expander(f"提醒（{len(warnings)} 条，不影响导入，请核对）"):
            st.dataframe(_findings_table(warnings), hide_index=True, width="stretch")
    if errors or warnings:
        frame = _findings_table(result.all_findings)
        ui.excel_download("下载错误清单", {"错误清单": frame}, f"{Path(result.file_name).stem}_错误清单",
                          key=f"problems-{key}", what="错误清单", detail=result.file_name, store=real)


def _result_message(result: FileResult) -> None:
    if result.status == IMPORTED:
        st.success(f"{_md(result.summary)}（第 {result.import_id} 次导入）", icon=":material/check_circle:")
        lines = [r.text.replace("将替换", "已替换", 1).replace("将新增", "已新增", 1) for r in result.replacements]
        if lines:
            st.markdown("\n".join(f"- {_md(t)}" for t in lines))
    elif result.status == UNCHANGED:
        st.info(_md(result.summary), icon=":material/info:")
    else:
        st.error(_md(result.summary), icon=":material/error:")


def _show_preview(item: Upload, index: int) -> None:
    result = item.result
    only_context = bool(result.missing_context) and all(
        "不知道这张表属于哪个" in p.message for p in result.errors)
    # Sheets waiting for their 对应表头: the inputs above say so; their errors are not the user's fault yet.
    awaiting = {s.name for s in result.sheets if s.mapping_offer is not None and s.sheet_type is None}
    only_mapping = bool(awaiting) and all(not p.sheet or p.sheet in awaiting for p in result.errors)
    if result.status == READY:
        st.success(_md(result.summary), icon=":material/task_alt:")
    elif result.status == UNCHANGED:
        st.info(_md(result.summary), icon=":material/info:")
    elif only_mapping:
        st.warning("请先在上面指出缺少的列在文件中是哪一列，再检查这个文件", icon=":material/edit_note:")
        only_context = True   # no error table while the choice is still open
    elif only_context:
        st.warning("请先补充上面缺少的" + "、".join(CONTEXT_LABELS[c] for c in CONTEXT_ORDER
                                                 if c in result.missing_context)
                   + "，再检查这个文件", icon=":material/edit_note:")
    else:
        st.error(f"{_md(result.file_name)}：有 {len(result.errors)} 处错误，这个文件不能导入，数据库不会有任何改动。"
                 "请按下表修改后重新上传。", icon=":material/error:")
    if result.sheet_rows():
        st.dataframe(_sheets_frame(result), hide_index=True, width="stretch")
    if result.skipped_text:
        st.caption(result.skipped_text)
    if result.status == READY and result.replacements:
        lines = []
        for r in result.replacements:
            lines.append(f"- :orange[{_md(r.text)}]" if r.existing_rows else f"- {_md(r.text)}")
        st.markdown("\n".join(lines))
    # While only the 队/period is missing, the inputs above say so: no error table for it.
    _problem_tables(result, f"{index}-{item.file_hash[:12]}", show_errors=not only_context)


def _last_summary() -> None:
    """The outcome of the last confirm, file by file (kept across reruns)."""
    results = [state.upload_done[k] for k in state.upload_last if k in state.upload_done]
    if not results:
        return
    counts = {s: sum(r.status == s for r in results) for s in (IMPORTED, UNCHANGED, REJECTED)}
    with st.container(border=True):
        st.markdown(f"**导入结果**：共 {len(results)} 个文件，已导入 {counts[IMPORTED]} 个，"
                    f"未变化 {counts[UNCHANGED]} 个，被拒绝 {counts[REJECTED]} 个。")
        for result in results:
            icon = {IMPORTED: ":green[:material/check_circle:]", UNCHANGED: ":blue[:material/info:]"}.get(
                result.status, ":red[:material/error:]")
            number = f"（第 {result.import_id} 次导入）" if result.status == IMPORTED else ""
            st.markdown(f"{icon} {_md(result.summary)}{number}")
        left, right = st.columns(2)
        left.page_link("pages/submissions_page.py", label="查看报送情况", icon=":material/fact_check:")
        right.page_link("pages/overview_page.py", label="查看总览", icon=":material/dashboard:")


def _switch_view_if_needed(was_demo: bool) -> None:
    """Demo ↔ real: the units and months differ, so start from the default view."""
    _, now_demo = ui.get_store()
    if now_demo != was_demo:
        ui.reset_filters()


def _upload_flow(user: User) -> None:
    """① choose files, ② see the checks, ③ confirm; for users who may upload."""
    if state.upload_trim:  # the run before let go of parsed rows (confirm, 清空)
        state.upload_trim = False
        release_memory()
    st.subheader("① 选择文件")
    files = st.file_uploader("选择要上传的报表文件（可多选）", type=FILE_TYPES, accept_multiple_files=True,
                             key=f"upload-files-{state.upload_round}",
                             help="支持 Excel（.xlsx、.xlsm、.xls）、WPS 表格（.et）和 CSV。一个文件可以包含多张报表。")

    uploads: list[Upload] = []
    duplicates: list[str] = []
    used: set = set()
    if files:
        version = ui.data_version(real)
        # 填报 may only name their own 队 for a file that does not say which it is.
        units = [user.unit] if user.role == UPLOADER else _known_units()
        seen: dict[str, str] = {}
        for f in files:
            name = PurePath(f.name).name or "未命名文件"
            try:
                data = f.getvalue()
            except Exception:  # noqa: BLE001
                log.exception("reading upload %s failed", name)
                data = b""
            file_hash = _hash_once(f, data)
            if file_hash in seen:
                duplicates.append(f"{name}（与 {seen[file_hash]} 内容相同）")
                continue
            seen[file_hash] = name
            uploads.append(Upload(name, data, file_hash, {}, [],
                                  _preview(data, name, file_hash, {}, version, user, used)))

    if uploads:
        st.subheader("② 检查结果")
        if duplicates:
            st.warning("以下文件重复选择，只检查一次：" + "；".join(_md(d) for d in duplicates),
                       icon=":material/content_copy:")
        for i, item in enumerate(uploads):
            with st.container(border=True):
                st.markdown(f"**{i + 1}. {_md(item.name)}**")
                # 对应表头 first (a sheet read by them may then need its 队/月份), then the 队/月份.
                item.mapping = mapping_inputs(item.file_hash, item.result)
                if item.mapping:
                    item.result = _preview(item.data, item.name, item.file_hash, {}, version, user, used,
                                           item.mapping)
                item.needed = [c for c in CONTEXT_ORDER if c in item.result.missing_context]
                if item.needed:
                    offered = state.upload_units.setdefault(item.file_hash, units)
                    item.context = _context_inputs(item.file_hash, item.needed, offered)
                    if item.context:
                        item.result = _preview(item.data, item.name, item.file_hash, item.context, version, user,
                                               used, item.mapping)
                done = state.upload_done.get(item.key)
                if done is not None:
                    _result_message(done)
                    if done.status == REJECTED:
                        _problem_tables(done, f"done-{i}-{item.file_hash[:12]}")
                    continue
                _show_preview(item, i)

    _keep_only(used, {u.file_hash for u in uploads}, {getattr(f, "file_id", None) for f in files or []})

    if uploads:
        ready = [u for u in uploads if u.result.status == READY and u.key not in state.upload_done]
        blocked = [u for u in uploads if u.result.status == REJECTED and u.key not in state.upload_done]
        st.subheader("③ 确认导入")
        if ready:
            note = f"将导入 {len(ready)} 个文件。"
            if blocked:
                note += f"有错误或缺少信息的 {len(blocked)} 个文件不会导入。"
            st.caption(note + "导入时逐个文件写入数据库，每个文件要么整份成功，要么不做任何改动。")
        elif all(u.key in state.upload_done for u in uploads):
            st.caption("所选文件都已处理。")
        else:
            st.caption("没有可以导入的文件：请先改正错误、补充缺少的信息，或选择新的文件。")
        if st.button(f"确认导入 {len(ready)} 个文件" if ready else "确认导入", type="primary", disabled=not ready,
                     key="upload-confirm", icon=":material/upload:"):
            was_demo = showing_demo
            last = []
            progress = st.progress(0.0, text="准备导入…")
            with st.status(f"正在导入 {len(ready)} 个文件…", expanded=True) as box:
                for n, item in enumerate(ready):
                    progress.progress(n / len(ready), text=f"正在导入第 {n + 1}/{len(ready)} 个：{_md(item.name)}")
                    if item.key in state.upload_done:  # never twice, whatever reruns happen
                        continue
                    try:
                        # The preview's parse: not read again; the checks against the store are redone.
                        result = import_preview(real, item.result, item.data, user)
                    except PermissionDenied as denied:
                        result = rejected_file(item.name, denied.message)
                    except Exception as exc:  # noqa: BLE001
                        log.exception("import of %s failed", item.name)
                        result = rejected_file(item.name, fault_text(exc) or "导入这个文件时出现意外问题，数据库未做改动（已记录）",
                                               "请稍后重试；如仍出现，请联系管理员")
                    state.upload_done[item.key] = result
                    last.append(item.key)
                    box.write(result.summary)
                progress.progress(1.0, text="导入完成")
                box.update(label="导入完成", state="complete", expanded=False)
            state.upload_last = last
            _release_imported()
            ui.clear_caches()
            _switch_view_if_needed(was_demo)
            st.rerun()
        _last_summary()
        if state.upload_done:
            if st.button("清空已选文件，继续上传", key="upload-clear", icon=":material/restart_alt:"):
                state.upload_round += 1
                state.upload_previews.clear()
                state.upload_done.clear()   # the import log (UNCHANGED) guards from here on
                state.upload_units.clear()
                state.upload_hashes.clear()
                state.upload_last = []
                state.upload_trim = True
                st.rerun()


# ---------------------------------------------------------------- page

st.title("数据上传")
st.caption("上传各队报送的 Excel/WPS/CSV 报表：先检查，确认后导入。每个文件单独导入——要么整份导入，要么不做任何改动；"
           "导入后可在下方“导入记录”中撤销。")
if showing_demo:
    st.info("看板当前显示的是**演示数据**。这里上传的文件导入**正式数据库**，不会与演示数据混在一起；"
            "第一次导入成功后，看板自动切换为正式数据。", icon=":material/science:")

user = ui.signed_in_user()
# 会议模式: one part a screen (a projector shows the form, the template or a log, not all at once).
screens = ui.Screens("upload", ["上传报表", "报表模板", "导入记录", "导出记录"])

if screens.show("上传报表"):
    flash = state.upload_flash
    if flash:
        state.upload_flash = None
        getattr(st, flash[0])(flash[1])

    if user.demo:
        # 演示模式 has no accounts: the first real import needs a 管理员 first, or real names would be
        # open to everyone.
        first_admin_form()
    elif not user.can_upload:
        st.info("你的角色是「查看」：可以查看各页数据和下载表格，不能上传报表。如需上传本队报表，请联系管理员开通「填报」权限。",
                icon=":material/visibility:")
    else:
        if user.role == UPLOADER:
            st.info(f"只能上传本队（{user.unit}）的报表；含有其他队数据的文件不会导入。", icon=":material/badge:")
        _upload_flow(user)

# ---------------------------------------------------------------- template and documentation

if screens.show("报表模板"):
    st.divider()
    st.subheader("报表模板")
    st.caption("模板中每种报表一张工作表，表头、下拉选项和填表说明齐全。各队按模板填报，检查最顺利。")
    st.download_button("下载报表模板（报表模板.xlsx）", template_bytes, file_name="报表模板.xlsx", mime=XLSX_MIME,
                       key="download-template", icon=":material/download:", on_click="ignore")
    with st.expander("各报表的列和填写要求（报表说明）"):
        try:
            text = DOC_PATH.read_text(encoding="utf-8")
            st.markdown("\n".join(line for line in text.splitlines()
                                  if not line.startswith("本文件由") and line != "# 报表说明"))
        except OSError:
            st.caption("报表说明文件缺失，请联系管理员。")
    st.page_link("pages/definitions_page.py", label="各指标的计算方法（指标口径）", icon=":material/menu_book:")


# ---------------------------------------------------------------- import log (with undo) and export log


def _after_undo(import_id: int, was_demo: bool) -> None:
    """The undone import's file may be imported again in this session; the view may switch."""
    for key in [k for k, r in state.upload_done.items() if r.import_id == import_id]:
        del state.upload_done[key]
    state.upload_last = [k for k in state.upload_last if k in state.upload_done]
    state.upload_flash = ("success", f"已撤销第 {import_id} 次导入，数据已恢复到该次导入之前。")
    _switch_view_if_needed(was_demo)


if screens.show("导入记录"):
    st.divider()
    ui.import_log(real, user, lambda import_id: _after_undo(import_id, showing_demo))
    backup_download(real, user)  # 管理员 only
if screens.show("导出记录"):
    st.divider()
    ui.export_log(user)
