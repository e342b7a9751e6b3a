"""Command line: `python -m lib.cli import|template|demo|history|undo|backup|restore|purge-uploads|metrics|todo|report`.

Whoever runs it can open the database file directly anyway, so it acts as 管理员
(lib.access.auth.cli_user); `--user` names the person in the logs.

Exit codes: 0 success (every file imported or unchanged), 1 a file was rejected or an action
refused, 2 bad usage.
"""
from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import sys
from pathlib import Path

import duckdb

from lib.access.auth import PermissionDenied, cli_user
from lib.config import DB_ENV, UPLOAD_DAYS_ENV, WAIT_ENV, default_db_path, demo_db_path, store_wait, upload_retention_days
from lib.ingest.column_map import EVERY_SHEET, SAVED, target_field
from lib.ingest.sheets import SHEETS
from lib.ingest.template import write_template
from lib.store.backup import backup, check_backup, restore
from lib.store.database import Store
from lib.store.faults import StoreFault, fault_text
from lib.store.importer import REJECTED, STATUS_LABELS, import_paths
from lib.store.logs import history, operations_history
from lib.store.undo import UndoRefused, undo
from lib.store.uploads import purge_uploads

EMPTY_MESSAGE = ("正式数据库 {path} 中还没有导入任何报表，没有可统计的数据。请先导入报表（python -m lib.cli import 文件…，"
                 "或在看板的“数据上传”页上传）；要看演示数据，请加 --demo（或 --db {demo}）。")


def _db_path(args) -> Path:
    if getattr(args, "demo", False):
        return demo_db_path()
    return Path(args.db) if args.db else default_db_path()


def _store(args) -> Store:
    """The database named by --db/--demo, waited for at most --wait seconds while another process
    (the running app, another command) uses it."""
    return Store(_db_path(args), wait=args.wait)


def _store_with_data(args) -> Store | None:
    """For the commands that report figures: None (after saying so in Chinese) when nothing was
    ever imported, rather than a report full of zeros."""
    store = _store(args)
    if store.has_data():
        return store
    print(EMPTY_MESSAGE.format(path=store.path, demo=demo_db_path()), file=sys.stderr)
    return None


def _mapping(pairs: list[str]) -> dict[str, dict[str, str]] | None:
    """--map 学工号=工号 (repeatable) → the mapping for every sheet; a wrong one: ValueError in Chinese."""
    mapping = {}
    labels = {c.label for s in SHEETS for c in s.columns}
    for pair in pairs:
        source, sep, target = (x.strip() for x in pair.partition("="))
        if not sep or not source or not target:
            raise ValueError(f"--map {pair}：请写成 文件中的表头=模板的表头，如 --map 学工号=工号")
        if target not in labels and not any(target_field(s, target) for s in SHEETS):
            raise ValueError(f"--map {pair}：模板中没有「{target}」这一列（见 python -m lib.cli template 生成的模板）")
        mapping[source] = target
    return {EVERY_SHEET: mapping} if mapping else None


def _mapping_lines(result) -> list[str]:
    lines = []
    for s in result.sheets:
        pairs = "，".join(f"{k} → {v}" for k, v in s.mapping_used.items())
        if s.mapping_used:
            how = "按上次的对应关系读取" if s.mapping_source == SAVED else "按 --map 读取"
            lines.append(f"    工作表「{s.name}」{how}：{pairs}")
        elif s.mapping_offer is not None and s.mapping_offer.missing:
            offer = s.mapping_offer
            lines.append(f"    工作表「{s.name}」缺少 {'、'.join(offer.missing)}；文件中未用上的列："
                         f"{'、'.join(offer.unused) or '无'}。可用 --map 文件中的表头=模板的表头 指定对应关系")
    return lines


def cmd_import(args) -> int:
    try:
        mapping = _mapping(args.map)
    except ValueError as wrong:
        print(wrong, file=sys.stderr)
        return 2
    store = _store(args)
    results = import_paths(store, args.files, cli_user(args.user), mapping=mapping)
    if args.json:
        print(json.dumps([r.as_json() for r in results], ensure_ascii=False, indent=2, default=str))
    else:
        for r in results:
            print(f"[{STATUS_LABELS[r.status]}] {r.summary}")
            for line in _mapping_lines(r):
                print(line)
            for rep in r.replacements if r.status != REJECTED else []:
                print(f"    {rep.text}")
            for p in r.errors[:50]:
                where = " ".join(x for x in (p.sheet, f"第{p.row}行" if p.row else "", p.column) if x)
                print(f"    错误 {where}：{p.message}{'（' + p.hint + '）' if p.hint else ''}")
            if len(r.errors) > 50:
                print(f"    …另有 {len(r.errors) - 50} 处错误（用 --json 查看全部）")
    return 1 if any(r.status == REJECTED for r in results) else 0


