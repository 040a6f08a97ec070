"""The SQL store: typed SQLAlchemy 2.x models (DESIGN §3).

Plans hold work items (scenes, projects, tasks, their groups and sub-scenes);
work items hold milestones; progress updates and indicator observations are
append-only history.  Every imported row keeps a pointer to its source
(file, line, the sentence as written).  Schema changes go through Alembic
(migrations/); the models are the single description of the tables.
"""
from __future__ import annotations

import hashlib
from datetime import date, datetime, timezone

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    func,
    inspect,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class SourceMixin:
    """Pointer back to the document: file, 1-based line (of the text it was
    read as), the sentence as written, and the place in a Word, Excel or PDF
    file (表2第5行第3列, 工作表「附件」C7, 第3页)."""

    source_file: Mapped[str | None] = mapped_column(String(200))
    source_line: Mapped[int | None] = mapped_column(Integer)
    source_text: Mapped[str | None] = mapped_column(Text)
    source_where: Mapped[str | None] = mapped_column(String(80))


def source_label(file: str | None, line: int | None, where: str | None = None) -> str | None:
    """The pointer a user checks the document with: '000_d6ec9d57f268dd20.txt:61',
    or for a Word, Excel or PDF file its place: '计划.docx 表1第12行'."""
    if not file:
        return None
    return f"{file} {where}" if where else f"{file}:{line}"


class Region(Base):
    """The province, its cities and county-level areas."""

    __tablename__ = "region"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    level: Mapped[str] = mapped_column(String(10))  # province | city | county
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Plan(Base):
    """One imported document: a scene plan, project list, task division or indicator plan."""

    __tablename__ = "plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # doc number, else title
    doc_no: Mapped[str | None] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    issuer: Mapped[str] = mapped_column(String(200))
    issue_date: Mapped[date] = mapped_column(Date)
    plan_year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    source_file: Mapped[str] = mapped_column(String(200))
    source_sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # whose plan it is: a city's own (温州's 分工表), else (NULL) the province's, which every city is measured on
    city_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    # in force from its issue date to its last deadline (store.plan_period), unless the admin set them;
    # until the plan's dates are read: its issue date to the end of its year
    period_start: Mapped[date] = mapped_column(Date, default=lambda c: c.get_current_parameters()["issue_date"])
    period_end: Mapped[date] = mapped_column(
        Date, default=lambda c: date(c.get_current_parameters()["plan_year"], 12, 31))
    period_set_by: Mapped[str | None] = mapped_column(String(80))  # the admin who set the period: imports keep it
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)  # 已归档: out of every default view
    archived_by: Mapped[str | None] = mapped_column(String(80))

    @property
    def label(self) -> str:
        """What users call the plan: its document number, else its title."""
        return self.doc_no or self.title

    def state_on(self, day: date) -> str:
        """PLAN_STATES' key on ``day``: archived, not yet issued, in force or ended."""
        if self.archived_at is not None:
            return "archived"
        if day < self.period_start:
            return "pending"
        return "active" if day <= self.period_end else "ended"


PLAN_STATES = {"active": "执行中", "ended": "已结束", "archived": "已归档", "pending": "未开始"}


