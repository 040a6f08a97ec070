/* 月度推进会 (pages/review.py): paging the review slides without a mouse.
   Dash renders the page asynchronously and anew on every navigation, so the
   listeners sit on `document` (attached once, here) and look the deck up when
   a key is pressed; a new deck is set up when it appears.  The slide number
   stays in the URL hash (#3): a reload stays on the slide. */
(function () {
  "use strict";
  var NEXT = ["ArrowRight", "ArrowDown", "PageDown", " "];
  var PREV = ["ArrowLeft", "ArrowUp", "PageUp"];
  var timer = null;

  function deck() { return document.querySelector(".review-deck"); }
  function slides(d) { return d.querySelectorAll(".review-slide"); }
  function current(d) { return Number(d.dataset.current) || 1; }

  function setParam(name, value) {
    var url = new URL(window.location.href);
    if (value) { url.searchParams.set(name, value); } else { url.searchParams.delete(name); }
    window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
  }

  function show(d, n) {
    var all = slides(d);
    if (!all.length) { return; }
    n = Math.min(Math.max(n, 1), all.length);
    all.forEach(function (s, i) { s.classList.toggle("is-current", i === n - 1); });
    d.dataset.current = n;
    var counter = d.querySelector(".review-counter");
    if (counter) { counter.textContent = n + " / " + all.length; }
    window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search + "#" + n);
  }

  /* Auto-advance every `seconds` (0: off), round to the first slide after the last. */
  function autoAdvance(seconds) {
    window.clearInterval(timer);
    timer = null;
    if (seconds > 0) {
      timer = window.setInterval(function () {
        var d = deck();
        if (!d) { window.clearInterval(timer); timer = null; return; }
        show(d, current(d) >= slides(d).length ? 1 : current(d) + 1);
      }, seconds * 1000);
    }
  }

  function setUp(d) {
    d.dataset.ready = "1";
    d.querySelectorAll("select[data-value]").forEach(function (s) { s.value = s.dataset.value; });
    show(d, parseInt(window.location.hash.slice(1), 10) || 1);
    autoAdvance(Number(d.dataset.auto) || 0);
  }

  function go(d, n) {
    show(d, n);
    autoAdvance(Number(d.dataset.auto) || 0);  // a person moved on: the next turn waits a full interval
  }

  function toggleFullscreen() {
    var done = document.fullscreenElement ? document.exitFullscreen()
      : document.documentElement.requestFullscreen && document.documentElement.requestFullscreen();
    if (done && done.catch) { done.catch(function () {}); }  // refused (no permission): nothing to do
  }

  function typing(target) {
    return target.isContentEditable || Boolean(target.closest &&
      target.closest("input, textarea, select, [role=combobox], [role=listbox], .dash-dropdown"));
  }

  document.addEventListener("keydown", function (e) {
    var d = deck();
    if (!d || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) { return; }
    if (e.key === " " && e.target.closest && e.target.closest("a, button")) { return; }  // the browser clicks it
    var n = current(d);
    var to = NEXT.indexOf(e.key) >= 0 ? n + 1 : PREV.indexOf(e.key) >= 0 ? n - 1
      : e.key === "Home" ? 1 : e.key === "End" ? slides(d).length : null;
    if (e.key === "f" || e.key === "F") { toggleFullscreen(); } else if (to === null) { return; } else { go(d, to); }
    e.preventDefault();
  });

  document.addEventListener("click", function (e) {
    var d = deck();
    var target = d && e.target.closest && e.target.closest("[data-review-go], [data-review-theme]");
    if (!target || !d.contains(target)) { return; }
    var action = target.dataset.reviewGo;
    if (action === "fullscreen") { toggleFullscreen(); } else if (action === "dismiss") {
      target.parentElement.hidden = true;
    } else if (action) {
      go(d, current(d) + (action === "next" ? 1 : -1));
    } else {  // the theme switch: no reload, the slide stays
      e.preventDefault();
      var theme = target.dataset.reviewTheme;
      var other = theme === "dark" ? "light" : "dark";
      d.classList.replace("review-" + other, "review-" + theme);
      target.dataset.reviewTheme = other;
      target.textContent = other === "dark" ? "深色主题" : "浅色主题";
      setParam("theme", theme);
      var back = new URL(window.location.href);
      back.searchParams.set("theme", other);
      target.setAttribute("href", back.pathname + back.search);
    }
  });

  document.addEventListener("change", function (e) {
    var d = deck();
    if (!d || !d.contains(e.target)) { return; }
    if (e.target.id === "review-auto") {
      d.dataset.auto = e.target.value;
      setParam("auto", e.target.value === "0" ? null : e.target.value);
      autoAdvance(Number(e.target.value));
    } else if (GO[e.target.id]) {
      if (keyed === e.target) {  // chosen by keyboard (↑/↓ on a closed select): wait for Enter (WCAG 3.2.2)
        keyed = null;
        e.target.dataset.pending = "1";
        e.target.title = "按回车键前往";
        return;
      }
      GO[e.target.id](e.target.value);
    }
  });

  // another month or other plans load another deck from the server: at once when picked with
  // the mouse, on Enter when picked with the keyboard
  var GO = {
    "review-month": function (value) {
      var url = new URL(window.location.href);
      url.searchParams.set("month", value);
      window.location.assign(url.pathname + url.search);
    },
    "review-scope": function (value) {  // the value is their query (plan=… or year=…)
      var scoped = new URL(window.location.href);
      scoped.searchParams.delete("plan");
      scoped.searchParams.delete("year");
      new URLSearchParams(value).forEach(function (v, k) { scoped.searchParams.set(k, v); });
      window.location.assign(scoped.pathname + scoped.search);
    }
  };
  var keyed = null;
  document.addEventListener("keydown", function (e) {
    if (!GO[e.target.id]) { return; }
    if (e.key === "Enter" && e.target.dataset.pending) {
      e.preventDefault();
      GO[e.target.id](e.target.value);
    } else if (e.key !== "Tab") {
      keyed = e.target;
    }
  }, true);

  new MutationObserver(function () {
    var d = document.querySelector(".review-deck:not([data-ready])");
    if (d) { setUp(d); }
  }).observe(document.documentElement, {childList: true, subtree: true});
}());
