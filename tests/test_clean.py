"""Cell cleaners: examples from real sheets, and properties over any input."""
from __future__ import annotations

import datetime as dt
import decimal
import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from lib.ingest import clean
from lib.ingest.clean import (
    Cleaned,
    clean_bool,
    clean_date,
    clean_enum,
    clean_good,
    clean_id,
    clean_month,
    clean_name,
    clean_number,
    clean_org,
    clean_org_list,
    clean_quarter,
    clean_text,
    clean_year,
    is_blank,
    normalize_text,
)

D = dt.date
PROPS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

POLITICAL = ("中共党员", "中共预备党员", "共青团员", "群众")
POLITICAL_ALIASES = {"党员": "中共党员", "正式党员": "中共党员", "预备党员": "中共预备党员",
                     "团员": "共青团员", "无党派": "群众"}


def ok(c: Cleaned):
    assert isinstance(c, Cleaned)
    assert c.error is None, c
    return c.value


def err(c: Cleaned) -> str:
    assert isinstance(c, Cleaned)
    assert c.value is None, c
    assert c.error, c
    assert c.hint, c
    return c.error


# =========================================================================== is_blank / text
@pytest.mark.parametrize("raw", [
    None, math.nan, float("nan"), np.nan, pd.NaT, pd.NA, "", " ", "\u3000", "\u00a0", " \t\n ",
    "\u200b", "\ufeff", "无", " 无 ", "\u3000无\u3000", "—", "——", "-", "－", "--", "---", "/", "／",
    "空", "无数据", "N/A", "n/a", "Ｎ/Ａ", b"", b"  ", "无".encode("gbk"), np.float64("nan"),
    decimal.Decimal("NaN"), np.datetime64("NaT"),
])
def test_is_blank_true(raw):
    assert is_blank(raw) is True


@pytest.mark.parametrize("raw", [
    0, 0.0, False, True, "0", "否", "有", "x", "#N/A", "无效", "张三", "- -", "----",
    D(2024, 1, 1), dt.time(0), "a", b"a", math.inf,
])
def test_is_blank_false(raw):
    assert is_blank(raw) is False


@pytest.mark.parametrize("raw, expected", [
    ("  综采一队 ", "综采一队"),
    ("\u3000掘进二队\u3000", "掘进二队"),
    ("\u00a0通风队\u00a0", "通风队"),
    ("ＡＢＣ１２３", "ABC123"),
    ("第一行\r\n第二行", "第一行\n第二行"),
    (123, "123"),
    (123.0, "123"),
    (-7.0, "-7"),
    (12.5, "12.5"),
    (92.50, "92.5"),
    (0.1, "0.1"),
    (np.int64(42), "42"),
    (np.float64(3.0), "3"),
    (decimal.Decimal("12.50"), "12.5"),
    (True, "TRUE"),
    (False, "FALSE"),
    (D(2024, 6, 3), "2024-06-03"),
    (dt.datetime(2024, 6, 3), "2024-06-03"),
    (dt.datetime(2024, 6, 3, 14, 30), "2024-06-03 14:30:00"),
    (pd.Timestamp("2024-06-03"), "2024-06-03"),
    (dt.time(8, 5), "08:05:00"),
    ("综采队".encode("utf-8"), "综采队"),
    ("综采队".encode("gbk"), "综采队"),
    (None, ""),
    (math.nan, ""),
])
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


def test_clean_text():
    assert clean_text("  备注内容\u3000") == Cleaned("备注内容")
    assert clean_text("无") == Cleaned()
    assert clean_text(None) == Cleaned()
    assert clean_text(85.0) == Cleaned("85")
    assert clean_text("张　三").value == "张 三"     # inner spaces are kept in free text


@pytest.mark.parametrize("raw", ["#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#div/0!"])
def test_excel_error_values_are_errors_everywhere(raw):
    for fn in (clean_text, clean_org, clean_org_list, clean_name, clean_id, clean_bool, clean_date,
               clean_month, clean_quarter, clean_year, clean_number, clean_good):
        assert "Excel 错误值" in err(fn(raw)), fn
    assert "Excel 错误值" in err(clean_enum(raw, POLITICAL, POLITICAL_ALIASES))


# =========================================================================== org / names / ids
@pytest.mark.parametrize("raw, expected", [
    ("综采一队", "综采一队"),
    (" 综采 一队 ", "综采一队"),
    ("综采\u3000一队", "综采一队"),
    ("综采\n一队", "综采一队"),
    ("掘进\u00a0二队", "掘进二队"),
    ("机电队（井下）", "机电队(井下)"),          # NFKC: full-width brackets
    ("１班", "1班"),
    (3, "3"),
    (3.0, "3"),
])
def test_clean_org(raw, expected):
    assert ok(clean_org(raw)) == expected


