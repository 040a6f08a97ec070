"""The two fields every correction of a plan asks for (计划, 指标): the date it
counts from and the reason, and how a save reads the date back."""
from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc


def when_and_why(prefix: str, issued: date, today: date, example: str) -> dbc.Row:
    """生效日期 (from the plan's issue date to today; today by default) and 原因
    (``example``: the placeholder); ids ``{prefix}-effective`` and ``{prefix}-reason``."""
    return dbc.Row([
        dbc.Col([dbc.Label("生效日期", html_for=f"{prefix}-effective", className="small text-muted mb-1"),
                 dbc.Input(type="date", id=f"{prefix}-effective", value=today.isoformat(),
                           min=issued.isoformat(), max=today.isoformat())], md=3),
        dbc.Col([dbc.Label("原因（必填，记入变更记录和审计日志）", html_for=f"{prefix}-reason",
                           className="small text-muted mb-1"),
                 dbc.Textarea(id=f"{prefix}-reason", rows=2, maxLength=500, placeholder=example)], md=9),
    ], className="g-2")


def effective_date(value) -> date | None:
    """The 生效日期 a save sent (an ISO date), else None (the write then refuses it)."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
