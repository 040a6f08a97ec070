"""The audit trail: every write (progress reports, uploads, accounts, imports)
leaves one append-only row with who, when, what, and the record before and after."""
from __future__ import annotations

import json

from sqlalchemy.orm import Session

from store.models import AuditEntry

ACTIONS = {
    "progress.report": "报送节点进度",
    "store.restore": "恢复数据库备份",
    "indicator.report": "报送指标实际值",
    "report.submit": "提交月度报送",
    "user.create": "新建账号",
    "user.update": "修改账号",
    "user.password": "重设密码",
    "plan.import": "导入计划文件",
    "plan.correct": "更正/调整计划",
    "indicator.correct": "更正/调整指标",
    "plan.settings": "设置计划期限与归属",
    "plan.archive": "归档计划",
    "plan.restore": "恢复已归档的计划",
    "finding.confirm": "确认数据质量问题无误",
    "request.submit": "提交计划调整申请",
    "request.approve": "批准计划调整申请",
    "request.reject": "驳回计划调整申请",
    "request.file": "为计划调整申请附文件",
    "review.approve": "审核通过完成情况",
    "review.return": "退回完成情况",
    "period.lock": "锁定报送月份",
    "evidence.upload": "上传佐证材料",
    "urge.send": "催办",
    "urge.answer": "回复催办",
    "department.merge": "合并部门",
    "department.unmerge": "撤销部门合并",
    "department.rename": "部门更名",
    "demo.load": "加载演示数据",
    "demo.clear": "清除演示数据",
    "assessment.rules": "修改考核规则",
    "assessment.bonus": "记录考核加分项",
    "assessment.withdraw": "撤销考核加分项",
    "assessment.publish": "发布年度考核结果",
    "login.suspicious": "多次登录失败（疑似猜测密码）",
}


def _json(value: dict | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)  # keys in the order written


def record(session: Session, actor: str, action: str, target: str, target_kind: str | None = None,
           target_id: int | None = None, before: dict | None = None, after: dict | None = None) -> None:
    """Add one audit row in the caller's transaction (it commits or rolls back with the write)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    session.add(AuditEntry(actor=actor, action=action, target=target, target_kind=target_kind,
                           target_id=target_id, before=_json(before), after=_json(after)))


def as_text(values: dict | None) -> str:
    """{'状态': '已完成', '完成日期': '2020-09-28'} -> '状态：已完成；完成日期：2020-09-28'."""
    if not values:
        return "（无）"
    return "；".join(f"{k}：{v}" for k, v in values.items() if v not in (None, ""))
