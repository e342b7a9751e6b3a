"""Chinese names of the indicators and of the columns metric tables return."""

HEADLINES = {
    "blank_teams": "空白班组数",
    "team_coverage": "班组党员覆盖率",
    "members": "党员人数",
    "dev_frontline_share": "发展对象一线职工占比",
    "worker_coverage": "包保职工覆盖率",
    "talks": "谈心次数",
    "overdue_pairs": "逾期未谈对子",
    "problems_raised": "新发现问题",
    "problem_resolution": "问题解决率",
    "mean_score": "比学争优平均分",
}
