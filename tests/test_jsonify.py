"""components.jsonify: the page JSON the app builds and caches is what Dash itself would send."""
import json

import dash
from dash.development.base_component import Component
from plotly.io.json import to_json_plotly

from components.jsonify import component_json

ARGUMENTS = {"pages.city": {"city": "杭州"}, "pages.item": {"item_id": "1"}}


def components(node):
    """Every component in a tree: in children and in any other prop."""
    if isinstance(node, Component):
        yield node
        for value in vars(node).values():
            yield from components(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from components(value)


def test_component_json_is_dashs_own_for_every_component_of_every_page(loaded_app):
    seen, wildcard_props = set(), 0
    with loaded_app.test_request_context("/"):
        for module, page in dash.page_registry.items():
            build = getattr(page["layout"], "uncached", page["layout"])
            tree = build(**ARGUMENTS.get(module, {}))
            for component in components(tree):
                assert component_json(component) == component.to_plotly_json(), (module, component)
                seen.add(type(component).__name__)
                wildcard_props += any(k.startswith(("data-", "aria-")) for k in component_json(component)["props"])
    # the kinds the pages are made of, wildcard (data-*, aria-*) props included
    assert {"Div", "Section", "Link", "AgGrid", "Graph", "Card", "Dropdown"} <= seen
    assert wildcard_props > 10


def test_a_page_sent_from_the_cache_is_what_dash_would_send(loaded_app):
    """The layout callback's response (cached JSON, sent as it is) equals Dash's own encoding of the page."""
    client = loaded_app.test_client()
    for path, search, module, arguments in (("/review", "?month=2020-09", "pages.review", {"month": "2020-09"}),
                                            ("/city/杭州", "?tab=overdue", "pages.city",
                                             {"city": "杭州", "tab": "overdue"})):
        body = {"output": "..\u005fpages_content.children...\u005fpages_store.data..",
                "outputs": [{"id": "_pages_content", "property": "children"},
                            {"id": "_pages_store", "property": "data"}],
                "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                           {"id": "_pages_location", "property": "search", "value": search}],
                "changedPropIds": ["_pages_location.pathname"], "state": []}
        sent = [client.post("/_dash-update-component", json=body).get_json() for _ in range(2)]  # built, cached
        with loaded_app.test_request_context("/"):
            own = json.loads(to_json_plotly(dash.page_registry[module]["layout"].uncached(**arguments)))
        assert sent[0] == sent[1] and sent[0]["response"]["_pages_content"]["children"] == own, path