def cmd_template(args) -> int:
    path = write_template(args.out)
    print(f"模板已生成：{path}")
    return 0


def cmd_demo(args) -> int:
    from demo.build import rebuild_demo

    path = Path(args.db) if args.db else demo_db_path()
    summary = rebuild_demo(cli_user(args.user), path, progress=lambda text: print(text, file=sys.stderr))
    print(f"演示数据库已生成：{path}（{summary}）")
    return 0


def cmd_history(args) -> int:
    store = _store(args)
    frame = history(store)
    print("暂无导入记录" if frame.empty else frame.to_string(index=False))
    operations = operations_history(store)
    if not operations.empty:
        print("\n操作记录（备份、恢复、撤销、清理原始上传文件）")
        print(operations.to_string(index=False))
    return 0


def cmd_undo(args) -> int:
    try:
        undo(_store(args), args.import_id, cli_user(args.user))
    except UndoRefused as refused:
        print(refused.message, file=sys.stderr)
        return 1
    print(f"已撤销第 {args.import_id} 次导入")
    return 0


def cmd_backup(args) -> int:
    try:
        target = backup(_store(args), args.path, cli_user(args.user), force=args.force)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"已备份到 {target}（已记入操作记录）")
    return 0


def cmd_restore(args) -> int:
    source = Path(args.path)
    if not source.is_file():
        print(f"找不到备份文件：{source}", file=sys.stderr)
        return 1
    try:
        check_backup(source)  # before the database is even opened: anything else changes nothing
    except ValueError as exc:
        print(f"无法从该文件恢复：{exc}", file=sys.stderr)
        return 1
    store = _store(args)
    try:
        op_id = restore(store, source, cli_user(args.user))
    except (ValueError, duckdb.Error) as exc:
        print(f"无法从该文件恢复：{exc}", file=sys.stderr)
        return 1
    detail = store.fetchone("SELECT detail FROM operations WHERE id = ?", [op_id])[0]
    print(f"{detail}。导入、导出和操作记录均已保留，本次恢复已记入操作记录")
    return 0


def cmd_purge_uploads(args) -> int:
    try:
        days = upload_retention_days() if args.days is None else args.days
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    if days < 0:
        print("保留天数不能为负数", file=sys.stderr)
        return 2
    removed = purge_uploads(_store(args), cli_user(args.user), days)
    for path in removed:
        print(f"已删除 {path}")
    print(f"共删除保存超过 {days} 天的原始上传文件 {len(removed)} 个（已记入操作记录）")
    return 0


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"等待秒数应为 0 或正数：{text}")
    return value


def _month(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"月份应写成 YYYY-MM，如 2023-01：{text}") from None


def _filter(args, store: Store):
    """The 队/班组/month range asked for (default: the dashboard's, the latest 12 months); None if backwards."""
    from lib.metrics.query import Filter
    from lib.metrics.scope import default_filter, resolve_teams

    default = default_filter(store)
    f = Filter(tuple(args.unit), resolve_teams(store, args.unit, args.team),
               args.start or default.start, args.end or default.end)
    if f.start > f.end:
        print("起始月份晚于结束月份", file=sys.stderr)
        return None
    return f


def _indicators(args):
    """(store, filter, indicators) for the commands that report figures; or the exit code when the
    database holds no import (1, said in Chinese) or the range is wrong (2)."""
    from lib.metrics.registry import Indicators

    store = _store_with_data(args)
    if store is None:
        return 1
    f = _filter(args, store)
    if f is None:
        return 2
    return store, f, Indicators(store)


def cmd_metrics(args) -> int:
    from lib.labels import HEADLINES
    from lib.metrics.json_contract import all_metrics
    from lib.present.formatting import not_reported_text, value_text

    opened = _indicators(args)
    if isinstance(opened, int):
        return opened
    store, f, indicators = opened
    if args.json:
        print(json.dumps(all_metrics(indicators.get, f), ensure_ascii=False, indent=2, default=str))
        return 0
    for key, headline in indicators.get("overview", f).items():
        if headline.not_reported:  # never sent is not zero
            print(f"{HEADLINES[key]}：{not_reported_text(headline.not_reported)}")
            continue
        print(f"{HEADLINES[key]}：{value_text(headline.current)}（上期 {value_text(headline.previous)}）")
    return 0