class Department(Base):
    """A department within a city (杭州's 市发展改革委 is not 宁波's), or within a
    county for county units ("县发改局" of 德清县)."""

    __tablename__ = "department"
    __table_args__ = (UniqueConstraint("city_id", "county_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    county_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    name: Mapped[str] = mapped_column(String(200))


class DepartmentAlias(Base):
    """Another name of a city's department (the admin merged or renamed it):
    an import reads a unit of this name as that department."""

    __tablename__ = "department_alias"
    __table_args__ = (UniqueConstraint("city_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    name: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id", ondelete="CASCADE"), index=True)


class DepartmentMerge(Base):
    """The admin's merge of one department into another, with what it moved
    (item roles, accounts, reports: JSON), so that it can be undone."""

    __tablename__ = "department_merge"
    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    county_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    from_name: Mapped[str] = mapped_column(String(200))
    into_id: Mapped[int] = mapped_column(ForeignKey("department.id", ondelete="CASCADE"))
    moved: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    merged_by: Mapped[str] = mapped_column(String(80))
    merged_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)


class WorkItem(SourceMixin, Base):
    """A scene (场景), sub-scene, project (项目), task (任务) or task group."""

    __tablename__ = "work_item"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(120))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("work_item.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # scene | sub_scene | project | task | group
    number: Mapped[str | None] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Text)
    city_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    county_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    item_type: Mapped[str | None] = mapped_column(String(10))
    scope: Mapped[str | None] = mapped_column(String(100))  # 全市推进; a prose plan's 各县（市、区）…
    description: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[date | None] = mapped_column(Date)
    deadline_text: Mapped[str | None] = mapped_column(String(200))
    deadline_precision: Mapped[str | None] = mapped_column(String(12))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    departments: Mapped[list[ItemDepartment]] = relationship(
        cascade="all, delete-orphan", order_by="ItemDepartment.position"
    )


class ItemDepartment(Base):
    """A department's role on a work item: lead (牵头/责任) or co-operating (配合)."""

    __tablename__ = "item_department"
    work_item_id: Mapped[int] = mapped_column(
        ForeignKey("work_item.id", ondelete="CASCADE"), primary_key=True
    )
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(10), primary_key=True)  # lead | coop
    position: Mapped[int] = mapped_column(Integer, default=0)
    department: Mapped[Department] = relationship(lazy="joined")


