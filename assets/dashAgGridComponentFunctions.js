/* Grid cell renderers.  Link: the cell's text linking to a URL built from the
   row, e.g. cellRendererParams {href: "/item/{item_id}"} (values URL-encoded),
   or {href: "{link}", raw: true} for a whole link of the site held by the row; {download: true}
   for a file the server sends (a plain link).  A plain click
   navigates inside the app as dcc.Link does (no page reload); ctrl/cmd/middle
   clicks keep the browser's behaviour (new tab). */
var dagcomponentfuncs = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});

dagcomponentfuncs.Link = function (props) {
  if (props.value === null || props.value === undefined || props.value === "") {
    return null;
  }
  var params = props.colDef.cellRendererParams || {};
  var href = (params.href || "").replace(/\{(\w+)\}/g, function (_, key) {
    var v = props.data[key];
    v = v === null || v === undefined ? "" : String(v);
    return params.raw ? v : encodeURIComponent(v);
  });
  if (params.raw && (!/^[\/#]/.test(href) || href.indexOf("//") === 0)) {
    return props.value;  // a raw link (a whole URL from the row) only ever points within the site
  }
  if (params.download) {  // a file the server sends: the browser fetches it, no page changes
    return React.createElement("a", {href: href, download: ""}, props.value);
  }
  function navigate(event) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey ||
        href.charAt(0) === "#") {
      return;  // the browser's own behaviour: a new tab, or a jump to an anchor of this page
    }
    event.preventDefault();
    window.history.pushState({}, "", href);
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    window.scrollTo(0, 0);
  }
  return React.createElement("a", {href: href, onClick: navigate}, props.value);
};

/* Files: the cell's value is a list of {id, name} (a milestone's 佐证材料), each a
   download link to cellRendererParams.href with {id} filled in ("/evidence/{id}"). */
dagcomponentfuncs.Files = function (props) {
  var files = Array.isArray(props.value) ? props.value : [];
  if (!files.length) {
    return "—";
  }
  var href = (props.colDef.cellRendererParams || {}).href || "";
  return React.createElement("span", null, files.map(function (f, i) {
    return React.createElement("a", {key: f.id, href: href.replace("{id}", encodeURIComponent(String(f.id))),
                                      download: "", className: "me-2", title: f.name},
                               (files.length > 1 ? (i + 1) + ". " : "") + f.name);
  }));
};
