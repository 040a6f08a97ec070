"""Accounts: create them, change them, check a password — every change audited.

Passwords are stored as werkzeug hashes (scrypt).  A wrong password and an
unknown name give the same answer and take the same time.

Guessing is slowed without handing anyone a lock-out (README, Security):
every attempt is recorded (name typed, address) and committed *before* its
password is checked, then counted, so concurrent guesses cannot slip past the
count; past ``per_name`` failures of one name from one address, or
``per_address`` failures from one address, that address waits ``minutes``.
A name guessed from many addresses is not locked — that would let anyone
lock out the admin — but once it gathers ``notice`` failures the audit log
says so (login.suspicious), once per window.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, aliased
from werkzeug.security import check_password_hash, generate_password_hash

from importers.units import canonical
from store.audit import record
from store.clock import local_text
from store.models import ROLES, AuditEntry, Department, LoginFailure, Region, User, utcnow

MIN_PASSWORD = 8
# a hash to check against when the name is unknown, so both answers take as long
_DUMMY_HASH = generate_password_hash(secrets.token_hex(8))


class AccountError(ValueError):
    """A request about an account that cannot be done; the message is for the user."""


@dataclass(frozen=True)
class Throttle:
    """Failures within ``minutes`` past which an address waits (per name typed from
    it, and in all), and past which a name is reported to the admin."""

    per_name: int = 5
    per_address: int = 20
    minutes: int = 15
    notice: int = 20


def login_limits() -> Throttle:
    """The configured limits (LOGIN_MAX_FAILURES, …): the login's and the first-run code's."""
    config = current_app.config
    return Throttle(int(config.get("LOGIN_MAX_FAILURES", 5)), int(config.get("LOGIN_MAX_FAILURES_PER_ADDRESS", 20)),
                    int(config.get("LOGIN_LOCK_MINUTES", 15)), int(config.get("LOGIN_NOTICE_FAILURES", 20)))


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少 {MIN_PASSWORD} 位")
    if password.isdigit() or password.isalpha():
        raise AccountError("密码须同时包含字母和数字（或符号）")


def resolve_scope(session: Session, role: str, city: str | None, department: str | None,
                  county: str | None = None) -> tuple[int | None, int | None]:
    """(city_id, department_id) for a role: a city editor names a city, a
    department editor a department of a city (county units also their county)."""
    if role not in ROLES:
        raise AccountError(f"未知的角色“{role}”（可选：{'、'.join(ROLES)}）")
    if role in ("admin", "leader"):
        if city or department:
            raise AccountError(f"{ROLES[role]}不限地市和部门，不需要填写地市或部门")
        return None, None
    if not city:
        raise AccountError(f"{ROLES[role]}须指定地市（--city 杭州）")
    city_id = session.scalar(select(Region.id).where(Region.name == city.removesuffix("市"),
                                                     Region.level == "city"))
    if city_id is None:
        raise AccountError(f"未知的地市“{city}”")
    if role == "city":
        if department:
            raise AccountError("地市填报员按地市填报，不需要填写部门")
        return city_id, None
    if not department:
        raise AccountError("部门填报员须指定部门（--department 市发展改革委）")
    department = canonical(department)  # (市发改委 is filed as 市发展改革委)
    stmt = select(Department.id).where(Department.city_id == city_id, Department.name == department)
    if county:
        county_id = session.scalar(select(Region.id).where(Region.name == county))
        stmt = stmt.where(Department.county_id == county_id)
    found = session.scalars(stmt).all()
    if not found:
        raise AccountError(f"{city}没有名为“{department}”的部门（请用计划文件中的部门全称）")
    if len(found) > 1:
        raise AccountError(f"{city}有 {len(found)} 个“{department}”（分属不同县区），请同时指定县（市、区）")
    return city_id, found[0]


EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$")
MOBILE = re.compile(r"^1[3-9][0-9]{9}$")  # (ASCII digits: \d would take any script's)


def check_email(value: str | None) -> str | None:
    """An email address as kept (spaces dropped, the domain in lower case), None
    for none; AccountError for one that is not an address."""
    text = "".join((value or "").split())
    if not text:
        return None
    local, _, domain = text.rpartition("@")
    text = f"{local}@{domain.lower()}"
    if len(text) > 254 or not EMAIL.match(text):
        raise AccountError(f"“{text[:60]}”不是有效的电子邮箱地址（如 zhang@example.gov.cn）")
    return text


def check_mobile(value: str | None) -> str | None:
    """A mainland mobile number as kept (11 digits; spaces, hyphens and +86 dropped), None for none."""
    text = re.sub(r"[\s\-]", "", value or "")
    text = text[3:] if text.startswith("+86") else text
    if not text:
        return None
    if not MOBILE.match(text):
        raise AccountError(f"“{text[:20]}”不是有效的手机号码（11 位，如 13800000000）")
    return text


def describe(session: Session, user: User) -> dict:
    """The account as the audit log and the user list show it (no password hash)."""
    dept = session.get(Department, user.department_id) if user.department_id else None
    city = session.get(Region, user.city_id) if user.city_id else None
    return {"用户名": user.username, "姓名": user.display_name, "角色": ROLES[user.role],
            "地市": city.name if city else None, "部门": dept.name if dept else None,
            "邮箱": user.email, "手机": user.mobile, "状态": "启用" if user.active else "停用"}


def create_user(session: Session, actor: str, username: str, password: str, role: str, *,
                display_name: str | None = None, city: str | None = None,
                department: str | None = None, county: str | None = None,
                email: str | None = None, mobile: str | None = None) -> User:
    username = username.strip()
    if not username or len(username) > 40 or any(ch.isspace() for ch in username):
        raise AccountError("用户名须为 1–40 个字符，不含空格")
    if session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        raise AccountError(f"用户名“{username}”已存在")
    check_password_rules(password)
    city_id, department_id = resolve_scope(session, role, city, department, county)
    user = User(username=username, display_name=(display_name or username).strip()[:80],
                password_hash=generate_password_hash(password), role=role, city_id=city_id,
                department_id=department_id, active=True, session_token=secrets.token_hex(16),
                email=check_email(email), mobile=check_mobile(mobile))
    session.add(user)
    session.flush()
    record(session, actor, "user.create", f"账号 {username}", "user", user.id,
           after=describe(session, user))
    return user


def find_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if user is None:
        raise AccountError(f"没有用户名为“{username}”的账号")
    return user


def set_password(session: Session, actor: str, username: str, password: str) -> User:
    """A new password; the account's other sessions end (new session token)."""
    user = find_user(session, username)
    check_password_rules(password)
    user.password_hash = generate_password_hash(password)
    user.session_token = secrets.token_hex(16)
    record(session, actor, "user.password", f"账号 {user.username}", "user", user.id,
           after={"password": "已重设"})
    return user