@pytest.mark.parametrize("raw", [None, "", "\u3000", "无", "—", "-", math.nan])
def test_clean_org_blank(raw):
    assert clean_org(raw) == Cleaned()


@pytest.mark.parametrize("raw", [True, D(2024, 1, 2), dt.datetime(2024, 1, 2), dt.time(1, 2)])
def test_clean_org_rejects_non_names(raw):
    err(clean_org(raw))


@pytest.mark.parametrize("raw, expected", [
    ("一班、二班", "一班、二班"),
    ("一班,二班", "一班、二班"),
    ("一班，二班", "一班、二班"),
    ("一班;二班；三班", "一班、二班、三班"),
    ("一班/二班", "一班、二班"),
    ("一班 二班", "一班、二班"),
    ("一班\n二班\r\n三班", "一班、二班、三班"),
    ("一班\u3000二班", "一班、二班"),
    ("一班、、二班、", "一班、二班"),
    ("一班、二班、一班", "一班、二班"),
    ("综采一班", "综采一班"),
    ("一班、无、二班", "一班、二班"),
])
def test_clean_org_list(raw, expected):
    assert ok(clean_org_list(raw)) == expected


def test_clean_org_list_duplicate_warning_and_blank():
    assert clean_org_list("一班、一班").warning
    assert clean_org_list("一班、二班").warning is None
    assert clean_org_list("、 ，/") == Cleaned()
    assert clean_org_list("无") == Cleaned()


@pytest.mark.parametrize("raw, expected, warned", [
    ("张三", "张三", False),
    (" 张三 ", "张三", False),
    ("\u3000张三\u3000", "张三", False),
    ("张　三", "张三", True),
    ("张 三", "张三", True),
    ("王  小 明", "王小明", True),
    ("买买提·艾力", "买买提·艾力", False),
    ("买买提•艾力", "买买提·艾力", False),
    ("买买提・艾力", "买买提·艾力", False),
    ("买买提･艾力", "买买提·艾力", False),
])
def test_clean_name(raw, expected, warned):
    c = clean_name(raw)
    assert ok(c) == expected
    if warned:
        assert c.warning and "姓名中含空格，已去除" in c.warning
    else:
        assert c.warning is None


def test_clean_name_suspicious_and_bad():
    assert "数字" in clean_name("10023").warning
    assert clean_name("无") == Cleaned()
    err(clean_name(D(2024, 1, 1)))
    err(clean_name(True))


@pytest.mark.parametrize("raw, expected", [
    ("00123", "00123"),
    (" 00123 ", "00123"),
    ("０１２３", "0123"),
    ("\u3000０１２３\u3000", "0123"),
    (123, "123"),
    (123.0, "123"),
    (np.int64(123), "123"),
    (np.float64(123.0), "123"),
    ("123.0", "123"),
    ("00123.0", "00123"),
    ("123.00", "123"),
    ("A0012", "A0012"),
    ("ZC-001", "ZC-001"),
    ("'00123", "00123"),
    (0, "0"),
])
def test_clean_id(raw, expected):
    c = clean_id(raw)
    assert ok(c) == expected
    assert c.warning is None


def test_clean_id_never_float_text():
    for raw in (1.0, 100.0, 20240603.0, 123456789.0):
        assert not ok(clean_id(raw)).endswith(".0")


@pytest.mark.parametrize("raw", [12.5, 0.1, math.inf, -math.inf, True, False, D(2024, 1, 2),
                                 dt.time(3, 4), "1.23E+11", "1.2345e+15"])
def test_clean_id_errors(raw):
    err(clean_id(raw))


def test_clean_id_warnings():
    c = clean_id("001 23")
    assert ok(c) == "00123" and "空格" in c.warning
    c = clean_id(1234567890123456.0)
    assert ok(c) == "1234567890123456" and "15位" in c.warning


# =========================================================================== 是/否
@pytest.mark.parametrize("raw", [
    "是", "是 ", " 是", "\u3000是\u3000", "√", "✓", "✔", "Y", "y", "Ｙ", "yes", "YES", "Yes", "有", "1",
    "１", "True", "TRUE", "true", "对", True, 1, 1.0, np.bool_(True), np.int64(1),
])
def test_clean_bool_true(raw):
    assert ok(clean_bool(raw)) is True


@pytest.mark.parametrize("raw", [
    "否", " 否 ", "×", "✗", "✘", "X", "x", "N", "n", "no", "NO", "无", " 无 ", "\u3000无", "0", "False",
    "FALSE", "不是", "不 是", False, 0, 0.0, np.bool_(False),
])
def test_clean_bool_false(raw):
    assert ok(clean_bool(raw)) is False


@pytest.mark.parametrize("raw", [None, "", " ", "\u3000", "—", "-", "/", "空", "N/A", math.nan])
def test_clean_bool_blank(raw):
    assert clean_bool(raw) == Cleaned()


