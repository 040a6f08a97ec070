"""催办: the office chases whoever is late.  The admin (or a city office, for its
own city's milestones) picks milestones — from the overdue list, an item, a
department's list — and writes a message and a reply-by date; each unit that
reports on them (each lead department with an account; else the city office,
which reports for it) gets one 催办, in the app and by mail (notices.mail, on
the next send-reminders run), and sees it on top of its report page until it
answers or has reported on every milestone since.

Everything is checked here, on the server: who sends (and for which city),
which milestones (still to be done, at most once a day each), who answers
(an editor of the unit it was sent to); every step is audited.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, exists, false, func, not_, select
from sqlalchemy.orm import aliased

from accounts.scope import Scope, writable_ids
from notices.reminders import EDITORS, notify
from queries.rollup import stored_status
from reporting.entries import normalised
from store.audit import record
from store.clock import day_start_utc, local_text
from store.models import (
    Department,
    ItemDepartment,
    Milestone,
    ProgressUpdate,
    Region,
    Urge,
    UrgeMilestone,
    User,
    WorkItem,
    utcnow,
)

URGED = aliased(UrgeMilestone, name="urged")  # (reported_since: apart from a query's own UrgeMilestone)
MAX_MESSAGE = 500
MAX_MILESTONES = 500
MAX_DAYS_TO_REPLY = 90
CHASED = ("overdue", "due_soon", "not_due")  # what may be chased: not done, not cancelled, not awaiting review


class UrgeError(Exception):
    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Sent:
    urges: int
    milestones: int
    accounts: int  # told in the app (and by mail where they have an address)
    without_account: list[str]  # units with no active account: chase them another way
    letters: list[tuple[str, str]] = ()  # (unit, where its 督办单 is) when sent with one


def send_urge(session, account, milestone_ids, message, reply_by, today: date, due_soon_days: int,
              letter: bool = False) -> Sent:
    """Chase the units that report on ``milestone_ids`` as ``account`` (admin, or a
    city office for its city), each with a 督办单 if ``letter`` (True only).
    UrgeError: nothing written."""
    user = session.get(User, account.user_id) if account is not None else None
    if user is None or not user.active or user.role not in ("admin", "city"):
        raise UrgeError(["只有省信用办（管理员）和地市信用办可以催办。"])
    ids = _ids(milestone_ids)
    text = " ".join(normalised(message).split()) if isinstance(message, str) else ""
    when = _date(reply_by)
    problems = []
    if not ids:
        problems.append(f"请勾选要催办的节点（一次最多 {MAX_MILESTONES} 个）。")
    if not text:
        problems.append("请填写催办内容。")
    elif len(text) > MAX_MESSAGE:
        problems.append(f"催办内容不超过 {MAX_MESSAGE} 字。")
    if when is None or not today <= when <= today + timedelta(days=MAX_DAYS_TO_REPLY):
        problems.append(f"请填写回复期限：今天起 {MAX_DAYS_TO_REPLY} 天内的日期。")
    if problems:
        raise UrgeError(problems)
    st = stored_status(session, today, due_soon_days)
    found = {r.id: r for r in session.execute(
        select(Milestone.id, Milestone.seq, WorkItem.name, WorkItem.city_id, st.c.status)
        .join(WorkItem, WorkItem.id == Milestone.work_item_id).join(st, st.c.milestone_id == Milestone.id)
        .where(Milestone.id.in_(ids)))}
    if ids - set(found):
        problems.append(f"节点编号 {'、'.join(map(str, sorted(ids - set(found))[:5]))} 不存在。")
    mine = writable_ids(session, Scope.of(user), Milestone, ids)  # (an admin: all; a city: its own)
    for r in found.values():
        label = f"{r.name[:20]} 节点{r.seq}"
        if r.id not in mine:
            problems.append(f"{label}：不是本市的节点，不能催办")
        elif r.status not in CHASED:
            problems.append(f"{label}：已完成、待审核或已取消，无需催办")
    today_start = day_start_utc(today)
    again = set(session.scalars(select(UrgeMilestone.milestone_id).join(Urge, Urge.id == UrgeMilestone.urge_id)
                                .where(UrgeMilestone.milestone_id.in_(ids), Urge.sent_at >= today_start)))
    problems += [f"{found[m].name[:20]} 节点{found[m].seq}：今天已催办过" for m in sorted(again) if m in found]
    if problems:
        raise UrgeError(problems)
    units = _units(session, ids)
    told, missing, letters = 0, [], []
    for (city_id, department_id), members in units.items():
        urge = Urge(city_id=city_id, department_id=department_id, message=text, reply_by=when, sent_by=user.username,
                    letter=letter is True)
        session.add(urge)
        session.flush()
        session.add_all([UrgeMilestone(urge_id=urge.id, milestone_id=m) for m in sorted(members)])
        name = unit_name(session, city_id, department_id)
        if urge.letter:
            letters.append((name, letter_path(urge.id)))
        recipients = _recipients(session, city_id, department_id)
        if not recipients:
            missing.append(name)
        listed = "；".join(f"{found[m].name[:20]} 节点{found[m].seq}" for m in sorted(members)[:10])
        for recipient in recipients:
            told += notify(session, recipient, kind="urge", key=f"urge:{urge.id}", milestone_id=min(members),
                         title=f"催办：{len(members)} 个节点，请于 {when.isoformat()} 前回复", link="/report",
                         body=f"{text}\n涉及：{listed}{' 等' if len(members) > 10 else ''}\n"
                              + ("附督办单：在“进度填报”页下载（邮件中为附件）\n" if urge.letter else "")
                              + f"请在“进度填报”中报送进展或回复（{user.display_name}）")
        record(session, user.username, "urge.send", f"催办{name}", "urge", urge.id, None,
               {"对象": name, "节点": len(members), "内容": text, "回复期限": when.isoformat(),
                "督办单": "附" if urge.letter else "无"})
    return Sent(len(units), len(ids), told, missing, letters)


def chaseable(session, item_id: int, today: date, due_soon_days: int) -> list[int]:
    """A work item's milestones that may be chased today (overdue or due soon)."""
    st = stored_status(session, today, due_soon_days, ("overdue", "due_soon"))
    return list(session.scalars(select(st.c.milestone_id).where(
        st.c.work_item_id == item_id, st.c.status.in_(("overdue", "due_soon")))))


