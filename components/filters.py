"""The as-of date and the plan/city/department filters: read from the URL,
shown as a bar on every page, written back to the URL when changed (so a link
reproduces the view and browser back/forward work)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import parse_qsl, urlencode

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from queries import api
from queries.status import STATUSES, Filters

FIELDS = ("as_of", "year", "plan", "city", "department")


@dataclass(frozen=True)
class View:
    """What a page shows: the review date, the filters, and what was wrong with
    the URL (an unknown city, a bad date…), so the page can say so."""

    as_of: date
    filters: Filters
    problems: tuple[str, ...] = field(default=())
    scope: dict | None = None  # the plans it covers: label, plan names (queries.scope)

    def query(self, **changes) -> str:
        """The URL query string of this view, with ``changes`` (None removes)."""
        params = {"as_of": self.as_of.isoformat(), "year": self.filters.year, "plan": self.filters.plan,
                  "city": self.filters.city, "department": self.filters.department,
                  "status": ",".join(self.filters.statuses) or None}
        params.update(changes)
        return "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})

    def href(self, path: str, **changes) -> str:
        return path + self.query(**changes)

    def with_filters(self, **changes) -> "View":
        return replace(self, filters=replace(self.filters, **changes))


def read_as_of(value, default: date, problems: list[str]) -> date:
    """The as-of date in a URL: a date within api.as_of_window(), else ``default`` with a note."""
    if not value:
        return default
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"日期“{str(value)[:30]}”无法识别（格式：YYYY-MM-DD），已使用默认日期")
        return default
    if not api.in_window(day):
        first, last = api.as_of_window()
        problems.append(f"日期“{day}”超出可查看的范围（{first}至{last}），已使用默认日期")
        return default
    return day


def read_view(query: dict, within_period: bool = True) -> View:
    """Parse the page's query parameters; unknown values are dropped with a
    note.  The view covers the plans queries.scope says, for its date (by
    default api.default_as_of's, ``within_period`` or not)."""
    problems = []
    options = api.choices()

    def known(name: str, allowed, label: str):
        value = query.get(name) or None
        if value is not None and value not in allowed:
            problems.append(f"未知的{label}“{value}”，已忽略该筛选条件")
            return None
        return value

    statuses = tuple(s for s in str(query.get("status") or "").split(",") if s)
    if any(s not in STATUSES for s in statuses):
        problems.append(f"未知的状态“{query['status']}”，已忽略")
        statuses = ()
    year = known("year", {str(y) for y in options["years"]}, "计划年度")
    plan, city = known("plan", {p["value"] for p in options["plans"]}, "计划"), known("city", options["cities"], "地市")
    year = int(year) if year else None
    as_of = read_as_of(query.get("as_of"), api.default_as_of(plan, year, city, within_period), problems)
    scope = api.scope(as_of, plan, year, city)
    filters = Filters(plan=plan, year=year, city=city, statuses=statuses, plans=scope["ids"],
                      department=known("department", options["departments"], "部门"))
    return View(as_of, filters, tuple(problems), scope)


def scope_line(view: View) -> html.Div | None:
    """统计范围：the plans the view covers, their names on hover."""
    if view.scope is None:
        return None
    return html.Div(["统计范围：", html.Span(view.scope["label"], title="\n".join(view.scope["plans"]),
                                            className="scope-label")],
                    className="small text-muted mt-1", id="scope-line")


# The URL parameters the pages read; a cached page is keyed by these alone.
PARAMS = FIELDS + ("status", "min_days", "kind", "state", "result", "month", "period", "theme", "auto", "all",
                   "page", "tab", "item_id", "group", "paper")
_DIGITS = {"min_days": 4, "result": 9, "auto": 4, "page": 5, "item_id": 10}
_WORD = re.compile(r"^[\w-]{1,20}$")


def cache_params(query: dict) -> dict | None:
    """The parameters a cached page is keyed by: the recognised ones (unknown
    ones are ignored), each checked; None when a value is one no page accepts
    (the page is then drawn for this request, with its warning, and not
    cached: junk in URLs cannot grow the cache)."""
    options = api.choices()
    allowed = {"plan": {p["value"] for p in options["plans"]}, "city": set(options["cities"]),
               "department": set(options["departments"])}
    out = {}
    for name in PARAMS:
        value = query.get(name)
        if value in (None, ""):
            continue
        value = str(value)
        if name == "as_of":
            problems: list[str] = []
            ok = read_as_of(value, None, problems) is not None and not problems
        elif name == "year":
            ok = value.isascii() and value.isdigit() and 2000 <= int(value) <= 2100
        elif name == "status":
            ok = all(s in STATUSES for s in value.split(","))
        elif name in allowed:
            ok = value in allowed[name]
        elif name in _DIGITS:
            ok = value.isascii() and value.isdigit() and len(value) <= _DIGITS[name]
        else:
            ok = bool(_WORD.match(value))
        if not ok:
            return None
        out[name] = value
    return out


def filter_bar(view: View, fields: tuple[str, ...] = FIELDS) -> html.Div:
    """The controls; each carries a pattern id {"type": "filter", "name": field}."""
    options = api.choices()
    controls = {
        "as_of": ("截至日期", dcc.Input(type="date", value=view.as_of.isoformat(),
                                      id={"type": "filter", "name": "as_of"}, className="form-control")),
        "year": ("计划年度", dcc.Dropdown([{"value": str(y), "label": f"{y}年"} for y in options["years"]],
                                      str(view.filters.year) if view.filters.year else None,
                                      placeholder="全部年度", id={"type": "filter", "name": "year"})),
        "plan": ("计划文件", dcc.Dropdown(options["plans"], view.filters.plan, placeholder="全部计划",
                                       id={"type": "filter", "name": "plan"})),
        "city": ("地市", dcc.Dropdown(options["cities"], view.filters.city, placeholder="全省",
                                    id={"type": "filter", "name": "city"})),
        "department": ("部门", dcc.Dropdown(options["departments"], view.filters.department,
                                          placeholder="全部部门", id={"type": "filter", "name": "department"})),
    }
    cols = [dbc.Col([dbc.Label(label, className="small text-muted mb-1"), control],
                    md=2 if name in ("as_of", "year", "city") else 3)
            for name, (label, control) in controls.items() if name in fields]
    rendered = {name: control.value for name, (_, control) in controls.items() if name in fields}
    # on a phone the controls fold behind 筛选条件 (app.register_toggles); the scope and problems stay in view
    toggle = dbc.Button(["筛选条件 ", html.Span(summary(view), className="small")], id="filters-toggle", n_clicks=0,
                        color="light", size="sm", className="filters-toggle border mb-2")
    bar = [toggle, dbc.Collapse(dbc.Row(cols, className="g-2 align-items-end"), id="filters-collapse", is_open=False,
                                className="filters-collapse"),
           scope_line(view), rendered_values(rendered)]
    bar += [dbc.Alert(p, color="warning", className="mt-2 mb-0 py-2") for p in view.problems]
    return html.Div(bar, className="filter-bar mb-3", id="filter-bar")


def summary(view: View) -> str:
    """What the folded filter bar says it holds: '2020-09-30 · 杭州 · …'."""
    f = view.filters
    return " · ".join(str(x) for x in (view.as_of.isoformat(), f.year and f"{f.year}年", f.plan, f.city, f.department)
                      if x)


def control_bar(fields: list[tuple[str, object, int]], rendered: dict) -> html.Div:
    """A page's own URL controls (label, control with a filter pattern id, width),
    laid out like the filter bar, with the values they were rendered with."""
    return html.Div([dbc.Row([dbc.Col([dbc.Label(label, className="small text-muted mb-1"), control], md=width)
                              for label, control, width in fields], className="g-2 align-items-end"),
                     rendered_values(rendered)], className="filter-bar mb-3")


def rendered_values(values: dict) -> dcc.Store:
    """The values the filter bar's controls were rendered with."""
    return dcc.Store(id="filter-rendered", data=values)


def filters_to_url(values, rendered, search):
    """A control the user changed rewrites the URL; the page re-renders from it.
    A control still showing what it was rendered with (or, for a page's own
    controls, what the URL says) is no change: a dropdown reports its value when
    it appears, and a date being typed is not a view yet."""
    params = dict(parse_qsl((search or "").lstrip("?")))
    before = dict(params)
    rendered = rendered or {}
    for item, value in zip(ctx.inputs_list[0], values):
        name = item["id"]["name"]
        wanted = _as_param(value)
        current = _as_param(rendered[name]) if name in rendered else params.get(name)
        if wanted == current or (name == "as_of" and wanted is None):
            continue
        if wanted is None:
            params.pop(name, None)
        else:
            params[name] = wanted
    return no_update if params == before else "?" + urlencode(params)


def _as_param(value) -> str | None:
    """A control's value as the URL writes it (a multi-select's list as "a,b")."""
    if value in (None, "", []):
        return None
    return ",".join(map(str, value)) if isinstance(value, list) else str(value)


def init_app(app) -> None:
    """Register the callback with ``app`` (not with ``dash.callback``: Dash hands
    global callbacks to the first app only, and tests make several)."""
    app.callback(
        Output("_pages_location", "search"),
        Input({"type": "filter", "name": ALL}, "value"),
        State("filter-rendered", "data", allow_optional=True),  # a page without filters has none
        State("_pages_location", "search"),
        prevent_initial_call=True
    )(filters_to_url)
