"""Masking of names and 工号 for meeting mode and exports (lib/masking.py)."""
import math
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from lib.access import masking
from lib.access.masking import (
    ID_FIELDS,
    ID_LABELS,
    NAME_FIELDS,
    NAME_LABELS,
    mask_frame,
    mask_id,
    mask_name,
    mask_text,
    text_masker,
)
from lib.ingest.sheets import SHEETS
from lib.labels import COLUMN_LABELS

# ------------------------------------------------------------------ names

@pytest.mark.parametrize("name, masked", [
    ("张", "*"),
    ("李明", "李*"),
    ("张三林", "张*林"),
    ("欧阳明月", "欧**月"),          # compound surname: purely positional
    ("欧阳明", "欧*明"),
    ("司马相如", "司**如"),
    ("爱新觉罗·溥仪", "爱***·*仪"),
    ("买买提·艾力", "买**·*力"),      # dots stay, first and last character stay
    ("买买提•艾力", "买**•*力"),
    ("买买提.艾力", "买**.*力"),
    ("阿·买", "阿·*"),
    ("努尔·买买提·艾力", "努*·***·*力"),
    ("张\u3000三", "张\u3000*"),      # a 2-character name padded to 3 columns
    ("  李明 ", "  李* "),            # surrounding whitespace kept
    ("Tom", "T**"),
    ("John Smith", "J*** *****"),
    ("A", "*"),
    ("O'Neil", "O'****"),
])
def test_mask_name(name, masked):
    assert mask_name(name) == masked
    assert len(mask_name(name)) == len(name)


@pytest.mark.parametrize("blank", ["", "   ", "\u3000", "无", "—", "/", "N/A"])
def test_blank_names_unchanged(blank):
    assert mask_name(blank) == blank
    assert mask_id(blank) == blank


def test_missing_values_unchanged():
    assert mask_name(None) is None
    assert mask_id(None) is None
    assert math.isnan(mask_name(float("nan")))
    assert math.isnan(mask_id(float("nan")))
    assert mask_name(pd.NA) is pd.NA
    assert mask_id(pd.NaT) is pd.NaT


def test_masking_is_idempotent():
    for name in ["张三林", "李明", "欧阳明月", "买买提·艾力", "Tom", "张"]:
        assert mask_name(mask_name(name)) == mask_name(name)
    for staff_id in ["0081234", "1234", "12", "1"]:
        assert mask_id(mask_id(staff_id)) == mask_id(staff_id)


def test_odd_inputs_never_raise():
    for value in [123, 12.5, True, ["张三"], {"a": 1}, object(), b"\xff\xfe", "张三\x00"]:
        mask_name(value)
        mask_id(value)


# ------------------------------------------------------------------ 工号

@pytest.mark.parametrize("staff_id, masked", [
    ("0081234", "00***34"),
    ("008123", "00**23"),      # leading zeros are characters like any other
    ("000001", "00**01"),
    ("12345", "12*45"),
    ("1234", "***4"),
    ("123", "**3"),
    ("12", "*2"),
    ("1", "*"),
    ("ZC2024001", "ZC*****01"),
    (" 008123 ", " 00**23 "),
    (81234, "81*34"),          # read as a number: masked as the text Excel shows
    (81234.0, "81*34"),
])
def test_mask_id(staff_id, masked):
    assert mask_id(staff_id) == masked


# ------------------------------------------------------------------ properties

HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
LATIN = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
han_names = st.lists(st.text(HAN, min_size=1, max_size=6), min_size=1, max_size=3).map("·".join)
latin_names = st.text(LATIN, min_size=1, max_size=12)
ids = st.text(st.sampled_from("0123456789ABCZ"), min_size=1, max_size=12)


@settings(max_examples=100, deadline=None)
@given(st.one_of(han_names, latin_names))
def test_mask_name_property(name):
    masked = mask_name(name)
    assert isinstance(masked, str) and len(masked) == len(name)
    if len(name) >= 2:
        assert masked != name
    assert masked.count("·") == name.count("·")


@settings(max_examples=100, deadline=None)
@given(ids)
def test_mask_id_property(staff_id):
    masked = mask_id(staff_id)
    assert isinstance(masked, str) and len(masked) == len(staff_id)
    if len(staff_id) >= 2:
        assert masked != staff_id
    assert masked[-1:] == (staff_id[-1:] if len(staff_id) >= 2 else "*")


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.none(), st.floats(), st.integers(), st.text(), st.binary(), st.booleans(),
                 st.lists(st.text(max_size=3), max_size=2)))
def test_never_raises(value):
    mask_name(value)
    mask_id(value)


# ------------------------------------------------------------------ field sets

