"""A data-quality finding answered in place: fixed by a correction of the plan
(corrections.apply; queries.findings sees the change), or confirmed as right
by the admin with a reason (已确认无误).  A confirmation is kept by the
finding's fingerprint, so it holds when the plan is imported again."""
from __future__ import annotations

from sqlalchemy import select

from corrections.apply import MAX_REASON, CorrectionError, admin_of
from store.audit import record
from store.models import Finding, FindingReview

MAX_FINDINGS = 500  # confirmed in one go


def confirm_findings(session, account, finding_ids, reason) -> int:
    """Confirm the findings ``finding_ids`` as right, as ``account`` (an admin);
    how many were confirmed now (those confirmed before are left).
    CorrectionError: nothing written."""
    user = admin_of(session, account, "只有管理员可以确认数据质量问题，未作任何修改。")
    ids = {i for i in finding_ids if isinstance(i, int) and not isinstance(i, bool) and 0 < i < 2**31} \
        if isinstance(finding_ids, list) else set()
    problems = []
    if not ids:
        problems.append("请先在表中勾选要确认的问题。")
    elif len(ids) > MAX_FINDINGS:
        problems.append(f"一次最多确认 {MAX_FINDINGS} 条。")
    if not isinstance(reason, str) or not reason.strip():
        problems.append("请填写确认无误的理由（如：原文如此，已与牵头部门核实）。")
    elif len(reason.strip()) > MAX_REASON:
        problems.append(f"理由不超过 {MAX_REASON} 字。")
    if problems:
        raise CorrectionError(problems)
    findings = session.scalars(select(Finding).where(Finding.id.in_(ids))).all()
    if len(findings) != len(ids):
        raise CorrectionError(["所选问题已不存在（计划可能已重新导入），请刷新页面后再选。"])
    done = {(plan_id, fingerprint) for plan_id, fingerprint in session.execute(
        select(FindingReview.plan_id, FindingReview.fingerprint).where(
            FindingReview.fingerprint.in_({f.fingerprint for f in findings})))}
    confirmed = 0
    for f in findings:
        if (f.plan_id, f.fingerprint) in done:
            continue
        done.add((f.plan_id, f.fingerprint))
        session.add(FindingReview(plan_id=f.plan_id, fingerprint=f.fingerprint, reason=reason.strip(),
                                  reviewed_by=user.username))
        record(session, user.username, "finding.confirm", f.message[:80], "finding", f.id,
               None, {"理由": reason.strip()})
        confirmed += 1
    session.flush()
    return confirmed
