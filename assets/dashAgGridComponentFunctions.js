/* Grid cell renderers.  Link: the cell's text linking to a URL built from the
   row, e.g. cellRendererParams {href: "/item/{item_id}"}. */
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
  return React.createElement("a", {href: href}, props.value);
};