@pytest.mark.parametrize("raw", ["GB", "maybe", "是否", "2", 2, 0.5, -1, "√×", D(2024, 1, 1),
                                 dt.time(1, 0)])
def test_clean_bool_errors(raw):
    c = clean_bool(raw)
    assert err(c) == "无法识别的是/否值" or "Excel" in c.error
    assert c.hint == "请填写 是 或 否"


# =========================================================================== dates
@pytest.mark.parametrize("raw, expected", [
    (D(2023, 7, 3), D(2023, 7, 3)),
    (dt.datetime(2023, 7, 3, 14, 30), D(2023, 7, 3)),
    (pd.Timestamp("2023-07-03 08:00"), D(2023, 7, 3)),
    (np.datetime64("2023-07-03"), D(2023, 7, 3)),
    (np.datetime64("2023-07-03T08:00:00.000000000"), D(2023, 7, 3)),
    (45110, D(2023, 7, 3)),
    (45110.0, D(2023, 7, 3)),
    (45110.75, D(2023, 7, 3)),                  # time of day ignored
    (np.float64(45110.5), D(2023, 7, 3)),
    (18264, D(1950, 1, 1)),
    (73415, D(2100, 12, 31)),
    (20230703, D(2023, 7, 3)),                  # YYYYMMDD typed as a number
    ("2023-07-03", D(2023, 7, 3)),
    ("2023/7/3", D(2023, 7, 3)),
    ("2023/07/03", D(2023, 7, 3)),
    ("2023.7.3", D(2023, 7, 3)),
    ("2023.07.03", D(2023, 7, 3)),
    ("2023年7月3日", D(2023, 7, 3)),
    ("2023年07月03日", D(2023, 7, 3)),
    ("2023 年 7 月 3 日", D(2023, 7, 3)),
    ("2023年7月3号", D(2023, 7, 3)),
    ("20230703", D(2023, 7, 3)),
    ("２０２３－０７－０３", D(2023, 7, 3)),
    ("2019/2/3  14:30", D(2019, 2, 3)),
    ("2019/2/3 14:30:59", D(2019, 2, 3)),
    ("2023-07-03 08:00:00", D(2023, 7, 3)),
    ("2023-07-03T08:00:00", D(2023, 7, 3)),
    ("2023-07-03T08:00:00.000Z", D(2023, 7, 3)),
    ("2023-07-03 08:00:00+08:00", D(2023, 7, 3)),
    ("2023/7/3 下午 2:30", D(2023, 7, 3)),
    ("2023年7月3日 14时30分", D(2023, 7, 3)),
    ("2023年7月3日星期一", D(2023, 7, 3)),
    ("\u3000 2023-07-03 \u3000", D(2023, 7, 3)),
    ("2024-02-29", D(2024, 2, 29)),
])
def test_clean_date(raw, expected):
    value = ok(clean_date(raw))
    assert value == expected
    assert type(value) is dt.date


def test_clean_date_serial_text_is_accepted_with_warning():
    c = clean_date("45110")
    assert ok(c) == D(2023, 7, 3) and c.warning


@pytest.mark.parametrize("raw, message", [
    ("2023-02-30", "不存在的日期"),
    ("2023-02-29", "不存在的日期"),
    ("2023-13-01", "不存在的日期"),
    ("2023年4月31日", "不存在的日期"),
    ("20230230", "不存在的日期"),
    ("2023-07", "缺少日"),
    ("2023/7", "缺少日"),
    ("2023.07", "缺少日"),
    ("2023年7月", "缺少日"),
    ("2023年07月", "缺少日"),
    ("202307", "缺少日"),
    ("hello", "无法识别的日期"),
    ("7/3/2023", "无法识别的日期"),
    ("23-7-3", "无法识别的日期"),
    ("2023-07-03 garbage", "无法识别的日期"),
    ("1899-12-31", "年份超出合理范围"),
    (D(1899, 12, 31), "年份超出合理范围"),
    (D(2200, 1, 1), "年份超出合理范围"),
    (0, "超出 Excel 日期序号"),
    (1, "超出 Excel 日期序号"),
    (-5, "超出 Excel 日期序号"),
    (100000, "超出 Excel 日期序号"),
    (18263, "超出 Excel 日期序号"),
    (73416, "超出 Excel 日期序号"),
    (2023.07, "日期被存成了数字"),
    (math.inf, "无法识别的日期"),
    (True, "是/否值不是日期"),
    (dt.time(14, 30), "只有时间"),
])
def test_clean_date_errors(raw, message):
    c = clean_date(raw)
    assert message in err(c)
    if message == "缺少日":
        assert c.error == "缺少日" and c.hint == "请写成完整日期，如 2023-07-03"


