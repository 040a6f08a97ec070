"""components.jsonify: the page JSON the app builds and caches is what Dash itself would send."""
import dash
from dash.development.base_component import Component

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