def _todo_line(item: dict) -> str:
    """One 待办 item as a line: [事项] 班组 · who · 自…起 N 天 · what to do."""
    from lib.labels import TODO_KIND_LABELS
    from lib.present.todo_view import NO_TEAM

    parts = [item["team"] or NO_TEAM]
    if item["who"]:
        parts.append(item["who"])
    if item["since"] is not None:
        parts.append(f"自{item['since']}起 {item['days']} 天")
    return f"  [{TODO_KIND_LABELS[item['kind']]}] {' · '.join(parts)} · {item['action']}"


def cmd_todo(args) -> int:
    """待办督办 as of the end of the range, grouped by 队, most urgent first; names masked unless
    --full-names (the command line acts as 管理员, like `report --full-names`), then logged."""
    from lib.access.export import names_in_full
    from lib.access.masking import mask_result
    from lib.present.people import people_masker
    from lib.present.todo_view import (
        NOTHING_SENT,
        NOTHING_TO_DO,
        nothing_sent,
        records,
        unchecked_text,
        units_of,
    )
    from lib.present.view_parts import scope_text
    from lib.store.logs import log_export

    opened = _indicators(args)
    if isinstance(opened, int):
        return opened
    store, f, indicators = opened
    reported = indicators.get("reported_sheets", f)
    if nothing_sent(reported):
        print(f"{NOTHING_SENT[0]}。请先导入各队的《人员名册》和《班组信息》，或调整 --unit、--from、--to。", file=sys.stderr)
        if args.json:
            print("[]")
        return 0
    user = cli_user(args.user)
    full = names_in_full(user, meeting=False, full_names_wanted=args.full_names)
    todo = indicators.get("todo", f)
    if not full:
        todo = mask_result(todo, text=people_masker(store))
    items = records(todo.items)
    if full and items:  # personal data leaves the database in full: recorded like an export
        log_export(store, user, "命令行：待办督办", f"{scope_text(f)}；{len(items)} 项；含完整姓名和工号")
    if args.json:
        print(json.dumps(items, ensure_ascii=False, indent=2))
        return 0
    scope = f"{scope_text(f)} · 截至{todo.as_of:%Y-%m-%d}"
    if not items:
        print(f"{NOTHING_TO_DO}（{scope}）")
    else:
        print(f"待办督办（{scope}）：共 {len(items)} 项")
        for unit in units_of(todo.items):
            mine = [item for item in items if item["unit"] == unit]
            print(f"{unit}（{len(mine)} 项）")
            for item in mine:
                print(_todo_line(item))
    notice = unchecked_text(reported)
    if notice:
        print(f"注意：{notice}")
    return 0


