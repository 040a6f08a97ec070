/* Accessibility the components do not give by themselves (WCAG 2.1 AA):
   - a Dash dropdown takes the keyboard through a hidden input marked aria-hidden:
     it is made the combobox it acts as, named by its field's label and its value;
   - a control without a name is named by the label of its column (a pattern id cannot
     be a label's "for"), in a table by its column's header and row, and a file picker
     by what its box says.
   Applied as the page draws itself (a MutationObserver, once per frame). */
(function () {
  var seq = 0;
  var named = function (el) {
    return el.getAttribute("aria-label") || el.getAttribute("aria-labelledby") ||
      (el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]'));
  };
  function captionOf(control) {
    var box = control.closest(".col, [class*='col-'], .card-body, .mb-3");
    return box && box.querySelector("label, [id$='-label']");
  }
  function labelFor(control) {
    if (named(control)) { return; }
    var caption = captionOf(control);
    var cell = !caption && control.closest("td");
    if (cell) {  // (a table of inputs: the column's header, and the row's number)
      var row = cell.parentElement, table = cell.closest("table");
      var head = table && table.querySelectorAll("thead th")[Array.prototype.indexOf.call(row.children, cell)];
      var rowIndex = Array.prototype.indexOf.call(row.parentElement.children, row) + 1;
      control.setAttribute("aria-label", ((head && head.textContent.trim()) || "输入") + "（第" + rowIndex + "行）");
      return;
    }
    if (!caption && control.type === "file") {  // (a dcc.Upload's input: named by what its box says)
      control.setAttribute("aria-label", (control.parentElement.textContent || "").trim().slice(0, 80) || "选择文件");
      return;
    }
    if (!caption) { return; }
    if (!caption.id) { caption.id = "a11y-label-" + (++seq); }
    control.setAttribute("aria-labelledby", caption.id);
  }
  function dropdown(input) {
    var button = input.nextElementSibling;
    if (input.getAttribute("aria-hidden") === "true") {
      input.removeAttribute("aria-hidden");
      input.setAttribute("role", "combobox");
      input.setAttribute("aria-haspopup", "listbox");
      labelFor(input);
      var value = button && button.querySelector(".dash-dropdown-value");
      if (value && value.id && input.getAttribute("aria-labelledby")) {
        input.setAttribute("aria-labelledby", input.getAttribute("aria-labelledby") + " " + value.id);
      }
    }
    input.setAttribute("aria-expanded", (button && button.getAttribute("aria-expanded")) || "false");
  }
  function patch() {
    document.querySelectorAll(".dash-dropdown-focus-target").forEach(dropdown);
    document.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (control) {
      if (!control.closest(".ag-root-wrapper")) { labelFor(control); }  // (grids name their own)
    });
  }
  var queued = false;
  function schedule() {
    if (queued) { return; }
    queued = true;
    window.requestAnimationFrame(function () { queued = false; patch(); });
  }
  function start() {
    new MutationObserver(schedule).observe(document.body, {childList: true, subtree: true, attributes: true,
                                                           attributeFilter: ["aria-expanded"]});
    schedule();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
