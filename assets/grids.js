/* The page's grids (dash-ag-grid): found for print.js (window.creditGrids.apis), and fitted
   to a phone.

   On a phone (a screen narrower than 576 px) the column that names a row — its definition
   says context.rowName (components.grid.named_rows) — is pinned, so it stays in sight while
   the rest scrolls sideways; on a wider screen it goes back to its place. A grid whose
   definitions pin a column themselves is left as it is. Done to each grid as it appears,
   and to all when the screen crosses that width (a phone turned, a window narrowed). */
(function () {
  var PHONE = window.matchMedia("(max-width: 575.98px)");

  function gridIds() {
    return Array.from(document.querySelectorAll("div.ag-theme-alpine[id]")).filter(function (el) {
      return el.querySelector(".ag-root-wrapper");
    }).map(function (el) {
      try { return el.id.charAt(0) === "{" ? JSON.parse(el.id) : el.id; } catch (e) { return el.id; }
    });
  }

  function apis() {
    if (!window.dash_ag_grid || !window.dash_ag_grid.getApi) { return []; }
    return gridIds().map(function (id) {
      try { return window.dash_ag_grid.getApi(id); } catch (e) { return null; }
    }).filter(Boolean);
  }

  function pinRowName(api) {
    var columns = api.getColumns() || [];  // (in the order of their definitions)
    if (columns.some(function (column) { return column.getColDef().pinned; })) { return; }
    var name = columns.filter(function (column) { return (column.getColDef().context || {}).rowName; })[0];
    if (!name || Boolean(name.getPinned()) === PHONE.matches) { return; }
    api.setColumnsPinned([name], PHONE.matches ? "left" : null);
    if (!PHONE.matches) { api.moveColumns([name], columns.indexOf(name)); }  // (unpinned, it would go last)
  }

  function pinAll() {
    if (!window.dash_ag_grid || !window.dash_ag_grid.getApiAsync) { return; }
    gridIds().forEach(function (id) {
      window.dash_ag_grid.getApiAsync(id).then(pinRowName, function () { /* gone meanwhile */ });
    });
  }

  function appeared(records) {
    return records.some(function (record) {
      return Array.from(record.addedNodes).some(function (node) {
        return node.nodeType === 1 && (node.classList.contains("ag-root-wrapper") || node.querySelector(".ag-root-wrapper"));
      });
    });
  }

  var queued = false;
  function watch() {
    new MutationObserver(function (records) {
      if (queued || !appeared(records)) { return; }
      queued = true;
      window.requestAnimationFrame(function () { queued = false; pinAll(); });
    }).observe(document.body, {childList: true, subtree: true});
  }
  if (document.body) { watch(); } else { document.addEventListener("DOMContentLoaded", watch); }
  PHONE.addEventListener("change", pinAll);
  window.creditGrids = {apis: apis};
})();
