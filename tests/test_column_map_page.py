"""对应表头 and skipped empty sheets on the real 数据上传 page (AppTest)."""
from __future__ import annotations

import json

from lib.store.column_maps import mapping_history
from lib.store.database import Store
from tests.test_column_map import ODD_HEADER, ODD_MAPPING, filled_template, odd_file
from tests.test_upload_page import XLSX, db, shown_text, upload_page  # noqa: F401 — db is a fixture

__all__ = ["db"]


def selectbox_for(at, label: str):
    return next(s for s in at.selectbox if s.label == f"「{label}」对应文件中的")


def test_a_near_miss_file_is_mapped_on_the_page_imported_and_read_the_same_way_next_time(db):
    at = upload_page()
    at.file_uploader(key="upload-files-0").set_value([("综采队发展党员.xlsx", odd_file(), XLSX)]).run()
    assert not at.exception, at.exception
    assert "像是「发展党员」，但缺少下列列" in shown_text(at)
    # The guesses are preselected, so the preview is already read by them.
    assert [selectbox_for(at, c).value for c in ("工号", "是否一线职工", "是否班组长")] == ["学号", "一线", "带班"]
    assert "将新增 综采队 发展党员（2 行）" in shown_text(at) or any(
        "可导入 2 行" in s.value for s in at.success), shown_text(at)
    at.button(key="upload-confirm").click().run()
    assert not at.exception, at.exception
    assert any("已导入 2 行" in s.value for s in at.success)
    history = mapping_history(Store.shared(db))
    assert json.loads(history["mapping"][0]) == ODD_MAPPING and list(history["saved_by"]) == ["管理员"] or \
        json.loads(history["mapping"][0]) == ODD_MAPPING

    # Next month's file of the same layout: read by the remembered mapping, shown, changeable.
    at.button(key="upload-clear").click().run()
    at.file_uploader(key="upload-files-1").set_value(
        [("综采队发展党员7月.xlsx", odd_file([["000203", "孙七", "检修班", "是", "否", "2023-05-01"]]), XLSX)]).run()
    assert not at.exception, at.exception
    assert any("按上次的对应关系读取：学号 → 工号，一线 → 是否一线职工，带班 → 是否班组长" in i.value for i in at.info)
    assert any("可导入 1 行" in s.value for s in at.success)
    assert not [s for s in at.selectbox if s.label.endswith("对应文件中的")], "not asked again"


def test_a_wrong_choice_is_stopped_before_anything_is_written(db):
    at = upload_page()
    at.file_uploader(key="upload-files-0").set_value([("综采队发展党员.xlsx", odd_file(), XLSX)]).run()
    selectbox_for(at, "是否一线职工").set_value("学号").run()
    assert any("同一列不能对应两个表头" in e.value for e in at.error)
    assert at.button(key="upload-confirm").disabled
    assert Store.shared(db).cursor().execute("SELECT count(*) FROM development").fetchone() == (0,)
    assert ODD_HEADER[0] == "学号"


def test_a_template_with_one_filled_sheet_shows_one_row_and_one_line_for_the_rest(db):
    at = upload_page()
    at.file_uploader(key="upload-files-0").set_value([("报表模板.xlsx", filled_template(), XLSX)]).run()
    assert not at.exception, at.exception
    preview = next(t.value for t in at.dataframe if "工作表" in t.value.columns)
    assert list(preview["工作表"]) == ["人员名册"]
    assert any("其余 11 张空白工作表和填表说明页已跳过" in c.value for c in at.caption)
    at.button(key="upload-confirm").click().run()
    log = next(t.value for t in at.dataframe if "状态" in t.value.columns)
    assert log.shape[0] == 1
    assert "人员名册" in " ".join(str(v) for v in log.iloc[0].tolist())
    assert "理念口号" not in " ".join(str(v) for v in log.iloc[0].tolist())
