"""Issue #13 item 6: 指标口径 speaks to users (no file names, code, ids or setting names; thresholds as
sentences), and the developer version in docs/metrics.md names every indicator id and setting."""
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from lib.config import ROOT
from lib.ingest.sheets import SHEETS
from lib.metrics import thresholds
from lib.present.definitions import SECTIONS, definitions_markdown

ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard.py")
SETTINGS = ("OVERDUE_TALK_DAYS", "TIMELY_FEEDBACK_DAYS", "OPEN_PROBLEM_DAYS", "MODEL_POST_PASS_SCORE",
            "FAST_PROMOTION_DAYS", "PROBATION_DAYS", "DEFAULT_MONTHS")
IDS = ["dev_frontline_share", "dev_leader_share", "dev_pipeline", "team_coverage", "blank_team_trend",
       "liaison_rate", "pair_coverage", "talk_activity", "problem_ledger", "zones", "model_posts",
       "score_trend", "committee", "slogans", "honours", "submission_status", "overview"]
# What a developer writes and a user should not read.
DEVELOPER_TEXT = [r"lib/", r"\.py\b", r"\bSQL\b", r"(?i)\bjson\b", r"\b[a-z]+_[a-z_]+\b", r"\b[A-Z]+_[A-Z_]+\b",
                  r"\[[a-z_]+\]", r"python", r"null"]


def _developer_words(text: str) -> list[str]:
    return [m.group(0) for pattern in DEVELOPER_TEXT for m in re.finditer(pattern, text)]


def test_developer_document_names_every_indicator_and_setting():
    doc = (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
    for key in IDS:
        assert f"[{key}]" in doc
    for name in SETTINGS:
        assert f"`{name}` | {getattr(thresholds, name)} |" in doc


def test_user_text_has_no_developer_words_and_says_the_thresholds():
    text = definitions_markdown()
    assert _developer_words(text) == []
    assert "`" not in text  # no code spans
    assert _developer_words("见 lib/metrics/thresholds.py 的 OVERDUE_TALK_DAYS 与 [team_coverage] SQL") != []
    assert f"超过 {thresholds.OVERDUE_TALK_DAYS} 天没有谈心的有效对子" in text
    for sentence in (f"{thresholds.TIMELY_FEEDBACK_DAYS} 天内", f"超过 {thresholds.OPEN_PROBLEM_DAYS} 天",
                     f"不低于 {thresholds.MODEL_POST_PASS_SCORE} 分", f"满 {thresholds.PROBATION_DAYS} 天",
                     f"不足 {thresholds.FAST_PROMOTION_DAYS} 天", f"最近 {thresholds.DEFAULT_MONTHS} 个月"):
        assert sentence in text


def test_every_indicator_says_meaning_counting_and_its_sheets_by_their_chinese_names():
    text = definitions_markdown()
    labels = {s.label for s in SHEETS}
    used = set()
    for section in SECTIONS:
        for d in section.items:
            assert d.meaning and d.counting and d.sheet_names
            assert set(d.sheet_names) <= labels
            used |= set(d.sheet_names)
            assert f"#### {d.name}" in text
    assert used == labels  # every sheet feeds some indicator the page explains
    assert text.count("**含义**") == text.count("**怎么算**") == text.count("**来自哪张表**") == sum(
        len(s.items) for s in SECTIONS)
    assert "《包保对子》" in text and "《谈心记录》" in text


def test_page_shows_the_user_text_without_developer_words(tmp_path, monkeypatch):
    monkeypatch.setenv("DANGJIAN_DB", str(tmp_path / "dangjian.duckdb"))
    at = AppTest.from_file(ENTRY, default_timeout=120)
    at.run()
    at.switch_page("pages/definitions_page.py").run()
    assert not at.exception
    shown = "\n".join([*(m.value for m in at.markdown), *(t.value for t in at.title),
                       *(c.value for c in at.caption)])
    assert f"超过 {thresholds.OVERDUE_TALK_DAYS} 天没有谈心" in shown
    assert "通用规则" in shown and "人员名册" in shown
    assert _developer_words(shown) == [], _developer_words(shown)
