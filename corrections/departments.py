"""One name per department, by the admin: merge two departments of a city
that are one office (its item roles, accounts and reports go to the one
kept), undo a merge, rename a department.  The name merged or renamed away
stays as another name of the department (DepartmentAlias), so a later import
reads it as that department.  Every step is audited; nothing else is lost."""
from __future__ import annotations

import json

from sqlalchemy import select

from corrections.apply import MAX_REASON, CorrectionError, admin_of
from store.audit import record
from store.models import (
    Department,
    DepartmentAlias,
    DepartmentMerge,
    ItemDepartment,
    ReportSubmission,
    User,
    utcnow,
)

REFUSAL = "只有管理员可以合并或更名部门，未作任何修改。"


def _department(session, dept_id) -> Department | None:
    ok = isinstance(dept_id, int) and not isinstance(dept_id, bool) and 0 < dept_id < 2**31
    return session.get(Department, dept_id) if ok else None


def _reason(reason) -> str:
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason or len(reason) > MAX_REASON:
        raise CorrectionError([f"请填写原因（不超过 {MAX_REASON} 字）。"])
    return reason


def merge_departments(session, account, from_id, into_id, reason) -> DepartmentMerge:
    """Department ``from_id``'s roles, accounts and reports are ``into_id``'s
    (a unit both leading and co-operating on an item leads); ``from_id``
    goes, its name an alias of ``into_id``.  CorrectionError: nothing written."""
    user = admin_of(session, account, REFUSAL)
    source, target = _department(session, from_id), _department(session, into_id)
    if source is None or target is None or source.id == target.id:
        raise CorrectionError(["请选择同一地市的两个不同部门。"])
    if source.city_id != target.city_id:
        raise CorrectionError(["只能合并同一地市的部门。"])
    reason = _reason(reason)
    moved = {"roles": [], "users": [], "reports": []}
    target_roles = {(r.work_item_id, r.role): r for r in session.scalars(
        select(ItemDepartment).where(ItemDepartment.department_id == target.id))}
    for row in session.scalars(select(ItemDepartment).where(ItemDepartment.department_id == source.id)).all():
        kept = target_roles.get((row.work_item_id, row.role))
        moved["roles"].append([row.work_item_id, row.role, row.position, kept is None])
        session.delete(row)
        if kept is None:
            session.add(ItemDepartment(work_item_id=row.work_item_id, department_id=target.id, role=row.role,
                                       position=row.position))
    for model, key in ((User, "users"), (ReportSubmission, "reports")):
        for row in session.scalars(select(model).where(model.department_id == source.id)):
            row.department_id = target.id
            moved[key].append(row.id)
    merge = DepartmentMerge(city_id=source.city_id, county_id=source.county_id, from_name=source.name,
                            into_id=target.id, moved=json.dumps(moved), reason=reason, merged_by=user.username)
    session.add(merge)
    session.flush()
    for alias in session.scalars(select(DepartmentAlias).where(DepartmentAlias.department_id == source.id)):
        alias.department_id = target.id
    session.add(DepartmentAlias(city_id=source.city_id, name=source.name, department_id=target.id))
    session.delete(source)
    record(session, user.username, "department.merge", f"{source.name} → {target.name}", "department", target.id,
           {"部门": source.name}, {"并入": target.name, "原因": reason, "工作事项": len(moved["roles"])})
    session.flush()
    return merge


def undo_merge(session, account, merge_id) -> Department:
    """The merged department back, with what the merge moved.  CorrectionError: nothing written."""
    user = admin_of(session, account, REFUSAL)
    ok = isinstance(merge_id, int) and not isinstance(merge_id, bool) and 0 < merge_id < 2**31
    merge = session.get(DepartmentMerge, merge_id) if ok else None
    if merge is None or merge.undone_at is not None:
        raise CorrectionError(["该合并不存在或已撤销，请刷新页面。"])
    taken = session.scalar(select(Department.id).where(Department.city_id == merge.city_id,
                                                       Department.name == merge.from_name))
    if taken:
        raise CorrectionError([f"已有名为“{merge.from_name}”的部门，无法撤销。"])
    restored = Department(city_id=merge.city_id, county_id=merge.county_id, name=merge.from_name)
    session.add(restored)
    session.flush()
    moved = json.loads(merge.moved)
    for item_id, role, position, added in moved["roles"]:
        if added:  # the merge gave the target this role: it goes back
            gone = session.get(ItemDepartment, (item_id, merge.into_id, role))
            if gone is not None:
                session.delete(gone)
        session.add(ItemDepartment(work_item_id=item_id, department_id=restored.id, role=role, position=position))
    for model, key in ((User, "users"), (ReportSubmission, "reports")):
        for row in session.scalars(select(model).where(model.id.in_(moved[key]))):
            row.department_id = restored.id
    alias = session.scalar(select(DepartmentAlias).where(DepartmentAlias.city_id == merge.city_id,
                                                         DepartmentAlias.name == merge.from_name))
    if alias is not None:
        session.delete(alias)
    merge.undone_at = utcnow()
    record(session, user.username, "department.unmerge", merge.from_name, "department", restored.id,
           {"并入": merge.into_id}, {"部门": merge.from_name})
    session.flush()
    return restored


def rename_department(session, account, dept_id, name, reason) -> Department:
    """A department's name changed; the old one stays as its alias.  CorrectionError: nothing written."""
    user = admin_of(session, account, REFUSAL)
    dept = _department(session, dept_id)
    name = " ".join(name.split()) if isinstance(name, str) else ""
    if dept is None:
        raise CorrectionError(["请选择要更名的部门。"])
    if not name or len(name) > 200:
        raise CorrectionError(["请填写新的部门名称（不超过 200 字）。"])
    reason = _reason(reason)
    if name == dept.name:
        raise CorrectionError(["新名称与原名称相同。"])
    if session.scalar(select(Department.id).where(Department.city_id == dept.city_id, Department.name == name,
                                                  Department.county_id.is_(dept.county_id) if dept.county_id is None
                                                  else Department.county_id == dept.county_id)):
        raise CorrectionError([f"本地市已有名为“{name}”的部门：请用合并。"])
    old = dept.name
    dept.name = name
    alias = session.scalar(select(DepartmentAlias).where(DepartmentAlias.city_id == dept.city_id,
                                                         DepartmentAlias.name == name))
    if alias is not None:
        session.delete(alias)  # (the new name is the department's own now)
    session.add(DepartmentAlias(city_id=dept.city_id, name=old, department_id=dept.id))
    record(session, user.username, "department.rename", f"{old} → {name}", "department", dept.id,
           {"名称": old}, {"名称": name, "原因": reason})
    session.flush()
    return dept
