"""`python -m lib.cli todo` on the small mine of tests/test_todo.py: the same items as the indicator,
worked out by hand there (EXPECTED), as JSON and as text; masked unless --full-names; the filters;
nothing to do; nothing imported."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from lib.access.masking import mask_name
from lib.cli import main
from lib.metrics.todo import KINDS
from lib.store.database import Store
from tests.test_todo import EXPECTED, build_todo_mine

RANGE = ["--from", "2024-01", "--to", "2024-02"]   # as of 2024-02-29, as EXPECTED


@pytest.fixture(scope="module")
def mine_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("todo_cli") / "mine.duckdb"
    store = Store(path)
    build_todo_mine(store)
    store.close()
    return path


def run(capsys, db, *args) -> tuple[int, str, str]:
    code = main(["todo", "--db", str(db), "--wait", "30", *args])
    out, err = capsys.readouterr()
    return code, out, err


def as_json(rows: dict) -> list[dict]:
    """EXPECTED as the CLI's objects: a whole 队's item has team null, dates in ISO."""
    out = []
    for kind in KINDS:
        for unit, team, who, since, days in rows[kind]:
            out.append({"kind": kind, "unit": unit, "team": team or None, "who": who,
                        "since": since.isoformat() if since else None, "days": days})
    return out


def without_action(items: list[dict]) -> list[dict]:
    return [{k: v for k, v in item.items() if k != "action"} for item in items]


def test_json_gives_the_items_worked_out_by_hand(mine_db):
    """The real command, in its own process: every kind, in urgency order, names in full when asked."""
    run_ = subprocess.run([sys.executable, "-m", "lib.cli", "todo", "--db", str(mine_db), *RANGE, "--json",
                           "--full-names", "--user", "测试员"], capture_output=True, text=True, timeout=300,
                          check=False)
    assert run_.returncode == 0, run_.stderr
    items = json.loads(run_.stdout)
    assert without_action(items) == as_json(EXPECTED)
    assert {i["kind"] for i in items} == set(KINDS) - {"blank_team_without_liaison"}
    assert all(set(i) == {"kind", "unit", "team", "who", "since", "days", "action"} for i in items)
    assert all(isinstance(i["action"], str) and i["action"].endswith("。") for i in items)
    p6 = next(i for i in items if i["kind"] == "overdue_problem" and i["unit"] == "甲队")
    assert p6["who"] == "人员001" and "P6" in p6["action"]
    store = Store(mine_db)
    try:  # names in full left the database: recorded like an export
        logged = store.query("SELECT user_name, what, detail FROM export_log ORDER BY exported_at DESC LIMIT 1")
    finally:
        store.close()
    assert logged["what"][0] == "命令行：待办督办" and logged["user_name"][0] == "测试员"
    assert f"{len(items)} 项" in logged["detail"][0] and "含完整姓名" in logged["detail"][0]


def test_json_masks_names_by_default(mine_db, capsys):
    code, out, _ = run(capsys, mine_db, *RANGE, "--json")
    assert code == 0
    items = json.loads(out)
    expected = as_json(EXPECTED)
    for item in expected:
        item["who"] = mask_name(item["who"]) if item["who"] else None
    assert without_action(items) == expected
    people = [i["who"] for i in items if i["who"]]
    assert people and all("*" in p for p in people)
    assert not {"人员001", "人员004", "甲一", "甲五", "甲六"} & set(people)
    assert "人员001" not in out and "甲五" not in out


def test_text_lists_one_line_per_item_grouped_by_unit(mine_db, capsys):
    code, out, _ = run(capsys, mine_db, *RANGE)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"待办督办（全矿 · 2024年1月–2024年2月 · 截至2024-02-29）：共 {len(as_json(EXPECTED))} 项"
    heads = [line for line in lines if not line.startswith("  ") and line != lines[0] and not line.startswith("注意")]
    assert heads == ["乙队（3 项）", "甲队（10 项）"]
    yi, jia = lines.index("乙队（3 项）"), lines.index("甲队（10 项）")
    assert all(line.startswith("  [") for line in lines[yi + 1:yi + 4] + lines[jia + 1:jia + 11])
    # 甲队's most urgent item first: P6, 31 days open, its owner masked.
    assert lines[jia + 1] == ("  [问题超期未办结] B班 · 人***1 · 自2024-01-29起 31 天 · "
                              "问题P6发现已超过30天仍未解决（待办理）：督促责任人办结并向职工反馈。")
    assert "  [报表缺报] （全队） · 自2024-02-01起 28 天 · 《班组信息》缺报2024年2月：督促该队补报。" in lines
    assert any(line.startswith("  [班组无管理委员会] B班 · 班组没有管理委员会") for line in lines)
    assert "人员001" not in out


def test_unit_filter_narrows_the_items(mine_db, capsys):
    code, out, _ = run(capsys, mine_db, *RANGE, "--unit", "乙队", "--json", "--full-names")
    assert code == 0
    items = json.loads(out)
    assert without_action(items) == [i for i in as_json(EXPECTED) if i["unit"] == "乙队"] != []
    assert {i["kind"] for i in items} == {"overdue_talk", "overdue_problem", "missing_report"}
    code, out, _ = run(capsys, mine_db, *RANGE, "--unit", "乙队")
    assert code == 0 and "乙队（3 项）" in out and "甲队" not in out


def test_nothing_to_chase_says_so_and_exits_0(mine_db, capsys):
    # 丙队 first reported in 2024-02 and sent no list: nothing is overdue or missing yet.
    code, out, _ = run(capsys, mine_db, "--unit", "丙队", "--from", "2024-02", "--to", "2024-02")
    assert code == 0
    assert out.startswith("没有待办事项（丙队 · 2024年2月")
    # …and the sheets it never sent are said, since they could not be checked.
    assert "注意：所选范围内未报送" in out and "《发展党员》" in out and "《包保对子》" in out
    code, out, _ = run(capsys, mine_db, "--unit", "丙队", "--from", "2024-02", "--to", "2024-02", "--json")
    assert code == 0 and json.loads(out) == []


def test_a_range_without_any_roster_is_not_nothing_to_do(mine_db, capsys):
    code, out, err = run(capsys, mine_db, "--from", "2010-01", "--to", "2010-03")
    assert code == 0 and out == ""
    assert "没有任何队报送《人员名册》或《班组信息》" in err and "没有待办事项" not in out + err


def test_an_empty_real_database_says_nothing_was_imported(tmp_path, capsys):
    code, out, err = run(capsys, tmp_path / "empty.duckdb")
    assert code == 1 and out == ""
    assert "还没有导入任何报表" in err and "--demo" in err


def test_start_after_end_is_bad_usage(mine_db, capsys):
    code, _, err = run(capsys, mine_db, "--from", "2024-02", "--to", "2024-01")
    assert code == 2 and "起始月份晚于结束月份" in err
