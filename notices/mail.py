"""邮件: the notices waiting to be mailed, one mail per account per run (plain
text and HTML, in Chinese, each notice with its link), over SMTP as the
environment sets it (SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD,
SMTP_TLS, MAIL_FROM, SITE_URL; no SMTP_HOST: notices stay in the app only).

A mail server that is down or refuses a mail delays it: the notices stay
pending and the next run tries again (up to MAIL_MAX_ATTEMPTS times); it
never holds up a report or a page, which never send mail themselves.  A
催办 sent with a 督办单 carries it as a Word attachment.
Each account's mail is committed as sent once its server took it.
"""
from __future__ import annotations

import html
import logging
import smtplib
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app
from sqlalchemy import select

from outputs.urge_letter import letter_for_urge
from store.models import NOTICE_KINDS, Notification, Urge, User, utcnow

MAIL_MAX_ATTEMPTS = 20
log = logging.getLogger(__name__)
DOCX_SUBTYPE = "vnd.openxmlformats-officedocument.wordprocessingml.document"


def configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def send_pending(session) -> tuple[int, int]:
    """Mail each account its pending notices; (mails sent, mails that failed)."""
    if not configured():
        return 0, 0
    rows = session.execute(select(Notification, User).join(User, User.id == Notification.user_id)
                           .where(Notification.mail == "pending", User.active.is_(True), User.email.is_not(None))
                           .order_by(Notification.user_id, Notification.id)).all()
    by_user: dict[int, tuple[User, list[Notification]]] = {}
    for notice, user in rows:
        by_user.setdefault(user.id, (user, []))[1].append(notice)
    if not by_user:
        return 0, 0
    sent = failed = 0
    try:
        server = _connect()
    except (OSError, smtplib.SMTPException):
        for user, notices in by_user.values():
            _failed(notices)
        session.commit()
        return 0, len(by_user)
    with server:
        for user, notices in by_user.values():
            try:
                server.send_message(message(user, notices, letters(session, notices)))
            except (OSError, smtplib.SMTPException):
                _failed(notices)
                failed += 1
            else:
                for notice in notices:
                    notice.mail, notice.mailed_at, notice.mail_attempts = "sent", utcnow(), notice.mail_attempts + 1
                sent += 1
            session.commit()
    return sent, failed


def _failed(notices: list[Notification]) -> None:
    for notice in notices:
        notice.mail_attempts += 1
        if notice.mail_attempts >= MAIL_MAX_ATTEMPTS:
            notice.mail = "failed"


def _connect() -> smtplib.SMTP:
    config = current_app.config
    server = smtplib.SMTP(config["SMTP_HOST"], int(config.get("SMTP_PORT") or 25), timeout=10)
    if config.get("SMTP_TLS"):
        server.starttls()
    if config.get("SMTP_USER"):
        server.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
    return server


def letters(session, notices: list[Notification]) -> list[tuple[bytes, str]]:
    """The 督办单 that go with the 催办 among ``notices`` (.docx, file name)."""
    ids = [int(n.key.split(":", 1)[1]) for n in notices if n.kind == "urge" and n.key.startswith("urge:")
           and n.key.split(":", 1)[1].isdigit()]
    if not ids:
        return []
    attached = []
    for urge in session.scalars(select(Urge).where(Urge.id.in_(ids), Urge.letter.is_(True)).order_by(Urge.id)):
        try:
            attached.append(letter_for_urge(session, urge))
        except Exception:  # (the mail goes without it: the letter is on the report page too)
            log.exception("督办单 of 催办 %s not attached", urge.id)
    return attached


def message(user: User, notices: list[Notification], attached: list[tuple[bytes, str]] = ()) -> EmailMessage:
    """One account's mail: what each notice says, with its link, as text and as
    HTML; the ``attached`` files (a 督办单: .docx, file name) attached."""
    site = (current_app.config.get("SITE_URL") or "").rstrip("/")
    name = current_app.config.get("SITE_NAME", "信用应用场景推进监测平台")
    msg = EmailMessage()
    msg["Subject"] = f"【{name}】{len(notices)} 条提醒：" + "、".join(
        dict.fromkeys(NOTICE_KINDS[n.kind] for n in notices))
    msg["From"] = current_app.config.get("MAIL_FROM") or f"noreply@{current_app.config['SMTP_HOST']}"
    msg["To"] = formataddr((user.display_name, user.email))
    msg["Message-ID"] = make_msgid(domain="credit-monitor")
    text = [f"{user.display_name}：", "", f"{name}有以下提醒：", ""]
    for n in notices:
        text += [f"■ {n.title}", *n.body.splitlines(), f"  {site}{n.link}", ""]
    text += ["此邮件由系统自动发送，请勿回复。"]
    msg.set_content("\n".join(text))
    items = "".join(f"<li><p><strong>{html.escape(n.title)}</strong><br>{'<br>'.join(map(html.escape, n.body.splitlines()))}"
                    f"<br><a href=\"{html.escape(site + n.link)}\">查看</a></p></li>" for n in notices)
    msg.add_alternative(f"<html><body><p>{html.escape(user.display_name)}：</p><p>{html.escape(name)}有以下提醒：</p>"
                        f"<ul>{items}</ul><p style=\"color:#666\">此邮件由系统自动发送，请勿回复。</p></body></html>",
                        subtype="html")
    for data, file_name in attached:
        msg.add_attachment(data, maintype="application", subtype=DOCX_SUBTYPE, filename=file_name)
    return msg
