"""Write a ParsedPlan into the store: idempotent upserts by stable keys, in the
caller's single transaction, so a re-import changes nothing and a failing import
writes nothing.  Records that vanished from a document are removed, unless
progress has been reported on them: then the import is refused."""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from importers import parse_file
from importers.dates import DONE
from importers.front import Given
from importers.parsed import DocumentError, ParsedFinding, ParsedItem, ParsedPlan
from importers.text import find_county
from store import ensure_regions, forget_derived
from store.plan_period import planned_end
from store.models import (
    INDICATOR_COLUMNS,
    Department,
    DepartmentAlias,
    Finding,
    ImportRun,
    Indicator,
    IndicatorChange,
    IndicatorObservation,
    ItemDepartment,
    Milestone,
    Plan,
    PlanChange,
    ProgressUpdate,
    Region,
    WorkItem,
    finding_fingerprint,
)
from store.regions import PROVINCE


def department_of(session, name: str, city_id: int, item_county_id: int | None) -> tuple[Department, bool]:
    """The department ``name`` of a work item of ``city_id`` (the province's
    region for a provincial item), added if new (and whether it was): a unit
    naming a county is that county's, and "县发改局" in a county's item is that
    county's, so 德清县's and 长兴县's are two departments; a name the admin
    merged or renamed away is the department it went to (DepartmentAlias)."""
    aliased_to = session.scalar(select(DepartmentAlias.department_id).where(
        DepartmentAlias.city_id == city_id, DepartmentAlias.name == name))
    if aliased_to is not None:
        return session.get(Department, aliased_to), False
    found = find_county(name)
    if found:
        county_id = session.scalar(select(Region.id).where(Region.name == found[1]))
    else:
        county_id = item_county_id if name.startswith(("县", "区")) and not name.startswith("区县") else None
    dept = session.scalar(select(Department).where(
        Department.city_id == city_id, Department.name == name,
        Department.county_id.is_(None) if county_id is None else Department.county_id == county_id))
    if dept is not None:
        return dept, False
    dept = Department(city_id=city_id, county_id=county_id, name=name)
    session.add(dept)
    session.flush()
    return dept, True


def _check_lengths(model, key: str, values: dict) -> None:
    """DocumentError (the import is rolled back) for text longer than its
    column holds — a misread column, a sentence under 单位 — which PostgreSQL
    would otherwise refuse with a database error."""
    for name, value in values.items():
        size = getattr(model.__table__.columns[name].type, "length", None) if name in model.__table__.columns else None
        if isinstance(value, str) and size and len(value) > size:
            raise DocumentError(f"「{key}」的{_FIELD_LABELS.get(name, name)}过长（{len(value)}字，最多{size}字），"
                                f"请检查该列是否读错 (field {name} too long)")


_FIELD_LABELS = {"unit": "单位", "attribute": "指标属性", "target_text": "目标值", "baseline_text": "基期值",
                 "due_text": "完成时间", "scope": "推进范围", "item_type": "类型", "number": "序号"}


@dataclass
class ImportResult:
    plan: str
    outcome: str  # imported | updated | unchanged
    counts: dict[str, Counter] = field(default_factory=dict)  # table -> added/updated/removed
    findings: list[ParsedFinding] = field(default_factory=list)
    # table -> (added | updated | removed, what it is: an item's name, a milestone's text)
    changes: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    reported_changed: int = 0  # changed milestones that have progress reported (it stays)
    kept_corrections: int = 0  # fields corrected in the app, kept over what the file says

    TABLES = {"work_item": "工作事项", "department": "部门", "milestone": "工作节点", "indicator": "指标"}
    OUTCOMES = {"imported": "新导入", "updated": "已更新", "unchanged": "无变化"}

    def audit_record(self) -> dict:
        """What the audit log keeps of an import, in Chinese: per table, added/changed/removed."""
        counts = {self.TABLES.get(table, table): f"新增{c['added']} 更新{c['updated']} 删除{c['removed']} 共{c['total']}"
                  for table, c in self.counts.items()}
        return {"结果": self.OUTCOMES.get(self.outcome, self.outcome), **counts}

    def summary(self) -> str:
        parts = []
        for table, c in self.counts.items():
            parts.append(f"{table}: +{c['added']} ~{c['updated']} -{c['removed']} ={c['total']}")
        return "; ".join(parts)


