"""A friendly 404 for unknown paths (Dash pages shows it for any unmatched URL)."""
import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

dash.register_page(__name__, path="/404", name="页面不存在", nav=False, title="页面不存在 · 信用应用场景推进监测平台")


def layout(**_query):
    return not_found("您访问的页面不存在。")


def not_found(message: str):
    """Also used by pages whose path names something unknown (/city/不存在, /item/999999)."""
    return dbc.Alert([
        html.H4("未找到", id="not-found"),
        html.P(message),
        dcc.Link("返回全省总览", href="/", className="alert-link"),
    ], color="warning", className="mt-4")