@pytest.mark.parametrize("raw, expected", [
    ("2023-07", D(2023, 7, 1)),
    ("2023-7", D(2023, 7, 1)),
    ("2023/07", D(2023, 7, 1)),
    ("2023/7", D(2023, 7, 1)),
    ("2023.07", D(2023, 7, 1)),
    ("2023.7", D(2023, 7, 1)),
    ("2023.10", D(2023, 10, 1)),
    ("2023.12", D(2023, 12, 1)),
    ("2023年7月", D(2023, 7, 1)),
    ("2023年07月", D(2023, 7, 1)),
    ("2023年07月份", D(2023, 7, 1)),
    ("2023年7月份", D(2023, 7, 1)),
    ("2023 年 7 月", D(2023, 7, 1)),
    ("2023年十月", D(2023, 10, 1)),
    ("2023年十二月", D(2023, 12, 1)),
    ("2023年三月", D(2023, 3, 1)),
    ("202307", D(2023, 7, 1)),
    ("２０２３－０７", D(2023, 7, 1)),
    ("2023-07-15", D(2023, 7, 1)),
    ("2023年7月15日", D(2023, 7, 1)),
    ("2019/2/3  14:30", D(2019, 2, 1)),
    (202307, D(2023, 7, 1)),
    (202307.0, D(2023, 7, 1)),
    (np.int64(202312), D(2023, 12, 1)),
    (D(2023, 7, 15), D(2023, 7, 1)),
    (dt.datetime(2023, 7, 15, 9), D(2023, 7, 1)),
    (pd.Timestamp("2023-07-15"), D(2023, 7, 1)),
    (45123, D(2023, 7, 1)),                    # a date cell read as its serial
])
def test_clean_month(raw, expected):
    assert ok(clean_month(raw)) == expected


def test_clean_month_text_2023_1_is_rejected_as_ambiguous():
    c = clean_month("2023.1")  # a CSV export of the number 2023.10 looks the same
    assert err(c) == "月份被存成了数字，无法区分1月和10月"
    assert ok(clean_month("2023.7")) == D(2023, 7, 1)
    assert clean_month("2023.01").warning is None
    assert clean_month("2023-1").warning is None


@pytest.mark.parametrize("raw", [2023.1, 2023.07, 2023.10, 2023.7, 2023.12, 2023.01, np.float64(2023.1)])
def test_clean_month_rejects_month_typed_as_number(raw):
    c = clean_month(raw)
    assert err(c) == "月份被存成了数字，无法区分1月和10月"
    assert c.hint == "请把单元格设为文本，写成 2023-10 或 2023年10月"


@pytest.mark.parametrize("raw, message", [
    ("2023-13", "月份应在 1–12 之间"),
    ("2023-0", "月份应在 1–12 之间"),
    ("2023年13月", "月份应在 1–12 之间"),
    (202313, "月份应在 1–12 之间"),
    (202300, "月份应在 1–12 之间"),
    ("1949-12", "年份超出合理范围"),
    ("2101-01", "年份超出合理范围"),
    (190001, "年份超出合理范围"),
    (D(1900, 1, 1), "年份超出合理范围"),
    ("2023", "缺少月份"),
    ("2023年", "缺少月份"),
    (2023, "缺少月份"),
    (2023.0, "缺少月份"),
    ("七月", "无法识别的月份"),
    ("hello", "无法识别的月份"),
    ("2023-02-30", "不存在的日期"),
    (12, "无法识别的月份"),
    (math.inf, "无法识别的月份"),
    (True, "是/否值不是月份"),
    (dt.time(1, 2), "只有时间"),
])
def test_clean_month_errors(raw, message):
    assert message in err(clean_month(raw))


@pytest.mark.parametrize("raw, expected", [
    ("2024Q2", "2024Q2"),
    ("2024q2", "2024Q2"),
    ("2024-Q2", "2024Q2"),
    ("2024 Q2", "2024Q2"),
    ("2024 q2", "2024Q2"),
    ("２０２４Ｑ２", "2024Q2"),
    ("2024年第二季度", "2024Q2"),
    ("2024年二季度", "2024Q2"),
    ("2024年2季度", "2024Q2"),
    ("2024年第2季度", "2024Q2"),
    ("2024年第二季", "2024Q2"),
    ("2024-2季度", "2024Q2"),
    ("2024年第一季度", "2024Q1"),
    ("2024年第三季度", "2024Q3"),
    ("2024年第四季度", "2024Q4"),
    ("2024年度第四季度", "2024Q4"),
    ("2024 年 第 四 季 度", "2024Q4"),
    ("Q3 2024", "2024Q3"),
    (D(2024, 1, 1), "2024Q1"),
    (D(2024, 3, 31), "2024Q1"),
    (D(2024, 4, 1), "2024Q2"),
    (D(2024, 9, 30), "2024Q3"),
    (dt.datetime(2024, 12, 31, 23, 59), "2024Q4"),
    (pd.Timestamp("2024-05-06"), "2024Q2"),
])
def test_clean_quarter(raw, expected):
    assert ok(clean_quarter(raw)) == expected


