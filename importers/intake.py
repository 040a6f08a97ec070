"""Taking in a plan from the browser (计划管理): a file is staged (checked
that it can be read before it is kept), previewed as often as the admin
corrects what the document does not say (its city, year, kind, a column's
role), then imported in one transaction, audited, with the file kept beside
the import — or cancelled.

Every step checks on the server that the account is an admin and the upload
its own; what the browser sends back (the corrections) is validated here.
Uploads waiting for a preview are bounded: MAX_PENDING per account, none
older than PENDING_HOURS.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import delete, select

from importers import KINDS, parse_file, parse_read
from importers.columns import ROLES, Header, find_header
from importers.formats import read_file
from importers.front import Given
from importers.loader import ImportResult, load_plan
from importers.parsed import DocumentError, ParsedPlan
from importers.table import join_cell_lines
from store.audit import record
from store.models import ImportRun, PendingUpload, User, utcnow
from store.regions import CITIES

MAX_PENDING = 3
PENDING_HOURS = 24
ROLE_LABELS = {"number": "序号", "city": "地市", "group": "分组（重点工作）", "item": "事项（任务/项目/场景）",
               "type": "类型", "scope": "推进范围", "plan": "工作计划（进度安排）", "lead": "牵头/责任单位",
               "coop": "配合单位", "deadline": "完成时间", "description": "事项说明",
               "indicator": "指标名称", "unit": "计量单位", "baseline": "基期值", "target": "目标值",
               "attribute": "指标属性"}
SAMPLE_ROWS = 6


class IntakeError(Exception):
    """Refused: not an admin, not this account's upload, or the upload is gone."""


@dataclass
class Preview:
    """What an import would write, nothing written yet."""

    token: str
    name: str
    given: Given
    kind: str | None = None
    plan: ParsedPlan | None = None
    header: Header | None = None
    sample: list[list[str]] = field(default_factory=list)  # the table's first rows, as read
    result: ImportResult | None = None  # the difference the import would make
    error: str | None = None  # why it cannot be imported as it stands

    @property
    def existing(self) -> bool:
        return self.result is not None and self.result.outcome != "imported"


def checked_given(city, year, kind, roles) -> tuple[Given, str | None]:
    """The corrections as the browser sent them, kept only when valid."""
    city = city if isinstance(city, str) and city in CITIES else None
    year = year if isinstance(year, int) and not isinstance(year, bool) and 2000 <= year <= 2100 else None
    kind = kind if isinstance(kind, str) and kind in KINDS else None
    if isinstance(roles, (list, tuple)) and 0 < len(roles) <= 40:
        roles = tuple(role if isinstance(role, str) and role in ROLES else None for role in roles)
    else:
        roles = None
    return Given(city, year, roles), kind


def _admin(session, account) -> User:
    user = session.get(User, account.user_id) if account is not None else None
    if user is None or not user.active or user.role != "admin":
        raise IntakeError("只有管理员可以导入计划文件，未作任何修改。")
    return user


def stage(session, account, name: str, raw: bytes) -> str:
    """Keep an uploaded file for its preview (it must be readable first) and
    return its token; the account's oldest waiting uploads beyond MAX_PENDING,
    and anyone's older than PENDING_HOURS, go."""
    user = _admin(session, account)
    name = (name or "计划文件").replace("/", "_").replace("\\", "_")[-200:]
    read_file(raw, name)  # DocumentError: refused before anything is kept
    session.execute(delete(PendingUpload).where(
        PendingUpload.uploaded_at < utcnow() - timedelta(hours=PENDING_HOURS)))
    waiting = session.scalars(select(PendingUpload.token).where(PendingUpload.user_id == user.id)
                              .order_by(PendingUpload.uploaded_at.desc(), PendingUpload.token)).all()
    if len(waiting) >= MAX_PENDING:
        session.execute(delete(PendingUpload).where(PendingUpload.token.in_(waiting[MAX_PENDING - 1:])))
    token = secrets.token_urlsafe(32)
    session.add(PendingUpload(token=token, user_id=user.id, name=name, content=raw,
                              sha256=hashlib.sha256(raw).hexdigest()))
    session.flush()
    return token


def _pending(session, account, token) -> PendingUpload:
    user = _admin(session, account)
    upload = session.get(PendingUpload, token) if isinstance(token, str) and len(token) <= 64 else None
    if upload is None or upload.user_id != user.id:
        raise IntakeError("找不到这份上传的文件（可能已导入、已取消或已过期），请重新上传。")
    return upload


def preview(session, account, token, given: Given = Given(), kind: str | None = None) -> Preview:
    """Read and parse the staged file with the corrections, and load it in a
    transaction that is rolled back: what would be added, changed, removed."""
    upload = _pending(session, account, token)
    shown = Preview(token, upload.name, given, kind)
    try:
        document = read_file(upload.content, upload.name)  # (read once: a file may be 20 MB)
        lines = join_cell_lines(document.text().split("\n"))
        shown.header = find_header(lines, given.roles)
        if shown.header is not None:
            shown.sample = [line.split("\t") for line in lines[shown.header.line + 1:]
                            if "\t" in line][:SAMPLE_ROWS]
        shown.plan = parse_read(document, given, kind)
        shown.kind = shown.plan.kind
        with session.begin_nested() as trial:
            shown.result = load_plan(session, shown.plan, upload.sha256, trial=True)
            trial.rollback()
    except DocumentError as exc:
        shown.error = str(exc).split(": ", 1)[-1]
    return shown


def confirm(session, account, token, given: Given = Given(), kind: str | None = None) -> ImportResult:
    """Import the staged file with the corrections in the caller's transaction
    (DocumentError: nothing written), keep the file with the import, audit
    it, and let the upload go."""
    upload = _pending(session, account, token)
    parsed = parse_file(upload.content, upload.name, given, kind)
    result = load_plan(session, parsed, upload.sha256, upload.content, account.username)
    record(session, account.username, "plan.import", result.plan, "plan", None,
           after={"文件": upload.name, **result.audit_record()})
    session.delete(upload)
    return result


def discard(session, account, token) -> None:
    session.delete(_pending(session, account, token))


def imported_file(session, run_id) -> ImportRun | None:
    """An import's kept file (None when it has none)."""
    run = session.get(ImportRun, run_id) if isinstance(run_id, int) else None
    return run if run is not None and run.content is not None else None