def test_field_sets():
    assert {"name", "member_name", "worker_name", "owner_name", "liaison_name", "recipient", "mentor",
            "reporter", "owner"} <= NAME_FIELDS
    assert ID_FIELDS == {"staff_id", "member_id", "worker_id", "owner_id", "liaison_id"}
    not_people = {"problem_id", "zone_id", "unit", "team", "zone_name", "post_name", "paired_members", "owners"}
    assert not (NAME_FIELDS | ID_FIELDS) & not_people
    not_people_labels = {"问题编号", "责任区编号", "编号", "队", "班组", "承包人数", "结对党员"}
    assert not (NAME_LABELS | ID_LABELS) & not_people_labels


def test_every_declared_person_column_is_covered():
    """A new sheet column of kind 'name', or 'id' labelled …工号, is masked without touching this module."""
    for sheet in SHEETS:
        for col in sheet.columns:
            if col.kind == "name" or (col.kind == "id" and "工号" in col.label):
                assert col.field in (NAME_FIELDS | ID_FIELDS), (sheet.key, col.field)
                assert set(col.headers) <= (NAME_LABELS | ID_LABELS), (sheet.key, col.field)
    for field, label in COLUMN_LABELS.items():
        if field in NAME_FIELDS | ID_FIELDS:
            assert label in NAME_LABELS | ID_LABELS


def test_personal_headers_never_name_other_columns():
    """A header that means a person somewhere must not mean something else elsewhere."""
    other = ({h for s in SHEETS for c in s.columns if c.field not in NAME_FIELDS | ID_FIELDS for h in c.headers}
             | {label for field, label in COLUMN_LABELS.items() if field not in NAME_FIELDS | ID_FIELDS})
    assert not (NAME_LABELS | ID_LABELS) & other
    assert not NAME_LABELS & ID_LABELS


# ------------------------------------------------------------------ frames

def _values(series):
    """The column as a list, any missing value as None (pandas may hold None as NaN)."""
    return [None if pd.isna(v) else v for v in series]


def _english_frame():
    return pd.DataFrame({
        "unit": ["综采队", "掘锚队", "机关"],
        "team": ["赵林生产班", "检修班", "党群工作部"],
        "staff_id": ["0081234", "008123", None],
        "name": ["张三林", "李明", None],
        "member_id": ["008001", "008002", "008003"],
        "member_name": ["欧阳明月", "买买提·艾力", ""],
        "worker_name": ["王五", "赵六", "孙七"],
        "owner": ["周八", "吴九", "郑十"],
        "problem_id": ["WT-2024-001", "WT-2024-002", "WT-2024-003"],
        "zone_id": ["ZR01", "ZR02", "ZR03"],
        "days_since": [30, 45, 60],
    })


def test_mask_frame_english_fields():
    frame = _english_frame()
    before = frame.copy()
    out = mask_frame(frame)
    pd.testing.assert_frame_equal(frame, before)  # the input is not changed
    assert out["name"].dtype == frame["name"].dtype
    assert _values(out["name"]) == ["张*林", "李*", None]
    assert _values(out["staff_id"]) == ["00***34", "00**23", None]
    assert _values(out["member_name"]) == ["欧**月", "买**·*力", ""]
    assert _values(out["member_id"]) == ["00**01", "00**02", "00**03"]
    assert _values(out["worker_name"]) == ["王*", "赵*", "孙*"]
    assert _values(out["owner"]) == ["周*", "吴*", "郑*"]
    for untouched in ["unit", "team", "problem_id", "zone_id", "days_since"]:
        pd.testing.assert_series_equal(out[untouched], frame[untouched])


def test_mask_frame_chinese_headers():
    frame = pd.DataFrame({
        "队": ["综采队", "通防部"], "班组": ["检修班", "监测监控班"],
        "姓名": ["张三林", "李明"], "工号": ["0081234", "1234"],
        "党员姓名": ["欧阳明月", "王五"], "党员工号": ["008001", "008002"],
        "职工姓名": ["赵六", "孙七"], "职工工号": ["009001", "009002"],
        "承包人姓名": ["周八", "吴九"], "承包人工号": ["007001", "007002"],
        "挂靠联系人": ["郑十", None], "挂靠联系人工号": ["006001", None],
        "获得者": ["买买提·艾力", ""], "责任人": ["钱一", "陈二"],
        "问题编号": ["WT-001", "WT-002"], "责任区编号": ["ZR01", "ZR02"],
        "责任区名称": ["综采工作面", "回风巷"], "承包人数": [3, 2], "结对党员": [5, 4],
    })
    out = mask_frame(frame)
    assert _values(out["姓名"]) == ["张*林", "李*"]
    assert _values(out["工号"]) == ["00***34", "***4"]
    assert _values(out["党员姓名"]) == ["欧**月", "王*"]
    assert _values(out["职工工号"]) == ["00**01", "00**02"]
    assert _values(out["承包人姓名"]) == ["周*", "吴*"]
    assert _values(out["挂靠联系人"]) == ["郑*", None]
    assert _values(out["挂靠联系人工号"]) == ["00**01", None]
    assert _values(out["获得者"]) == ["买**·*力", ""]
    assert _values(out["责任人"]) == ["钱*", "陈*"]
    for untouched in ["队", "班组", "问题编号", "责任区编号", "责任区名称", "承包人数", "结对党员"]:
        pd.testing.assert_series_equal(out[untouched], frame[untouched])
    # Without labels only English field names count.
    pd.testing.assert_frame_equal(mask_frame(frame, also_labels=False), frame)