def update_user(session: Session, actor: str, username: str, *, role: str | None = None,
                city: str | None = None, department: str | None = None, county: str | None = None,
                active: bool | None = None, display_name: str | None = None,
                email: str | None = None, mobile: str | None = None) -> User:
    """Change an account's role/scope, name, contacts (None: unchanged; "": none)
    or whether it may log in."""
    user = find_user(session, username)
    if actor == user.username and (active is False or role not in (None, "admin")):
        raise AccountError("不能停用自己正在使用的账号，也不能取消自己的管理员角色")
    before = describe(session, user)
    if role is not None:
        user.city_id, user.department_id = resolve_scope(session, role, city, department, county)
        user.role = role
    if display_name is not None:
        user.display_name = display_name.strip()[:80] or user.username
    if email is not None:
        user.email = check_email(email)
    if mobile is not None:
        user.mobile = check_mobile(mobile)
    if active is not None and active != user.active:
        user.active = active
        user.session_token = secrets.token_hex(16)
    after = describe(session, user)
    if after != before:
        record(session, actor, "user.update", f"账号 {user.username}", "user", user.id, before, after)
    return user


def name_key(username: str) -> str:
    return username.strip().lower()[:80]


def record_attempt(session: Session, username: str, address: str, limits: Throttle) -> None:
    """Record an attempt as a failure (forgotten if it succeeds); commit it before
    counting (``throttled``).  Failures older than the window go."""
    session.execute(delete(LoginFailure).where(LoginFailure.at < utcnow() - timedelta(minutes=limits.minutes)))
    session.add(LoginFailure(username=name_key(username), address=address[:64]))


def throttled(session: Session, username: str, address: str, limits: Throttle) -> bool:
    """Too many recent attempts (this one included) of this name from this
    address, or from this address."""
    since = utcnow() - timedelta(minutes=limits.minutes)
    recent = select(func.count()).select_from(LoginFailure).where(LoginFailure.address == address[:64],
                                                                   LoginFailure.at >= since)
    by_pair = session.scalar(recent.where(LoginFailure.username == name_key(username)))
    return by_pair > limits.per_name or session.scalar(recent) > limits.per_address


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active account with this name and password, else None."""
    user = session.scalar(select(User).where(func.lower(User.username) == name_key(username)))
    session.commit()  # (the connection goes back to the pool while the hash takes its ~50 ms)
    valid = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    return user if user is not None and valid and user.active else None


def forget_failures(session: Session, username: str, address: str) -> None:
    """After a successful login: this name's failures from this address (this attempt's too)."""
    session.execute(delete(LoginFailure).where(LoginFailure.username == name_key(username),
                                               LoginFailure.address == address[:64]))


def report_guessing(session: Session, username: str, limits: Throttle) -> None:
    """Tell the admin (audit log) of a name failing ``limits.notice`` times within
    the window, from any addresses: once per window."""
    since = utcnow() - timedelta(minutes=limits.minutes)
    key = name_key(username)
    failures = session.scalar(select(func.count()).select_from(LoginFailure).where(
        LoginFailure.username == key, LoginFailure.at >= since))
    if failures < limits.notice:
        return
    target = f"账号 {key}"
    told = session.scalar(select(AuditEntry.id).where(AuditEntry.action == "login.suspicious",
                                                      AuditEntry.target == target, AuditEntry.at >= since).limit(1))
    if told is None:
        addresses = session.scalar(select(func.count(func.distinct(LoginFailure.address))).where(
            LoginFailure.username == key, LoginFailure.at >= since))
        record(session, "system", "login.suspicious", target,
               after={"失败次数": failures, "来源地址数": addresses, "时间窗口（分钟）": limits.minutes})


def department_names(session: Session, city: str) -> list[str]:
    """The departments of a city, for choosing a department editor's department."""
    stmt = (select(Department.name).join(Region, Region.id == Department.city_id)
            .where(Region.name == city).distinct().order_by(Department.name))
    return list(session.scalars(stmt))


def user_rows(session: Session) -> list[dict]:
    """Every account for the admin's list, in creation order."""
    city, dept = aliased(Region), aliased(Department)
    stmt = (select(User, city.name, dept.name).outerjoin(city, city.id == User.city_id)
            .outerjoin(dept, dept.id == User.department_id).order_by(User.id))
    return [{"username": u.username, "display_name": u.display_name, "role": u.role,
             "role_label": ROLES[u.role], "city": c, "department": d, "active": u.active,
             "email": u.email or "", "mobile": u.mobile or "",
             "created_at": local_text(u.created_at)}
            for u, c, d in session.execute(stmt)]
