/* Printing (and "print to PDF"): the paper a page asks for (data-paper="A3": that,
   landscape; else app.css's A4 landscape); each grid lays itself out for it — every row, no
   scrolling, its columns fitted to the page's width (AG Grid's print layout) — and each
   chart narrows to its width; all go back to the screen's layout afterwards. */
(function () {
  function apis() { return window.creditGrids ? window.creditGrids.apis() : []; }  /* (assets/grids.js) */
  var WIDTHS = {A3: 1500, A4: 1040};  /* CSS pixels between 10 mm margins, landscape */
  function paper() {
    var page = document.querySelector("[data-paper]");
    return page && WIDTHS[page.getAttribute("data-paper")] ? page.getAttribute("data-paper") : "A4";
  }
  var screen = [];
  var charts = [];
  window.addEventListener("beforeprint", function () {
    screen = apis().map(function (api) {
      var layout = api.getGridOption("domLayout");
      api.setGridOption("domLayout", "print");
      api.sizeColumnsToFit();
      return [api, layout];
    });
    if (document.querySelector("[data-paper]")) {
      var size = document.createElement("style");
      size.id = "print-paper";
      size.textContent = "@page { size: " + paper() + " landscape; margin: 10mm; }";
      document.head.appendChild(size);
    }
    var width = WIDTHS[paper()];
    charts = Array.from(document.querySelectorAll(".js-plotly-plot")).filter(function (gd) {
      return window.Plotly && gd.offsetWidth > width;
    });
    charts.forEach(function (gd) { window.Plotly.relayout(gd, {width: width}); });
  });
  window.addEventListener("afterprint", function () {
    var size = document.getElementById("print-paper");
    if (size) { size.remove(); }
    screen.forEach(function (pair) { pair[0].setGridOption("domLayout", pair[1] || "normal"); });
    screen = [];
    charts.forEach(function (gd) { window.Plotly.relayout(gd, {width: null, autosize: true}); });
    charts = [];
  });
})();