def test_mask_frame_odd_frames():
    assert mask_frame(pd.DataFrame()).empty
    empty = pd.DataFrame({"name": pd.Series([], dtype=object), "unit": pd.Series([], dtype=object)})
    assert list(mask_frame(empty).columns) == ["name", "unit"]
    dup = pd.DataFrame([["张三林", "李明", "综采队"]], columns=["姓名", "姓名", "队"])
    assert mask_frame(dup).iloc[0].tolist() == ["张*林", "李*", "综采队"]
    numeric = pd.DataFrame({"staff_id": [81234.0, float("nan")], "name": [float("nan"), float("nan")]})
    out = mask_frame(numeric)
    assert out["staff_id"].iloc[0] == "81*34" and pd.isna(out["staff_id"].iloc[1])
    assert out["name"].isna().all()
    cat = pd.DataFrame({"name": pd.Categorical(["张三林", "李明", "张三林"])})
    assert list(mask_frame(cat)["name"]) == ["张*林", "李*", "张*林"]
    lists = pd.DataFrame({"name": [["张三"], "李明"]})
    assert mask_frame(lists)["name"].iloc[1] == "李*"


def test_mask_frame_20000_rows_is_fast():
    n = 20_000
    frame = pd.DataFrame({"unit": ["综采队"] * n, "staff_id": [f"{i:06d}" for i in range(n)],
                          "name": [f"张{chr(0x4E00 + i % 3000)}林" for i in range(n)]})
    started = time.perf_counter()
    out = mask_frame(frame)
    assert time.perf_counter() - started < 2.0
    assert out["staff_id"].iloc[12345] == "01**45"
    assert out["name"].str.fullmatch(r"张\*林").all()


# ------------------------------------------------------------------ free text

def test_mask_text_replaces_every_occurrence():
    text = "张三林反映：张三林和李明谈心，张三林满意。"
    assert mask_text(text, ["张三林", "李明"]) == "张*林反映：张*林和李*谈心，张*林满意。"


def test_mask_text_longer_names_first_and_variants():
    names = ["张三", "张三丰", "李\u3000明", "买买提·艾力", "Tom", "王"]
    text = "张三丰和张三、李明、买买提.艾力、Tom 说 Tomorrow；王家庄"
    assert mask_text(text, names) == "张*丰和张*、李*、买**.*力、T** 说 Tomorrow；王家庄"


def test_mask_text_ids_and_blanks():
    assert mask_text("工号008123的党员，12人", ["李明"], ids=["008123", "12"]) == "工号00**23的党员，12人"
    assert mask_text("", ["李明"]) == ""
    assert mask_text(None, ["李明"]) is None
    assert mask_text("李明", [None, float("nan"), "", "无"]) == "李明"
    assert mask_text("李明来了", "李明") == "李*来了"
    masker = text_masker(pd.Series(["李明", "张三林"]))
    assert [masker(t) for t in ["李明", "张三林在", "无关"]] == ["李*", "张*林在", "无关"]


def test_mask_text_many_names_is_fast():
    """A mine's whole roster (3,000 names, some padded with U+3000) over 2,000 hover texts."""
    names = [f"{s}{chr(0x4E00 + i)}{chr(0x4E80 + i % 50)}" for i, s in
             enumerate(["张", "李", "王", "赵", "刘"] * 600)]
    padded = [n[0] + "\u3000" + n[1:] for n in names[:300]]
    texts = [f"{names[i]}与{names[-i]}谈心，发现问题{i}项" for i in range(2000)]
    started = time.perf_counter()
    masker = text_masker(names[300:] + padded)
    out = [masker(t) for t in texts]
    assert time.perf_counter() - started < 2.0
    assert out[7] == f"{mask_name(names[7])}与{mask_name(names[-7])}谈心，发现问题7项"
    assert out[2] == f"{mask_name(names[2])}与{mask_name(names[-2])}谈心，发现问题2项"


def test_module_has_no_streamlit():
    assert "streamlit" not in Path(masking.__file__).read_text(encoding="utf-8")