@pytest.mark.parametrize("raw", ["2024Q5", "2024Q0", "2024年第五季度", "2024-2", "2024.2", "2024",
                                 "第二季度", "Q2", "2024年2", 20242, 2024.2, True, dt.time(1, 0),
                                 "上半年", "1949Q1"])
def test_clean_quarter_errors(raw):
    c = clean_quarter(raw)
    err(c)
    if raw != "1949Q1":
        assert c.hint == "请写成 2024Q2 或 2024年第二季度"


@pytest.mark.parametrize("raw, expected", [
    (2022, 2022), (2022.0, 2022), (np.int64(2022), 2022), ("2022", 2022), ("2022年", 2022),
    ("2022年度", 2022), (" ２０２２ 年 ", 2022), ("2022.0", 2022), (D(2022, 5, 1), 2022),
    (1950, 1950), (2100, 2100),
])
def test_clean_year(raw, expected):
    value = ok(clean_year(raw))
    assert value == expected and type(value) is int


@pytest.mark.parametrize("raw", [1949, 2101, 22, "22年", "二〇二二年", 2022.5, "2022.5", True,
                                 "2022-01", math.inf, 45000, dt.time(1, 1)])
def test_clean_year_errors(raw):
    err(clean_year(raw))


# =========================================================================== numbers
@pytest.mark.parametrize("raw, expected", [
    (85, 85.0), (85.5, 85.5), ("85", 85.0), (" 85 ", 85.0), ("８５", 85.0), ("85分", 85.0),
    ("85 分", 85.0), ("1,234.5", 1234.5), ("1，234.5", 1234.5), ("12,345,678", 12345678.0),
    ("-3", -3.0), ("−3", -3.0), ("+3", 3.0), (".5", 0.5), ("5.", 5.0), ("1e3", 1000.0),
    ("3人", 3.0), ("12次", 12.0), (np.int64(7), 7.0), (np.float64(7.25), 7.25),
    (decimal.Decimal("7.5"), 7.5), ("\u3000100\u3000", 100.0), ("1 234", 1234.0),
])
def test_clean_number(raw, expected):
    value = ok(clean_number(raw))
    assert value == expected and type(value) is float


@pytest.mark.parametrize("raw", [None, "", "-", "—", "无", math.nan, np.nan])
def test_clean_number_blank(raw):
    assert clean_number(raw) == Cleaned()


@pytest.mark.parametrize("raw", ["abc", "1,23", "1.2.3", "85%", "nan", "NaN", "inf", "Infinity",
                                 math.inf, -math.inf, "1e999", 10 ** 400, True, False,
                                 D(2024, 3, 5), dt.time(1, 0), "分", "GB", "12,34.5"])
def test_clean_number_errors(raw):
    err(clean_number(raw))


@pytest.mark.parametrize("raw, lo, hi, message", [
    (101, 0, 100, "超出范围 0–100"),
    (-1, 0, 100, "超出范围 0–100"),
    ("100.5分", 0, 100, "超出范围 0–100"),
    (-1, 0, None, "超出范围 ≥0"),
    (11, None, 10, "超出范围 ≤10"),
    (1.5, 2.5, 3.5, "超出范围 2.5–3.5"),
])
def test_clean_number_range(raw, lo, hi, message):
    assert err(clean_number(raw, lo, hi)) == message


@pytest.mark.parametrize("raw, lo, hi", [(0, 0, 100), (100, 0, 100), ("50", 0, 100), (5, None, None),
                                          (-5, None, 0), (5, 5, None)])
def test_clean_number_in_range(raw, lo, hi):
    ok(clean_number(raw, lo, hi))


# =========================================================================== enum / 六好
@pytest.mark.parametrize("raw, expected", [
    ("中共党员", "中共党员"), (" 中共党员 ", "中共党员"), ("中共 党员", "中共党员"),
    ("中共\u3000预备党员", "中共预备党员"), ("党员", "中共党员"), ("正式党员", "中共党员"),
    ("预备党员", "中共预备党员"), ("团员", "共青团员"), ("群众", "群众"), ("无党派", "群众"),
])
def test_clean_enum(raw, expected):
    assert ok(clean_enum(raw, POLITICAL, POLITICAL_ALIASES)) == expected


def test_clean_enum_errors_and_blanks():
    c = clean_enum("GB", POLITICAL, POLITICAL_ALIASES)
    assert err(c) == "不是允许的取值"
    assert c.hint == "允许的取值：中共党员、中共预备党员、共青团员、群众"
    assert clean_enum("无", POLITICAL, POLITICAL_ALIASES) == Cleaned()
    assert clean_enum(None, POLITICAL, POLITICAL_ALIASES) == Cleaned()
    err(clean_enum(1, POLITICAL, POLITICAL_ALIASES))
    assert ok(clean_enum("女性", ("男", "女"), {"男性": "男", "女性": "女"})) == "女"
    assert ok(clean_enum("ａ", ("A", "B"), {})) == "A"             # NFKC + case-insensitive
    assert ok(clean_enum("B", ("A", "B"), {})) == "B"


