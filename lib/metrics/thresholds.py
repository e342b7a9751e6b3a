"""Thresholds the 口径 depends on, in one place (docs/metrics.md cites them; the 指标口径 page says them as sentences)."""
from lib.ingest.sheets import SIX_GOODS

OVERDUE_TALK_DAYS = 60        # an active pair with no talk in this many days is 逾期未谈
TIMELY_FEEDBACK_DAYS = 7      # a problem answered within this many days of being found is 及时反馈
OPEN_PROBLEM_DAYS = 30        # an unresolved problem older than this at the as-of date is 超期未办结
MODEL_POST_PASS_SCORE = 80    # a 六好 item scored at least this (or 是) is met
FAST_PROMOTION_DAYS = 365     # 积极分子 → 发展对象 sooner than this breaks the one-year training rule
PROBATION_DAYS = 365          # 预备期: 预备党员 due to 转正 after this many days
DEFAULT_MONTHS = 12           # the default filter: the latest this many months loaded
SIX_GOOD_ITEMS = tuple((field, label) for field, label, _ in SIX_GOODS)
