"""催办 pieces the overdue page and the item page share: the choice to send a
督办单 with it, and the sent 督办单 to download afterwards."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html


def letter_choice(element_id: str) -> dbc.Checkbox:
    """附督办单: each unit chased also gets a Word 督办单 of its milestones (notices.urge)."""
    return dbc.Checkbox(id=element_id, value=True, className="mt-2 small",
                        label="附督办单（Word：所催办的节点、回复期限和签收栏，随通知和邮件送达）")


def sent_letters(sent) -> html.Div | None:
    """The 督办单 just sent (notices.urge.Sent.letters), one link per unit."""
    if not sent.letters:
        return None
    return html.Div(["督办单：", *[html.A(unit, href=path, download="", className="me-2")
                                for unit, path in sent.letters]], className="small mt-1", id="urge-letters")
