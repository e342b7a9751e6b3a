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

# Column headers of the metric tables (DataFrame fields → what users read).
COLUMN_LABELS = {
    "unit": "队", "team": "班组", "staff_id": "工号", "name": "姓名", "month": "月份", "quarter": "季度",
    "year": "年度", "headcount": "人数", "members": "党员数", "blank": "空白班组", "member_share": "党员占比",
    "teams": "班组数", "blank_teams": "空白班组数", "change": "变化",
    "liaison_name": "挂靠联系人", "liaison_id": "挂靠联系人工号", "info_month": "班组信息月份",
    "has_liaison": "有挂靠联系人",
    "workers": "非党员职工", "paired_workers": "已结对职工", "worker_coverage": "职工覆盖率",
    "paired_members": "结对党员", "member_participation": "党员参与率", "pairs": "对子数",
    "member_unit": "党员所在队", "member_id": "党员工号", "member_name": "党员姓名",
    "worker_unit": "职工所在队", "worker_team": "职工所在班组", "worker_id": "职工工号", "worker_name": "职工姓名",
    "paired_on": "结对日期", "last_talk": "最近谈心", "days_since": "间隔天数", "method": "谈心方式", "talks": "谈心次数",
    "problem_id": "问题编号", "found_on": "发现日期", "category": "问题类别", "description": "问题描述",
    "owner": "责任人", "status": "办理状态", "age_days": "已过天数", "raised": "新发现", "resolved": "已解决",
    "open": "未办结",
    "zone_id": "责任区编号", "zone_name": "责任区名称", "owner_id": "承包人工号", "owner_name": "承包人姓名",
    "political": "政治面貌", "zones": "责任区数", "owners": "承包人数",
    "post_name": "示范岗名称", "posts": "示范岗数", "all_met": "六好全部达标", "pass_rate": "六好达标率",
    "item": "六好项目", "met": "达标数", "rate": "达标率", "result": "评定结果",
    "people": "人数", "mean_score": "平均分", "unreviewed": "未审核", "score": "得分", "self_score": "自评总分",
    "review_score": "支部审核分", "reviewed": "已审核", "rank": "班组内名次", "prev_rank": "上季度名次",
    "rank_change": "名次变化", "review_rate": "审核完成率", "mean_self_minus_review": "自评与审核差",
    "committee_members": "委员人数", "share": "委员占比", "missing": "缺少的类别", "content": "内容",
    "title": "荣誉名称", "awarded_by": "授予单位", "recipient": "获得者", "honours": "荣誉数",
    "stage": "阶段", "entered": "区间内进入", "from_stage": "从", "to_stage": "到", "median_days": "用时中位数（天）",
    "probation_on": "接收预备党员时间", "due_on": "应转正日期", "days_overdue": "逾期天数",
    "activist_on": "确定积极分子时间", "candidate_on": "确定发展对象时间", "days": "间隔天数",
    "sheet": "报表", "period": "期间", "loaded": "已报送", "rows": "行数", "imported_at": "导入时间",
    "kind": "事项", "who": "相关人员姓名", "since": "起算日期", "action": "督办事项",
}

# Values of blank_team_trend.changes["change"].
CHANGE_LABELS = {"newly_covered": "新消除空白", "newly_blank": "新出现空白"}

# Kinds of 待办督办 items (lib.metrics.todo), most urgent first.
TODO_KIND_LABELS = {
    "overdue_problem": "问题超期未办结", "overdue_talk": "对子逾期未谈心", "due_full_membership": "预备党员到期待转正",
    "blank_team_without_liaison": "空白班组无挂靠联系人", "missing_report": "报表缺报",
    "failed_six_good": "示范岗六好未达标", "team_without_committee": "班组无管理委员会",
    "missing_slogan_category": "理念口号缺类别",
}