def import_file(session: Session, path: str | Path, given: Given = Given(), kind: str | None = None,
                imported_by: str | None = None) -> ImportResult:
    """Parse and load one document (raises DocumentError; the caller rolls back);
    ``given``, ``kind``: what the importing user states (importers.parse_text)."""
    path = Path(path)
    return import_bytes(session, path.read_bytes(), path.name, given, kind, imported_by)


def import_bytes(session: Session, raw: bytes, name: str, given: Given = Given(), kind: str | None = None,
                 imported_by: str | None = None) -> ImportResult:
    """Parse and load the file ``raw`` named ``name``, keeping it with the import."""
    parsed = parse_file(raw, name, given, kind)
    return load_plan(session, parsed, hashlib.sha256(raw).hexdigest(), raw, imported_by)


def load_plan(session: Session, parsed: ParsedPlan, sha256: str, content: bytes | None = None,
              imported_by: str | None = None, trial: bool = False) -> ImportResult:
    """Write ``parsed`` (``trial``: for a preview, in a transaction the caller
    rolls back: the derived rollups and the import log are left alone)."""
    ensure_regions(session)
    loader = _Loader(session, parsed)
    plan, created = loader.plan(sha256)
    loader.items(plan)
    loader.milestones(plan)
    loader.indicators(plan)
    loader.remove_stale(plan)
    loader.findings(plan)
    loader.period(plan)
    loader.completions_at_import(plan)
    if not trial:
        forget_derived(session)
    changed = any(c["added"] or c["updated"] or c["removed"] for c in loader.counts.values())
    outcome = "imported" if created else ("updated" if changed else "unchanged")
    result = ImportResult(plan.label, outcome, loader.counts, parsed.findings, {
        table: [(what, _label(row)) for what, row in rows] for table, rows in loader.changed.items()},
        loader.reported_changed(), loader.kept)
    if not trial:
        session.add(ImportRun(plan_id=plan.id, source_file=parsed.source_file, sha256=sha256, outcome=outcome,
                              summary=result.summary(), content=content, imported_by=imported_by))
    session.flush()
    return result


# The columns a correction made in the app holds over a later import (corrections.apply).
CORRECTED_COLUMNS = {"name": ("name",), "county": ("county_id",), "deadline": ("deadline", "deadline_text", "deadline_precision"),
                     "text": ("text",), "due": ("due", "due_text", "due_precision", "due_start", "due_inherited"),
                     "seq": ("seq",), **INDICATOR_COLUMNS}


def _corrections(session: Session, plan_id: int) -> dict[tuple[str, str], set[str]]:
    """(table, record key) -> the fields of the plan's records corrected in the app."""
    corrected: dict[tuple[str, str], set[str]] = {}
    rows = session.execute(select(PlanChange.field, WorkItem.key, Milestone.key)
                           .join(WorkItem, WorkItem.id == PlanChange.work_item_id)
                           .outerjoin(Milestone, Milestone.id == PlanChange.milestone_id)
                           .where(PlanChange.plan_id == plan_id))
    for field_name, item_key, milestone_key in rows:
        key = ("milestone", milestone_key) if milestone_key else ("work_item", item_key)
        corrected.setdefault(key, set()).add(field_name)
    for field_name, indicator_key in session.execute(select(IndicatorChange.field, Indicator.key).join(
            Indicator, Indicator.id == IndicatorChange.indicator_id).where(IndicatorChange.plan_id == plan_id)):
        corrected.setdefault(("indicator", indicator_key), set()).add(field_name)
    return corrected


# Where a record stands in its file: updated on a re-import, but a new file
# name or layout (the same plan as .docx) changes nothing the plan says.
PROVENANCE = ("source_file", "source_line", "source_text", "source_where")


def _label(row) -> str:
    """A changed row as the preview names it."""
    if isinstance(row, Milestone):
        return f"{row.key}：{row.text}（{row.due_text or '无完成时间'}）"
    return f"{row.key}：{row.name}"


