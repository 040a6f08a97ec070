"""The office's clock: China Standard Time (UTC+8, no daylight saving).

Timestamps are stored in UTC (store.models.utcnow) and shown in local time;
'today' — the day a report is made, the day the due checks compare with — is
the local day, whatever the server's own time zone."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

CST = timezone(timedelta(hours=8), "CST")


def today() -> date:
    return datetime.now(CST).date()


def local(stamp: datetime | None) -> datetime | None:
    """A stored (naive UTC) timestamp in local time."""
    return stamp.replace(tzinfo=timezone.utc).astimezone(CST).replace(tzinfo=None) if stamp else None


def day_start_utc(day: date) -> datetime:
    """The (naive UTC) timestamp a local day begins at: what stored times are compared with."""
    return datetime.combine(day, datetime.min.time(), CST).astimezone(timezone.utc).replace(tzinfo=None)


def local_text(stamp: datetime | None) -> str:
    """'2020-10-03 18:02' in local time; '' for none."""
    return f"{local(stamp):%Y-%m-%d %H:%M}" if stamp else ""