@pytest.mark.parametrize("raw, expected", [
    (85, "85"), (85.0, "85"), ("85", "85"), ("85.0", "85"), (92.5, "92.5"), ("92.50", "92.5"),
    ("85分", "85"), ("８５", "85"), (100, "100"), (60, "60"),
    ("是", "是"), ("否", "否"), ("√", "是"), ("×", "否"), ("Y", "是"), ("N", "否"), ("有", "是"),
    ("无", "否"), (" 是 ", "是"), (True, "是"), (False, "否"), ("不是", "否"),
])
def test_clean_good(raw, expected):
    assert ok(clean_good(raw)) == expected


def test_clean_good_zero_and_one_are_scores_with_a_warning():
    for raw in (1, 0, "1", "0", 1.0):
        c = clean_good(raw)
        assert ok(c) in ("0", "1") and c.warning


@pytest.mark.parametrize("raw", [101, -1, "120分", "GB", "良好", math.inf, D(2024, 1, 1), "85%"])
def test_clean_good_errors(raw):
    c = clean_good(raw)
    err(c)
    assert c.hint == "请填写 0–100 的分数，或 是/否"


@pytest.mark.parametrize("raw", [None, "", "-", "—", math.nan])
def test_clean_good_blank(raw):
    assert clean_good(raw) == Cleaned()


# =========================================================================== properties
ANY_CELL = st.one_of(
    st.none(), st.text(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.dates(), st.datetimes(), st.times(), st.binary(),
)
# Texts that look like what the cleaners parse, to reach deep into the parsers.
CELL_LIKE = st.one_of(
    st.from_regex(r"\A[0-9０-９]{1,8}[-/.年 ]?[0-9]{0,2}[-/.月 ]?[0-9]{0,2}[日号]?\Z"),
    st.from_regex(r"\A[0-9]{4}[年 -]?第?[1-4一二三四五Qq]季?度?\Z"),
    st.from_regex(r"\A[ \u3000]?[+\-−]?[0-9,，]{0,9}\.?[0-9]{0,3}(e[0-9]{1,3})?分?[ \u3000]?\Z"),
    st.from_regex(r"\A[是否√×有无YyNn01 \u3000]{0,3}\Z"),
    st.from_regex(r"\A[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}[ T]{1,2}[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?\Z"),
    st.lists(st.sampled_from(["一班", "二班", "、", ",", "，", "/", " ", "\u3000", "\n", "无", "班"]),
             max_size=6).map("".join),
    st.sampled_from(["#N/A", "#DIV/0!", "无", "—", "N/A", "\u200b", "'0012", "1.23E+11"]),
)
INPUTS = st.one_of(ANY_CELL, CELL_LIKE)

CLEANERS = {
    "text": clean_text,
    "org": clean_org,
    "org_list": clean_org_list,
    "name": clean_name,
    "id": clean_id,
    "bool": clean_bool,
    "date": clean_date,
    "month": clean_month,
    "quarter": clean_quarter,
    "year": clean_year,
    "number": clean_number,
    "number_0_100": lambda raw: clean_number(raw, 0, 100),
    "enum": lambda raw: clean_enum(raw, POLITICAL, POLITICAL_ALIASES),
    "good": clean_good,
}
CJK = re.compile(r"[\u4e00-\u9fff]")
WS = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]")


def check_shape(c) -> None:
    assert isinstance(c, Cleaned)
    assert c.error != clean.cells._MSG_INTERNAL, "the safety net was reached: a cleaner raised"
    for message in (c.error, c.hint, c.warning):
        assert message is None or (isinstance(message, str) and CJK.search(message)), message
    if c.error is not None:
        assert c.value is None and c.warning is None and c.hint
    if c.value is None:
        assert c.warning is None


@PROPS
@given(raw=INPUTS)
def test_cleaners_never_raise(raw):
    """Every cleaner, on any input: no exception, a well-formed Cleaned, Chinese messages, and
    cleaning the cleaned value again gives the same value (idempotence)."""
    for kind, fn in CLEANERS.items():
        c = fn(raw)
        check_shape(c)
        if c.value is not None:
            again = fn(c.value)
            assert again.error is None and again.value == c.value, (kind, raw, c, again)