def cmd_report(args) -> int:
    from lib.present import deck, render

    if render.problem():
        print(render.problem(), file=sys.stderr)
        return 1
    opened = _indicators(args)
    if isinstance(opened, int):
        return opened
    _, f, indicators = opened
    out = Path(args.out)

    def progress(done: int, total: int, text: str) -> None:
        if not args.quiet:
            print(f"[{done}/{total}] {text}", file=sys.stderr)

    result = deck.export_deck(indicators, cli_user(args.user), f, full_names_wanted=args.full_names,
                              progress=progress)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(result.data)
    masked = "完整姓名" if result.names_in_full else "姓名已打码"
    print(f"已生成汇报材料 {out}（{result.slides} 页，{result.charts} 张图表，{masked}）")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lib.cli", description="班组党建看板 命令行工具")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p, demo: bool = False):
        p.add_argument("--db", help=f"数据库文件（默认 {default_db_path()}，可用环境变量 {DB_ENV} 修改）")
        if demo:
            p.add_argument("--demo", action="store_true", help=f"使用演示数据库（{demo_db_path()}）")
        p.add_argument("--wait", type=_seconds, default=store_wait(), metavar="秒",
                       help=f"数据库正被看板或其他命令使用时最多等待的秒数（默认 {store_wait():g}，"
                            f"环境变量 {WAIT_ENV}）；等不到则什么也不改，退出码 1")
        return p

    p = with_db(sub.add_parser("import", help="导入报表文件"))
    p.add_argument("files", nargs="+", help="一个或多个 .xlsx/.xls/.et/.csv 文件")
    p.add_argument("--user", default=getpass.getuser(), help="导入人（记入导入日志）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出每个文件的结果")
    p.add_argument("--map", action="append", default=[], metavar="表头=模板表头",
                   help="对应表头（可重复），如 --map 学工号=工号；用过的对应关系按队记住，下次同样的表头自动使用")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("template", help="生成空白报表模板")
    p.add_argument("--out", default="报表模板.xlsx")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("demo", help="（重新）生成演示数据库")
    p.add_argument("--db", help=f"演示数据库文件（默认 {demo_db_path()}）")
    p.add_argument("--user", default=getpass.getuser(), help="操作人")
    p.set_defaults(func=cmd_demo)

    def with_filter(p):
        p.add_argument("--unit", action="append", default=[], help="队（可重复）；不填为全部")
        p.add_argument("--team", action="append", default=[], help="班组（可重复），写成 班组 或 队/班组")
        p.add_argument("--from", dest="start", type=_month, help="起始月份 YYYY-MM（默认：最近12个月）")
        p.add_argument("--to", dest="end", type=_month, help="结束月份 YYYY-MM")
        return p

    p = with_filter(with_db(sub.add_parser("metrics", help="计算全部指标"), demo=True))
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_metrics)

    p = with_filter(with_db(sub.add_parser("todo", help="列出待办督办事项（截至结束月份月末）"), demo=True))
    p.add_argument("--json", action="store_true",
                   help="输出 JSON：每项 kind、unit、team、who、since、days、action")
    p.add_argument("--full-names", action="store_true", help="显示完整姓名（默认打码；显示完整姓名时记入导出日志）")
    p.add_argument("--user", default=getpass.getuser(), help="操作人（使用 --full-names 时记入导出日志）")
    p.set_defaults(func=cmd_todo)

    p = with_filter(with_db(sub.add_parser("report", help="生成汇报材料（PPTX）"), demo=True))
    p.add_argument("--out", required=True, help="输出文件，如 汇报.pptx")
    p.add_argument("--full-names", action="store_true", help="显示完整姓名和工号（默认打码）")
    p.add_argument("--user", default=getpass.getuser(), help="导出人（记入导出日志）")
    p.add_argument("--quiet", action="store_true", help="不显示进度")
    p.set_defaults(func=cmd_report)

    p = with_db(sub.add_parser("history", help="查看导入记录和操作记录"))
    p.set_defaults(func=cmd_history)

    p = with_db(sub.add_parser("undo", help="撤销一次导入"))
    p.add_argument("import_id", type=int)
    p.add_argument("--user", default=getpass.getuser(), help="撤销人（记入导入日志）")
    p.set_defaults(func=cmd_undo)

    p = with_db(sub.add_parser("backup", help="备份数据库"))
    p.add_argument("path", help="备份文件，如 备份/看板-2024-06-30.duckdb（已有同名文件时不覆盖）")
    p.add_argument("--force", action="store_true", help="替换已有的同名备份文件")
    p.add_argument("--user", default=getpass.getuser(), help="操作人")
    p.set_defaults(func=cmd_backup)

    p = with_db(sub.add_parser("restore", help="从备份恢复数据库"))
    p.add_argument("path", help="备份文件（先检查它是本看板、本版本的备份，否则什么也不改）")
    p.add_argument("--user", default=getpass.getuser(), help="操作人")
    p.set_defaults(func=cmd_restore)

    p = with_db(sub.add_parser("purge-uploads", help="删除超过保留期的原始上传文件"))
    p.add_argument("--days", type=int, help=f"保留天数（默认取环境变量 {UPLOAD_DAYS_ENV}，未设置为 180）；0 表示全部删除")
    p.add_argument("--user", default=getpass.getuser(), help="操作人（记入操作记录）")
    p.set_defaults(func=cmd_purge_uploads)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)  # exits 2 on bad usage
    try:
        return args.func(args)
    except PermissionDenied as denied:  # cli_user is 管理员, so only if that ever changes
        print(denied.message, file=sys.stderr)
        return 1
    except (StoreFault, duckdb.IOException) as exc:  # busy beyond --wait, damaged, read-only, disk full
        text = fault_text(exc)
        if text is None:
            raise
        print(text, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
