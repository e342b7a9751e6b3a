"""Natural order of 队 and 班组 names: 第二队 before 第十队, 2班 before 10班."""
import re

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _cn_number(text: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23, 一百零五 → 105."""
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


_NUMBER_PART = re.compile(r"(\d+|[零〇一二两三四五六七八九十百]+)")


def natural_key(name) -> tuple:
    """第二队 before 第十队, 2班 before 10班: numbers (Arabic or Chinese) compare as numbers."""
    parts = []
    for token in _NUMBER_PART.split(str(name)):
        if not token:
            continue
        if token.isdigit():
            parts.append((0, int(token), ""))
        elif _NUMBER_PART.fullmatch(token):
            parts.append((0, _cn_number(token), ""))
        else:
            parts.append((1, 0, token))
    return tuple(parts)


def natural_sorted(names) -> list:
    return sorted(names, key=natural_key)