class Milestone(SourceMixin, Base):
    """A dated step of a work item (工作节点).  ``work_item_id`` is the item that is
    assessed (scene, project, task); ``sub_item_id`` the sub-scene it is written under."""

    __tablename__ = "milestone"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(140))
    work_item_id: Mapped[int] = mapped_column(
        ForeignKey("work_item.id", ondelete="CASCADE"), index=True
    )
    sub_item_id: Mapped[int | None] = mapped_column(ForeignKey("work_item.id"))
    seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    due: Mapped[date | None] = mapped_column(Date, index=True)
    due_text: Mapped[str | None] = mapped_column(String(200))
    due_precision: Mapped[str] = mapped_column(String(12))
    due_start: Mapped[date | None] = mapped_column(Date)
    due_inherited: Mapped[bool] = mapped_column(Boolean, default=False)
    # added to the plan in the app, counting from this date (None: in the plan from its start);
    # the status as of an earlier date leaves it out (queries.status.milestone_status)
    added_on: Mapped[date | None] = mapped_column(Date, index=True)
    # bumped by every progress report: two editors who loaded the same version
    # cannot both save (reporting.apply compares and swaps it in the same transaction)
    report_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class PlanChange(Base):
    """A correction or adjustment of a plan made in the app: a work item's or a
    milestone's field as it stood before and stands since, why, by whom, and
    from which date it counts.  Append-only: the plan's history beside its
    progress history.  A change of a milestone's due keeps both dates, which
    the status as of a date before ``effective_on`` reads
    (queries.status.due_then)."""

    __tablename__ = "plan_change"
    __table_args__ = (Index("ix_plan_change_milestone_due", "milestone_id", "field", "effective_on", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    work_item_id: Mapped[int] = mapped_column(ForeignKey("work_item.id", ondelete="CASCADE"), index=True)
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("milestone.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(20))  # CHANGE_FIELDS
    before: Mapped[str | None] = mapped_column(Text)  # as a person reads it
    after: Mapped[str | None] = mapped_column(Text)
    due_before: Mapped[date | None] = mapped_column(Date)  # a due's change: the dates themselves
    due_after: Mapped[date | None] = mapped_column(Date)
    effective_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    changed_by: Mapped[str] = mapped_column(String(80))
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # 不影响考核: the annual assessment judges the milestone as if this change of
    # its due (or its cancellation) had not been made (queries.kept_deadlines)
    keeps_score: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    request_id: Mapped[int | None] = mapped_column(ForeignKey("adjustment_request.id", ondelete="SET NULL"))


class IndicatorChange(Base):
    """A correction or adjustment of an indicator's definition made in the app
    (unit, baseline, target, direction, 约束性/预期性), kept as PlanChange keeps
    a milestone's: before and after as stored, why, by whom, from which date.
    An indicator as of a date before ``effective_on`` is judged and shown
    with the value before (queries.indicator_changes)."""

    __tablename__ = "indicator_change"
    __table_args__ = (Index("ix_indicator_change_effective", "effective_on", "indicator_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(20))  # INDICATOR_FIELDS
    before: Mapped[str | None] = mapped_column(Text)  # the stored value, as text (a number as repr)
    after: Mapped[str | None] = mapped_column(Text)
    effective_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    changed_by: Mapped[str] = mapped_column(String(80))
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


# What an IndicatorChange may change, as the pages name it
INDICATOR_FIELDS = {"unit": "单位", "baseline": "基期值", "target": "目标值", "direction": "方向",
                    "attribute": "属性"}
# the columns an edit of each sets (a number's text as written goes with it)
INDICATOR_COLUMNS = {"unit": ("unit", "baseline_text", "target_text"), "baseline": ("baseline", "baseline_text"),
                     "target": ("target", "target_text"), "direction": ("direction",), "attribute": ("attribute",)}


# What a PlanChange may change, as the pages name it: the work item's fields, then a milestone's.
CHANGE_FIELDS = {"name": "名称", "county": "县（市、区）", "deadline": "完成时间", "lead": "牵头单位", "coop": "配合单位",
                 "text": "节点内容", "due": "节点时间", "cancel": "取消节点", "add": "新增节点", "seq": "节点顺序"}
ITEM_FIELDS, MILESTONE_FIELDS = ("name", "county", "deadline", "lead", "coop"), ("text", "due")  # the edit form's


class StoredFile(Base):
    """A file kept in the store, as uploaded (store.files): its name for the
    download, its kind as read from its bytes, its size and SHA-256, who
    uploaded it and when, and what it belongs to (it goes with it).  Never
    overwritten: a new version is a new file."""

    __tablename__ = "stored_file"
    id: Mapped[int] = mapped_column(primary_key=True)
    # a 计划调整申请's 附件: one per request (the store refuses a second, however raced)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("adjustment_request.id", ondelete="CASCADE"),
                                                   unique=True)
    # a milestone's 佐证材料 (evidence with its reports): a few per milestone
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("milestone.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by: Mapped[str] = mapped_column(String(80))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AdjustmentRequest(Base):
    """计划调整申请: a city or department editor asks to move a milestone's time
    or to cancel it; the admin approves (the plan is changed, PlanChange) or
    rejects it with a comment (corrections.requests)."""

    __tablename__ = "adjustment_request"
    id: Mapped[int] = mapped_column(primary_key=True)
    work_item_id: Mapped[int] = mapped_column(ForeignKey("work_item.id", ondelete="CASCADE"), index=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestone.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # move | cancel | correct
    due_text: Mapped[str | None] = mapped_column(String(200))  # the time asked for (move)
    # correct: the report on a locked month as it should read (written when approved)
    period: Mapped[str | None] = mapped_column(String(7))
    report_state: Mapped[str | None] = mapped_column(String(12))
    report_completed_on: Mapped[date | None] = mapped_column(Date)
    report_note: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(80), index=True)
    requested_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    state: Mapped[str] = mapped_column(String(10), index=True)  # pending | approved | rejected
    decided_by: Mapped[str | None] = mapped_column(String(80))
    decided_at: Mapped[date | None] = mapped_column(Date)
    comment: Mapped[str | None] = mapped_column(Text)


REQUEST_KINDS = {"move": "调整完成时间", "cancel": "取消节点", "correct": "更正已锁定月份的报送"}  # AdjustmentRequest.kind, as the pages name it
REQUEST_STATES = {"pending": "待审批", "approved": "已批准", "rejected": "已驳回"}


# Reported milestone states (进度报送); labels in Chinese for the UI.
PROGRESS_STATES = {
    "not_started": "未开始",
    "in_progress": "推进中",
    "done": "已完成",
    "blocked": "受阻",
    "cancelled": "取消",
}


class ProgressUpdate(Base):
    """One report about one milestone.  Append-only: history is never overwritten;
    the status as of a date is read from the latest report made by that date."""

    __tablename__ = "progress_update"
    __table_args__ = (Index("ix_progress_update_ms_reported", "milestone_id", "reported_on", "id"),
                      # the 审核 queue, oldest first (and the navbar's count of it)
                      Index("ix_progress_update_review", "review", "review_stage", "reported_on", "id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(
        ForeignKey("milestone.id", ondelete="CASCADE"), index=True
    )
    reported_on: Mapped[date] = mapped_column(Date, index=True)
    period: Mapped[str | None] = mapped_column(String(7))  # the month reported on, YYYY-MM
    state: Mapped[str] = mapped_column(String(12))  # a PROGRESS_STATES key
    completed_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text)
    reported_by: Mapped[str | None] = mapped_column(String(80))
    origin: Mapped[str] = mapped_column(String(10), default="report")  # report | demo | import
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("report_submission.id"), index=True)
    version: Mapped[int | None] = mapped_column(Integer)  # the milestone's report version this update made
    # 审核 (reporting.review): an editor's completion counts once approved; None: it counts when reported
    review: Mapped[str | None] = mapped_column(String(10))  # REVIEW_STATES
    review_stage: Mapped[str | None] = mapped_column(String(10))  # REVIEW_STAGES: who acts next while pending
    reviewed_on: Mapped[date | None] = mapped_column(Date)  # approved or returned on (counts from then)
    reviewed_by: Mapped[str | None] = mapped_column(String(80))
    review_comment: Mapped[str | None] = mapped_column(Text)


REVIEW_STATES = {"pending": "待审核", "approved": "审核通过", "returned": "已退回"}
REVIEW_STAGES = {"city": "待地市审核", "province": "待省级审核"}


class Indicator(SourceMixin, Base):
    """A target (指标/KPI): of the province, a city or a work item."""

    __tablename__ = "indicator"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(140))
    scope: Mapped[str] = mapped_column(String(10))  # province | city | item
    city_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    work_item_id: Mapped[int | None] = mapped_column(ForeignKey("work_item.id", ondelete="CASCADE"))
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("milestone.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(20))
    comparator: Mapped[str | None] = mapped_column(String(2))
    target: Mapped[float | None] = mapped_column(Float)
    target_max: Mapped[float | None] = mapped_column(Float)
    target_text: Mapped[str | None] = mapped_column(String(200))
    baseline: Mapped[float | None] = mapped_column(Float)
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    baseline_text: Mapped[str | None] = mapped_column(String(200))
    direction: Mapped[str] = mapped_column(String(6), default="higher")
    qualitative: Mapped[bool] = mapped_column(Boolean, default=False)
    due: Mapped[date | None] = mapped_column(Date)
    due_text: Mapped[str | None] = mapped_column(String(200))
    attribute: Mapped[str | None] = mapped_column(String(10))  # 约束性 / 预期性
    report_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # as Milestone's


class IndicatorObservation(Base):
    """An actual value of an indicator as of a date.  Append-only."""

    __tablename__ = "indicator_observation"
    __table_args__ = (Index("ix_observation_ind_observed", "indicator_id", "observed_on", "reported_on", "id"),
                      Index("ix_observation_reported", "reported_on"))  # (the last day anything was reported)
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    value: Mapped[float | None] = mapped_column(Float)  # None with met set: qualitative
    met: Mapped[bool | None] = mapped_column(Boolean)
    observed_on: Mapped[date] = mapped_column(Date)  # the date the value describes
    reported_on: Mapped[date] = mapped_column(Date)  # when it became known
    note: Mapped[str | None] = mapped_column(Text)
    reported_by: Mapped[str | None] = mapped_column(String(80))
    origin: Mapped[str] = mapped_column(String(10), default="report")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("report_submission.id"), index=True)


class ImportRun(Base):
    """The import log: one row per successful import of a document, with the
    file as it was received (kept in the store, so backups keep it and every
    worker can serve it; imports from before 0011 have none)."""

    __tablename__ = "import_run"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id", ondelete="SET NULL"))
    source_file: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    outcome: Mapped[str] = mapped_column(String(12))  # imported | updated | unchanged
    summary: Mapped[str] = mapped_column(Text)  # what was added/changed, as text
    imported_by: Mapped[str | None] = mapped_column(String(80))  # the account, or cli:<user>
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)


class PendingUpload(Base):
    """A plan file uploaded for a preview and not imported yet.  Kept until it
    is imported or cancelled, a day at most and a few per account
    (importers.intake), so no visitor can grow the store with uploads."""

    __tablename__ = "pending_upload"
    token: Mapped[str] = mapped_column(String(43), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class Finding(SourceMixin, Base):
    """A data-quality finding of the latest import of a plan (kept as found: it
    is fixed by a change of the plan, or confirmed by a FindingReview)."""

    __tablename__ = "finding"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    work_item_id: Mapped[int | None] = mapped_column(ForeignKey("work_item.id", ondelete="CASCADE"))
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("milestone.id", ondelete="CASCADE"))
    fingerprint: Mapped[str | None] = mapped_column(String(64))  # the same finding in a later import


def finding_fingerprint(kind: str, item_key: str | None, seq: int | None, message: str) -> str:
    """What tells a finding again when its plan is imported again (its rows are made anew)."""
    return hashlib.sha256(f"{kind}|{item_key or ''}|{seq or ''}|{message}".encode()).hexdigest()


class FindingReview(Base):
    """A finding the admin has checked and confirmed as right (已确认无误), with
    the reason: it stays confirmed when its plan is imported again."""

    __tablename__ = "finding_review"
    __table_args__ = (UniqueConstraint("plan_id", "fingerprint"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    fingerprint: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    reviewed_by: Mapped[str] = mapped_column(String(80))
    reviewed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


REVIEW_COLUMNS = ("review", "review_stage", "reviewed_on", "reviewed_by", "review_comment")


@event.listens_for(ProgressUpdate, "before_update")
def _report_is_append_only(mapper, connection, target):
    """What was reported never changes; only its review is decided later
    (reporting.review; each decision is audited)."""
    changed = {a.key for a in inspect(target).attrs if a.history.has_changes()}
    if changed - set(REVIEW_COLUMNS):
        raise ValueError("ProgressUpdate rows are append-only history (only the review is decided later)")


@event.listens_for(IndicatorObservation, "before_update")
@event.listens_for(PlanChange, "before_update")
def _history_is_append_only(mapper, connection, target):
    raise ValueError(f"{type(target).__name__} rows are append-only history")


class RollupCounts:
    """The DESIGN §5 counts of some milestones (queries.status.COUNTS): what every rate is a sum of."""

    total: Mapped[int] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer)
    due_by: Mapped[int] = mapped_column(Integer)
    done_due: Mapped[int] = mapped_column(Integer)
    on_time_due: Mapped[int] = mapped_column(Integer)
    done_late: Mapped[int] = mapped_column(Integer)
    overdue: Mapped[int] = mapped_column(Integer)
    overdue_days: Mapped[int] = mapped_column(Integer)
    due_soon: Mapped[int] = mapped_column(Integer)
    reported: Mapped[int] = mapped_column(Integer)
    pending: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # 已完成（待审核）


class StatusRollup(RollupCounts, Base):
    """Derived, not source data: each work item's status counts as of a date
    (queries.rollup computes them once per date; every write clears them)."""

    __tablename__ = "status_rollup"
    as_of: Mapped[date] = mapped_column(Date, primary_key=True)
    due_soon_days: Mapped[int] = mapped_column(Integer, primary_key=True)
    work_item_id: Mapped[int] = mapped_column(ForeignKey("work_item.id", ondelete="CASCADE"),
                                              primary_key=True)


class StatusRollupGroup(RollupCounts, Base):
    """Derived, not source data: the item counts of a date summed per plan, city
    and county, with how many items (and how many with an overdue milestone) —
    the province's, a city's or a plan's rates sum a few hundred of these rows
    instead of every item's (50,000 at tier L)."""

    __tablename__ = "status_rollup_group"
    __table_args__ = (Index("ix_status_rollup_group_date", "as_of", "due_soon_days", "plan_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    due_soon_days: Mapped[int] = mapped_column(Integer)
    plan_id: Mapped[int] = mapped_column(Integer)
    city_id: Mapped[int | None] = mapped_column(Integer)
    county_id: Mapped[int | None] = mapped_column(Integer)
    items: Mapped[int] = mapped_column(Integer)
    items_red: Mapped[int] = mapped_column(Integer)


class MilestoneStatusRollup(Base):
    """Derived, not source data: each milestone's status as of a date, as
    queries.status.milestone_status defines it, stored once per date so that
    lists, counts and the item rollup read it instead of recomputing it."""

    __tablename__ = "milestone_status_rollup"
    __table_args__ = (Index("ix_milestone_status_rollup_status", "as_of", "due_soon_days", "status", "position"),
                      Index("ix_milestone_status_rollup_position", "as_of", "due_soon_days", "position"),
                      Index("ix_milestone_status_rollup_reported", "as_of", "due_soon_days", "last_reported_on"),
                      Index("ix_milestone_status_rollup_item", "as_of", "due_soon_days", "work_item_id"))
    as_of: Mapped[date] = mapped_column(Date, primary_key=True)
    due_soon_days: Mapped[int] = mapped_column(Integer, primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestone.id", ondelete="CASCADE"), primary_key=True)
    work_item_id: Mapped[int] = mapped_column(Integer)
    plan_id: Mapped[int] = mapped_column(Integer)
    due: Mapped[date | None] = mapped_column(Date)
    update_id: Mapped[int | None] = mapped_column(Integer)  # the latest progress update known then
    state: Mapped[str | None] = mapped_column(String(12))
    completed_on: Mapped[date | None] = mapped_column(Date)
    last_reported_on: Mapped[date | None] = mapped_column(Date)
    review: Mapped[str | None] = mapped_column(String(10))  # the update's review, as of when stored
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12))
    days_overdue: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[int] = mapped_column(Integer)
    due_by: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)  # in the status table's order (queries.status_table)


class RollupDateMixin:
    """When a date's rollup was built, and whether a later report made it
    stale (queries.rollup_dates: which dates are kept, how a stale one is rebuilt)."""

    built_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, server_default=func.current_timestamp())
    stale: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class StatusRollupDate(RollupDateMixin, Base):
    """The dates whose rollup is complete: whole (statuses, item counts, group
    sums) for a kept date, the item counts and group sums for a passing one."""

    __tablename__ = "status_rollup_date"
    as_of: Mapped[date] = mapped_column(Date, primary_key=True)
    due_soon_days: Mapped[int] = mapped_column(Integer, primary_key=True)
    whole: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class IndicatorRollup(Base):
    """Derived, not source data: each indicator as known on a date — its latest
    observation, raw and capped attainment and pace (metrics.attainment), and
    its place in the indicator table — judged once per date
    (queries.indicator_status) so that pages and counts read indexed rows."""

    __tablename__ = "indicator_rollup"
    __table_args__ = (Index("ix_indicator_rollup_position", "as_of", "position"),
                      Index("ix_indicator_rollup_city", "as_of", "city_id", "position"))
    as_of: Mapped[date] = mapped_column(Date, primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True)
    city_id: Mapped[int | None] = mapped_column(Integer)  # the indicator's city, else its work item's
    observation_id: Mapped[int | None] = mapped_column(Integer)  # the latest observation known then
    attainment_raw: Mapped[float | None] = mapped_column(Float)
    attainment: Mapped[float | None] = mapped_column(Float)  # capped within 0..1, as scores count it
    pace: Mapped[str] = mapped_column(String(8))  # met / on_pace / behind / no_data
    binding: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # 约束性 then
    position: Mapped[int] = mapped_column(Integer)  # in the indicator table's order


class IndicatorRollupDate(RollupDateMixin, Base):
    """The dates whose indicator rollup is complete."""

    __tablename__ = "indicator_rollup_date"
    as_of: Mapped[date] = mapped_column(Date, primary_key=True)


# What the store derives from the rest (per-date rollups): dropped on imports and
# restores, built again on demand (store.forget_derived); never backed-up truth.
DERIVED = (StatusRollupDate, StatusRollup, StatusRollupGroup, MilestoneStatusRollup, IndicatorRollupDate,
           IndicatorRollup)


# Accounts (DESIGN §3): who may read and who may report for what.
ROLES = {
    "admin": "管理员",  # the province office: everything, users and weights
    "leader": "领导",  # reads all, writes nothing
    "city": "地市填报员",  # reports for the work items of one city
    "department": "部门填报员",  # reports for the work items its department leads
}


class User(Base):
    """An account.  ``session_token`` is part of the login cookie: changing the
    password or deactivating the account renews it, which ends other sessions."""

    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(12))  # a ROLES key
    city_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    session_token: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    email: Mapped[str | None] = mapped_column(String(254))  # where reminders and 催办 go (accounts.users.check_email)
    mobile: Mapped[str | None] = mapped_column(String(20))  # kept, not used yet (a later SMS channel)


class Notification(Base):
    """A notice to one account (提醒 / 催办): shown in the app until read, and
    mailed when it has an address and the SMTP server is set.  ``key`` names
    what it is about (a milestone and the reminder's threshold, a report's
    month): one notice per account and key, so a job run twice sends nothing
    twice (notices.reminders)."""

    __tablename__ = "notification"
    __table_args__ = (UniqueConstraint("user_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # NOTICE_KINDS
    key: Mapped[str] = mapped_column(String(120))
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("milestone.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(300))  # a path of the site
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)
    mail: Mapped[str] = mapped_column(String(8), default="none")  # none (no address) | pending | sent
    mail_attempts: Mapped[int] = mapped_column(Integer, default=0)
    mailed_at: Mapped[datetime | None] = mapped_column(DateTime)


NOTICE_KINDS = {"due_soon": "临期提醒", "overdue": "逾期提醒", "report_due": "报送提醒", "urge": "催办",
                "urge_reply": "催办回复", "returned": "审核退回", "review_due": "审核提醒"}
MAIL_STATES = {"none": "—", "pending": "待发送", "sent": "已发送", "failed": "发送失败"}  # Notification.mail


class Urge(Base):
    """催办: the office (the admin, or a city office for its own city) chases the
    unit that reports on some milestones — a department, or a city office
    where no department leads — with a message and a reply-by date
    (notices.urge).  Open on the unit's report page until it answers or has
    reported on every milestone since."""

    __tablename__ = "urge"
    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(Text)
    reply_by: Mapped[date] = mapped_column(Date)
    sent_by: Mapped[str] = mapped_column(String(80))
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(80))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    # a 督办单 goes with it (outputs.urge_letter.letter_for_urge: its milestones as of the day it was sent)
    letter: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class UrgeMilestone(Base):
    """A milestone a 催办 is about."""

    __tablename__ = "urge_milestone"
    urge_id: Mapped[int] = mapped_column(ForeignKey("urge.id", ondelete="CASCADE"), primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestone.id", ondelete="CASCADE"), primary_key=True,
                                              index=True)


class LoginSession(Base):
    """A login, named in its cookie: logging out deletes it, so a cookie copied
    before 退出 opens nothing afterwards."""

    __tablename__ = "login_session"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # a random token
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class LoginFailure(Base):
    """A failed login, by the name typed (known or not) and the address: the
    evidence for slowing down password guessing."""

    __tablename__ = "login_failure"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


CHANNELS = {"web": "网页填报", "excel": "Excel模板上传", "cli": "命令行导入", "demo": "演示数据"}


class ReportSubmission(Base):
    """One monthly report (按月报送) of a city or a department: when it came in, by
    whom, through which channel, and whether it was in by the due day."""

    __tablename__ = "report_submission"
    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(7), index=True)  # the month reported on, YYYY-MM
    city_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)  # None: the province
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reported_by: Mapped[str] = mapped_column(String(80))
    submitted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    due_on: Mapped[date] = mapped_column(Date)
    on_time: Mapped[bool] = mapped_column(Boolean)
    channel: Mapped[str] = mapped_column(String(10))  # a CHANNELS key
    file_name: Mapped[str | None] = mapped_column(String(200))
    updates: Mapped[int] = mapped_column(Integer, default=0)
    observations: Mapped[int] = mapped_column(Integer, default=0)
    origin: Mapped[str] = mapped_column(String(10), default="report")  # report | demo


