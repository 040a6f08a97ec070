"""How a status looks everywhere: Chinese label, an icon (so colour is never the
only signal) and a colour from a colour-blind-safe palette (Okabe–Ito)."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from flask import current_app

from metrics.attainment import PACE_LABELS
from queries.status import STATUS_LABELS

GREEN, AMBER, RED, GREY, BLUE = "#009E73", "#E69F00", "#D55E00", "#8C8C8C", "#0072B2"

STATUS_STYLE = {  # code: (icon, colour)
    "done_on_time": ("✔", GREEN),
    "done_late": ("✔", AMBER),
    "pending": ("◎", BLUE),
    "overdue": ("✖", RED),
    "due_soon": ("◷", AMBER),
    "not_due": ("○", GREY),
    "open": ("∞", GREY),
}
RAG_STYLE = {  # rag: (label, icon, colour)
    "green": ("正常", "●", GREEN),
    "amber": ("预警", "▲", AMBER),
    "red": ("滞后", "■", RED),
}
ITEM_STATUS_LABELS = {"done": "已完成", "overdue": "有逾期节点", "not_started": "未启动",
                      "in_progress": "推进中"}


def due_soon_label() -> str:
    """'临期（30天内到期）', with the configured window (DUE_SOON_DAYS)."""
    return f"临期（{current_app.config['DUE_SOON_DAYS']}天内到期）"


def status_text(code: str) -> str:
    """'✖ 逾期未完成' — the label with its icon, for tables and exports."""
    icon, _ = STATUS_STYLE[code]
    return f"{icon} {STATUS_LABELS[code]}"


def rag_text(rag: str) -> str:
    label, icon, _ = RAG_STYLE[rag]
    return f"{icon} {label}"


def rag_badge(rag: str) -> dbc.Badge:
    _, _, colour = RAG_STYLE[rag]
    return dbc.Badge(rag_text(rag), style={"backgroundColor": colour}, className="status-badge")


# ag-grid: colour a status cell by the row's raw status code
STATUS_CELL_CLASSES = {f"status-{code}": f"params.data.status == '{code}'" for code in STATUS_STYLE}
RAG_CELL_CLASSES = {f"rag-{rag}": f"params.data.rag == '{rag}'" for rag in RAG_STYLE}


def pending_note(row: dict, prefix: str = "") -> str:
    """'…；另有 3 个已报完成、待审核' — completions not counted yet (reporting.review)."""
    n = row.get("pending") or 0
    return f"{prefix}{'；' if prefix and n else ''}{f'另有 {n:,} 个已报完成、待审核' if n else ''}"


def pct(num: int, den: int) -> str:
    """'83.1%（192/231）'; a rate with nothing due is a dash, not 0%."""
    return f"{num / den:.1%}（{num}/{den}）" if den else "—（0/0）"


# indicator pace (metrics.attainment.pace): icon + label, coloured like RAG
PACE_ICONS = {"met": "✔", "on_pace": "●", "behind": "▼", "no_data": "○"}
PACE_CELL_CLASSES = {
    "rag-green": "params.data.pace == 'met' || params.data.pace == 'on_pace'",
    "rag-red": "params.data.pace == 'behind'",
    "status-not_due": "params.data.pace == 'no_data'",
}


def pace_text(code: str, stale_months: int | None = None) -> str:
    """'▼ 落后于进度', and the data's age when it is old: ' · 数据已 5 个月未更新'."""
    stale = f" · 数据已 {stale_months} 个月未更新" if stale_months else ""
    return f"{PACE_ICONS[code]} {PACE_LABELS[code]}{stale}"
