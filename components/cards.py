"""Headline figures: a label, a value, the numbers behind it, a link to the rows."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.status import AMBER

SITE = "信用应用场景推进监测平台"


# a chart colour as the text of a headline figure: amber darkened to 4.5:1 on white (WCAG AA)
TEXT_TONES = {AMBER: "#8a5c00"}


def kpi_card(label: str, value: str, href: str | None, *, card_id: str, note: str = "",
             colour: str | None = None) -> dbc.Card:
    tone = TEXT_TONES.get(colour, colour)
    body = [
        html.Div(label, className="small text-muted"),
        html.Div(value, className="kpi-value", id=card_id, style={"color": tone} if tone else None),
        html.Div(note, className="small text-muted") if note else None,
    ]
    inner = dcc.Link(body, href=href) if href else html.Div(body)
    return dbc.Card(dbc.CardBody(inner), className="kpi-card h-100")


def card_row(cards: list, width: int = 3) -> dbc.Row:
    return dbc.Row([dbc.Col(c, md=width, xs=6, className="mb-3") for c in cards], className="g-3")


def page_header(title: str, view, subtitle: str = "") -> html.Div:
    d = view.as_of
    return html.Div([
        html.H3(title, className="page-title mb-0"),
        html.Div(f"截至{d.year}年{d.month}月{d.day}日" + (f" · {subtitle}" if subtitle else ""),
                 className="text-muted", id="as-of-title"),
    ], className="mb-3")
