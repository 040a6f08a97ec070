/* Printing (and "print to PDF"): each grid lays itself out for paper — every row, no
   scrolling, its columns fitted to the page's width (AG Grid's print layout) — and goes
   back to the screen's layout afterwards. */
(function () {
  function apis() {
    if (!window.dash_ag_grid || !window.dash_ag_grid.getApi) { return []; }
    return Array.from(document.querySelectorAll("div[id]")).filter(function (el) {
      return el.querySelector(":scope > .ag-root-wrapper, :scope .ag-root-wrapper") && el.classList.contains("ag-theme-alpine");
    }).map(function (el) {
      var id = el.id;
      try { if (id.charAt(0) === "{") { id = JSON.parse(id); } } catch (e) { /* a plain id */ }
      try { return window.dash_ag_grid.getApi(id); } catch (e) { return null; }
    }).filter(Boolean);
  }
  var screen = [];
  window.addEventListener("beforeprint", function () {
    screen = apis().map(function (api) {
      var layout = api.getGridOption("domLayout");
      api.setGridOption("domLayout", "print");
      api.sizeColumnsToFit();
      return [api, layout];
    });
  });
  window.addEventListener("afterprint", function () {
    screen.forEach(function (pair) { pair[0].setGridOption("domLayout", pair[1] || "normal"); });
    screen = [];
  });
})();
