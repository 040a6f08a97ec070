/* Grid functions the Python side names (components.grid.PHONE_PINNING).

   pinRowName: on a phone (a screen narrower than 576 px) the column that names the row — the
   one whose definition says context.rowName (components.grid.named_rows), else the first — is pinned,
   so it stays in sight while the rest scrolls sideways; on a wider screen it is not. Run when
   the grid first shows its rows and whenever its width changes (a phone turned, a window
   narrowed). A grid whose definitions pin a column themselves is left as it is. */
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

dagfuncs.pinRowName = function (params) {
  var api = params.api;
  var columns = api.getColumns();  // (in the order of their definitions)
  if (columns.some(function (column) { return column.getColDef().pinned; })) { return; }
  var shown = columns.filter(function (column) {
    return column.isVisible() && column.getColId().indexOf("ag-Grid-") !== 0;  // (not the selection checkboxes)
  });
  var name = shown.filter(function (column) { return (column.getColDef().context || {}).rowName; })[0] || shown[0];
  if (!name) { return; }
  var phone = window.matchMedia("(max-width: 575.98px)").matches;
  if (Boolean(name.getPinned()) === phone) { return; }
  api.setColumnsPinned([name], phone ? "left" : null);
  if (!phone) { api.moveColumns([name], columns.indexOf(name)); }  // (unpinned, a column goes last: back to its place)
};