def _ids(values) -> set[int]:
    if not isinstance(values, list) or len(values) > MAX_MILESTONES:
        return set()
    return {v for v in values if isinstance(v, int) and not isinstance(v, bool) and 0 < v < 2**31}


def _date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def _units(session, ids: set[int]) -> dict[tuple[int | None, int | None], set[int]]:
    """Who reports on each milestone: its item's lead departments that have an
    account, else its city office (which reports for them)."""
    units: dict[tuple[int | None, int | None], set[int]] = {}
    with_accounts = select(User.department_id).where(User.active.is_(True), User.role == "department")
    rows = session.execute(select(Milestone.id, WorkItem.city_id, ItemDepartment.department_id)
                           .join(WorkItem, WorkItem.id == Milestone.work_item_id)
                           .outerjoin(ItemDepartment, and_(ItemDepartment.work_item_id == WorkItem.id,
                                                           ItemDepartment.role == "lead",
                                                           ItemDepartment.department_id.in_(with_accounts)))
                           .where(Milestone.id.in_(ids)))
    for milestone_id, city_id, department_id in rows:
        units.setdefault((city_id, department_id), set()).add(milestone_id)
    return units


def _recipients(session, city_id: int | None, department_id: int | None) -> list[User]:
    """The active editors of the unit: the department's accounts, or the city office's."""
    where = (User.department_id == department_id) if department_id is not None else \
        and_(User.role == "city", User.city_id == city_id) if city_id is not None else User.id.is_(None)
    return session.scalars(select(User).where(User.active.is_(True), User.role.in_(EDITORS), where)
                           .order_by(User.id)).all()


def unit_name(session, city_id: int | None, department_id: int | None) -> str:
    city = session.scalar(select(Region.name).where(Region.id == city_id)) if city_id else None
    if department_id is not None:
        department = session.scalar(select(Department.name).where(Department.id == department_id))
        return f"{city or '省'}·{department}"
    return f"{city}市信用办" if city else "省级单位"


def reported_since(urge=Urge):
    """A condition on Urge: every milestone it is about was reported on after it was sent."""
    u = URGED
    late = select(u.milestone_id).where(u.urge_id == urge.id, not_(exists().where(
        ProgressUpdate.milestone_id == u.milestone_id, ProgressUpdate.created_at >= urge.sent_at)))
    return not_(exists(late.correlate(urge)))


def addressed_to(account):
    """A condition on Urge: sent to the account's unit (its department; a city
    office: those to the city office itself)."""
    if account.role == "department":
        return Urge.department_id == account.department_id
    if account.role == "city":
        return and_(Urge.department_id.is_(None), Urge.city_id == account.city_id)
    return false()


def letter_path(urge_id: int) -> str:
    """Where a 催办's 督办单 is downloaded (outputs.web)."""
    return f"/urge/{urge_id}/letter"


def reads_urge(session, account, urge: Urge) -> bool:
    """Whether ``account`` may read a 催办 (and its 督办单): the admin and leaders,
    its sender, its city's office, the unit it was sent to."""
    if account is None:
        return False
    if account.role in ("admin", "leader") or account.username == urge.sent_by:
        return True
    if account.role == "city" and urge.city_id is not None and account.city_id == urge.city_id:
        return True
    return session.scalar(select(Urge.id).where(Urge.id == urge.id, addressed_to(account))) is not None