def _set(obj, values: dict) -> bool:
    """Assign changed attributes; True if anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


class _Loader:
    def __init__(self, session: Session, parsed: ParsedPlan):
        self.s = session
        self.p = parsed
        self.counts: dict[str, Counter] = {}
        self.changed: dict[str, list[tuple[str, object]]] = {}  # table -> (outcome, row)
        self.regions = dict(session.execute(select(Region.name, Region.id)).all())
        self.item_ids: dict[str, int] = {}
        by_key = {i.key: i for i in parsed.walk_items()}
        parent_of = {c.key: i.key for i in parsed.walk_items() for c in i.children}
        # a sub-scene's milestones and KPIs count for its scene
        self.assessed_key = {k: parent_of[k] if i.kind == "sub_scene" else k
                             for k, i in by_key.items()}
        self.seen: dict[str, set[str]] = {"work_item": set(), "milestone": set(), "indicator": set()}
        self.departments: dict[tuple, int] = {}  # (city, county, name) -> id, looked up once
        self.corrected: dict[tuple[str, str], set[str]] = {}  # what the app corrected (_corrections)
        self.kept = 0

    def _uncorrected(self, table: str, key: str, values: dict) -> dict:
        """``values`` without the columns corrected in the app: the correction holds."""
        fields = self.corrected.get((table, key), set())
        dropped = {column for field_name in fields for column in CORRECTED_COLUMNS.get(field_name, ())}
        self.kept += len(fields & set(CORRECTED_COLUMNS)) if dropped else 0
        return {k: v for k, v in values.items() if k not in dropped}

    def _count(self, table: str, outcome: str, row=None) -> None:
        """Count an outcome; what was added, changed or removed is listed too
        (``row``: a work item, milestone or indicator) for the preview."""
        c = self.counts.setdefault(table, Counter(added=0, updated=0, removed=0, total=0))
        c[outcome] += 1
        if outcome != "removed":
            c["total"] += 1
        if row is not None and outcome != "same":
            self.changed.setdefault(table, []).append((outcome, row))

    def _upsert(self, model, existing: dict, key: str, values: dict):
        _check_lengths(model, key, values)
        obj = existing.get(key)
        if obj is None:
            obj = model(key=key, **values)
            self.s.add(obj)
            self._count(model.__tablename__, "added", obj)
        else:
            content = {k: v for k, v in values.items() if k not in PROVENANCE}
            _set(obj, {k: v for k, v in values.items() if k in PROVENANCE})  # where it stands now: no change
            self._count(model.__tablename__, "updated" if _set(obj, content) else "same", obj)
        self.seen[model.__tablename__].add(key)
        return obj

    def plan(self, sha256: str) -> tuple[Plan, bool]:
        p = self.p
        key = p.doc_no or p.title
        plan = self.s.scalar(select(Plan).where(Plan.key == key))
        values = dict(doc_no=p.doc_no, title=p.title, issuer=p.issuer, issue_date=p.issue_date,
                      plan_year=p.plan_year, kind=p.kind, source_file=p.source_file,
                      source_sha256=sha256, city_id=self.regions[p.city] if p.city else None)
        created = plan is None
        if created:
            plan = Plan(key=key, **values)
            self.s.add(plan)
        else:
            if plan.period_set_by is not None:  # the admin set whose plan it is (and its period): that holds
                del values["city_id"]
            _set(plan, values)
            self.corrected = _corrections(self.s, plan.id)
        self.s.flush()
        return plan, created

    def _department(self, name: str, item: ParsedItem) -> int:
        city_id = self.regions[item.city] if item.city else self.regions[PROVINCE]
        county_id = self.regions.get(item.county) if item.county else None
        key = (city_id, county_id, name)
        if key not in self.departments:
            dept, added = department_of(self.s, name, city_id, county_id)
            if added:
                self._count("department", "added")
            self.departments[key] = dept.id
        return self.departments[key]

    def items(self, plan: Plan) -> None:
        existing = {w.key: w for w in self.s.scalars(select(WorkItem).where(WorkItem.plan_id == plan.id))}
        order = 0
        stack: list[tuple[ParsedItem, int | None]] = [(i, None) for i in reversed(self.p.items)]
        while stack:
            item, parent_id = stack.pop()
            order += 1
            src = item.source
            deadline = item.deadline
            values = dict(
                plan_id=plan.id, parent_id=parent_id, kind=item.kind, number=item.number,
                name=item.name, city_id=self.regions.get(item.city) if item.city else None,
                county_id=self.regions.get(item.county) if item.county else None,
                item_type=item.item_type, scope=item.scope, description=item.description,
                deadline=deadline.due if deadline else None,
                deadline_text=deadline.text if deadline else None,
                deadline_precision=deadline.precision if deadline else None,
                sort_order=order, source_file=src.file, source_line=src.line,
                source_text=src.text, source_where=src.where,
            )
            obj = self._upsert(WorkItem, existing, item.key, self._uncorrected("work_item", item.key, values))
            self.s.flush()
            self.item_ids[item.key] = obj.id
            self._departments(obj, item)
            stack.extend((child, obj.id) for child in reversed(item.children))

    def _departments(self, obj: WorkItem, item: ParsedItem) -> None:
        """The item's units as the file names them, but for a role whose units
        were corrected in the app: those stay."""
        held = self.corrected.get(("work_item", item.key), set()) & {"lead", "coop"}
        self.kept += len(held)
        wanted = [(d.department_id, d.role, d.position) for d in obj.departments if d.role in held]
        for pos, dept in enumerate(d for d in item.departments if d.role not in held):
            row = (self._department(dept.name, item), dept.role)
            if row not in [(d, r) for d, r, _ in wanted]:
                wanted.append((*row, pos))
        have = [(d.department_id, d.role, d.position) for d in obj.departments]
        if have != wanted:
            obj.departments.clear()
            self.s.flush()
            obj.departments.extend(ItemDepartment(department_id=d, role=r, position=p)
                                   for d, r, p in wanted)

    def milestones(self, plan: Plan) -> None:
        existing = {m.key: m for m in self.s.scalars(select(Milestone).where(Milestone.plan_id == plan.id))}
        for item in self.p.walk_items():
            owner = self.item_ids[self.assessed_key[item.key]]
            sub = self.item_ids[item.key] if item.kind == "sub_scene" else None
            for m in item.milestones:
                key = f"{item.key}#{m.seq}"
                self._upsert(Milestone, existing, key, self._uncorrected("milestone", key, dict(
                    plan_id=plan.id, work_item_id=owner, sub_item_id=sub, seq=m.seq,
                    text=m.text, due=m.due.due, due_text=m.due.text,
                    due_precision=m.due.precision, due_start=m.due.start,
                    due_inherited=m.due_inherited, source_file=m.source.file,
                    source_line=m.source.line, source_text=m.source.text, source_where=m.source.where)))
        self.s.flush()

    def _milestone_id(self, plan: Plan, item_key: str | None, seq: int | None) -> int | None:
        if item_key is None or seq is None:
            return None
        return self.s.scalar(select(Milestone.id).where(
            Milestone.plan_id == plan.id, Milestone.key == f"{item_key}#{seq}"))

    def indicators(self, plan: Plan) -> None:
        existing = {i.key: i for i in self.s.scalars(select(Indicator).where(Indicator.plan_id == plan.id))}
        for ind in self.p.indicators:
            t = ind.target
            item_id = self.item_ids[self.assessed_key[ind.item_key]] if ind.item_key else None
            self._upsert(Indicator, existing, ind.key, self._uncorrected("indicator", ind.key, dict(
                plan_id=plan.id, scope=ind.scope,
                city_id=self.regions.get(ind.city) if ind.city else None,
                work_item_id=item_id,
                milestone_id=self._milestone_id(plan, ind.item_key, ind.milestone_seq),
                name=t.name, unit=t.unit, comparator=t.comparator, target=t.value,
                target_max=t.value_max, target_text=t.target_text, baseline=t.baseline,
                baseline_year=t.baseline_year, baseline_text=t.baseline_text,
                direction=t.direction, qualitative=t.qualitative,
                due=ind.due.due if ind.due else None, due_text=ind.due.text if ind.due else None,
                attribute=ind.attribute, source_file=ind.source.file,
                source_line=ind.source.line, source_text=ind.source.text, source_where=ind.source.where)))
        self.s.flush()

    def reported_changed(self) -> int:
        """Of the milestones this import changes, those with progress reported."""
        ids = [row.id for what, row in self.changed.get("milestone", []) if what == "updated"]
        if not ids:
            return 0
        return self.s.scalar(select(func.count(func.distinct(ProgressUpdate.milestone_id))).where(
            ProgressUpdate.milestone_id.in_(ids), ProgressUpdate.origin != "import")) or 0

    def remove_stale(self, plan: Plan) -> None:
        """Drop rows the document no longer has; refuse if progress would be lost."""
        stale_ms = [m for m in self.s.scalars(select(Milestone).where(Milestone.plan_id == plan.id))
                    if m.key not in self.seen["milestone"]
                    and "add" not in self.corrected.get(("milestone", m.key), ())]  # (added in the app: kept)
        stale_items = [w for w in self.s.scalars(select(WorkItem).where(WorkItem.plan_id == plan.id))
                       if w.key not in self.seen["work_item"]]
        stale_ms_ids = [m.id for m in stale_ms] + list(self.s.scalars(
            select(Milestone.id).where(Milestone.work_item_id.in_([w.id for w in stale_items]))))
        reported = self.s.scalar(select(func.count()).select_from(ProgressUpdate).where(
            ProgressUpdate.milestone_id.in_(stale_ms_ids), ProgressUpdate.origin != "import"))
        stale_ind = [i for i in self.s.scalars(select(Indicator).where(Indicator.plan_id == plan.id))
                     if i.key not in self.seen["indicator"]]
        observed = self.s.scalar(select(func.count()).select_from(IndicatorObservation).where(
            IndicatorObservation.indicator_id.in_([i.id for i in stale_ind])))
        if reported or observed:
            raise DocumentError(
                f"{self.p.source_file}: 新版本文件删除了已有进度报送的工作节点或指标，拒绝导入 "
                f"(the new version drops {len(stale_ms_ids)} milestones / {len(stale_ind)} "
                f"indicators that have {reported + observed} progress reports)")
        for table, rows in (("indicator", stale_ind), ("milestone", stale_ms)):
            for row in rows:
                self.s.delete(row)
                self._count(table, "removed", row)
        self.s.flush()
        for item in sorted(stale_items, key=lambda w: -w.sort_order):
            self.s.delete(item)
            self._count("work_item", "removed", item)
        self.s.flush()

    def findings(self, plan: Plan) -> None:
        self.s.execute(delete(Finding).where(Finding.plan_id == plan.id))
        for f in self.p.findings:
            self.s.add(Finding(
                plan_id=plan.id, kind=f.kind, message=f.message,
                fingerprint=finding_fingerprint(f.kind, f.item_key, f.milestone_seq, f.message),
                work_item_id=self.item_ids.get(f.item_key) if f.item_key else None,
                milestone_id=self._milestone_id(plan, f.item_key, f.milestone_seq),
                source_file=f.source.file, source_line=f.source.line, source_text=f.source.text,
                source_where=f.source.where))
        self.s.flush()

    def period(self, plan: Plan) -> None:
        """The plan's period, from what it now names, unless the admin set it."""
        if plan.period_set_by is None:
            _set(plan, {"period_start": plan.issue_date,
                        "period_end": planned_end(self.s, plan.id, plan.plan_year, plan.issue_date)})

    def completions_at_import(self, plan: Plan) -> None:
        """'已完成' in the document: record the completion once, as of the issue date."""
        done = self.s.scalars(select(Milestone.id).where(
            Milestone.plan_id == plan.id, Milestone.due_precision == DONE))
        for ms_id in done:
            if not self.s.scalar(select(ProgressUpdate.id).where(
                    ProgressUpdate.milestone_id == ms_id, ProgressUpdate.origin == "import")):
                self.s.add(ProgressUpdate(
                    milestone_id=ms_id, reported_on=plan.issue_date, state="done",
                    completed_on=plan.issue_date, origin="import",
                    note="文件载明已完成", reported_by="导入"))
        self.s.flush()
