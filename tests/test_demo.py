"""The demo data set: built once through the real import path, then checked with plain SQL.

The figures asserted here are the ones the mine's own report quotes (see shared/domain.md);
the SQL is written out by hand so that the tests do not share code with what they check.
"""
import datetime as dt
import json
import re
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest
from python_calamine import CalamineWorkbook

from demo import story, workbooks
from demo.build import build_demo_database
from demo.workbooks import write_demo_workbooks

PARTY = "('中共党员', '中共预备党员')"
END = "DATE '2023-12-31'"
DEC = "DATE '2023-12-01'"
# Pairs active on 2023-12-31 (pairs that ended before do not count).
ACTIVE_PAIRS = f"""(SELECT * FROM pairs WHERE paired_on <= {END}
                    AND (ended_on IS NULL OR ended_on > {END}))"""
ROSTER_DEC = f"(SELECT * FROM roster WHERE month = {DEC})"


@pytest.fixture(scope="session")
def built(demo_build):
    """The session's demo build (tests/conftest.py), opened read-only for hand-written SQL."""
    con = duckdb.connect(str(demo_build.db), read_only=True)
    yield SimpleNamespace(con=con, **vars(demo_build))
    con.close()


def q(built, sql: str, *params):
    return built.con.execute(sql, list(params)).fetchall()


def one(built, sql: str, *params):
    return q(built, sql, *params)[0][0]


def _sheets(path: Path) -> dict[str, list[list]]:
    """Every sheet's cell values, as python-calamine reads them."""
    workbook = CalamineWorkbook.from_path(str(path))
    try:
        return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}
    finally:
        workbook.close()


# ------------------------------------------------------------------------------ the build itself

def test_every_file_imported_none_rejected(built):
    files = sorted(p.name for p in built.workbooks.iterdir())
    assert 400 <= len(files) <= 600
    imported = q(built, "SELECT file_name, status, user_name FROM imports ORDER BY id")
    assert sorted(f for f, _, _ in imported) == files          # each file once, none rejected
    assert {s for _, s, _ in imported} == {"imported"}
    assert {u for _, _, u in imported} == {"演示数据"}
    rows = one(built, "SELECT sum(rows_loaded) FROM imports")
    assert re.fullmatch(r"导入 \d+ 个文件，[\d,]+ 行", built.summary)
    assert built.summary == f"导入 {len(files)} 个文件，{rows:,} 行"
    assert built.messages and all(isinstance(m, str) for m in built.messages)