@PROPS
@given(raw=INPUTS)
def test_value_types(raw):
    if (v := clean_text(raw).value) is not None:
        assert isinstance(v, str) and v and v == v.strip()
    for fn in (clean_org, clean_id):
        if (v := fn(raw).value) is not None:
            assert isinstance(v, str) and v and not WS.search(v)
    if (v := clean_org_list(raw).value) is not None:
        items = v.split("、")
        assert all(items) and len(set(items)) == len(items) and not WS.search(v)
    if (v := clean_name(raw).value) is not None:
        assert isinstance(v, str) and not WS.search(v)
    if (v := clean_bool(raw).value) is not None:
        assert type(v) is bool
    if (v := clean_date(raw).value) is not None:
        assert type(v) is dt.date and 1950 <= v.year <= 2100
    if (v := clean_month(raw).value) is not None:
        assert type(v) is dt.date and v.day == 1 and 1950 <= v.year <= 2100
    if (v := clean_quarter(raw).value) is not None:
        assert re.fullmatch(r"(19[5-9][0-9]|20[0-9]{2}|2100)Q[1-4]", v)
    if (v := clean_year(raw).value) is not None:
        assert type(v) is int and 1950 <= v <= 2100
    if (v := clean_number(raw, 0, 100).value) is not None:
        assert type(v) is float and 0 <= v <= 100
    if (v := clean_good(raw).value) is not None:
        assert v in ("是", "否") or 0 <= float(v) <= 100 and not v.endswith(".0")


@PROPS
@given(raw=INPUTS)
def test_is_blank_and_normalize_text_never_raise(raw):
    assert isinstance(is_blank(raw), bool)
    s = normalize_text(raw)
    assert isinstance(s, str) and normalize_text(s) == s
    if is_blank(raw):
        for kind, fn in CLEANERS.items():
            if kind not in ("bool", "good"):       # 无 means 否 there
                assert fn(raw) == Cleaned(), kind


IN_RANGE_DATES = st.dates(min_value=D(1950, 1, 1), max_value=D(2100, 12, 31))


@PROPS
@given(d=IN_RANGE_DATES, t=st.times())
def test_date_round_trips(d, t):
    assert clean_date(d) == Cleaned(d)
    assert clean_date(dt.datetime.combine(d, t)) == Cleaned(d)
    assert clean_date(d.isoformat()) == Cleaned(d)
    assert clean_date(f"{d.year}/{d.month}/{d.day}") == Cleaned(d)
    assert clean_date(f"{d.year}年{d.month}月{d.day}日") == Cleaned(d)
    assert clean_date(d.strftime("%Y%m%d")) == Cleaned(d)
    assert clean_date((d - D(1899, 12, 30)).days) == Cleaned(d)
    assert clean_date(f"{d.year}.{d.month}.{d.day} {t.hour}:{t.minute:02d}") == Cleaned(d)


@PROPS
@given(d=IN_RANGE_DATES)
def test_month_round_trips(d):
    first = d.replace(day=1)
    assert clean_month(d) == Cleaned(first)
    assert clean_month(dt.datetime.combine(d, dt.time(12))) == Cleaned(first)
    assert clean_month(d.strftime("%Y-%m")).value == first
    assert clean_month(f"{d.year}年{d.month}月").value == first
    assert clean_month(d.year * 100 + d.month) == Cleaned(first)
    assert clean_month(d.isoformat()) == Cleaned(first)


@PROPS
@given(y=st.integers(1950, 2100), q=st.integers(1, 4))
def test_quarter_round_trips(y, q):
    assert clean_quarter(f"{y}Q{q}") == Cleaned(f"{y}Q{q}")
    assert clean_quarter(f"{y}年第{'一二三四'[q - 1]}季度") == Cleaned(f"{y}Q{q}")
    assert clean_quarter(D(y, 3 * q, 1)) == Cleaned(f"{y}Q{q}")


@PROPS
@given(y=st.integers(1950, 2100))
def test_year_round_trips(y):
    for raw in (y, float(y), str(y), f"{y}年", f"{y}年度"):
        assert clean_year(raw) == Cleaned(y)


@PROPS
@given(s=st.text(alphabet="0123456789", min_size=1, max_size=20))
def test_id_digit_strings_round_trip(s):
    assert clean_id(s) == Cleaned(s)
    full_width = s.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    assert clean_id(full_width) == Cleaned(s)
    assert clean_id(f" {s}.0 ") == Cleaned(s)


@PROPS
@given(n=st.integers(0, 10 ** 15 - 1))
def test_id_numbers_never_get_dot_zero(n):
    assert clean_id(n) == Cleaned(str(n))
    assert clean_id(float(n)) == Cleaned(str(n))


@PROPS
@given(x=st.floats(allow_nan=False, allow_infinity=False))
def test_number_round_trips(x):
    assert clean_number(x) == Cleaned(x)
    assert clean_number(repr(x)) == Cleaned(x)
    assert clean_number(f"{x:,}") == Cleaned(float(f"{x:,}".replace(",", "")))


