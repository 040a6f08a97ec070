"""节点台账: the full status table, one row per milestone, in the layout of the
official tables, filtered by plan / city / department / status and exported as
shown (column and row helpers: components/ledger.py)."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from components.cards import page_header
from components.filters import filter_bar, read_view
from components.grid import data_grid, export_filename
from components.ledger import (
    LEDGER_FIELDS,
    ledger_columns,
    ledger_rows,
    ledger_stem,
    ledger_title,
)
from components.status import status_text
from queries.ledger import capped_status_table
from queries.status import STATUSES
from queries.status_counts import status_counts

dash.register_page(__name__, path="/milestones", name="节点台账", order=30,
                   title="节点台账 · 信用应用场景推进监测平台")


def layout(**query):
    view = read_view(query)
    counts = status_counts(view.as_of, view.filters)
    chosen = view.filters.statuses
    total = sum(counts[s] for s in chosen or STATUSES)
    rows = capped_status_table(view.as_of, view.filters, total)
    status_control = dcc.Dropdown(
        [{"value": code, "label": status_text(code)} for code in STATUSES], list(chosen), multi=True,
        placeholder="全部状态", id={"type": "filter", "name": "status"})
    chips = [dcc.Link(f"{status_text(code)} {counts[code]:,}", href=view.href("/milestones", status=code),
                      className=f"rounded-pill border px-2 py-1 small text-decoration-none status-{code} "
                      + ("bg-secondary-subtle border-secondary" if chosen == (code,) else "bg-light"),
                      id=f"chip-{code}")
             for code in STATUSES]
    return html.Div([
        page_header("节点台账", view, "每个工作节点一行，格式同正式台账；表头可排序、筛选，导出为所见内容"),
        filter_bar(view),
        dbc.Row([
            dbc.Col([dbc.Label("节点状态（可多选）", className="small text-muted mb-1"), status_control],
                    md=4),
            dbc.Col(html.Div([html.Span("各状态节点数：", className="small text-muted"), *chips],
                             className="d-flex flex-wrap gap-2 align-items-center"), md=8),
        ], className="g-3 align-items-end mb-3 px-3"),
        data_grid("ledger", ledger_rows(rows), ledger_columns(*LEDGER_FIELDS),
                  title=ledger_title(view.filters, view.as_of),
                  filename=export_filename(ledger_stem(view.filters), view.as_of),
                  empty="筛选条件下没有工作节点", official=True, total=total),
    ])