def open_urges(session, account) -> list[dict]:
    """The 催办 to the account's unit still open (not answered, not all
    reported on since), oldest reply-by first, with the milestones."""
    urges = session.scalars(select(Urge).where(addressed_to(account), Urge.answered_at.is_(None), not_(reported_since()))
                            .order_by(Urge.reply_by, Urge.id).limit(50)).all()
    return [{"urge_id": u.id, "message": u.message, "reply_by": u.reply_by.isoformat(), "sent_by": _name(session, u.sent_by),
             "sent_at": local_text(u.sent_at), "unit": unit_name(session, u.city_id, u.department_id),
             "letter": letter_path(u.id) if u.letter else None,
             "milestones": urge_milestones(session, u.id)} for u in urges]


def urge_milestones(session, urge_id: int) -> list[dict]:
    return [{"item_id": r.item_id, "item": r.name, "seq": r.seq} for r in session.execute(
        select(WorkItem.id.label("item_id"), WorkItem.name, Milestone.seq)
        .join(Milestone, Milestone.work_item_id == WorkItem.id)
        .join(UrgeMilestone, UrgeMilestone.milestone_id == Milestone.id)
        .where(UrgeMilestone.urge_id == urge_id).order_by(WorkItem.sort_order, Milestone.seq))]


def _name(session, username: str) -> str:
    return session.scalar(select(User.display_name).where(User.username == username)) or username


def answer_urge(session, account, urge_id, text) -> Urge:
    """The unit's answer (once): an editor who reports on the urged milestones."""
    user = session.get(User, account.user_id) if account is not None else None
    if user is None or not user.active or user.role not in EDITORS:
        raise UrgeError(["只有被催办单位的填报员可以回复。"])
    urge = session.get(Urge, urge_id) if isinstance(urge_id, int) and not isinstance(urge_id, bool) \
        and 0 < urge_id < 2**31 else None
    ids = set(session.scalars(select(UrgeMilestone.milestone_id).where(UrgeMilestone.urge_id == urge.id))) \
        if urge is not None else set()
    if not ids or not session.scalar(select(Urge.id).where(Urge.id == urge.id, addressed_to(user))):
        raise UrgeError(["只能回复本单位收到的催办。"])
    if urge.answered_at is not None:
        raise UrgeError([f"该催办已于 {local_text(urge.answered_at)} 回复。"])
    text = " ".join(normalised(text).split()) if isinstance(text, str) else ""
    if not text or len(text) > MAX_MESSAGE:
        raise UrgeError([f"请填写回复（不超过 {MAX_MESSAGE} 字）。"])
    urge.answer, urge.answered_by, urge.answered_at = text, user.username, utcnow()
    record(session, user.username, "urge.answer", f"回复催办 #{urge.id}", "urge", urge.id, None, {"回复": text})
    sender = session.scalar(select(User).where(User.username == urge.sent_by, User.active.is_(True)))
    if sender is not None:
        notify(session, sender, kind="urge_reply", key=f"urge_reply:{urge.id}", milestone_id=min(ids),
             title=f"催办回复：{user.display_name}", link="/overdue", body=text)
    return urge


def chased_counts(session, milestone_ids: set[int]) -> dict[int, int]:
    """How often each milestone was chased (催办)."""
    if not milestone_ids:
        return {}
    return dict(session.execute(select(UrgeMilestone.milestone_id, func.count())
                                .where(UrgeMilestone.milestone_id.in_(milestone_ids))
                                .group_by(UrgeMilestone.milestone_id)).all())


def urge_history(session, item_id: int) -> list[dict]:
    """The 催办 about an item's milestones, newest first (the item page's 催办记录):
    to whom, about which milestones, and whether answered or reported on since."""
    rows = session.execute(select(Urge, Milestone.seq, reported_since().label("reported"))
                           .join(UrgeMilestone, UrgeMilestone.urge_id == Urge.id)
                           .join(Milestone, Milestone.id == UrgeMilestone.milestone_id)
                           .where(Milestone.work_item_id == item_id)
                           .order_by(Urge.id.desc(), Milestone.seq).limit(500)).all()
    out: dict[int, dict] = {}
    for u, seq, reported in rows:
        row = out.setdefault(u.id, {
            "sent_at": local_text(u.sent_at), "sent_by": _name(session, u.sent_by),
            "to": unit_name(session, u.city_id, u.department_id), "seqs": [], "message": u.message,
            "reply_by": u.reply_by.isoformat(), "answer": u.answer or "",
            "state": "已回复" if u.answered_at else "已报送进展" if reported else "待回复"})
        row["seqs"].append(str(seq))
    return [{**r, "seqs": "、".join(r["seqs"])} for r in out.values()]
