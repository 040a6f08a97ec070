"""Requests to Dash's callback endpoint built by hand, as the browser sends
them — or as an attacker with a valid account would craft them."""
from __future__ import annotations

import json


def dependencies(client) -> list[dict]:
    return client.get("/_dash-dependencies").get_json()


def dependency(client, input_id: str) -> dict:
    """The callback that has ``input_id`` among its inputs (for a button: the one whose
    output is not only a dialog's is_open)."""
    found = [d for d in dependencies(client) if any(i["id"] == input_id for i in d["inputs"])]
    return next((d for d in found if "is_open" not in d["output"]), found[0])


def payload(dep: dict, values: dict | None = None, clicked: str | None = None, clicks=1) -> dict:
    """A request for ``dep``: ``values`` by component id (inputs and states),
    ``clicked`` the button whose click (``clicks``) triggers it (None: a request
    no click triggered, as when a redraw makes a button appear)."""
    values = values or {}
    output = dep["output"]
    parts = output.strip(".").split("...") if output.startswith("..") else [output]
    outputs = [dict(zip(("id", "property"), part.split(".", 1))) for part in parts]

    def item(spec):
        value = clicks if spec["id"] == clicked and spec["property"] == "n_clicks" else values.get(spec["id"])
        return {"id": spec["id"], "property": spec["property"], "value": value}

    return {"output": output, "outputs": outputs if output.startswith("..") else outputs[0],
            "inputs": [item(i) for i in dep["inputs"]], "state": [item(s) for s in dep["state"]],
            "changedPropIds": [f"{clicked}.n_clicks"] if clicked else []}


def post(client, body) -> tuple[int, str]:
    """(status, the response as readable text: Dash escapes non-ASCII in its JSON)."""
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    response = client.post("/_dash-update-component", data=data, content_type="application/json")
    text = response.get_data(as_text=True)
    try:
        text = json.dumps(json.loads(text), ensure_ascii=False)
    except ValueError:
        pass
    return response.status_code, text


def render_page(client, path: str, search: str = ""):
    """The page's layout as Dash's router callback answers it: (status, body text)."""
    return post(client, {"output": ".._pages_content.children..._pages_store.data..",
                         "outputs": [{"id": "_pages_content", "property": "children"},
                                     {"id": "_pages_store", "property": "data"}],
                         "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                                    {"id": "_pages_location", "property": "search", "value": search}],
                         "changedPropIds": ["_pages_location.pathname"], "state": []})