def test_files_come_as_units_send_them(built):
    names = [p.name for p in built.workbooks.iterdir()]
    csvs = [n for n in names if n.endswith(".csv")]
    assert len(csvs) >= 3 and len(names) - len(csvs) > 500
    for name in csvs:           # GB18030, as Excel/WPS export it
        raw = (built.workbooks / name).read_bytes()
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        assert raw.decode("gb18030").splitlines()[0]
    assert "综采队_2023年6月.xlsx" in names
    assert list(_sheets(built.workbooks / "综采队_2023年6月.xlsx")) == ["人员名册", "班组信息", "谈心记录"]
    cells = [c for name in ("掘锚队2023年06月报表.xlsx", "综掘队_党员包保对子名单.xlsx", "综采队_2023年6月.xlsx",
                            "机运队党建进班组月报（2023.06）.xlsx")
             for rows in _sheets(built.workbooks / name).values() for row in rows for c in row if isinstance(c, str)]
    assert "综采队2023年6月份人员名册" in cells                       # a title row
    assert any(c.startswith("填报单位：") and "填报日期：" in c for c in cells)
    assert "序号" in cells and "必填" in cells and "合计" in cells
    assert "√" in cells and "×" in cells
    assert "2023.06" in cells                                        # a month typed as text
    assert any(re.fullmatch(r"\d{4}\.\d{2}\.\d{2}", c) for c in cells)  # dates as text
    assert any(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", c) for c in cells)
    # A 谈心记录 sheet without a 党员所在队 column still loaded (队 from the title / file name).
    talk_header = _sheets(built.workbooks / "掘锚队2023年06月报表.xlsx")["谈心记录"][1]
    assert "党员所在队" not in talk_header
    assert one(built, "SELECT count(*) FROM talks WHERE member_unit = '掘锚队' AND talk_date >= DATE '2023-06-01' "
                      "AND talk_date < DATE '2023-07-01'") > 0


def test_deterministic_workbooks(built):
    """write_demo_workbooks in a process of its own = what the build wrote (in its writer process)."""
    names = built.again_order
    assert sorted(names) == sorted(p.name for p in built.workbooks.iterdir())
    assert sorted(names) == sorted(p.name for p in built.again.iterdir())
    # The returned order is the import order the build used.
    assert names == [r[0] for r in q(built, "SELECT file_name FROM imports ORDER BY id")]
    for name in names:
        first, second = built.workbooks / name, built.again / name
        if name.endswith(".csv"):
            assert first.read_bytes() == second.read_bytes(), name
            continue
        a, b = _sheets(first), _sheets(second)
        assert list(a) == list(b), name
        for sheet in a:
            assert a[sheet] == b[sheet], (name, sheet)


def test_write_demo_workbooks_returns_paths_in_the_folder(tmp_path, monkeypatch):
    # Cheap check of the API shape on a small slice (the full write is compared above).
    specs = workbooks.demo_specs()
    monkeypatch.setattr(workbooks, "demo_specs", lambda: specs[:3] + specs[-2:])
    paths = write_demo_workbooks(tmp_path / "new" / "folder")
    assert [p.parent for p in paths] == [tmp_path / "new" / "folder"] * 5
    assert all(p.is_file() for p in paths) and [p.name for p in paths] == [s.name for s in specs[:3] + specs[-2:]]


def test_no_current_date_in_the_generator():
    package = Path(story.__file__).parent
    for module in package.glob("*.py"):
        assert not re.search(r"\b(today|now|utcnow)\(", module.read_text(encoding="utf-8")), module.name
    assert "random.Random(SEED)" in (package / "mine.py").read_text(encoding="utf-8") and story.SEED == 2020


def test_building_again_replaces_the_database(built, tmp_path):
    # A second build into an existing folder starts from nothing (checked on the files only:
    # the stale database and workbooks are gone before anything is written).
    stale = tmp_path / "demo_workbooks"
    stale.mkdir()
    (stale / "旧文件.xlsx").write_bytes(b"old")
    (tmp_path / "demo.duckdb.wal").write_bytes(b"old wal")
    written = []

    class Stop(Exception):
        pass

    def progress(text):
        written.append(text)
        if len(written) == 1:
            assert not (tmp_path / "demo.duckdb.wal").exists()
            assert not (stale / "旧文件.xlsx").exists()
            raise Stop

    with pytest.raises(Stop):
        build_demo_database(tmp_path / "demo.duckdb", progress=progress)


# ------------------------------------------------------------------------------ organisation

def test_organisation_and_workforce(built):
    units = [r[0] for r in q(built, f"SELECT DISTINCT unit FROM {ROSTER_DEC} ORDER BY unit")]
    assert sorted(units) == sorted(["综采队", "掘锚队", "综掘队", "开拓队", "机运队", "通防部", "准备队", "机关"])
    teams = one(built, f"SELECT count(DISTINCT (unit, team)) FROM {ROSTER_DEC}")
    assert 55 <= teams <= 65
    assert {"党群工作部", "生产技术科"} <= {r[0] for r in q(built, f"SELECT team FROM {ROSTER_DEC} WHERE unit = '机关'")}
    sizes = [r[0] for r in q(built, "SELECT count(*) FROM roster GROUP BY month ORDER BY month")]
    assert len(sizes) == 48 and all(1100 <= n <= 1300 for n in sizes)
    # 工号: six-digit text, some with leading zeros (including old '00xxxx' numbers).
    assert one(built, "SELECT count(*) FROM roster WHERE NOT regexp_full_match(staff_id, '[0-9]{6}')") == 0
    assert one(built, "SELECT count(DISTINCT staff_id) FROM roster WHERE staff_id LIKE '0%'") > 50
    assert one(built, "SELECT count(DISTINCT staff_id) FROM roster WHERE staff_id LIKE '00%'") > 0
    # Names like '张　三' were written with a space: the importer warned and removed it.
    assert one(built, "SELECT count(*) FROM roster WHERE regexp_matches(name, '\\s')") == 0
    assert one(built, "SELECT count(*) FROM imports WHERE warnings LIKE '%姓名中含空格%'") > 0
    # A few joins, leaves and transfers every month.
    left = one(built, "SELECT count(*) FROM (SELECT staff_id FROM roster WHERE month = DATE '2020-01-01' "
                      f"EXCEPT SELECT staff_id FROM {ROSTER_DEC})")
    joined = one(built, f"SELECT count(*) FROM (SELECT staff_id FROM {ROSTER_DEC} "
                        "EXCEPT SELECT staff_id FROM roster WHERE month = DATE '2020-01-01')")
    moved = one(built, "SELECT count(*) FROM (SELECT staff_id FROM roster GROUP BY staff_id "
                       "HAVING count(DISTINCT (unit, team)) > 1)")
    assert 40 <= left <= 250 and 40 <= joined <= 250 and moved >= 10


# ------------------------------------------------------------------------------ 1. 发展党员

def test_development_2020_targets(built):
    n, frontline, leaders = q(built, "SELECT count(*), count(*) FILTER (WHERE frontline), "
                                     "count(*) FILTER (WHERE team_leader) FROM development "
                                     "WHERE candidate_on >= DATE '2020-01-01' AND candidate_on < DATE '2021-01-01'")[0]
    assert (n, frontline, leaders) == (8, 7, 5)
    by_year = dict(q(built, "SELECT year(candidate_on), count(*) FROM development "
                            "WHERE candidate_on IS NOT NULL GROUP BY 1"))
    assert all(by_year.get(y, 0) > 0 for y in (2021, 2022, 2023))


def test_development_dates_in_order_and_reflected_in_rosters(built):
    assert one(built, """SELECT count(*) FROM development WHERE
        activist_on < applied_on OR candidate_on <= activist_on OR probation_on <= candidate_on
        OR full_on <= probation_on OR candidate_on <= applied_on OR probation_on <= applied_on""") == 0
    # 预备期 about a year; a couple still awaiting 转正 at the end.
    assert one(built, "SELECT count(*) FROM development WHERE full_on - probation_on NOT BETWEEN 365 AND 400") == 0
    waiting = one(built, "SELECT count(*) FROM development WHERE probation_on IS NOT NULL AND full_on IS NULL")
    assert 2 <= waiting <= 4
    # A couple promoted 积极分子 → 发展对象 in under a year (the importer warned).
    assert one(built, "SELECT count(*) FROM development WHERE candidate_on - activist_on < 365") >= 2
    assert one(built, "SELECT count(*) FROM imports WHERE warnings LIKE '%积极分子培养不足一年%'") >= 1
    # The 2023-12 roster shows what each became; earlier rosters show them before.
    statuses = q(built, f"""SELECT d.staff_id, r.political,
            CASE WHEN d.full_on IS NOT NULL THEN '中共党员' WHEN d.probation_on IS NOT NULL THEN '中共预备党员'
                 ELSE 'none' END
        FROM development d JOIN {ROSTER_DEC} r USING (staff_id)""")
    assert len(statuses) == one(built, "SELECT count(*) FROM development")
    for staff_id, political, expected in statuses:
        if expected == "none":
            assert political not in ("中共党员", "中共预备党员"), staff_id
        else:
            assert political == expected, staff_id
    assert one(built, """SELECT count(*) FROM development d JOIN roster r USING (staff_id)
        WHERE d.probation_on IS NOT NULL AND r.month < date_trunc('month', d.probation_on)
          AND r.political IN ('中共党员', '中共预备党员')""") == 0


# ------------------------------------------------------------------------------ 2. 包保对子

def test_active_pairs_104_members_223_workers(built):
    members = one(built, f"""SELECT count(DISTINCT a.member_id) FROM {ACTIVE_PAIRS} a
        JOIN {ROSTER_DEC} r ON r.staff_id = a.member_id AND r.political IN {PARTY}""")
    workers = one(built, f"""SELECT count(DISTINCT a.worker_id) FROM {ACTIVE_PAIRS} a
        JOIN {ROSTER_DEC} r ON r.staff_id = a.worker_id AND r.political NOT IN {PARTY}""")
    assert (members, workers) == (104, 223)
    # Every active pair's people are in the 2023-12 roster, so no join is needed for the figures.
    assert q(built, f"SELECT count(DISTINCT member_id), count(DISTINCT worker_id) FROM {ACTIVE_PAIRS}") == [(104, 223)]


def test_pairs_ended_before_the_date_matter(built):
    ended = one(built, f"SELECT count(*) FROM pairs WHERE ended_on <= {END}")
    assert ended >= 5
    members_all, workers_all = q(built, "SELECT count(DISTINCT member_id), count(DISTINCT worker_id) FROM pairs")[0]
    assert members_all > 104 and workers_all > 223
    # Some of those people are still in the 2023-12 roster: ignoring 解除日期 would count them.
    assert one(built, f"""SELECT count(DISTINCT p.worker_id) FROM pairs p
        JOIN {ROSTER_DEC} r ON r.staff_id = p.worker_id
        WHERE r.political NOT IN {PARTY} AND p.worker_id NOT IN (SELECT worker_id FROM {ACTIVE_PAIRS})""") > 0
    assert one(built, f"""SELECT count(DISTINCT p.member_id) FROM pairs p
        JOIN {ROSTER_DEC} r ON r.staff_id = p.member_id
        WHERE r.political IN {PARTY} AND p.member_id NOT IN (SELECT member_id FROM {ACTIVE_PAIRS})""") > 0


def test_head_office_members_all_paired_with_coal_face_workers(built):
    unpaired = one(built, f"""SELECT count(*) FROM {ROSTER_DEC} r
        WHERE r.unit = '机关' AND r.political IN {PARTY}
          AND r.staff_id NOT IN (SELECT member_id FROM {ACTIVE_PAIRS})""")
    assert unpaired == 0
    assert one(built, f"SELECT count(*) FROM {ROSTER_DEC} WHERE unit = '机关' AND political IN {PARTY}") > 30
    assert [r[0] for r in q(built, "SELECT DISTINCT worker_unit FROM pairs WHERE member_unit = '机关'")] == ["综采队"]


def test_pair_worker_unit_and_team_match_the_roster(built):
    active = one(built, f"SELECT count(*) FROM {ACTIVE_PAIRS}")
    matched = one(built, f"""SELECT count(*) FROM {ACTIVE_PAIRS} a JOIN {ROSTER_DEC} r
        ON r.staff_id = a.worker_id AND r.unit = a.worker_unit AND r.team = a.worker_team""")
    assert matched == active
    # Members pair with workers of their own 队 (机关 excepted) and their 队 matches the roster.
    assert one(built, f"""SELECT count(*) FROM {ACTIVE_PAIRS} a JOIN {ROSTER_DEC} r ON r.staff_id = a.member_id
        WHERE r.unit <> a.member_unit OR (a.member_unit <> '机关' AND a.worker_unit <> a.member_unit)""") == 0


# ------------------------------------------------------------------------------ 3–5. 责任区, 口号, 荣誉

def test_zones_32_with_73_owners_covering_every_team(built):
    assert q(built, "SELECT count(DISTINCT zone_id), count(DISTINCT owner_id) FROM zones") == [(32, 73)]
    assert one(built, f"""SELECT count(*) FROM zones z WHERE NOT EXISTS (SELECT 1 FROM {ROSTER_DEC} r
        WHERE r.staff_id = z.owner_id AND r.political IN {PARTY})""") == 0
    uncovered = q(built, f"""WITH covered AS (
            SELECT DISTINCT unit, unnest(string_split(covered_teams, '、')) AS team FROM zones)
        SELECT DISTINCT r.unit, r.team FROM {ROSTER_DEC} r
        WHERE NOT EXISTS (SELECT 1 FROM covered c WHERE c.unit = r.unit AND c.team = r.team)""")
    assert uncovered == []


def test_slogans_72_entries(built):
    assert one(built, "SELECT count(*) FROM slogans") == 72
    assert sorted(r[0] for r in q(built, "SELECT DISTINCT category FROM slogans")) == sorted(
        ["争一流口号", "学习愿景", "安全理念"])
    assert one(built, "SELECT count(DISTINCT (unit, team)) FROM slogans") == 24


def test_honours_2022_pioneer_posts(built):
    teams_by_mine = one(built, """SELECT count(DISTINCT (unit, team)) FROM honours
        WHERE year = 2022 AND title = '党员先锋岗' AND awarded_by = '矿党委'""")
    rows, teams = q(built, """SELECT count(*), count(DISTINCT (unit, team)) FROM honours
        WHERE year = 2022 AND title = '党员先锋岗'""")[0]
    assert (teams_by_mine, rows, teams) == (5, 6, 5)
    group = q(built, """SELECT unit, team FROM honours
        WHERE year = 2022 AND title = '党员先锋岗' AND awarded_by = '集团公司党委'""")
    assert len(group) == 1
    assert one(built, """SELECT count(*) FROM honours WHERE year = 2022 AND title = '党员先锋岗'
        AND awarded_by = '矿党委' AND unit = ? AND team = ?""", *group[0]) == 1
    assert [r[0] for r in q(built, "SELECT DISTINCT year FROM honours ORDER BY 1")] == [2020, 2021, 2022, 2023]


# ------------------------------------------------------------------------------ 6. 空白班组

BLANK_BY_MONTH = f"""WITH t AS (
        SELECT month, unit, team, bool_or(political IN {PARTY}) AS covered FROM roster GROUP BY ALL)
    SELECT month, count(*) FILTER (WHERE NOT covered) FROM t GROUP BY month ORDER BY month"""


def test_blank_teams_fall_to_zero(built):
    series = [n for _, n in q(built, BLANK_BY_MONTH)]
    assert len(series) == 48
    assert 8 <= series[0] <= 12
    assert series[-1] == 0
    steps = [b - a for a, b in zip(series, series[1:])]
    assert all(-2 <= s <= 1 for s in steps)            # roughly steady, one team at a time
    assert any(s > 0 for s in steps)                   # occasionally a team becomes blank again
    yearly = [sum(series[i:i + 12]) / 12 for i in range(0, 48, 12)]
    assert yearly == sorted(yearly, reverse=True) and yearly[0] > yearly[-1]


def test_team_info_lists_every_team_and_liaisons(built):
    assert one(built, """SELECT count(*) FROM (
        SELECT DISTINCT month, unit, team FROM roster EXCEPT SELECT month, unit, team FROM team_info)""") == 0
    assert one(built, """SELECT count(*) FROM (
        SELECT month, unit, team FROM team_info EXCEPT SELECT DISTINCT month, unit, team FROM roster)""") == 0
    assert one(built, "SELECT count(*) FROM team_info WHERE team_type IS NULL") == 0
    # Each 队 has one 党支部 (综掘队's sheet leaves that optional column out).
    assert one(built, "SELECT count(*) FROM team_info WHERE branch <> unit || '党支部'") == 0
    assert one(built, "SELECT count(DISTINCT unit) FROM team_info WHERE branch IS NOT NULL") >= 7
    blank = q(built, f"""WITH t AS (
            SELECT month, unit, team, bool_or(political IN {PARTY}) AS covered FROM roster GROUP BY ALL)
        SELECT count(*), count(i.liaison_id) FROM t JOIN team_info i USING (month, unit, team) WHERE NOT t.covered""")
    total, with_liaison = blank[0]
    assert total > 0 and total * 0.6 <= with_liaison < total       # most, not all
    # Liaisons are party members in that month's roster, and only blank teams have one.
    assert one(built, f"""SELECT count(*) FROM team_info i WHERE i.liaison_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM roster r WHERE r.month = i.month AND r.staff_id = i.liaison_id
          AND r.political IN {PARTY})""") == 0
    assert one(built, f"""SELECT count(*) FROM team_info i WHERE i.liaison_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM roster r WHERE r.month = i.month AND r.unit = i.unit AND r.team = i.team
          AND r.political IN {PARTY})""") == 0


# ------------------------------------------------------------------------------ 7. talks, problems, …

def test_talks(built):
    assert sorted(r[0] for r in q(built, "SELECT DISTINCT method FROM talks")) == sorted(["面谈", "电话", "家访", "微信"])
    # Every talk belongs to a pair and happens while the pair is active.
    assert one(built, """SELECT count(*) FROM talks t WHERE NOT EXISTS (SELECT 1 FROM pairs p
        WHERE p.member_id = t.member_id AND p.worker_id = t.worker_id AND p.paired_on <= t.talk_date
          AND (p.ended_on IS NULL OR t.talk_date <= p.ended_on))""") == 0
    active = one(built, f"SELECT count(*) FROM {ACTIVE_PAIRS}")
    overdue = one(built, f"""SELECT count(*) FROM {ACTIVE_PAIRS} a WHERE NOT EXISTS (SELECT 1 FROM talks t
        WHERE t.member_id = a.member_id AND t.worker_id = a.worker_id AND t.talk_date > {END} - INTERVAL 60 DAY)""")
    assert 5 <= overdue <= active * 0.2
    # Most pairs talk every one or two months.
    gaps = q(built, """SELECT median(gap) FROM (
        SELECT date_diff('day', lag(talk_date) OVER (PARTITION BY member_id, worker_id ORDER BY talk_date), talk_date)
        AS gap FROM talks) WHERE gap IS NOT NULL""")[0][0]
    assert 25 <= gaps <= 65
    assert one(built, "SELECT count(*) FROM talks WHERE found_problem AND problem_id IS NULL") == 0
    assert one(built, "SELECT count(*) FROM talks WHERE NOT found_problem AND problem_id IS NOT NULL") == 0


def test_problem_ledger(built):
    assert one(built, """SELECT count(*) FROM talks WHERE problem_id IS NOT NULL
        AND problem_id NOT IN (SELECT problem_id FROM problems)""") == 0
    assert one(built, """SELECT count(*) FROM problems
        WHERE problem_id NOT IN (SELECT problem_id FROM talks WHERE problem_id IS NOT NULL)""") == 0
    assert {r[0] for r in q(built, "SELECT DISTINCT category FROM problems")} <= {
        "生活困难", "工作环境", "设备安全", "子女教育", "医疗健康", "薪酬福利"}
    assert sorted(r[0] for r in q(built, "SELECT DISTINCT status FROM problems")) == sorted(["待办理", "办理中", "已解决"])
    assert one(built, """SELECT count(*) FROM problems WHERE
        (status = '已解决' AND (feedback_on IS NULL OR resolved_on IS NULL))
        OR (status = '办理中' AND (feedback_on IS NULL OR resolved_on IS NOT NULL))
        OR (status = '待办理' AND (feedback_on IS NOT NULL OR resolved_on IS NOT NULL))
        OR feedback_on < found_on OR resolved_on < feedback_on""") == 0
    # Some still open more than 30 days after they were found.
    assert one(built, f"SELECT count(*) FROM problems WHERE status <> '已解决' "
                      f"AND found_on < {END} - INTERVAL 30 DAY") >= 3
    # The yearly ledgers update earlier problems in place (same 问题编号).
    assert one(built, "SELECT count(*) FROM problems__replaced") > 0


def test_model_posts(built):
    per = q(built, "SELECT quarter, unit, count(*) FROM model_posts GROUP BY ALL")
    assert len(per) == 16 * 8 and all(n >= 3 for _, _, n in per)
    values = {r[0] for r in q(built, "SELECT good_political FROM model_posts UNION "
                                     "SELECT good_safety FROM model_posts")}
    assert {"是", "否"} <= values
    scores = [float(v) for v in values if v not in ("是", "否")]
    assert scores and all(60 <= v <= 100 for v in scores)
    assert one(built, "SELECT count(*) FROM model_posts WHERE result IS NULL") == 0
    assert one(built, f"""SELECT count(*) FROM model_posts m WHERE NOT EXISTS (SELECT 1 FROM roster r
        WHERE r.staff_id = m.member_id AND r.political IN {PARTY}
          AND r.month = make_date(CAST(left(m.quarter, 4) AS INTEGER),
                                  CAST(right(m.quarter, 1) AS INTEGER) * 3, 1))""") == 0


def test_scores(built):
    assert one(built, "SELECT count(DISTINCT quarter) FROM scores") == 16
    missing = one(built, f"""SELECT count(*) FROM roster r WHERE r.political IN {PARTY}
        AND month(r.month) IN (3, 6, 9, 12) AND NOT EXISTS (SELECT 1 FROM scores s
        WHERE s.staff_id = r.staff_id AND s.quarter = year(r.month) || 'Q' || (month(r.month) // 3))""")
    assert missing == 0
    workers = one(built, f"""SELECT count(*) FROM scores s JOIN roster r ON r.staff_id = s.staff_id
        AND r.month = make_date(CAST(left(s.quarter, 4) AS INTEGER), CAST(right(s.quarter, 1) AS INTEGER) * 3, 1)
        WHERE r.political NOT IN {PARTY}""")
    assert workers > 0
    rows = q(built, "SELECT items, self_score, review_score, review_status, quarter FROM scores")
    for items, total, review, status, quarter in rows:
        parts = json.loads(items)
        assert sorted(parts) == sorted(["安全", "生产", "学习", "创新", "纪律"])
        assert sum(parts.values()) == total <= 100
        if status == "已审核":
            assert review is not None and total - 6 <= review <= total
        else:
            assert review is None
    statuses = dict(q(built, "SELECT review_status, count(*) FROM scores GROUP BY 1"))
    assert statuses["已审核"] > 0.9 * len(rows)
    assert one(built, "SELECT count(*) FROM scores WHERE review_status = '待审核' AND quarter <> '2023Q4'") == 0
    assert one(built, "SELECT count(*) FROM scores WHERE review_status = '待审核' AND quarter = '2023Q4'") > 0


def test_committees(built):
    per_team = q(built, "SELECT unit, team, count(*), count(DISTINCT role) FROM committee GROUP BY ALL")
    teams = one(built, f"SELECT count(DISTINCT (unit, team)) FROM {ROSTER_DEC}")
    assert teams * 0.7 <= len(per_team) < teams                      # most teams, not all
    assert all(3 <= n <= 5 and roles == n for _, _, n, roles in per_team)
    assert one(built, f"""SELECT count(*) FROM committee c WHERE NOT EXISTS (SELECT 1 FROM {ROSTER_DEC} r
        WHERE r.staff_id = c.staff_id AND r.unit = c.unit AND r.team = c.team)""") == 0
    assert {"安全委员", "质量委员", "学习委员", "宣传委员", "生活委员"} <= {
        r[0] for r in q(built, "SELECT DISTINCT role FROM committee")}


def test_dates_within_the_period(built):
    assert one(built, "SELECT min(month) FROM roster") == dt.date(2020, 1, 1)
    assert one(built, "SELECT max(month) FROM roster") == dt.date(2023, 12, 1)
    for table, column in (("talks", "talk_date"), ("problems", "found_on"), ("problems", "resolved_on"),
                          ("pairs", "paired_on"), ("pairs", "ended_on"), ("development", "full_on")):
        assert one(built, f"SELECT max({column}) FROM {table}") <= dt.date(2023, 12, 31), (table, column)
