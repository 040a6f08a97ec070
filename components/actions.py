"""One click, one action: a write callback runs only for a click of its own
button.

Dash calls a callback when a component it listens to appears in the page,
and a redraw that recreates a button is such an appearance; a request posted
by hand can name any input.  Every write callback therefore asks
``clicked(...)`` first: the request must have been triggered by one of its
buttons, with a click count of at least one, or nothing happens
(PreventUpdate).  The action buttons also sit outside the parts of the page
that the writes redraw, so a redraw never recreates them.
"""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ctx, html
from dash.exceptions import PreventUpdate


def clicked(*buttons: str) -> str:
    """The id of the button (one of ``buttons``) whose click triggered this request."""
    trigger = ctx.triggered_id
    if trigger is None or trigger not in buttons:
        raise PreventUpdate
    clicks = ctx.triggered[0].get("value")
    if isinstance(clicks, bool) or not isinstance(clicks, int) or clicks < 1:
        raise PreventUpdate
    return trigger


def refused(messages: list[str], alert_id: str, what: str = "未保存") -> dbc.Alert:
    """A write refused, nothing written: each reason, as the server gave it."""
    return dbc.Alert([html.Strong(f"{what}："), html.Ul([html.Li(m) for m in messages], className="mb-0")],
                     color="danger", className="py-2", id=alert_id)
