/* Grid cell renderers.  Link: the cell's text linking to a URL built from the
   row, e.g. cellRendererParams {href: "/item/{item_id}"}.  A plain click
   navigates inside the app as dcc.Link does (no page reload); ctrl/cmd/middle
   clicks keep the browser's behaviour (new tab). */
var dagcomponentfuncs = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});

dagcomponentfuncs.Link = function (props) {
  if (props.value === null || props.value === undefined || props.value === "") {
    return null;
  }
  var template = (props.colDef.cellRendererParams || {}).href || "";
  var href = template.replace(/\{(\w+)\}/g, function (_, key) {
    var v = props.data[key];
    return encodeURIComponent(v === null || v === undefined ? "" : v);
  });
  function navigate(event) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    window.history.pushState({}, "", href);
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    window.scrollTo(0, 0);
  }
  return React.createElement("a", {href: href, onClick: navigate}, props.value);
};