class PeriodLock(Base):
    """A reporting month locked (reporting.review): its reports were reviewed,
    or its lock day passed; no report on it is taken, a change goes through a
    更正申请 the admin approves."""

    __tablename__ = "period_lock"
    period: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM
    locked_by: Mapped[str] = mapped_column(String(80))
    locked_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AuditEntry(Base):
    """Every write: who, when, what, and the record before and after (JSON)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(80), index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    target: Mapped[str] = mapped_column(Text)  # what was changed, as a person reads it
    target_kind: Mapped[str | None] = mapped_column(String(20))
    target_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)


event.listen(AuditEntry, "before_update", _history_is_append_only)


# The annual assessment (年度考核, DESIGN §7): the rules in force, bonus items, published results.
class AssessmentRules(Base):
    """One version of the weights and rules (metrics.scoring.Rules as JSON); the
    newest is in force.  Append-only: an edit adds a version."""

    __tablename__ = "assessment_rules"
    id: Mapped[int] = mapped_column(primary_key=True)
    rules: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AssessmentBonus(Base):
    """A bonus item (加分项) an admin records for a city and year, with the reason;
    withdrawn, it stays on record and no longer counts."""

    __tablename__ = "assessment_bonus"
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    points: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    withdrawn_by: Mapped[str | None] = mapped_column(String(80))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)


class AssessmentResult(Base):
    """A published (final) assessment of a year, frozen with the rules it used and
    every city's breakdown, so that later edits of the rules cannot move it.  A
    later publication for the same year supersedes it; both stay on record."""

    __tablename__ = "assessment_result"
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    as_of: Mapped[date] = mapped_column(Date)
    rules: Mapped[str] = mapped_column(Text)
    scores: Mapped[str] = mapped_column(Text)  # the ranked breakdowns, JSON
    note: Mapped[str | None] = mapped_column(Text)
    published_by: Mapped[str] = mapped_column(String(80))
    published_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


event.listen(AssessmentRules, "before_update", _history_is_append_only)
event.listen(AssessmentResult, "before_update", _history_is_append_only)