@PROPS
@given(y=st.integers(1950, 2100), m=st.integers(1, 12))
def test_month_as_float_is_always_rejected(y, m):
    raw = float(f"{y}.{m:02d}")
    if not raw.is_integer():
        assert clean_month(raw).error == "月份被存成了数字，无法区分1月和10月"


# =========================================================================== control characters, lengths
from lib.ingest.clean.cells import MSG_CONTROLS, has_controls  # noqa: E402
from lib.ingest.clean.text import MAX_KEY_CHARS, MAX_TEXT_CHARS  # noqa: E402

CONTROLS = ["\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\x9b",
            "\u202a", "\u202e", "\u2066", "\u2069"]


@pytest.mark.parametrize("ch", CONTROLS)
@pytest.mark.parametrize("kind, raw, expected", [
    ("text", "澡堂{}热水", "澡堂热水"),
    ("org", "检修{}班", "检修班"),
    ("org_list", "一班{}、二班", "一班、二班"),
    ("name", "张{}三", "张三"),
    ("id", "0012{}34", "001234"),
    ("bool", "是{}", True),
    ("date", "2024-06-03{}", D(2024, 6, 3)),
    ("month", "2024年6月{}", D(2024, 6, 1)),
    ("quarter", "2024Q2{}", "2024Q2"),
    ("year", "{}2024", 2024),
    ("number", "8{}5", 85.0),
    ("enum", "中共{}党员", "中共党员"),
    ("good", "是{}", "是"),
])
def test_control_characters_removed_with_a_warning(kind, raw, expected, ch):
    c = CLEANERS[kind](raw.format(ch))
    assert c.value == expected and c.error is None, c
    assert c.warning.split("；")[0] == MSG_CONTROLS


def test_control_warning_comes_first_and_keeps_the_others():
    assert clean_name("张 三\x07").warning == f"{MSG_CONTROLS}；姓名中含空格，已去除"
    assert clean_org_list("一班\x07、一班").warning == f"{MSG_CONTROLS}；有重复的名称，已合并"


def test_tab_and_line_breaks_are_not_controls():
    assert clean_text("第一行\r\n第二行\t备注") == Cleaned("第一行\n第二行\t备注")
    assert clean_org("检修\t班") == Cleaned("检修班")
    assert normalize_text("a\x07b\u202ec") == "abc"


def test_a_cell_of_controls_only_is_blank():
    for raw in ("\x07", "\x00\x1b", " \u202e "):
        assert is_blank(raw)
        assert clean_text(raw) == Cleaned() and clean_name(raw) == Cleaned()


def test_literal_escape_text_is_not_a_control():
    assert clean_text("_x0007_") == Cleaned("_x0007_")
    assert clean_org("班_x001B_") == Cleaned("班_x001B_")


@pytest.mark.parametrize("fn, what", [(clean_org, "名称"), (clean_name, "姓名"), (clean_id, "工号或编号"),
                                      (clean_org_list, "名称")])
def test_keys_over_the_limit_are_errors(fn, what):
    assert fn("8" * MAX_KEY_CHARS).error is None
    c = fn("8" * (MAX_KEY_CHARS + 1))
    assert c.error == f"{what}过长（51 个字），超过 50 个字的上限" and "不超过 50 个字" in c.hint


def test_key_limit_counts_one_name_of_a_list_and_numbers_too():
    teams = "、".join(ch * 50 for ch in "甲乙丙")
    assert clean_org_list(teams) == Cleaned(teams)
    assert clean_org_list("一班、" + "班" * 51).error.startswith("名称过长（51 个字）")
    assert clean_id(10 ** 51).error.startswith("工号或编号过长（52 个字）")
    assert clean_id(1e51).error.startswith("工号或编号过长")


def test_free_text_limit_is_excel_cells():
    assert clean_text("问" * MAX_TEXT_CHARS) == Cleaned("问" * MAX_TEXT_CHARS)
    c = clean_text("问" * 100_000)
    assert c.error == "内容过长（100000 个字），超过 Excel 单元格 32767 个字的上限" and c.hint


@PROPS
@given(raw=st.one_of(INPUTS, st.text(alphabet=st.characters(max_codepoint=0x206F)),
                     st.lists(st.sampled_from(["班", "张", "\x07", "\x00", "\u202e", "\x85", "\t", "\n", "、"]),
                              max_size=8).map("".join)))
def test_no_cleaned_value_keeps_a_control(raw):
    """Whatever the input, no cleaned text holds a control character, and a removal is said."""
    assert not has_controls(normalize_text(raw))
    for kind, fn in CLEANERS.items():
        c = fn(raw)
        check_shape(c)
        if isinstance(c.value, str):
            assert not has_controls(c.value), (kind, raw, c)
        if c.value is not None and isinstance(raw, str) and has_controls(raw):
            assert c.warning and c.warning.startswith(MSG_CONTROLS), (kind, raw, c)
